"""One facade over LivePerson's services (as Rocket.Chat's `api.js`): the session asks, this module knows how.

It resolves the service domains once (CSDS, unless configuration names the URLs), keeps the engagement, runs the
protocol clients' calls on the transport, and reduces chat resources to the `ChatSnapshot` the state absorbs.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from pydantic import JsonValue

from window.chat_client import ChatClient, event_id_of
from window.config import WindowConfig
from window.csds_client import lookup
from window.engagement_client import EngagementClient
from window.http import Transport
from window.models.chat import (
    ChatRequest,
    ChatResource,
    LineEvent,
    StateEvent,
    TranscriptRequest,
    UrlEvent,
    cursor_of,
)
from window.models.csds import base_url
from window.models.engagement import CreateSessionRequest, EngagementSession, UpdateSessionRequest
from window.protocol import CALL_FAILURES, ApiError, Call, MalformedReply, is_retryable, perform
from window.state import ChatSnapshot, Format, ServerLine, ServerState, Source

if TYPE_CHECKING:  # surveys and sign-in load when first used
    from window.models.auth import AuthReply, ProviderMetadata
    from window.models.survey import Survey, SurveyAnswers
    from window.signin import SignedIn

log = logging.getLogger(__name__)
T = TypeVar("T")

CHAT_SERVICE = "conversationVep"
ENGAGEMENT_SERVICE = "msdkgw"
LOADING_ACCOUNT = 20  # App Engagement's internalCode of 500 "Loading account: …, vid: …"
LOADING_VISITOR = re.compile(r"\bvid: *([^\s,]+)")
DEFAULT_VALID_FOR_SECONDS = 900  # the App Engagement example's validForSeconds
FRESHNESS_MARGIN_SECONDS = 30
INFO_RELS = ("visitor-typing", "visitor-name", "agent-typing")
SOURCES: frozenset[str] = frozenset({"visitor", "agent", "system"})


@dataclass(frozen=True)
class Engagement:
    session: EngagementSession
    expires_at: float  # on the facade's clock: validForSeconds after it was fetched

    @property
    def available(self) -> bool:
        return self.session.available


class ChatApi:
    def __init__(self, config: WindowConfig, transport: Transport, clock: Callable[[], float] = time.monotonic) -> None:
        self._config = config
        self._transport = transport
        self._clock = clock
        self._clients: tuple[ChatClient, EngagementClient] | None = None
        self._engagement: Engagement | None = None
        self._loading_visitor_id: str | None = None
        self._attributes: list[dict[str, JsonValue]] = []  # checked, waiting for a session to go with

    async def engagement(self) -> Engagement:
        """App Engagement "create session", with an up-to-date availability state. Each call adds a visitor on the
        agents' side, so an available engagement is reused while valid (`validForSeconds`), and a new call keeps the
        visitor (and session) ids LivePerson gave before. A refusal ("NotAvailable") is never kept: agents come back.
        """
        previous = self._engagement
        if previous is not None and previous.available and self._clock() < previous.expires_at:
            return previous
        _, engagements = await self._resolve()
        pending, self._attributes = self._attributes, []
        request = CreateSessionRequest(
            consumer_sections=list(self._config.sections) or None, engagement_attributes=pending or None
        )
        ids: tuple[str | None, str | None]
        if previous is not None:
            ids = (previous.session.visitor_id, previous.session.session_id)
        else:
            ids = (self._loading_visitor_id, None)
        try:
            session = await self._run(engagements.create_session(request, *ids))
        except ApiError as exc:
            # 500 "Loading account: {acct}, vid: {vid}" on quiet accounts (#94): retry as that visitor.
            self._loading_visitor_id = loading_visitor_id(exc) or self._loading_visitor_id
            self._attributes = pending + self._attributes
            raise
        details = session.engagement_details
        valid_for = (details.valid_for_seconds if details else None) or DEFAULT_VALID_FOR_SECONDS
        self._engagement = Engagement(session, self._clock() + valid_for - FRESHNESS_MARGIN_SECONDS)
        return self._engagement

    def adopt(self, session: EngagementSession) -> None:
        """An engagement handed to the window (by LivePerson's tag, or the embedded window's own engage.js): it is
        used, not asked for again, while valid; attributes waiting go with the next update."""
        details = session.engagement_details
        valid_for = (details.valid_for_seconds if details else None) or DEFAULT_VALID_FOR_SECONDS
        self._engagement = Engagement(session, self._clock() + valid_for - FRESHNESS_MARGIN_SECONDS)

    async def send_attributes(self, attributes: list[dict[str, JsonValue]]) -> None:
        """Checked attributes, and any still waiting: with Update Session once there is a session with a page id,
        else with the session's creation ([AE]: create session, update session). What fails in passing waits for the
        next try; what the server refuses for good is dropped (the failure says why)."""
        self._attributes += attributes
        session = self._engagement.session if self._engagement else None
        if session is None or not session.page_id or not self._attributes:
            return
        _, engagements = await self._resolve()
        pending, self._attributes = self._attributes, []
        update = UpdateSessionRequest(page_id=session.page_id, engagement_attributes=pending)
        try:
            await self._run(engagements.update_session(session.visitor_id, session.session_id, update))
        except CALL_FAILURES as exc:
            if is_retryable(exc):
                self._attributes = pending + self._attributes
            raise

    async def is_available(self, engagement: Engagement) -> bool:
        """Availability re-checked right before the request: the engagement's state may be minutes old."""
        chats, _ = await self._resolve()
        return await self._run(chats.availability(self._skill(engagement)))

    async def estimated_wait(self, engagement: Engagement) -> int:
        """Seconds until an agent is expected; negative when unknown (-1 nobody online, -2 not enough data)."""
        chats, _ = await self._resolve()
        return await self._run(chats.estimated_wait_time(self._skill(engagement)))

    async def request_chat(
        self, engagement: Engagement, survey: SurveyAnswers | None = None, signed_in: AuthReply | None = None
    ) -> str:
        chats, _ = await self._resolve()
        details = engagement.session.engagement_details
        request = ChatRequest.for_engagement(
            engagement.session,
            skill=self._skill(engagement),
            language=(details.language if details else None) or self._config.language,
            interaction_timeout=self._config.interaction_timeout_seconds,
            survey=survey.wire() if survey else None,
            participant_id=signed_in.participant_id if signed_in else None,
            conversation_id=signed_in.conversation_id if signed_in else None,
        )
        return await self._run(chats.request_chat(request))

    async def provider_metadata(self, issuer: str) -> ProviderMetadata:
        from window.signin import discovery  # only signed-in chats need it

        return await self._run(discovery(issuer))

    async def authenticate(self, engagement: Engagement, signed: SignedIn) -> AuthReply:
        """conversation.json: LivePerson checks the sign-in (redeems a code, verifies an id_token) and answers the
        ids the chat request then carries."""
        from window.models.auth import AuthRequest  # only signed-in chats need it

        chats, _ = await self._resolve()
        session = engagement.session
        details = session.engagement_details
        connector = (details.connector_id if details else None) or (
            self._config.auth.connector_id if self._config.auth else None
        )
        if connector is None or details is None:
            raise MalformedReply("no authentication connector: neither the engagement nor the configuration names one")
        request = AuthRequest(
            auth_chat_conn_id=connector,
            sso_key=signed.sso_key,
            redirect_uri=signed.redirect_uri,
            engagement_id=details.engagement_id,
            le_tag_context_id=details.context_id,
            le_tag_session_id=session.session_id,
            le_tag_visitor_id=session.visitor_id,
        )
        return await self._run(chats.authenticate(request))

    async def prechat_survey(self, engagement: Engagement) -> Survey | None:
        """The engagement's pre-chat survey, or None. assumed: without `surveyApiId` (which takes LivePerson's Window
        API to learn) LivePerson's rules pick the survey by skill and visitor, as the docs say they may."""
        chats, _ = await self._resolve()
        visitor = engagement.session.visitor_id
        return await self._run(chats.pre_chat_survey(skill=self._skill(engagement), visitor_id=visitor))

    async def offline_survey(self, engagement: Engagement | None) -> Survey | None:
        chats, _ = await self._resolve()
        visitor = engagement.session.visitor_id if engagement else None
        return await self._run(chats.offline_survey(skill=self._skill(engagement), visitor_id=visitor))

    async def submit_offline_survey(self, engagement: Engagement | None, answers: SurveyAnswers) -> None:
        from window.models.survey import OfflineSurveySubmission

        chats, _ = await self._resolve()
        session = engagement.session if engagement else None
        details = session.engagement_details if session else None
        submission = OfflineSurveySubmission(
            id=answers.id,
            questions=answers.questions,
            skill=self._skill(engagement),
            le_tag_visitor_id=session.visitor_id if session else None,
            le_tag_session_id=session.session_id if session else None,
            le_tag_context_id=details.context_id if details else None,
        )
        await self._run(chats.submit_offline_survey(submission))

    async def exit_survey(self, href: str) -> Survey | None:
        chats, _ = await self._resolve()
        return await self._run(chats.exit_survey(href))

    async def submit_exit_survey(self, href: str, answers: SurveyAnswers) -> None:
        chats, _ = await self._resolve()
        await self._run(chats.submit_exit_survey(href, answers))

    async def request_transcript(self, links: Mapping[str, str], request: TranscriptRequest) -> None:
        """By email: through the with-subject link whenever the chat lists it, as LivePerson's own SDK does."""
        chats, _ = await self._resolve()
        if with_subject := links.get("transcript-with-subject-request"):
            await self._run(chats.request_transcript_with_subject(with_subject, request))
        else:
            bare = TranscriptRequest(email=request.email, timezone_offset=request.timezone_offset)
            await self._run(chats.request_transcript(links["transcript-request"], bare))

    async def set_visitor_name(self, href: str, name: str) -> None:
        chats, _ = await self._resolve()
        await self._run(chats.set_visitor_name(href, name))

    async def poll(self, chat_url: str) -> ChatSnapshot:
        chats, _ = await self._resolve()
        return snapshot_of(await self._run(chats.get_chat(chat_url)), cursor_of(chat_url) or 0)

    async def add_line(self, events_href: str, text: str) -> int | None:
        chats, _ = await self._resolve()
        event_url = await self._run(chats.add_line(events_href, text))
        return event_id_of(event_url) if event_url else None

    async def end_chat(self, events_href: str) -> None:
        chats, _ = await self._resolve()
        await self._run(chats.end_chat(events_href))

    async def set_visitor_typing(self, href: str, typing: bool) -> None:
        chats, _ = await self._resolve()
        await self._run(chats.set_visitor_typing(href, typing))

    def _skill(self, engagement: Engagement | None) -> str | None:
        details = engagement.session.engagement_details if engagement else None
        return (details.skill_name if details else None) or self._config.skill

    async def _resolve(self) -> tuple[ChatClient, EngagementClient]:
        if self._clients is None:
            config = self._config
            overrides = {name: str(url).rstrip("/") for name, url in config.service_urls.items()}
            if CHAT_SERVICE not in overrides or ENGAGEMENT_SERVICE not in overrides:
                csds = str(config.csds_url).rstrip("/")
                domains = await self._run(lookup(csds, config.account_id))
                scheme = urlsplit(csds).scheme  # https for LivePerson; the sandbox runs on plain http locally
                overrides.setdefault(CHAT_SERVICE, base_url(domains.conversation_vep, scheme))
                overrides.setdefault(ENGAGEMENT_SERVICE, base_url(domains.app_engagement, scheme))
            self._clients = (
                ChatClient(overrides[CHAT_SERVICE], config.account_id, config.app_key),
                EngagementClient(overrides[ENGAGEMENT_SERVICE], config.account_id),
            )
        return self._clients

    async def _run(self, call: Call[T]) -> T:
        return await perform(self._transport, call)


