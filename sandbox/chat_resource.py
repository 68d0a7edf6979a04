"""Chat API, one chat ([SCA]): the chat resource, its events and its info with typing and visitor name."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox.bodies import parse_body
from sandbox.chat import Chat, Typing
from sandbox.chat_common import chat_account, chat_json, chat_of, chat_url
from sandbox.errors import NOT_FOUND, Refusal
from sandbox.whole_numbers import whole_number

# The documented order of the chat's links: some clients read them by position.
CHAT_LINKS = (
    ("self", ""),
    ("events", "/events"),
    ("info", "/info"),
    ("next", "?from={next}"),
    ("transcript-request", "/transcriptRequest"),
    ("transcript-with-subject-request", "/transcriptWithSubjectRequest"),
    ("exit-survey", "/exitSurvey"),
    ("custom-variables", "/customVariables"),  # deprecated, "not supported": listed, not served
)
INFO_LINKS = (
    ("self", ""),
    ("visitor-name", "/visitorName"),
    ("visitor-typing", "/visitorTyping"),
    ("agent-typing", "/agentTyping"),
)


class LineEventBody(BaseModel):
    type: Literal["line"] = Field(alias="@type")
    text: str = Field(min_length=1)
    textType: str | None = None  # the visitor's text reaches the agent as text whatever it claims


class EndEventBody(BaseModel):
    type: Literal["state"] = Field(alias="@type")
    state: Literal["ended"]


class EventEnvelope(BaseModel):
    # One event per POST: a list here is a 400, as is any other @type.
    event: Annotated[LineEventBody | EndEventBody, Field(discriminator="type")]


class VisitorTypingBody(BaseModel):
    visitorTyping: Typing


class VisitorNameBody(BaseModel):
    visitorName: str


def _first_event(request: Request) -> int:
    raw = request.query_params.get("from", "0")
    first = whole_number(raw)
    if first is None:
        raise Refusal(400, f"Bad 'from': {raw}")
    return first


def _events_block(chat: Chat, url: str, first: int) -> dict[str, Any]:
    events = chat.events_from(first)
    next_id = max(first, len(chat.events))  # the last id + 1; `from` itself when nothing is new
    return {
        "link": [{"@href": f"{url}/events", "@rel": "self"}, {"@href": f"{url}/events?from={next_id}", "@rel": "next"}],
        "event": events,
    }


def _info_block(chat: Chat, url: str, embedded: bool) -> dict[str, Any]:
    """Inside the chat resource the links are `@href`/`@rel` (as everywhere else, [SCA] retrieve-chat-resources;
    production clients read `chat.info.link[i]['@href']`); only the separately fetched info resource uses
    `href`/`rel` ([SCA] retrieve-chat-information)."""
    href, rel = ("@href", "@rel") if embedded else ("href", "rel")
    facts = chat.facts
    info: dict[str, Any] = {
        "link": [{href: f"{url}/info{path}", rel: name} for name, path in INFO_LINKS],
        "state": chat.state,
        "chatSessionKey": chat.chat_id,
        "skillName": chat.skill.name,
        "skillId": chat.skill.id,
    }
    if chat.state != "waiting" and chat.agent_name is not None:
        info |= {"agentName": chat.agent_name, "agentId": chat.agent_id}
    info |= {
        "startTime": chat.start_time,
        "duration": chat.duration_seconds(),
        "lastUpdate": chat.last_update,
        "chatTimeout": facts.interaction_timeout,
        "visitorId": facts.visitor_id,
        "agentTyping": chat.agent_typing,
        "visitorTyping": chat.visitor_typing,
        "visitorName": chat.visitor_name,
        "rtSessionId": chat.rt_session_id,
        "sharkVisitorId": facts.shark_visitor_id,
        "sharkSessionId": facts.shark_session_id,
        "sharkContextId": facts.shark_context_id,
        "engagementId": facts.engagement_id,
        "campaignId": facts.campaign_id,
        "language": facts.language,
        "participantId": facts.participant_id,  # authenticated chats only
    }
    return {key: value for key, value in info.items() if value is not None}


async def get_chat(request: Request) -> JSONResponse:
    account = chat_account(request)
    chat = chat_of(request, account)
    first = _first_event(request)
    url = chat_url(request, account, chat)
    next_id = max(first, len(chat.events))
    links = [{"@href": url + path.format(next=next_id), "@rel": rel} for rel, path in CHAT_LINKS]
    body = {
        "chat": {
            "link": links,
            "events": _events_block(chat, url, first),
            "info": _info_block(chat, url, embedded=True),
        }
    }
    return chat_json(account, body)


async def get_events(request: Request) -> JSONResponse:
    account = chat_account(request)
    chat = chat_of(request, account)
    return chat_json(account, {"events": _events_block(chat, chat_url(request, account, chat), _first_event(request))})


async def get_event(request: Request) -> JSONResponse:
    """assumed: the URL in an event POST's Location is readable."""
    account = chat_account(request)
    chat = chat_of(request, account)
    event_id = whole_number(request.path_params["event_id"])
    if event_id is None or event_id >= len(chat.events):
        raise Refusal(404, f"No event {request.path_params['event_id']}", NOT_FOUND)
    return chat_json(account, {"event": chat.events[event_id]})


