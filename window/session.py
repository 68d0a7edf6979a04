"""The chat session: turns the consumer's commands into API calls and server replies into new states.

idle → engagement → requesting → waiting → chatting → ended, plus unavailable and error.
It owns the polling loop (asyncio, so the page never blocks: in Pyodide each sleep is a browser timer)
and the retry policy; the facade in `api.py` does the talking, `state.py` the bookkeeping.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Protocol

from .api import ChatApi, Engagement
from .http import NetworkError
from .protocol import CALL_FAILURES, ApiError, MalformedReply, is_retryable
from .state import (
    LIVE_PHASES,
    ChatState,
    Phase,
    absorb_chat,
    enter,
    mark_line,
    queue_line,
    restored_chat,
    saved_chat,
    unsent,
)

log = logging.getLogger(__name__)

# [OLDSDK] declares a chat lost after more than 9 consecutive failed polls (failureTolerance).
FAILURE_TOLERANCE = 9
MAX_BACKOFF_SECONDS = 15.0
MIN_RETRY_AFTER_SECONDS = 1.0  # [RETRY]: after a 429 wait at least a second
ESTIMATE_EVERY_SECONDS = 30.0  # how often the wait estimate is refreshed while waiting
END_ATTEMPTS = 3


class SessionStore(Protocol):
    """Where a chat survives a reload (sessionStorage in the page); it keeps one string (`state.saved_chat`)."""

    def load(self) -> str | None: ...
    def save(self, saved: str) -> None: ...
    def clear(self) -> None: ...


Sleep = Callable[[float], Awaitable[None]]


class ChatSession:
    def __init__(
        self,
        api: ChatApi,
        store: SessionStore,
        on_change: Callable[[ChatState], None],
        poll_interval: float,
        visitor_label: str,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._api = api
        self._store = store
        self._on_change = on_change
        self._poll_interval = poll_interval
        self._visitor_label = visitor_label
        self._sleep = sleep
        self._poller: asyncio.Task[None] | None = None
        self._flush_lock = asyncio.Lock()
        self._typing_sent = False
        self._engagement: Engagement | None = None
        self._estimated_at = float("-inf")
        self._saved: str | None = None
        self.state = ChatState()

    # -- commands -------------------------------------------------------------------------------------------

    async def start(self) -> None:
        """The consumer clicked "Chat now": engagement, availability, chat request, then wait for an agent."""
        if self.state.phase in LIVE_PHASES or self.state.phase in (Phase.ENGAGEMENT, Phase.REQUESTING):
            return
        self._set(enter(ChatState(), Phase.ENGAGEMENT))
        try:
            engagement = await self._api.engagement()
            if not engagement.available:
                self._set(enter(self.state, Phase.UNAVAILABLE))
                return
            self._set(enter(self.state, Phase.REQUESTING))
            if not await self._api.is_available(engagement):
                self._set(enter(self.state, Phase.UNAVAILABLE))
                return
            chat_url = await self._api.request_chat(engagement)
        except CALL_FAILURES as exc:
            self._fail(exc)
            return
        self._engagement = engagement
        self._set(enter(replace(self.state, chat_url=chat_url, next_url=chat_url), Phase.WAITING))
        self._start_polling()

    async def resume(self) -> bool:
        """After a reload: reattach to the stored chat, replaying its events from the start (ids dedupe), with the
        consumer's unsent lines queued again."""
        saved = self._store.load()
        restored = restored_chat(saved, self._visitor_label) if saved else None
        if restored is None:
            self._store.clear()
            return False
        chat_url = restored.chat_url
        self._set(restored)
        try:
            await self._poll_once()
        except ApiError as exc:
            if not is_retryable(exc):  # the chat is gone: start afresh
                log.warning("could not resume %s: %s", chat_url, exc)
                self._store.clear()
                self._set(ChatState())
                return False
        except (NetworkError, MalformedReply) as exc:
            log.info("resuming %s after a failed first poll: %s", chat_url, exc)  # the poll loop retries
        if self.state.phase in LIVE_PHASES:
            self._start_polling()
        else:
            self._store.clear()
        return True

    async def send(self, text: str) -> None:
        text = text.strip()
        if not text or self.state.phase not in LIVE_PHASES:
            return
        state, _ = queue_line(self.state, text, self._visitor_label)
        self._set(state)
        await self._flush()
        await self.typing(False)

    async def typing(self, is_typing: bool) -> None:
        """Tell the agent when the consumer starts or stops typing; only changes are sent, as [OLDSDK] does."""
        href = self.state.links.get("visitor-typing")
        if self.state.phase is not Phase.CHATTING or href is None or is_typing == self._typing_sent:
            return
        self._typing_sent = is_typing
        try:
            await self._api.set_visitor_typing(href, is_typing)
        except CALL_FAILURES as exc:
            log.info("typing state not sent: %s", exc)  # cosmetic; the next change tries again

    async def end(self) -> None:
        """End the chat, retrying a passing failure a few times: a chat left open would keep the agent waiting."""
        href = self.state.links.get("events")
        if self.state.phase not in LIVE_PHASES or href is None:
            return
        for attempt in range(1, END_ATTEMPTS + 1):
            try:
                await self._api.end_chat(href)  # ending twice is harmless: the server answers with the same event
                break
            except CALL_FAILURES as exc:
                if attempt > 1 and isinstance(exc, ApiError) and not is_retryable(exc):
                    # assumed: refused on a retry means the first attempt did end it (only its answer was lost);
                    # the docs do not say what ending an ended chat answers.
                    break
                if not is_retryable(exc) or attempt == END_ATTEMPTS:
                    self._fail(exc)
                    return
                self._set(replace(self.state, notice="reconnecting"))
                await self._sleep(self._backoff(attempt))
        self._finish(enter(self.state, Phase.ENDED, "ended"))

    async def close(self) -> None:
        if self._poller is not None:
            self._poller.cancel()

    # -- polling ----------------------------------------------------------------------------------------------

    def _start_polling(self) -> None:
        if self._poller is None or self._poller.done():
            self._poller = asyncio.ensure_future(self._poll_loop())

    async def _poll_loop(self) -> None:
        failures = 0
        while self.state.phase in LIVE_PHASES:
            delay = self._poll_interval
            try:
                await self._poll_once()
                failures = 0
                await self._flush()
                await self._refresh_estimate()
            except ApiError as exc:
                if not is_retryable(exc):  # e.g. 404: the chat is gone (retention over, or timed out long ago)
                    self._finish(enter(self.state, Phase.ENDED, "ended"))
                    return
                failures += 1
                delay = max(exc.retry_after or 0.0, MIN_RETRY_AFTER_SECONDS, self._backoff(failures))
            except (NetworkError, MalformedReply) as exc:
                log.info("poll failed: %s", exc)
                failures += 1
                delay = self._backoff(failures)
            if failures > FAILURE_TOLERANCE:
                self._set(enter(self.state, Phase.ERROR, "lost"))
                return
            if failures:
                self._set(replace(self.state, notice="reconnecting"))
            await self._sleep(delay)
        if self.state.phase is Phase.ENDED:
            self._finish(self.state)

    async def _poll_once(self) -> None:
        url = self.state.next_url or self.state.chat_url
        assert url is not None, "polling starts only with a chat link"
        snapshot = await self._api.poll(url)
        self._set(absorb_chat(self.state, snapshot))

    async def _refresh_estimate(self) -> None:
        """Waiting is informative: show the server's estimate, kept current (a failure just leaves it out)."""
        now = asyncio.get_running_loop().time()
        if self.state.phase is not Phase.WAITING or self._engagement is None:
            return
        if now - self._estimated_at < ESTIMATE_EVERY_SECONDS:
            return
        self._estimated_at = now
        try:
            seconds = await self._api.estimated_wait(self._engagement)
        except CALL_FAILURES as exc:
            log.info("no wait estimate: %s", exc)
            return
        if self.state.phase is Phase.WAITING:
            self._set(enter(replace(self.state, wait_seconds=seconds), Phase.WAITING))

    def _backoff(self, failures: int) -> float:
        # The first retry comes after one poll interval, then twice as long each time, up to the cap.
        return float(min(self._poll_interval * 2 ** (failures - 1), MAX_BACKOFF_SECONDS))

    # -- sending ----------------------------------------------------------------------------------------------

    async def _flush(self) -> None:
        """Send queued lines in order, once each. Lines wait while `waiting`: the API refuses them (#112)."""
        async with self._flush_lock:
            for line in list(unsent(self.state)):
                href = self.state.links.get("events")
                if self.state.phase is not Phase.CHATTING or href is None:
                    return
                self._set(mark_line(self.state, line.key, "sending"))
                try:
                    event_id = await self._api.add_line(href, line.text)
                except ApiError as exc:
                    self._set(mark_line(self.state, line.key, "failed" if is_retryable(exc) else "queued"))
                    return
                except (NetworkError, MalformedReply):
                    # Unknown whether the server took it; the next poll adopts it if it did (state.absorb_chat).
                    self._set(mark_line(self.state, line.key, "failed"))
                    return
                self._set(mark_line(self.state, line.key, "sent", event_id))

    # -- helpers ----------------------------------------------------------------------------------------------

    def _fail(self, exc: Exception) -> None:
        log.warning("chat failed: %r", exc)
        notice = "error_reply" if isinstance(exc, MalformedReply) else "error_service"
        self._set(enter(self.state, Phase.ERROR, notice))

    def _finish(self, state: ChatState) -> None:
        self._store.clear()
        self._saved = None
        self._typing_sent = False
        self._set(state)

    def _set(self, state: ChatState) -> None:
        self.state = state
        if state.chat_url is not None and state.phase in LIVE_PHASES:
            saved = saved_chat(state)
            if saved != self._saved:
                self._store.save(saved)
                self._saved = saved
        self._on_change(state)
