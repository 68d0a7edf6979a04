"""The sandbox's OpenAPI description, made from its route table and the pydantic models that read each body, so it
says what the code does. Served at `/sandbox/openapi.json` for brand QA's own tools; the contract tests fuzz the
sandbox from it (schemathesis).

Paths and methods come from the app's routes; what each operation takes and answers comes from OPERATIONS, keyed by
the route's endpoint: its query parameters, its body's model (whose JSON schema is the body's), its success. The
host, the error shape and the refusals follow from the API the path belongs to. A route of an API path missing from
OPERATIONS is still listed, with its path parameters and any answer (a contract test keeps all of LivePerson's
described). Pages for people (`/console`, `/console/funnel`, `/brand/…`) and static files are not APIs and are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue, models_json_schema
from pydantic_core import core_schema
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from sandbox import agent_console, app_engagement, chat_api, chat_resource, chat_surveys, control, csds
from sandbox.bodies import MAX_BODY_BYTES, MAX_DEPTH
from sandbox.config import AccountSettings, SandboxHosts
from sandbox.context import hosts_of
from sandbox.whole_numbers import MOST_DIGITS

PATH = "/sandbox/openapi.json"

Api = Literal["csds", "engagement", "chat", "console", "control"]
COMPONENTS = "#/components/schemas/"


@dataclass(frozen=True)
class Operation:
    summary: str
    success: int = 200
    answer: dict[str, Any] | None = None  # the success body's JSON schema; None: empty
    body: type[BaseModel] | None = None  # the model that reads the body
    query: tuple[dict[str, Any], ...] = ()
    location: bool = False  # the success answer names what it made in `Location`
    refusals: tuple[int, ...] = ()  # beyond those of its API


def _query(name: str, schema: dict[str, Any], description: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


def _keyed(key: str, value: dict[str, Any] | None = None) -> dict[str, Any]:
    """An object with this one member (LivePerson's answers wrap their content in a named member)."""
    return {"type": "object", "required": [key], "properties": {key: value or {}}}


_OBJECT: dict[str, Any] = {"type": "object"}
_TYPING: dict[str, Any] = {"type": "string", "enum": ["typing", "not-typing"]}
_BASE_URI = {
    "type": "object",
    "required": ["service", "account", "baseURI"],
    "properties": {"service": {"type": "string"}, "account": {"type": "string"}, "baseURI": {"type": "string"}},
}
_SKILL = _query("skill", {"type": "string"}, "a skill's name or id (default: the account's first skill)")
_MAX_WAIT = _query(
    "maxWaitTime", {"type": "integer", "minimum": 0, "maximum": 86400}, "seconds the visitor would wait for an agent"
)
_FROM = _query(
    "from",
    {"type": "integer", "minimum": 0, "maximum": 10**MOST_DIGITS - 1},
    "the first event id to list (inclusive)",
)
_SID = _query("sid", {"type": "string"}, "the session id Create Session answered")


async def get_description(request: Request) -> JSONResponse:
    return JSONResponse(describe(request.app.routes, request.url.scheme, hosts_of(request)))


routes = [Route(PATH, get_description, methods=["GET"])]

OPERATIONS: dict[Callable[..., Any], Operation] = {
    csds.one_service: Operation("Domain lookup: the host of one service", answer=_BASE_URI),
    csds.all_services: Operation(
        "Domain lookup: the hosts of every service", answer=_keyed("baseURIs", {"type": "array", "items": _BASE_URI})
    ),
    app_engagement.create_session: Operation(
        "App Engagement: Create Session (a new visitor, or a known visitor's new page)",
        answer={"type": "object", "required": ["status", "sessionId", "visitorId", "pageId"]},
        body=app_engagement.CreateSessionBody,
        query=(_SID,),
        refusals=(500,),
    ),
    app_engagement.update_session: Operation(
        "App Engagement: Update Session (engagement attributes, impressions)",
        body=app_engagement.UpdateSessionBody,
        query=({**_SID, "required": True},),
    ),
    chat_api.account_root: Operation(
        "The account's root resource: links to its chat services", answer=_keyed("account")
    ),
    chat_api.availability: Operation("Is an agent available", answer=_keyed("availability"), query=(_SKILL, _MAX_WAIT)),
    chat_api.available_slots: Operation(
        "Free agent slots (-1: any number)", answer=_keyed("availableSlots"), query=(_SKILL, _MAX_WAIT)
    ),
    chat_api.estimated_wait_time: Operation(
        "Estimated wait in seconds (-1: nobody online, -2: not known)",
        answer=_keyed("estimatedWaitTime"),
        query=(_SKILL,),
    ),
    chat_api.request_chat: Operation("Start a chat", success=201, body=chat_api.ChatRequestEnvelope, location=True),
    chat_api.open_conversation: Operation(
        "Authenticated chat: open a conversation with the consumer's ssoKey",
        answer={"type": "object", "required": ["participantId", "conversationId"]},
        body=chat_api.ConversationBody,
    ),
    chat_surveys.get_prechat_survey: Operation("The pre-chat survey", answer=_keyed("survey")),
    chat_surveys.get_offline_survey: Operation("The offline survey", answer=_keyed("survey")),
    chat_surveys.submit_offline_survey: Operation("Submit the offline survey", body=chat_surveys.SurveyAnswersEnvelope),
    chat_surveys.get_exit_survey: Operation("The exit survey (once the chat ended)", answer=_keyed("survey")),
    chat_surveys.submit_exit_survey: Operation(
        "Submit the exit survey (once the chat ended)", body=chat_surveys.SurveyAnswersEnvelope
    ),
    chat_surveys.request_transcript: Operation("Email the transcript", body=chat_surveys.TranscriptBody),
    chat_surveys.request_transcript_with_subject: Operation(
        "Email the transcript with a subject", body=chat_surveys.TranscriptEnvelope
    ),
    chat_resource.get_chat: Operation("The chat: links, events and info", answer=_keyed("chat"), query=(_FROM,)),
    chat_resource.get_events: Operation("The chat's events", answer=_keyed("events"), query=(_FROM,)),
    chat_resource.post_event: Operation(
        "Add a visitor line, or end the chat", success=201, body=chat_resource.EventEnvelope, location=True
    ),
    chat_resource.get_event: Operation("One event", answer=_keyed("event")),
    chat_resource.get_info: Operation("The chat's info", answer=_keyed("info")),
    chat_resource.get_visitor_typing: Operation("Is the visitor typing", answer=_keyed("visitorTyping", _TYPING)),
    chat_resource.put_visitor_typing: Operation("Set the visitor's typing", body=chat_resource.VisitorTypingBody),
    chat_resource.get_visitor_name: Operation("The visitor's name", answer=_keyed("visitorName")),
    chat_resource.put_visitor_name: Operation("Set the visitor's name", body=chat_resource.VisitorNameBody),
    chat_resource.get_agent_typing: Operation("Is the agent typing", answer=_keyed("agentTyping", _TYPING)),
    agent_console.list_chats: Operation("Waiting and active chats of every account", answer=_keyed("chats")),
    agent_console.chat_detail: Operation("A chat as the agent sees it", answer=_OBJECT),
    agent_console.accept: Operation("Accept a waiting chat", success=204, body=agent_console.AcceptBody),
    agent_console.send_line: Operation("Send an agent line", success=204, body=agent_console.AgentLineBody),
    agent_console.push_url: Operation("Push a page to the visitor", success=204, body=agent_console.PushUrlBody),
    agent_console.transfer: Operation(
        "Transfer to an agent, a skill, or a skill of another account", success=204, body=agent_console.TransferBody
    ),
    agent_console.set_typing: Operation("Set the agent's typing", success=204, body=agent_console.AgentTypingBody),
    agent_console.end: Operation("End the chat as the agent", success=204),
    control.get_settings: Operation("The account's settings", answer={"$ref": COMPONENTS + "AccountSettings"}),
    control.put_settings: Operation(
        "Change some of the account's settings (the fields sent; the result is validated whole)",
        answer={"$ref": COMPONENTS + "AccountSettings"},
        body=AccountSettings,
    ),
    control.get_state: Operation(
        "What happened in the account: chats, sessions, surveys, request counts", answer=_OBJECT
    ),
    control.get_funnel: Operation("Funnel counts per engagement", answer=_keyed("engagements")),
    control.time_out: Operation("End a chat as its idle timeout does, without the wait", success=204),
    get_description: Operation("This description (OpenAPI 3.1)", answer=_OBJECT),
}


def _api(path: str) -> Api | None:
    """The API a path belongs to, which decides its host, its error shape and its refusals; None for a page."""
    if path.startswith("/csdr/") or "/service/" in path:
        return "csds"
    if "/app/engagement/" in path:
        return "engagement"
    if path.startswith("/api/"):
        return "chat"
    if path.startswith("/console/api/"):
        return "console"
    if path.startswith("/sandbox/"):
        return "control"
    return None


def _servers(api: Api, scheme: str, hosts: SandboxHosts) -> list[dict[str, str]]:
    """Each LivePerson service answers on its own host; CSDS and the sandbox's own APIs on both."""
    main, chat = {"url": f"{scheme}://{hosts.main}"}, {"url": f"{scheme}://{hosts.chat}"}
    return {"engagement": [main], "chat": [chat]}.get(api, [main, chat])


_VERSION = {
    "csds": _query("version", {"type": "string", "enum": ["1.0"]}, "the API's version", required=True),
    "engagement": _query("v", {"type": "string", "enum": ["1.0"]}, "the API's version", required=True),
    "chat": _query("v", {"type": "string", "enum": ["1"]}, "the API's version", required=True),
}
_NO_CACHE = _query("NC", {"type": "string"}, "a cache breaker browser clients send (ignored)")

_REFUSALS = {
    400: "Bad request: a missing or wrong version, parameter or body (the message says which)",
    401: "Chat API: no app key, or one the account does not take; App Engagement: a session that is not the visitor's",
    403: "Asked by a page of another origin (the sandbox's own APIs answer their own origin only)",
    404: "No such chat, event, survey or service (also: the path asked on the other LivePerson host)",
    413: f"A body larger than {MAX_BODY_BYTES} bytes, refused before it is read",
    415: "A body not sent as Content-Type: application/json",
    421: "A Host header that is not one of the sandbox's names",
    429: "Polled faster than the account's min_poll_interval_seconds (see Retry-After)",
    500: 'Create Session only, while the account\'s loading_account_calls last: "Loading account" (internalCode 20)',
}


def _refusals(api: Api, method: str, path: str, operation: Operation | None) -> list[int]:
    statuses = {400, 404, 413, 421}
    if api in ("engagement", "chat"):
        statuses.add(401)
    if api in ("console", "control"):
        statuses.add(403)
    if operation is None or operation.body is not None:
        statuses.add(415)
    if api == "chat" and method == "GET" and "{chat_id}" in path:
        statuses.add(429)
    return sorted(statuses | set(operation.refusals if operation else ()))


def _error_schema(api: Api) -> dict[str, Any]:
    return {"$ref": COMPONENTS + ("EngagementError" if api in ("csds", "engagement") else "ChatApiError")}


def _success(operation: Operation) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": "Done"}
    if operation.answer is not None:
        answer["content"] = {"application/json": {"schema": operation.answer}}
    if operation.location:
        answer["headers"] = {
            "Location": {"required": True, "description": "the new resource", "schema": {"type": "string"}}
        }
    return answer


def _operation(api: Api, method: str, route: Route, operation: Operation | None) -> dict[str, Any]:
    path_parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
        for name in route.param_convertors
    ]
    described: dict[str, Any] = {"summary": operation.summary if operation else f"{route.name} (not described yet)"}
    described["parameters"] = [
        *path_parameters,
        *([_VERSION[api]] if api in _VERSION else []),
        *([_NO_CACHE] if api == "chat" else []),
        *(operation.query if operation else ()),
    ]
    if api == "chat":
        described["security"] = [{"appKey": []}, {"appKeyInQuery": []}]
    if operation is not None and operation.body is not None:
        schema = {"$ref": COMPONENTS + operation.body.__name__}
        described["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    responses: dict[str, Any] = (
        {str(operation.success): _success(operation)} if operation else {"default": {"description": "Any answer"}}
    )
    for status in _refusals(api, method, route.path, operation):
        content = {"application/json": {"schema": _error_schema(api)}}
        responses[str(status)] = {"description": _REFUSALS[status], "content": content}
    described["responses"] = responses
    return described


