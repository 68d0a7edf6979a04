"""Keeps the chat in the tab's sessionStorage, so a reload resumes it (and a new tab does not)."""

from __future__ import annotations

import js

KEY = "lp-chat-window:chat"


class BrowserSessionStore:
    def load(self) -> str | None:
        value = js.sessionStorage.getItem(KEY)
        return str(value) if value else None

    def save(self, saved: str) -> None:
        js.sessionStorage.setItem(KEY, saved)

    def clear(self) -> None:
        js.sessionStorage.removeItem(KEY)
