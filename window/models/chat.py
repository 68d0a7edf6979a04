"""The Chat REST API's payloads [SCA]: chat request, chat resource, events, info, small resources.

Surveys (`models/survey.py`) and authentication (`models/auth.py`) have modules of their own, loaded when first used.

Replies are parsed leniently (see `window.models`); requests serialise with the documented names and wrappers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlsplit

from pydantic import (
    AliasChoices,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    Tag,
    field_serializer,
    model_validator,
)

from window.models import Id, ListOrOne, Payload
from window.models.engagement import EngagementSession

# --- links ----------------------------------------------------------------------------------------------------


class Link(Payload):
    # The chat resource and events use `@href`/`@rel`, the info resource `href`/`rel`.
    href: str = Field(validation_alias=AliasChoices("@href", "href"))
    rel: str = Field(validation_alias=AliasChoices("@rel", "rel"))


def cursor_of(href: str | None) -> int | None:
    """The `from` number of a `next` href (`…/events?from=5` → 5)."""
    if href is None:
        return None
    values = parse_qs(urlsplit(href).query).get("from")
    return int(values[0]) if values and values[0].isdigit() else None


class _Linked(Payload):
    links: ListOrOne[Link] = Field(default=[], validation_alias=AliasChoices("link", "links"))

    def link(self, rel: str) -> str | None:
        """The bare href of the link with this rel (never pick links by position: the list grows)."""
        return next((link.href for link in self.links if link.rel == rel), None)

    @property
    def next_url(self) -> str | None:
        return self.link("next")

    @property
    def next_cursor(self) -> int | None:
        return cursor_of(self.next_url)


# --- events ---------------------------------------------------------------------------------------------------


class _Event(Payload):
    id: int = Field(alias="@id")  # a string of an increasing integer
    time: datetime | None = None


class StateEvent(_Event):
    type: Literal["state"] = Field(default="state", alias="@type")
    state: str  # waiting | chatting | ended; assumed: any other value is kept as it is, not an error


class LineEvent(_Event):
    type: Literal["line"] = Field(default="line", alias="@type")
    text: str = ""
    text_type: str = Field(default="plain", alias="textType")  # plain | html: render strictly by it
    by: str = ""  # a display name, or "info" on system lines
    source: str = ""  # visitor | agent | system
    system_message_id: int | None = Field(default=None, alias="systemMessageId")
    sub_type: str | None = Field(default=None, alias="subType")

    @property
    def is_html(self) -> bool:
        return self.text_type.lower() == "html"  # anything else (or nothing) is shown as plain text


class UrlEvent(_Event):
    type: Literal["url"] = Field(default="url", alias="@type")
    url: str | None = None  # assumed field name (undocumented; the sandbox sends `url`)


class A2aTransferEvent(_Event):
    type: Literal["a2a-transfer"] = Field(default="a2a-transfer", alias="@type")
    domain: str | None = None  # the target account's
    remote_site_id: Id | None = Field(default=None, alias="remoteSiteId")
    skill: str | None = None
    # Sent unchanged in a new chat request to the target account: kept as raw JSON.
    chat_request_parameters: dict[str, JsonValue] = Field(default={}, alias="chatRequestParameters")


class UnknownEvent(Payload):
    """An event of a type we do not handle (`line-status`, `collaboration`, …): kept, never an error."""

    model_config = ConfigDict(extra="allow")  # its other fields stay readable (model_extra), e.g. for logs

    id: Id | None = Field(default=None, alias="@id")
    type: str = Field(default="", alias="@type")
    time: datetime | None = None


_EVENT_TYPES = frozenset({"state", "line", "url", "a2a-transfer"})


def _event_kind(value: Any) -> str:
    kind = value.get("@type", value.get("type")) if isinstance(value, dict) else getattr(value, "type", None)
    return kind if kind in _EVENT_TYPES else "unknown"


Event = Annotated[
    Annotated[StateEvent, Tag("state")]
    | Annotated[LineEvent, Tag("line")]
    | Annotated[UrlEvent, Tag("url")]
    | Annotated[A2aTransferEvent, Tag("a2a-transfer")]
    | Annotated[UnknownEvent, Tag("unknown")],
    Discriminator(_event_kind),
]


class Events(_Linked):
    """`{"events": {"link": [self, next], "event": [...]}}`; `event` may be a lone object, or absent."""

    events: ListOrOne[Event] = Field(default=[], alias="event")


# --- info -----------------------------------------------------------------------------------------------------


class Info(_Linked):
    """`{"info": {...}}`; rels `self`, `visitor-name`, `visitor-typing`, `agent-typing`."""

    state: str | None = None
    chat_session_key: str | None = Field(default=None, alias="chatSessionKey")
    skill_name: str | None = Field(default=None, alias="skillName")
    skill_id: Id | None = Field(default=None, alias="skillId")
    agent_name: str | None = Field(default=None, alias="agentName")  # none while waiting
    agent_id: Id | None = Field(default=None, alias="agentId")
    start_time: datetime | None = Field(default=None, alias="startTime")
    duration: int | None = None
    last_update: datetime | None = Field(default=None, alias="lastUpdate")
    chat_timeout: int | None = Field(default=None, alias="chatTimeout")  # seconds after lastUpdate
    visitor_id: Id | None = Field(default=None, alias="visitorId")  # the numeric one for a later chat request
    agent_typing: str | None = Field(default=None, alias="agentTyping")  # typing | not-typing | unknown
    visitor_typing: str | None = Field(default=None, alias="visitorTyping")
    visitor_name: str | None = Field(default=None, alias="visitorName")
    rt_session_id: Id | None = Field(default=None, alias="rtSessionId")
    shark_visitor_id: str | None = Field(default=None, alias="sharkVisitorId")  # = LETagVisitorId
    shark_session_id: str | None = Field(default=None, alias="sharkSessionId")
    shark_context_id: Id | None = Field(default=None, alias="sharkContextId")
    engagement_id: Id | None = Field(default=None, alias="engagementId")
    campaign_id: Id | None = Field(default=None, alias="campaignId")
    language: str | None = None
    participant_id: str | None = Field(default=None, alias="participantId")  # authenticated chats only

    @property
    def is_agent_typing(self) -> bool:
        return self.agent_typing == "typing"


# --- chat resource --------------------------------------------------------------------------------------------


class ChatResource(_Linked):
    """`{"chat": {...}}`; rels `self`, `events`, `info`, `next` (events and info from `from`), `transcript-request`,
    `transcript-with-subject-request`, `exit-survey`, `custom-variables`, maybe `visit-session`."""

    events: Events = Events()
    info: Info | None = None


class ChatEnvelope(Payload):
    chat: ChatResource


class EventsEnvelope(Payload):
    events: Events


class InfoEnvelope(Payload):
    info: Info


# --- availability ---------------------------------------------------------------------------------------------


class Availability(Payload):
    availability: bool


class EstimatedWaitTime(Payload):
    estimated_wait_time: int = Field(alias="estimatedWaitTime")  # seconds; 0 free now, -1 nobody, -2 no data


class AvailableSlots(Payload):
    available_slots: int = Field(alias="availableSlots")  # -1 = unlimited


# --- small resources ------------------------------------------------------------------------------------------


class VisitorTyping(Payload):
    visitor_typing: Literal["typing", "not-typing"] = Field(alias="visitorTyping")


class AgentTyping(Payload):
    agent_typing: str = Field(alias="agentTyping")  # typing | not-typing | unknown


class VisitorName(Payload):
    visitor_name: str = Field(alias="visitorName")


class TranscriptRequest(Payload):
    """Bare on the `transcript-request` link, inside `{"transcriptRequest": …}` on the with-subject one."""

    email: str
    subject: str | None = None  # the with-subject link only
    timezone_offset: int | None = Field(default=None, alias="timezoneOffset")  # milliseconds, as [JSSDK] sends it


class NewLine(Payload):
    """The body of a visitor line, inside `{"event": …}` (the visitor sends no textType)."""

    type: Literal["line"] = Field(default="line", alias="@type")
    text: str


class NewState(Payload):
    """The body that ends a chat, inside `{"event": …}`."""

    type: Literal["state"] = Field(default="state", alias="@type")
    state: Literal["ended"] = "ended"


# --- chat request ---------------------------------------------------------------------------------------------


def _pre_chat_lines(value: object) -> object:
    # Documented `{"line": [...]}`; also `{"lines": [...]}` ([OLDSDK]) and a bare list, for lenient input.
    if isinstance(value, dict):
        value = value.get("line", value.get("lines"))
    return value


class ChatRequest(Payload):
    """The body of `chat/request`, inside `{"request": …}`."""

    skill: str | None = None  # a skill name
    skill_id: Id | None = Field(default=None, alias="skillId")  # [PM]/[SAMPLE] send the id instead
    max_wait_time: int | None = Field(default=None, ge=0, le=86400, alias="maxWaitTime")
    engagement_id: Id | None = Field(default=None, alias="engagementId")
    campaign_id: Id | None = Field(default=None, alias="campaignId")
    language: str | None = None
    le_tag_visitor_id: str | None = Field(default=None, alias="LETagVisitorId")
    le_tag_session_id: str | None = Field(default=None, alias="LETagSessionId")
    le_tag_context_id: Id | None = Field(default=None, alias="LETagContextId")
    visitor_id: Id | None = Field(default=None, alias="visitorId")  # info.visitorId of an earlier chat
    visitor_ip: str | None = Field(default=None, alias="visitorIp")
    pre_chat_lines: Annotated[ListOrOne[str], BeforeValidator(_pre_chat_lines)] | None = Field(
        default=None, alias="preChatLines"
    )
    # The pre-chat survey's answers (there is no separate submit), as `models.survey.SurveyAnswers.wire()` writes
    # them: raw JSON here, so the chat's models load without the survey's.
    survey: dict[str, JsonValue] | None = None
    chat_referrer: str | None = Field(default=None, alias="chatReferrer")
    user_agent: str | None = Field(default=None, alias="userAgent")
    interaction_timeout: int | None = Field(default=None, ge=1, alias="interactionTimeout")  # server default 40 s
    participant_id: str | None = Field(default=None, alias="participantId")  # from conversation.json
    conversation_id: str | None = Field(default=None, alias="conversationId")  # from conversation.json
    agent: str | None = None  # an agent's login name
    service_queue: str | None = Field(default=None, alias="serviceQueue")

    @model_validator(mode="after")
    def _documented_combinations(self) -> ChatRequest:
        if self.agent is not None and (
            self.skill is not None or self.service_queue is not None or self.max_wait_time is not None
        ):
            raise ValueError("agent excludes skill, serviceQueue and maxWaitTime")
        if self.service_queue is not None and self.max_wait_time is None:
            raise ValueError("serviceQueue needs maxWaitTime")
        return self

    @field_serializer("pre_chat_lines", when_used="unless-none")
    def _wrap_lines(self, lines: list[str]) -> dict[str, list[str]]:
        return {"line": lines}

    @classmethod
    def for_engagement(cls, session: EngagementSession, **fields: Any) -> ChatRequest:
        """The engagement's facts in the fields LivePerson expects: `visitorId` → `LETagVisitorId`,
        `sessionId` → `LETagSessionId`, `engagementDetails.{contextId, engagementId, campaignId, language,
        skillName}` → `LETagContextId`, `engagementId`, `campaignId`, `language`, `skill`; `fields` add or win."""
        details = session.engagement_details
        if details is None:
            raise ValueError("the engagement is not available: it has no engagementDetails")
        return cls.model_validate(
            {
                "le_tag_visitor_id": session.visitor_id,
                "le_tag_session_id": session.session_id,
                "le_tag_context_id": details.context_id,
                "engagement_id": details.engagement_id,
                "campaign_id": details.campaign_id,
                "language": details.language,
                "skill": details.skill_name,
                **fields,
            }
        )