def loading_visitor_id(error: ApiError) -> str | None:
    """The visitor id App Engagement named in its "Loading account" refusal, to retry as the same visitor."""
    if error.internal_code != LOADING_ACCOUNT:
        return None
    found = LOADING_VISITOR.search(error.message)
    return found.group(1) if found else None


def snapshot_of(chat: ChatResource, asked_from: int = 0) -> ChatSnapshot:
    """What the window shows of a chat resource polled from event `asked_from`; event types it does not handle are
    logged and skipped. A reply that leaves out events before its `next` (assumed: event ids count up by one, as in
    every example, so a missing one is a fault on the way) keeps the cursor where it was: the next poll asks again."""
    events: list[ServerLine | ServerState] = []
    info = chat.info
    agent = info.agent_name if info else None
    for event in chat.events.events:
        when = event.time.isoformat() if event.time else None
        if isinstance(event, StateEvent):
            events.append(ServerState(event.id, event.state))
        elif isinstance(event, LineEvent):
            source: Source = event.source if event.source in SOURCES else "system"  # type: ignore[assignment]
            text_format: Format = "html" if event.is_html else "plain"
            events.append(
                ServerLine(event.id, source, event.by, event.text, text_format, event.system_message_id, when)
            )
        elif isinstance(event, UrlEvent) and event.url:
            events.append(ServerLine(event.id, "agent", agent or "", event.url, "url", time=when))
        else:
            log.info("event of type %r ignored", event.type)
    links = {link.rel: link.href for link in chat.links if link.rel not in ("self", "next")}
    if info is not None:
        links.update({rel: href for rel in INFO_RELS if (href := info.link(rel))})
    return ChatSnapshot(
        events=tuple(events),
        agent_name=agent,
        agent_typing=bool(info and info.is_agent_typing),
        next_url=None if _has_gap(chat, asked_from) else chat.next_url,
        links=links,
    )


def _has_gap(chat: ChatResource, asked_from: int) -> bool:
    """Whether the reply skips an event between the one asked from and its `next` (events of any type count)."""
    upto = chat.next_cursor
    if upto is None:
        return False
    ids = {event.id for event in chat.events.events if isinstance(event.id, int) and asked_from <= event.id < upto}
    if len(ids) < upto - asked_from:
        log.info("events %d to %d came with gaps; asking again from %d", asked_from, upto - 1, asked_from)
        return True
    return False