_ERROR_FIELDS = {"message": {"type": "string"}, "internalCode": {"type": "integer"}}
_ERRORS = {
    "EngagementError": {
        "description": "App Engagement's (and, assumed, CSDS's) error: unwrapped, the time in epoch ms",
        "type": "object",
        "required": ["time", "message", "internalCode"],
        "properties": {"time": {"type": "integer"}, **_ERROR_FIELDS},
    },
    "ChatApiError": {
        "description": "The Chat API's (and the sandbox's own APIs') error: wrapped, the time in ISO 8601",
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["time", "message", "internalCode"],
                "properties": {"time": {"type": "string"}, **_ERROR_FIELDS},
            }
        },
    },
}

_INFO = {
    "title": "LivePerson sandbox",
    "version": "1",
    "description": (
        "LivePerson's domain lookup (CSDS), App Engagement and legacy Chat API as this sandbox serves them, and the "
        "sandbox's own agent console and control APIs (docs/sandbox.md in the project). Each path names the host it "
        "answers on. On LivePerson's paths a `.json` suffix and a trailing slash are accepted, and POST with "
        "`X-HTTP-Method-Override: PUT` (or `DELETE`) is that method. Bodies are JSON (`Content-Type: "
        f"application/json`), UTF-8, at most {MAX_BODY_BYTES} bytes and {MAX_DEPTH} levels deep, with no NaN or "
        "Infinity. With an account's `quirks` setting, numbers and booleans in answers come as strings and a lone "
        "event or survey question as an object."
    ),
}
_SECURITY_SCHEMES = {
    "appKey": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "`LivePerson appKey=<key>` (or the bare key)",
    },
    "appKeyInQuery": {"type": "apiKey", "in": "query", "name": "appKey"},
}


