"""Keeps the chat link in the tab's sessionStorage, so a reload resumes the chat (and a new tab does not)."""

from __future__ import annotations

import js

KEY = "lp-chat-window:chat"


class BrowserSessionStore:
    def load(self) -> str | None:
        value = js.sessionStorage.getItem(KEY)
        return str(value) if value else None

    def save(self, chat_url: str) -> None:
        js.sessionStorage.setItem(KEY, chat_url)

    def clear(self) -> None:
        js.sessionStorage.removeItem(KEY)
