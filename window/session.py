"""The chat session: turns the consumer's commands into calls on the chat service and replies into new states.

idle → engagement → requesting → waiting → chatting → ended, plus unavailable and error (`state.TRANSITIONS`).
It owns the polling loop and the retry policy (`retry.py`); the service port (`api.ChatApi` in the page) does the
talking, `state.py` the bookkeeping, and the injected `Clock` the waiting, so unit tests run every timing path
without a server or a real sleep. When other tabs show the same chat (the `ChatTabs` port, `window/tabs.py` in the
page), one of them polls and the others follow what its polls came to.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Protocol, TypeVar

from window.clock import Clock, LoopClock
from window.http import NetworkError
from window.protocol import CALL_FAILURES, ApiError, MalformedReply, is_retryable
from window.retry import FAILURE_TOLERANCE, START_RETRY_DELAYS, poll_delay, start_delay
from window.state import (
    LIVE_PHASES,
    STARTING_PHASES,
    ChatSnapshot,
    ChatState,
    Form,
    FormKind,
    Phase,
    SignIn,
    SignInStatus,
    absorb_chat,
    enter,
    fail_unsent,
    mark_line,
    queue_line,
    restored_chat,
    saved_chat,
    unsent,
    unsent_texts,
)

if TYPE_CHECKING:
    from pydantic import JsonValue

    from window.api import Engagement
    from window.config import AuthSettings
    from window.models.auth import AuthReply, ProviderMetadata
    from window.models.chat import TranscriptRequest
    from window.models.engagement import EngagementSession, LaunchData
    from window.models.survey import Survey, SurveyAnswers
    from window.signin import Pending, SignedIn

log = logging.getLogger(__name__)
T = TypeVar("T")

ESTIMATE_EVERY_SECONDS = 30.0  # how often the wait estimate is refreshed while waiting
END_ATTEMPTS = 3
NOT_IN_CHAT = 5  # internalCode of 400 "Cannot add line while not in chat" (lines while waiting)


class ChatService(Protocol):
    """What the session needs from LivePerson's services (the port; `api.ChatApi` is the adapter)."""

    async def engagement(self) -> Engagement: ...
    def adopt(self, session: EngagementSession) -> None: ...
    async def send_attributes(self, attributes: list[dict[str, JsonValue]]) -> None: ...
    async def is_available(self, engagement: Engagement) -> bool: ...
    async def estimated_wait(self, engagement: Engagement) -> int: ...
    async def prechat_survey(self, engagement: Engagement) -> Survey | None: ...
    async def request_chat(
        self, engagement: Engagement, survey: SurveyAnswers | None = None, signed_in: AuthReply | None = None
    ) -> str: ...
    async def provider_metadata(self, issuer: str) -> ProviderMetadata: ...
    async def authenticate(self, engagement: Engagement, signed: SignedIn) -> AuthReply: ...
    async def poll(self, chat_url: str) -> ChatSnapshot: ...
    async def add_line(self, events_href: str, text: str) -> int | None: ...
    async def end_chat(self, events_href: str) -> None: ...
    async def set_visitor_typing(self, href: str, typing: bool) -> None: ...
    async def set_visitor_name(self, href: str, name: str) -> None: ...
    async def offline_survey(self, engagement: Engagement | None) -> Survey | None: ...
    async def submit_offline_survey(self, engagement: Engagement | None, answers: SurveyAnswers) -> None: ...
    async def exit_survey(self, href: str) -> Survey | None: ...
    async def submit_exit_survey(self, href: str, answers: SurveyAnswers) -> None: ...
    async def request_transcript(self, links: Mapping[str, str], request: TranscriptRequest) -> None: ...


class SessionStore(Protocol):
    """Where a chat survives a reload (sessionStorage in the page); it keeps one string (`state.saved_chat`)."""

    def load(self) -> str | None: ...
    def save(self, saved: str) -> None: ...
    def clear(self) -> None: ...


@dataclass(frozen=True)
class Polled:
    """A poll answered: what the chat showed."""

    snapshot: ChatSnapshot


@dataclass(frozen=True)
class Unreachable:
    """A poll with no usable answer (no connection, a 5xx or 429, an unreadable reply), the `failures`th in a row."""

    failures: int


@dataclass(frozen=True)
class Refused:
    """A poll refused for good: `gone` (404: the server no longer keeps the chat), else an interruption (400, 401,
    403)."""

    gone: bool
    reason: str


PollOutcome = Polled | Unreachable | Refused


