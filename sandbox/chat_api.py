"""Chat API, account level ([SCA]): account root, availability, slots, wait time, chat request, conversation.json."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from pydantic import AliasChoices, BaseModel, Field, field_validator, model_validator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox import routing
from sandbox.authentication_connector import AuthenticationFailed
from sandbox.bodies import parse_body, read_json
from sandbox.chat import Chat, ChatFacts, Skill, new_chat_id
from sandbox.chat_common import account_url, chat_account, chat_json, chat_url
from sandbox.config import SkillDefinition
from sandbox.context import agents_of, chat_api_origin, openid_providers_of, store_of
from sandbox.errors import Refusal
from sandbox.store import Account, Conversation, Store
from sandbox.surveys import SurveyAnswersBody, answer_problem
from sandbox.whole_numbers import whole_number


class PreChatLinesBody(BaseModel):
    # Decision "lenient input": `line` per [SCA], `lines` per [OLDSDK]; one line may come as a plain string.
    line: list[str] = Field(validation_alias=AliasChoices("line", "lines"))

    @field_validator("line", mode="before", json_schema_input_type=list[str] | str)
    @classmethod
    def _lone_line(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class ChatRequestBody(BaseModel):
    # assumed: unknown fields (ssoKey of legacy SSO, …) are accepted and ignored.
    skill: str | int | None = None  # a name in [SCA]; [SAMPLE] sends the engagement's skillId here
    skillId: int | str | None = None  # [PM], #97
    serviceQueue: str | None = None
    agent: str | None = None
    maxWaitTime: int | None = Field(None, ge=0, le=86400)
    engagementId: int | str | None = None
    campaignId: int | str | None = None
    language: str | None = None
    LETagVisitorId: str | None = None
    LETagSessionId: str | None = None
    LETagContextId: int | str | None = None
    visitorId: int | None = None
    visitorIp: str | None = None
    chatReferrer: str | None = None
    userAgent: str | None = None
    preChatLines: PreChatLinesBody | None = None
    survey: SurveyAnswersBody | None = None
    interactionTimeout: int = Field(40, gt=0)
    participantId: str | None = None
    conversationId: str | None = None
    # An a2a-transfer event's chatRequestParameters, sent unchanged ([SCA] retrieve-chat-events).
    a2aEventId: int | str | None = None
    a2aSourceSessionId: int | str | None = None
    a2aSourceSiteId: int | str | None = None

    @model_validator(mode="after")
    def _documented_combinations(self) -> ChatRequestBody:
        if self.agent and (self.skill is not None or self.skillId is not None or self.serviceQueue is not None):
            raise ValueError("agent excludes skill and serviceQueue")
        if self.agent and self.maxWaitTime is not None:
            raise ValueError("agent excludes maxWaitTime")
        if self.serviceQueue is not None and self.maxWaitTime is None:
            raise ValueError("serviceQueue needs maxWaitTime")
        if (self.participantId is None) != (self.conversationId is None):
            raise ValueError("participantId and conversationId go together")
        a2a = (self.a2aEventId, self.a2aSourceSessionId, self.a2aSourceSiteId)
        if any(value is not None for value in a2a) and any(value is None for value in a2a):
            raise ValueError("a2aEventId, a2aSourceSessionId and a2aSourceSiteId go together")
        return self


class ChatRequestEnvelope(BaseModel):
    request: ChatRequestBody


class ConversationBody(BaseModel):
    authChatConnId: int | str
    ssoKey: str = Field(min_length=1)  # a code (code flow) or an id_token (implicit flow)
    redirectUri: str | None = None
    engagementId: int | str | None = None
    LETagContextId: int | str | None = None
    LETagSessionId: str | None = None
    LETagVisitorId: str | None = None


async def account_root(request: Request) -> JSONResponse:
    """Undocumented, but LivePerson's own SDK starts here ([OLDSDK])."""
    account = chat_account(request)
    chat_base = account_url(request, account) + "/chat"
    rels = {
        "chat-request": "request",
        "chat-availability": "availability",
        "chat-available-slots": "availableSlots",
        "chat-estimatedWaitTime": "estimatedWaitTime",
        "prechat-survey": "preSurvey",
        "chat-offline-survey": "offlineSurvey",
    }
    links = [{"@href": f"{chat_base}/{path}", "@rel": rel} for rel, path in rels.items()]
    return chat_json(account, {"account": {"link": links}})


