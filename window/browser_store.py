"""One string in the tab's sessionStorage, so a reload finds it (and a new tab does not): the chat, a sign-in."""

from __future__ import annotations

import js


class BrowserSessionStore:
    def __init__(self, key: str) -> None:
        self._key = key

    def load(self) -> str | None:
        value = js.sessionStorage.getItem(self._key)
        return str(value) if value else None

    def save(self, saved: str) -> None:
        js.sessionStorage.setItem(self._key, saved)

    def clear(self) -> None:
        js.sessionStorage.removeItem(self._key)