class ChatTabs(Protocol):
    """The browser's other tabs of this chat (a duplicated tab copies sessionStorage, so it resumes the same chat):
    one tab polls it and tells the others what each poll came to; they follow, and take over when it leaves, or when
    the consumer turns to them (`window/tabs.py` in the page)."""

    @property
    def tab_id(self) -> str:
        """This tab's own id (a duplicated tab gets a new one): whose unsent lines a stored chat holds."""
        ...

    def follow(self, chat_url: str, heard: Callable[[PollOutcome], None]) -> None:
        """From now on, `heard` gets what the polling tab's polls of `chat_url` come to (until this tab leads)."""
        ...

    async def lead(self) -> None:
        """Returns once this tab is the one to poll the followed chat (at once when no other tab has it)."""
        ...

    @property
    def leading(self) -> bool:
        """Still the one to poll: False again once another tab took over (the one the consumer looks at)."""
        ...

    def share(self, outcome: PollOutcome) -> None: ...

    def leave(self) -> None:
        """Stops following or polling the chat; another tab takes over."""
        ...


@dataclass(frozen=True)
class SignInSetup:
    """How this window signs consumers in: at the brand's provider (`auth`), the answer coming back to
    `redirect_uri`, the consumer going there in a popup or by a redirect of the page, a sign-in under way kept in
    `store` across that redirect (what its answer must match, never a token)."""

    auth: AuthSettings
    redirect_uri: str
    popup: bool
    store: SessionStore


@dataclass(frozen=True)
class Held:
    """A line the server refused with "not in chat": sent again only once a poll shows the chat moved."""

    polls: int
    state_events: int


