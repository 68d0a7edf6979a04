"""One poller per chat across the browser's tabs: the page's adapter of the session's `ChatTabs` port.

A duplicated tab copies sessionStorage, so it resumes the same chat. The tab holding the chat's Web Lock
(`navigator.locks`) polls it and posts what each poll came to on the chat's BroadcastChannel; the other tabs follow
that, and the next one takes the lock (and the polling) when the holder lets go: its tab closed, or its chat is over.
Each tab also holds a lock named by its own id for its whole life: a duplicate finds the id it copied held, and takes a
new one, so a stored chat tells whose unsent lines it keeps (`state.restored_chat`).

Imported only once a chat is stored or requested. Without Web Locks (an old browser, a page not served securely)
every tab polls its chat alone, as before.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter, ValidationError

from window.session import PollOutcome

log = logging.getLogger(__name__)

PREFIX = "lp-chat-window:"
TAB_KEY = PREFIX + "tab"  # this tab's id, in sessionStorage (a duplicated tab starts with a copy)
OUTCOMES: TypeAdapter[PollOutcome] = TypeAdapter(PollOutcome)


def encode(outcome: PollOutcome) -> str:
    return OUTCOMES.dump_json(outcome).decode()


def decode(message: str) -> PollOutcome | None:
    """What another tab posted, or None if this window cannot read it (say, a tab of an older version)."""
    try:
        return OUTCOMES.validate_json(message)
    except ValidationError as exc:
        log.warning("ignored a message from another tab: %s", exc)
        return None


class BrowserTabs:
    def __init__(self, tab_id: str) -> None:
        self._tab_id = tab_id
        self._heard: Callable[[PollOutcome], None] | None = None  # None while this tab polls (or follows nothing)
        self._chat_url = ""
        self._channel: Any = None
        self._listener: Any = None
        self._abort: Any = None  # withdraws a lock request not granted yet
        self._release: Any = None  # lets go of a lock granted

    @classmethod
    async def claim(cls) -> BrowserTabs:
        """This tab's id: the one its sessionStorage kept (after a reload), unless another open tab holds that one
        (this tab is its duplicate): then a new one."""
        import js

        kept = js.sessionStorage.getItem(TAB_KEY)
        if kept and await _hold_if_free(f"{PREFIX}tab:{kept}"):
            return cls(str(kept))
        fresh = secrets.token_hex(8)
        js.sessionStorage.setItem(TAB_KEY, fresh)
        await _hold_if_free(f"{PREFIX}tab:{fresh}")
        return cls(fresh)

    @property
    def tab_id(self) -> str:
        return self._tab_id

    def follow(self, chat_url: str, heard: Callable[[PollOutcome], None]) -> None:
        import js
        from pyodide.ffi import create_proxy

        self.leave()
        self._chat_url, self._heard = chat_url, heard
        self._channel = js.BroadcastChannel.new(PREFIX + chat_url)
        self._listener = create_proxy(self._on_message)
        self._channel.addEventListener("message", self._listener)

    async def lead(self) -> None:
        import js
        from pyodide.ffi import create_once_callable

        locks = getattr(js.navigator, "locks", None)
        if locks is not None:
            granted = asyncio.get_running_loop().create_future()

            def hold(_lock: Any) -> Any:
                if not granted.done():
                    granted.set_result(None)
                return js.Promise.new(lambda resolve, _reject: setattr(self, "_release", resolve))

            self._abort = js.AbortController.new()
            options = _options(signal=self._abort.signal)
            request = locks.request(f"{PREFIX}chat:{self._chat_url}", options, create_once_callable(hold))
            request.catch(create_once_callable(lambda _error: None))  # withdrawn before it was granted
            await granted
        self._heard = None

    def share(self, outcome: PollOutcome) -> None:
        if self._channel is not None:
            self._channel.postMessage(encode(outcome))

    def leave(self) -> None:
        if self._release is not None:
            self._release()
        if self._abort is not None:
            self._abort.abort()
        if self._channel is not None:
            self._channel.removeEventListener("message", self._listener)
            self._channel.close()
            self._listener.destroy()
        self._heard = self._channel = self._listener = self._abort = self._release = None

    def _on_message(self, event: Any) -> None:
        outcome = decode(str(event.data)) if self._heard is not None else None
        if outcome is not None and self._heard is not None:
            self._heard(outcome)


async def _hold_if_free(name: str) -> bool:
    """Takes the lock `name` for the rest of this document's life, unless another document holds it."""
    import js
    from pyodide.ffi import create_once_callable

    locks = getattr(js.navigator, "locks", None)
    if locks is None:
        return True
    free = asyncio.get_running_loop().create_future()

    def hold(lock: Any) -> Any:
        free.set_result(lock is not None)
        return js.Promise.new(lambda _resolve, _reject: None) if lock is not None else None

    locks.request(name, _options(ifAvailable=True), create_once_callable(hold))
    return bool(await free)


def _options(**options: Any) -> Any:
    import js
    from pyodide.ffi import to_js

    return to_js(options, dict_converter=js.Object.fromEntries)