def _skill_named(
    account: Account, skill: str | int | None, skill_id: int | str | None = None
) -> SkillDefinition | None:
    """A skill by name or id; no skill at all (or #97's `skillId: -1`) means the account's default skill."""
    if skill_id is not None and str(skill_id) == "-1":
        skill_id = None
    if skill is None and skill_id is None:
        return account.settings.skill()
    by_name = account.settings.skill(str(skill)) if skill is not None else None
    return by_name or account.settings.skill(skill_id=skill if skill_id is None else skill_id)


def _max_wait_time(request: Request) -> int | None:
    raw = request.query_params.get("maxWaitTime")
    if raw is None:
        return None
    seconds = whole_number(raw)
    if seconds is None or seconds > 86400:
        raise Refusal(400, "maxWaitTime must be between 0 and 86400")
    return seconds


def _queried_skill(request: Request, account: Account) -> SkillDefinition | None:
    return _skill_named(account, request.query_params.get("skill"))


async def availability(request: Request) -> JSONResponse:
    account = chat_account(request)
    answer = routing.availability(account, _queried_skill(request, account), _max_wait_time(request))
    return chat_json(account, {"availability": answer})


async def available_slots(request: Request) -> JSONResponse:
    account = chat_account(request)
    _max_wait_time(request)  # assumed: checked, but the free slots are the same for any wait
    return chat_json(account, {"availableSlots": routing.available_slots(account, _queried_skill(request, account))})


async def estimated_wait_time(request: Request) -> JSONResponse:
    account = chat_account(request)
    seconds = routing.estimated_wait_time(account, _queried_skill(request, account))
    return chat_json(account, {"estimatedWaitTime": seconds})


def _checked_conversation(account: Account, request: ChatRequestBody) -> str | None:
    if request.participantId is None:
        return None
    conversation = account.conversations.get(request.participantId)
    if conversation is None or conversation.conversation_id != request.conversationId:
        raise Refusal(400, "Unknown participantId/conversationId: open one with conversation.json")
    return conversation.participant_id


def _checked_survey(account: Account, answers: SurveyAnswersBody | None) -> None:
    if answers is None:
        return
    survey = account.settings.prechat_survey
    problem = "The account has no pre-chat survey" if survey is None else answer_problem(survey, answers)
    if problem:
        raise Refusal(400, problem)


def _checked_a2a_transfer(store: Store, account: Account, request: ChatRequestBody) -> None:
    """The parameters of an a2a-transfer must be those the source chat's event gave (assumed: else 400)."""
    if request.a2aEventId is None:
        return
    source = store.account(str(request.a2aSourceSiteId))
    for chat in source.chats.values():
        if str(chat.rt_session_id) != str(request.a2aSourceSessionId):
            continue
        event_id = whole_number(str(request.a2aEventId))
        event = chat.events[event_id] if event_id is not None and event_id < len(chat.events) else None
        if event and event["@type"] == "a2a-transfer" and str(event["remoteSiteId"]) == account.account_id:
            return
    raise Refusal(400, "Unknown a2a-transfer: send the event's chatRequestParameters unchanged")


def _requested_skill(account: Account, request: ChatRequestBody) -> SkillDefinition:
    skill = _skill_named(account, request.skill, request.skillId)
    if skill is None:  # assumed: LivePerson's docs do not say; a wrong skill should not go unnoticed
        raise Refusal(400, f"Unknown skill: {request.skill if request.skill is not None else request.skillId}")
    return skill


