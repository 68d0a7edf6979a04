"""One poller per chat across the browser's tabs: the page's adapter of the session's `ChatTabs` port.

A duplicated tab copies sessionStorage, so it resumes the same chat. The tab holding the chat's Web Lock
(`navigator.locks`) polls it and posts what each poll came to on the chat's BroadcastChannel; the other tabs follow
that, and the next one takes the lock (and the polling) when the holder lets go: its tab closed, or its chat is over.
The tab in view polls: a tab that joins the chat in view (a duplicate opens in front), or that the consumer turns to,
takes the lock over at once (`steal`), as the browser slows the timers of a tab out of view (to once a minute, after
five minutes), which would delay every tab's lines. A tab that lost the lock so queues for it again, never steals
it back by itself.
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
        self._follower: Callable[[PollOutcome], None] | None = None
        self._heard: Callable[[PollOutcome], None] | None = None  # None while this tab polls (or follows nothing)
        self._leading = False
        self._granted: asyncio.Future[None] | None = None
        self._asked = False  # for the lock of the chat followed
        self._request = 0  # which lock request is the current one
        self._chat_url = ""
        self._channel: Any = None
        self._listeners: list[tuple[Any, str, Any]] = []
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

    @property
    def leading(self) -> bool:
        return self._leading

    def follow(self, chat_url: str, heard: Callable[[PollOutcome], None]) -> None:
        import js

        self.leave()
        self._chat_url, self._follower, self._heard = chat_url, heard, heard
        self._channel = js.BroadcastChannel.new(PREFIX + chat_url)
        self._listen(self._channel, "message", self._on_message)
        self._listen(js.document, "visibilitychange", self._on_visibility)

    async def lead(self) -> None:
        import js

        if getattr(js.navigator, "locks", None) is None:
            self._become_leader()
            return
        self._granted = asyncio.get_running_loop().create_future()
        self._ask_for_lock(steal=not self._asked and js.document.visibilityState == "visible")
        self._asked = True
        await self._granted

    def share(self, outcome: PollOutcome) -> None:
        if self._channel is not None:
            self._channel.postMessage(encode(outcome))

    def leave(self) -> None:
        self._request += 1  # what the lock requests made so far answer no longer matters
        if self._release is not None:
            self._release()
        if self._abort is not None:
            self._abort.abort()
        for target, kind, listener in self._listeners:
            target.removeEventListener(kind, listener)
            listener.destroy()
        if self._channel is not None:
            self._channel.close()
        self._listeners = []
        self._leading = self._asked = False
        self._heard = self._follower = self._channel = self._abort = self._release = self._granted = None

    def _ask_for_lock(self, steal: bool) -> None:
        """Queues for the chat's lock, or (`steal`) takes it from the tab holding it, which then follows again."""
        import js
        from pyodide.ffi import create_once_callable

        if self._abort is not None:
            self._abort.abort()  # the request queued so far is withdrawn
        self._request += 1
        request = self._request
        self._abort = None if steal else js.AbortController.new()
        options = _options(steal=True) if steal else _options(signal=self._abort.signal)

        def hold(_lock: Any) -> Any:
            if request != self._request:
                return None  # granted as this tab left or asked again: let go at once
            self._become_leader()
            return js.Promise.new(lambda resolve, _reject: setattr(self, "_release", resolve))

        def lost(_error: Any) -> None:  # withdrawn before it was granted, or taken over by another tab
            if request == self._request and self._leading:
                self._leading, self._heard = False, self._follower

        asked = js.navigator.locks.request(f"{PREFIX}chat:{self._chat_url}", options, create_once_callable(hold))
        asked.catch(create_once_callable(lost))

    def _become_leader(self) -> None:
        self._leading, self._heard, self._abort = True, None, None
        if self._granted is not None and not self._granted.done():
            self._granted.set_result(None)

    def _on_message(self, event: Any) -> None:
        outcome = decode(str(event.data)) if self._heard is not None else None
        if outcome is not None and self._heard is not None:
            self._heard(outcome)

    def _on_visibility(self, _event: Any) -> None:
        import js

        if js.document.visibilityState == "visible" and self._granted is not None and not self._leading:
            self._ask_for_lock(steal=True)

    def _listen(self, target: Any, kind: str, handler: Callable[[Any], None]) -> None:
        from pyodide.ffi import create_proxy

        listener = create_proxy(handler)
        target.addEventListener(kind, listener)
        self._listeners.append((target, kind, listener))


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