async def post_event(request: Request) -> Response:
    account = chat_account(request)
    chat = chat_of(request, account)
    event = (await parse_body(request, EventEnvelope)).event
    added = chat.visitor_line(event.text) if isinstance(event, LineEventBody) else chat.end_by_visitor()
    return Response(status_code=201, headers={"Location": f"{chat_url(request, account, chat)}/events/{added['@id']}"})


async def get_info(request: Request) -> JSONResponse:
    account = chat_account(request)
    chat = chat_of(request, account)
    return chat_json(account, {"info": _info_block(chat, chat_url(request, account, chat), embedded=False)})


async def get_visitor_typing(request: Request) -> JSONResponse:
    account = chat_account(request)
    return chat_json(account, {"visitorTyping": chat_of(request, account).visitor_typing})


async def put_visitor_typing(request: Request) -> Response:
    account = chat_account(request)
    chat = chat_of(request, account)
    chat.set_visitor_typing((await parse_body(request, VisitorTypingBody)).visitorTyping)
    return Response(status_code=200)


async def get_visitor_name(request: Request) -> JSONResponse:
    account = chat_account(request)
    return chat_json(account, {"visitorName": chat_of(request, account).visitor_name})


async def put_visitor_name(request: Request) -> Response:
    account = chat_account(request)
    chat = chat_of(request, account)
    chat.visitor_name = (await parse_body(request, VisitorNameBody)).visitorName
    # 200, not the 201 of the docs' table: a production client ([CAFEX-JS]) ends the chat on anything else.
    return Response(status_code=200)


async def get_agent_typing(request: Request) -> JSONResponse:
    account = chat_account(request)
    return chat_json(account, {"agentTyping": chat_of(request, account).agent_typing})


_CHAT = "/api/account/{acct}/chat/{chat_id}"
routes = [
    Route(_CHAT, get_chat, methods=["GET"]),
    Route(_CHAT + "/events", get_events, methods=["GET"]),
    Route(_CHAT + "/events", post_event, methods=["POST"]),
    Route(_CHAT + "/events/{event_id}", get_event, methods=["GET"]),
    Route(_CHAT + "/info", get_info, methods=["GET"]),
    Route(_CHAT + "/info/visitorTyping", get_visitor_typing, methods=["GET"]),
    Route(_CHAT + "/info/visitorTyping", put_visitor_typing, methods=["PUT"]),
    Route(_CHAT + "/info/visitorName", get_visitor_name, methods=["GET"]),
    Route(_CHAT + "/info/visitorName", put_visitor_name, methods=["PUT"]),
    Route(_CHAT + "/info/agentTyping", get_agent_typing, methods=["GET"]),
]