async def request_chat(request: Request) -> Response:
    account = chat_account(request)
    body = await parse_body(request, ChatRequestEnvelope)
    chat_request = body.request
    _checked_survey(account, chat_request.survey)
    _checked_a2a_transfer(store_of(request), account, chat_request)
    skill = _requested_skill(account, chat_request)
    settings = account.settings
    facts = ChatFacts(
        engagement_id=chat_request.engagementId,
        campaign_id=chat_request.campaignId,
        language=chat_request.language or settings.language,
        visitor_id=chat_request.visitorId or 10**15 + secrets.randbelow(9 * 10**15),
        shark_visitor_id=chat_request.LETagVisitorId,
        shark_session_id=chat_request.LETagSessionId,
        shark_context_id=chat_request.LETagContextId,
        interaction_timeout=chat_request.interactionTimeout,
        max_wait_time=chat_request.maxWaitTime,
        pre_chat_lines=chat_request.preChatLines.line if chat_request.preChatLines else [],
        request=(await read_json(request))["request"],
        participant_id=_checked_conversation(account, chat_request),
    )
    online = routing.is_online(account, skill)
    if chat_request.maxWaitTime == 0 and not routing.can_take_now(account, skill):
        online = False  # assumed: "0 for immediate availability", so no agent free now means no chat
    chat = Chat(new_chat_id(), account.account_id, facts, Skill(skill.name, skill.id), store_of(request).clock)
    account.chats[chat.chat_id] = chat
    chat.open(agents_online=online)
    if online and settings.agent_mode == "scripted":
        agents_of(request).start(account, chat, chat_api_origin(request))
    return Response(status_code=201, headers={"Location": chat_url(request, account, chat)})


async def _verified_claims(request: Request, account: Account, body: ConversationBody) -> dict[str, Any] | None:
    """The consumer's verified claims, or None when the account has no connector to check the ssoKey with.
    A failed check is a 401 (assumed: #59 saw 401 for a conversation.json with a JWT LivePerson would not take; its
    code is undocumented, 5 as for other client errors), never a 5xx, even when the provider is down."""
    connector = account.settings.authentication_connector
    if connector is None:
        return None
    clock = store_of(request).clock
    try:
        return await openid_providers_of(request).verified_claims(
            connector, body.ssoKey, body.redirectUri, now=lambda: int(clock.now().timestamp())
        )
    except AuthenticationFailed as exc:
        raise Refusal(401, f"Authentication failed: {exc}") from exc


async def open_conversation(request: Request) -> JSONResponse:
    """Authenticated chat (step 6): 200 with JSON (Decisions: create calls)."""
    account = chat_account(request)
    body = await parse_body(request, ConversationBody)
    settings = account.settings
    if not settings.authenticated_engagement:
        raise Refusal(400, "The engagement is not authenticated")
    if str(body.authChatConnId) != str(settings.connector_id):
        raise Refusal(400, f"authChatConnId {body.authChatConnId} is not the engagement's connectorId")
    claims = await _verified_claims(request, account, body)
    conversation = Conversation(
        str(uuid.uuid4()), str(uuid.uuid4()), str(body.authChatConnId), body.ssoKey, claims=claims
    )
    account.conversations[conversation.participant_id] = conversation
    reply: dict[str, Any] = {
        "participantId": conversation.participant_id,
        "conversationId": conversation.conversation_id,
    }
    return chat_json(account, reply)


_CHAT = "/api/account/{acct}/chat"
routes = [
    Route("/api/account/{acct}", account_root, methods=["GET"]),
    Route(_CHAT + "/availability", availability, methods=["GET"]),
    Route(_CHAT + "/availableSlots", available_slots, methods=["GET"]),
    Route(_CHAT + "/estimatedWaitTime", estimated_wait_time, methods=["GET"]),
    Route(_CHAT + "/request", request_chat, methods=["POST"]),
    Route("/api/account/{acct}/conversation", open_conversation, methods=["POST"]),
]