class _LaxModeSchema(GenerateJsonSchema):
    """The body models read JSON in pydantic's lax mode (Decisions: lenient input; LivePerson's JSON is born of XML):
    a number may come as text (`"5"`), an integer as a whole float or a boolean, a boolean as 0, 1 or text
    (`"true"`). The description says so, lest a tool expect `"5"` refused where an integer is asked."""

    def int_schema(self, schema: core_schema.IntSchema) -> JsonSchemaValue:
        return {**super().int_schema(schema), "type": ["integer", "number", "boolean", "string"]}

    def float_schema(self, schema: core_schema.FloatSchema) -> JsonSchemaValue:
        return {**super().float_schema(schema), "type": ["number", "boolean", "string"]}

    def bool_schema(self, schema: core_schema.BoolSchema) -> JsonSchemaValue:
        return {**super().bool_schema(schema), "type": ["boolean", "number", "string"]}


def _body_schemas() -> dict[str, Any]:
    models = {operation.body for operation in OPERATIONS.values() if operation.body is not None}
    _, schemas = models_json_schema(
        [(model, "validation") for model in sorted(models, key=lambda model: model.__name__)],
        ref_template=COMPONENTS + "{model}",
        schema_generator=_LaxModeSchema,
    )
    definitions: dict[str, Any] = schemas["$defs"]
    return definitions


def describe(routes: list[BaseRoute], scheme: str, hosts: SandboxHosts) -> dict[str, Any]:
    """The OpenAPI 3.1 description of these routes, as served over `scheme` on these hosts."""
    paths: dict[str, Any] = {}
    for route in routes:
        api = _api(route.path) if isinstance(route, Route) else None
        if api is None or not isinstance(route, Route):
            continue
        item = paths.setdefault(route.path, {"servers": _servers(api, scheme, hosts)})
        operation = OPERATIONS.get(route.endpoint)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            item[method.lower()] = _operation(api, method, route, operation)
    return {
        "openapi": "3.1.0",
        "info": _INFO,
        "servers": [{"url": f"{scheme}://{hosts.main}"}],
        "paths": paths,
        "components": {
            "schemas": {**_body_schemas(), **_ERRORS},
            "securitySchemes": _SECURITY_SCHEMES,
        },
    }