class ChatSession:
    def __init__(
        self,
        service: ChatService,
        store: SessionStore,
        on_change: Callable[[ChatState], None],
        poll_interval: float,
        visitor_label: str,
        clock: Clock | None = None,
        jitter: Callable[[], float] = random.random,
        signin: SignInSetup | None = None,
        tabs: Callable[[], Awaitable[ChatTabs]] | None = None,
    ) -> None:
        self._service = service
        self._store = store
        self._on_change = on_change
        self._poll_interval = poll_interval
        self._visitor_label = visitor_label
        self._clock = clock or LoopClock()
        self._jitter = jitter
        self._poller: asyncio.Task[None] | None = None
        self._flushing = False
        self._typing_sent = False
        self._engagement: Engagement | None = None
        self._estimated_at = float("-inf")
        self._saved: str | None = None
        self._polls = 0  # polls absorbed (this tab's own, or shared by the polling tab)
        self._polling = False  # a poll of this tab's is under way
        self._held: dict[str, Held] = {}
        # Lines that failed in passing, and how many polls must have been absorbed before one is sent again: a poll
        # that began before the failure cannot show whether the server took it.
        self._retry_after: dict[str, int] = {}
        self._name_sent: str | None = None
        self._signin = signin
        self._pending: Pending | None = None
        self._signed_in: AuthReply | None = None
        self._open_tabs = tabs
        self._tabs: ChatTabs | None = None
        self._news: asyncio.Queue[PollOutcome] | None = None  # what the polling tab shared, while this one follows
        self.state = ChatState()

    # -- commands -------------------------------------------------------------------------------------------

    async def start(self) -> None:
        """The consumer asked to chat: engagement, availability, chat request, then wait for an agent. Each step
        retries a passing failure (5xx, 429, no answer) a few times before the window says it could not start."""
        if self.state.phase in LIVE_PHASES or self.state.phase in STARTING_PHASES:
            return
        # What an interrupted chat could not send is kept and goes to the new one.
        carried = unsent_texts(self.state) if self.state.phase in (Phase.IDLE, Phase.ERROR) else []
        moving = enter(self.state, Phase.ENGAGEMENT)
        fresh = replace(ChatState(), phase=moving.phase, notice=moving.notice, visitor_name=self.state.visitor_name)
        for text in carried:
            fresh, _ = queue_line(fresh, text, self._label(), self._now_iso())
        self._store.clear()
        self._saved = None
        self._name_sent = None
        self._set(fresh)
        self._signed_in = None
        try:
            engagement = self._engagement = await self._retrying(self._service.engagement)
        except CALL_FAILURES as exc:
            self._could_not_start(exc)
            return
        details = engagement.session.engagement_details
        if details is not None and details.language:
            self._set(replace(self.state, language=details.language))
        if not engagement.available:
            await self._offline()
        elif self._needs_signin(engagement):
            await self._offer_signin()  # the consumer signs in; `finish_signin` goes on from there
        else:
            await self._after_signin(engagement)

    async def _after_signin(self, engagement: Engagement) -> None:
        """The pre-chat survey if the engagement has one (the consumer answers; `submit_prechat` goes on), else the
        chat request."""
        try:
            survey = await self._prechat_survey(engagement)
        except CALL_FAILURES as exc:
            self._could_not_start(exc)
            return
        if survey is not None:
            self._set(replace(enter(self.state, Phase.PRECHAT), form=Form("prechat", "shown", survey), signin=None))
            return
        await self._request(engagement, None)

    async def submit_prechat(self, answers: SurveyAnswers, visitor_name: str | None) -> None:
        """The consumer answered the pre-chat survey: the answers go with the chat request ([SCA] start chat)."""
        if self.state.phase is not Phase.PRECHAT or self._engagement is None:
            return
        self._set(replace(self.state, visitor_name=visitor_name or self.state.visitor_name))
        await self._request(self._engagement, answers)

    async def close_prechat(self) -> None:
        """The consumer closed the pre-chat survey without starting a chat."""
        if self.state.phase is Phase.PRECHAT:
            self._set(replace(enter(self.state, Phase.IDLE), form=None))

    async def _request(self, engagement: Engagement, survey: SurveyAnswers | None) -> None:
        self._set(replace(enter(self.state, Phase.REQUESTING), form=None, signin=None))
        try:
            if not await self._retrying(lambda: self._service.is_available(engagement)):
                await self._offline()
                return
            chat_url = await self._retrying(lambda: self._service.request_chat(engagement, survey, self._signed_in))
        except CALL_FAILURES as exc:
            self._could_not_start(exc)
            return
        await self._joined_tabs()  # the stored chat names this tab
        self._set(enter(replace(self.state, chat_url=chat_url, next_url=chat_url), Phase.WAITING))
        self._start_polling()

    async def _prechat_survey(self, engagement: Engagement) -> Survey | None:
        """The engagement's pre-chat survey. One that cannot be had (after the usual retries) is logged and the
        chat goes on without it: a consumer is not kept from an agent by a form."""
        try:
            return await self._retrying(lambda: self._service.prechat_survey(engagement))
        except (ApiError, MalformedReply) as exc:
            log.warning("pre-chat survey unavailable, chatting without it: %r", exc)
            return None

    def _could_not_start(self, exc: Exception) -> None:
        log.warning("the chat could not start: %r", exc)
        self._set(enter(self.state, Phase.ERROR, "error_reply" if isinstance(exc, MalformedReply) else None))

    async def resume(self) -> bool:
        """After a reload: reattach to the stored chat, replaying its events from the start (ids dedupe), with the
        consumer's unsent lines queued again (only this tab's: a duplicated tab's original sends its own). False when
        there was no chat to resume."""
        saved = self._store.load()
        tabs = await self._joined_tabs() if saved else None
        restored = restored_chat(saved, self._visitor_label, tabs.tab_id if tabs else None) if saved else None
        if restored is None:
            self._store.clear()
            return False
        self._set(restored)
        if tabs is not None and restored.chat_url is not None:
            self._follow(tabs, restored.chat_url)  # before the replay: what another tab shares meanwhile is kept
        outcome, _ = await self._poll(0)
        if isinstance(outcome, Refused) and outcome.gone:  # the server no longer keeps it: afresh, keep what was typed
            log.info("the stored chat is gone: %s", outcome.reason)
            self._store.clear()
            self._set(enter(self.state, Phase.IDLE, "ready"))
            self._leave_tabs()
            return True
        if isinstance(outcome, Refused):
            self._interrupt(outcome.reason)
            self._leave_tabs()
            return True
        if isinstance(outcome, Polled):
            self._absorb(outcome.snapshot)
        else:
            log.info("resuming after a failed first poll")  # the poll loop retries
        if self.state.phase in LIVE_PHASES:
            self._start_polling()
        else:
            self._leave_tabs()
            if self.state.phase is Phase.ENDED:
                await self._finish(self.state)
        return True

    async def send(self, *texts: str) -> None:
        """Lines from the consumer: sent once an agent is there, in order, once each. Typed before any chat (the
        window is idle) they ask for one; typed while the chat is being set up they wait with the others."""
        phase = self.state.phase
        lines = [text.strip() for text in texts if text.strip()]
        if not lines or phase not in (Phase.IDLE, *STARTING_PHASES, *LIVE_PHASES):
            return
        state = self.state
        for text in lines:
            state, _ = queue_line(state, text, self._label(), self._now_iso())
        self._set(state)
        if phase is Phase.IDLE:
            await self.start()
            return
        await self._flush()
        await self.typing(False)

    # -- signing in ------------------------------------------------------------------------------------------

    def _needs_signin(self, engagement: Engagement) -> bool:
        details = engagement.session.engagement_details
        required = self._signin is not None and self._signin.auth.required
        return (details is not None and details.connector_id is not None) or required

    async def _offer_signin(self) -> None:
        """The address of the brand's provider for a fresh sign-in (new state and nonce), for the consumer to open."""
        from window.signin import authorization_request  # only signed-in chats load it

        moved = self.state if self.state.phase is Phase.SIGNIN else enter(self.state, Phase.SIGNIN)
        self._set(replace(moved, signin=self._signin_state("preparing")))
        setup = self._signin
        if setup is None:
            log.error("the engagement asks for a signed-in consumer, and config.json has no `auth`")
            self._set(replace(self.state, signin=SignIn("failed", failure="signin_unconfigured")))
            return
        auth = setup.auth
        try:  # not retried: the consumer sees at once that sign-in is down, and may try again
            provider = await self._service.provider_metadata(str(auth.issuer))
        except CALL_FAILURES as exc:
            log.warning("the provider could not be reached: %r", exc)
            self._set(replace(self.state, signin=self._signin_state("failed", failure="signin_unreachable")))
            return
        if self.state.phase is not Phase.SIGNIN or self.state.signin is None or self.state.signin.status != "preparing":
            return  # meanwhile the page handed a sign-in over, or the consumer went on without
        url, self._pending = authorization_request(
            provider, auth.client_id, auth.flow, auth.scope, setup.redirect_uri, auth.pkce
        )
        self._set(replace(self.state, signin=self._signin_state("ready", url=url)))

    def _signin_state(self, status: SignInStatus, url: str | None = None, failure: str | None = None) -> SignIn:
        setup = self._signin
        optional, popup = (setup.auth.optional, setup.popup) if setup else (False, False)
        return SignIn(status, url, failure, optional, popup)

    def signin_opened(self) -> None:
        """The consumer went to the provider (a popup, or a redirect of the page: then what the answer must match
        is kept for the page's return, with the engagement; never a token)."""
        signin = self.state.signin
        if self.state.phase is not Phase.SIGNIN or self._pending is None or signin is None:
            return
        if self._signin is not None and self._engagement is not None and not self._signin.popup:
            engagement = self._engagement.session.model_dump_json(by_alias=True)
            self._signin.store.save(json.dumps({"pending": self._pending.saved(), "engagement": engagement}))
        self._set(replace(self.state, signin=replace(signin, status="waiting")))

    def signin_blocked(self) -> None:
        """The browser refused to open the provider's window."""
        signin = self.state.signin
        if self.state.phase is Phase.SIGNIN and signin is not None:
            self._set(replace(self.state, signin=replace(signin, status="failed", failure="signin_popup_blocked")))

    async def finish_signin(self, params: Mapping[str, str]) -> None:
        """The provider's answer (from the popup, or the page's address after a redirect): checked, then LivePerson
        checks the sign-in, then the chat goes on."""
        from window.signin import SignInFailed, answer

        pending, self._pending = self._pending, None
        if pending is None:
            log.warning("a sign-in answer came with no sign-in under way: ignored")
            return
        try:
            signed = answer(pending, params)
        except SignInFailed as exc:
            log.warning("sign-in failed: %s", exc)
            self._set(replace(self.state, signin=self._signin_state("failed", failure=exc.failure)))
            return
        await self.use_signin(signed)

    async def resume_signin(self, params: Mapping[str, str]) -> None:
        """Back from the provider after a redirect of the page: the sign-in goes on where it stopped."""
        from window.models.engagement import EngagementSession
        from window.signin import Pending

        if self._signin is None:
            return
        saved = self._signin.store.load()
        self._signin.store.clear()
        try:
            kept = json.loads(saved or "null")
            pending = Pending.restored(kept["pending"])
            engagement = EngagementSession.model_validate_json(kept["engagement"])
        except (ValueError, TypeError, KeyError):
            log.warning("back from a sign-in, with nothing of it kept (another tab, or storage cleared): ignored")
            return
        self._service.adopt(engagement)
        self._engagement = await self._service.engagement()
        self._pending = pending
        self._set(replace(enter(self.state, Phase.SIGNIN), signin=self._signin_state("verifying")))
        await self.finish_signin(params)

    async def use_signin(self, signed: SignedIn) -> None:
        """A sign-in to give LivePerson (from the provider, or handed over by the brand's page): conversation.json,
        then the chat goes on with the ids it answers."""
        engagement = self._engagement
        if self.state.phase is not Phase.SIGNIN or engagement is None:
            return
        self._set(replace(self.state, signin=self._signin_state("verifying")))
        try:
            self._signed_in = await self._retrying(lambda: self._service.authenticate(engagement, signed))
        except CALL_FAILURES as exc:
            log.warning("LivePerson did not accept the sign-in: %r", exc)
            failure = "signin_unreachable" if is_retryable(exc) else "signin_refused"
            self._set(replace(self.state, signin=self._signin_state("failed", failure=failure)))
            return
        await self._after_signin(engagement)

    async def retry_signin(self) -> None:
        if self.state.phase is Phase.SIGNIN:
            await self._offer_signin()

    async def chat_without_signin(self) -> None:
        """The consumer chats unauthenticated, where the brand allows it."""
        signin = self.state.signin
        if self.state.phase is Phase.SIGNIN and self._engagement is not None and signin is not None and signin.optional:
            self._pending = None
            await self._after_signin(self._engagement)

    async def close_signin(self) -> None:
        if self.state.phase is Phase.SIGNIN:
            self._pending = None
            self._set(replace(enter(self.state, Phase.IDLE), signin=None))

    # -- engagement ---------------------------------------------------------------------------------------------

    async def use_engagement(self, launch: LaunchData) -> None:
        """The engagement LivePerson's tag (or the embedded window's own engage.js) handed over: the chat is requested
        in that session, no new visitor is made; its attributes go with it."""
        self._service.adopt(launch.session())
        if launch.lang:
            self._set(replace(self.state, language=launch.lang))
        await self.add_attributes(launch.attributes or [], "launch data")

    async def add_attributes(self, items: Sequence[object], source: str) -> None:
        """The brand's engagement attributes: checked (a bad one is said and dropped), then sent; a passing failure is
        retried a few times, quietly: attributes never affect the chat."""
        from window.attributes import checked

        attributes = checked(items, source) if items else []
        for attempt in range(1, len(START_RETRY_DELAYS) + 2):
            try:
                await self._service.send_attributes(attributes)
                return
            except CALL_FAILURES as exc:
                delay = start_delay(attempt, exc) if is_retryable(exc) else None
                if delay is None:
                    log.warning("engagement attributes not sent: %r", exc)
                    return
                attributes = []  # what failed in passing waits in the service for the next try
                await self._clock.sleep(delay)

    async def set_visitor_name(self, name: str) -> None:
        """The consumer's name (asked once in the window, or given by the brand's page): shown to the agent, once the
        chat names the link for it, and on the consumer's own lines."""
        name = name.strip()
        if name and self.state.phase is not Phase.ENDED:
            self._set(replace(self.state, visitor_name=name))
            await self._send_name()

    async def submit_offline(self, answers: SurveyAnswers) -> None:
        await self._submit("offline", lambda: self._service.submit_offline_survey(self._engagement, answers))

    async def submit_exit(self, answers: SurveyAnswers) -> None:
        href = self.state.links.get("exit-survey")
        if href is not None:
            await self._submit("exit", lambda: self._service.submit_exit_survey(href, answers))

    async def request_transcript(self, request: TranscriptRequest) -> None:
        """Email the transcript (once it is sent it is not offered again)."""
        links = self.state.links
        if self.state.phase is not Phase.ENDED or self.state.transcript in ("sending", "sent"):
            return
        if "transcript-request" not in links and "transcript-with-subject-request" not in links:
            return
        self._set(replace(self.state, transcript="sending"))
        try:
            await self._service.request_transcript(links, request)
        except CALL_FAILURES as exc:
            log.warning("transcript not sent: %r", exc)
            self._set(replace(self.state, transcript="failed"))
            return
        self._set(replace(self.state, transcript="sent"))

    async def retry(self, key: str) -> None:
        """The consumer asks to send a failed line again."""
        line = next((line for line in self.state.lines if line.key == key), None)
        if line is None or line.delivery != "failed" or self.state.phase not in LIVE_PHASES:
            return
        self._set(mark_line(self.state, key, "queued"))
        await self._flush()

    async def typing(self, is_typing: bool) -> None:
        """Tell the agent when the consumer starts or stops typing; only changes are sent, as [OLDSDK] does."""
        href = self.state.links.get("visitor-typing")
        if self.state.phase is not Phase.CHATTING or href is None or is_typing == self._typing_sent:
            return
        self._typing_sent = is_typing
        try:
            await self._service.set_visitor_typing(href, is_typing)
        except CALL_FAILURES as exc:
            log.info("typing state not sent: %s", exc)  # cosmetic; the next change tries again

    async def end(self) -> None:
        """End the chat, retrying a passing failure a few times: a chat left open would keep the agent waiting."""
        href = self.state.links.get("events")
        if self.state.phase not in LIVE_PHASES or href is None:
            return
        for attempt in range(1, END_ATTEMPTS + 1):
            try:
                await self._service.end_chat(href)  # ending twice is harmless: the server answers the same event
                break
            except CALL_FAILURES as exc:
                gone = isinstance(exc, ApiError) and exc.status == HTTPStatus.NOT_FOUND
                if gone or (attempt > 1 and isinstance(exc, ApiError) and not exc.retryable):
                    # Gone, or assumed: refused on a retry means the first attempt did end it (only its answer was
                    # lost); the docs do not say what ending an ended chat answers.
                    break
                if not is_retryable(exc) or attempt == END_ATTEMPTS:
                    self._interrupt(exc)
                    return
                self._set(replace(self.state, notice="reconnecting"))
                await self._clock.sleep(poll_delay(attempt, self._poll_interval, self._jitter(), exc))
        await self._finish(enter(self.state, Phase.ENDED, "ended"))

    async def close(self) -> None:
        if self._poller is not None:
            self._poller.cancel()

    # -- polling ----------------------------------------------------------------------------------------------

    def _start_polling(self) -> None:
        if self._poller is None or self._poller.done():
            self._poller = asyncio.ensure_future(self._poll_loop())

    async def _poll_loop(self) -> None:
        """Poll while the chat is live (when another tab of this chat polls it, follow that tab until this one takes
        over); each poll's outcome goes to the following tabs too."""
        tabs, chat_url = self._tabs, self.state.chat_url
        try:
            if tabs is not None and chat_url is not None and self._news is None:
                self._follow(tabs, chat_url)
            failures = 0
            while self.state.phase in LIVE_PHASES:
                if tabs is not None and not tabs.leading:
                    await self._follow_until_leading(tabs)
                    failures = 0
                    if self.state.phase not in LIVE_PHASES:
                        break
                outcome, error = await self._poll(failures)
                failures = outcome.failures if isinstance(outcome, Unreachable) else 0
                if tabs is not None:
                    tabs.share(outcome)
                await self._apply(outcome)
                if self.state.phase in LIVE_PHASES:
                    await self._clock.sleep(poll_delay(failures, self._poll_interval, self._jitter(), error))
        finally:
            self._leave_tabs()
        if self.state.phase is Phase.ENDED:
            await self._finish(self.state)

    async def _poll(self, failures: int) -> tuple[PollOutcome, Exception | None]:
        """One poll of the chat from the cursor, and what it came to after `failures` failures in a row."""
        url = self.state.next_url or self.state.chat_url
        assert url is not None, "polling starts only with a chat link"
        self._polling = True
        try:
            return Polled(await self._service.poll(url)), None
        except ApiError as exc:
            if not exc.retryable:
                return Refused(exc.status == HTTPStatus.NOT_FOUND, str(exc)), exc
            return Unreachable(failures + 1), exc
        except (NetworkError, MalformedReply) as exc:
            log.info("poll failed: %s", exc)
            return Unreachable(failures + 1), exc
        finally:
            self._polling = False

    async def _apply(self, outcome: PollOutcome) -> None:
        """What a poll came to (this tab's own, or the polling tab's), into the state."""
        if isinstance(outcome, Polled):
            self._absorb(outcome.snapshot)
            await self._flush()
            await self._send_name()
            await self._refresh_estimate()
        elif isinstance(outcome, Unreachable):
            # Only the server can say the chat is gone (a 404 once it answers again): past the tolerance the window
            # says it is still trying, keeps what was typed, and goes on at the backoff's ceiling.
            still = outcome.failures > FAILURE_TOLERANCE
            self._set(replace(self.state, notice="still_reconnecting" if still else "reconnecting"))
        elif outcome.gone:
            log.info("the chat is gone: %s", outcome.reason)
            self._store.clear()
            self._set(fail_unsent(enter(self.state, Phase.ERROR, "gone"), "line_not_sent_gone"))
        else:  # 400/401/403 are not the end of a chat: say it was interrupted, keep what was typed
            self._interrupt(outcome.reason)

    def _absorb(self, snapshot: ChatSnapshot) -> None:
        self._polls += 1
        self._set(absorb_chat(self.state, snapshot))

    # -- other tabs of this chat ------------------------------------------------------------------------------------

    async def _joined_tabs(self) -> ChatTabs | None:
        if self._tabs is None and self._open_tabs is not None:
            self._tabs = await self._open_tabs()
        return self._tabs

    def _follow(self, tabs: ChatTabs, chat_url: str) -> None:
        news: asyncio.Queue[PollOutcome] = asyncio.Queue()
        self._news = news
        tabs.follow(chat_url, news.put_nowait)

    async def _follow_until_leading(self, tabs: ChatTabs) -> None:
        """Take in what the polling tab shares until this tab leads (or the chat is over); then, what it said last."""
        news = self._news
        assert news is not None, "following starts with _follow"
        leading: asyncio.Future[object] = asyncio.ensure_future(tabs.lead())
        heard: asyncio.Future[object] | None = None
        try:
            while self.state.phase in LIVE_PHASES and not leading.done():
                heard = heard or asyncio.ensure_future(news.get())
                await asyncio.wait({leading, heard}, return_when=asyncio.FIRST_COMPLETED)
                if heard.done():
                    outcome = heard.result()
                    assert isinstance(outcome, Polled | Unreachable | Refused)
                    await self._apply(outcome)
                    heard = None
            while not news.empty() and self.state.phase in LIVE_PHASES:
                await self._apply(news.get_nowait())
        finally:
            leading.cancel()
            if heard is not None:
                heard.cancel()

    def _leave_tabs(self) -> None:
        if self._tabs is not None and self._news is not None:
            self._tabs.leave()
        self._news = None

    async def _refresh_estimate(self) -> None:
        """Waiting is informative: show the server's estimate, kept current (a failure just leaves it out)."""
        now = self._clock.now()
        if self.state.phase is not Phase.WAITING or self._engagement is None:
            return
        if now - self._estimated_at < ESTIMATE_EVERY_SECONDS:
            return
        self._estimated_at = now
        try:
            seconds = await self._service.estimated_wait(self._engagement)
        except CALL_FAILURES as exc:
            log.info("no wait estimate: %s", exc)
            return
        if self.state.phase is Phase.WAITING:
            self._set(enter(replace(self.state, wait_seconds=seconds), Phase.WAITING))

    # -- sending ----------------------------------------------------------------------------------------------

    async def _flush(self) -> None:
        """Send the consumer's lines in order, once each, while the chat is `chatting` (the API refuses lines while
        `waiting`). A passing failure stops the flush (the next one retries); a refusal marks only that line."""
        if self._flushing:  # one flush at a time: a second caller's lines go with the running one
            return
        self._flushing = True
        try:
            while await self._send_next():
                pass
        finally:
            self._flushing = False

    async def _send_next(self) -> bool:
        """Send the first unsent line; True to go on with the next."""
        line = next(iter(unsent(self.state)), None)
        href = self.state.links.get("events")
        if line is None or self.state.phase is not Phase.CHATTING or href is None:
            return False
        if self._retry_after.get(line.key, 0) > self._polls:
            return False  # failed in passing: a poll begun since tells whether the server has it (then adopted)
        self._retry_after.pop(line.key, None)
        held = self._held.get(line.key)
        if held is not None:
            if held.polls == self._polls:
                return False  # no poll since the refusal: the chat may have moved on; wait for the next one
            del self._held[line.key]
            if held.state_events == self.state.state_events:  # the chat did not move: the refusal was the line's
                self._set(mark_line(self.state, line.key, "failed", failure="line_refused"))
                return True
        self._set(mark_line(self.state, line.key, "sending"))
        try:
            event_id = await self._service.add_line(href, line.text)
        except ApiError as exc:
            if exc.status == HTTPStatus.BAD_REQUEST and exc.internal_code == NOT_IN_CHAT:
                self._held[line.key] = Held(self._polls, self.state.state_events)
                self._set(mark_line(self.state, line.key, "queued"))
                return False
            if exc.retryable or exc.status == HTTPStatus.NOT_FOUND:  # a 404: the chat may be gone; a poll tells
                self._failed_in_passing(line.key)
                return False
            log.warning("line refused: %s", exc)
            self._set(mark_line(self.state, line.key, "failed", failure="line_refused"))
            return True
        except (NetworkError, MalformedReply):
            self._failed_in_passing(line.key)
            return False
        self._set(mark_line(self.state, line.key, "sent", event_id))
        return True

    def _failed_in_passing(self, key: str) -> None:
        """Unknown whether the server took the line: a poll that begins from now on adopts it if it did
        (state.absorb_chat), else it is sent again after that poll. The poll under way (this tab's, or the polling
        tab's while this one follows) may have left before the line arrived, so it does not count."""
        following = self._news is not None and self._tabs is not None and not self._tabs.leading
        self._retry_after[key] = self._polls + (2 if self._polling or following else 1)
        self._set(mark_line(self.state, key, "retrying"))

    # -- helpers ----------------------------------------------------------------------------------------------

    async def _retrying(self, call: Callable[[], Awaitable[T]]) -> T:
        """One step of the start sequence, retried after a passing failure (`retry.start_delay`)."""
        attempt = 0
        while True:
            try:
                return await call()
            except CALL_FAILURES as exc:
                attempt += 1
                delay = start_delay(attempt, exc) if is_retryable(exc) else None
                if delay is None:
                    raise
                log.info("start step failed (%s); retrying in %.0f s", exc, delay)
                self._set(replace(self.state, notice="start_retrying"))
                await self._clock.sleep(delay)

    def _interrupt(self, reason: object) -> None:
        """The service refused the chat for a reason that is not its end (e.g. 401 after an app-key change)."""
        log.warning("chat interrupted: %s", reason)
        self._set(fail_unsent(enter(self.state, Phase.ERROR, "interrupted"), "line_not_sent_interrupted"))

    async def _finish(self, state: ChatState) -> None:
        """The chat ended. It stays readable (and stored, so a reload shows it) while the server keeps it; then the
        post-chat offers: the exit survey (if the account has one), the transcript, a new chat."""
        self._typing_sent = False
        self._held.clear()
        self._retry_after.clear()
        self._set(fail_unsent(state, "line_not_sent_ended"))
        href = self.state.links.get("exit-survey")
        if href is None or self.state.form is not None:  # none listed, or already taken before a reload
            return
        self._set(replace(self.state, form=Form("exit", "loading")))
        try:
            survey = await self._service.exit_survey(href)
        except CALL_FAILURES as exc:
            log.info("no exit survey: %r", exc)
            survey = None
        self._set(replace(self.state, form=Form("exit", "shown", survey) if survey else Form("exit", "none")))

    async def _offline(self) -> None:
        """Nobody is available: offer the offline survey instead of a dead end (or say so plainly if there is none)."""
        self._set(replace(enter(self.state, Phase.UNAVAILABLE), form=Form("offline", "loading")))
        try:
            survey = await self._service.offline_survey(self._engagement)
        except CALL_FAILURES as exc:
            log.info("no offline survey: %r", exc)
            survey = None
        if self.state.phase is Phase.UNAVAILABLE:
            self._set(replace(self.state, form=Form("offline", "shown", survey) if survey else Form("offline", "none")))

    async def _submit(self, kind: FormKind, call: Callable[[], Awaitable[None]]) -> None:
        """Submit the survey on show once: sending → sent, or failed (the consumer may correct it and send again)."""
        form = self.state.form
        if form is None or form.kind != kind or form.status not in ("shown", "failed"):
            return
        self._set(replace(self.state, form=replace(form, status="sending")))
        try:
            await call()
        except CALL_FAILURES as exc:
            log.warning("%s survey not sent: %r", kind, exc)
            self._set(replace(self.state, form=replace(form, status="failed")))
            return
        self._set(replace(self.state, form=replace(form, status="sent")))

    async def _send_name(self) -> None:
        """The name the consumer gave, to the agent, once the chat names the link for it."""
        name, href = self.state.visitor_name, self.state.links.get("visitor-name")
        if name is None or href is None or name == self._name_sent:
            return
        try:
            await self._service.set_visitor_name(href, name)
        except CALL_FAILURES as exc:
            log.info("visitor name not sent yet: %s", exc)  # the next poll tries again
            return
        self._name_sent = name

    def _label(self) -> str:
        return self.state.visitor_name or self._visitor_label

    def _now_iso(self) -> str:
        return datetime.now(UTC).isoformat()

    def _set(self, state: ChatState) -> None:
        self.state = state
        if state.chat_url is not None and (state.phase in LIVE_PHASES or state.phase is Phase.ENDED):
            saved = saved_chat(state, self._tabs.tab_id if self._tabs is not None else None)
            if saved != self._saved:
                self._store.save(saved)
                self._saved = saved
        self._on_change(state)
