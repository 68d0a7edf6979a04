"""The sandbox's own control API for tests: switch an account's settings, read back what happened."""

from __future__ import annotations

from dataclasses import asdict

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox.bodies import read_json
from sandbox.chat_summary import details
from sandbox.config import AccountSettings
from sandbox.context import store_of
from sandbox.errors import NOT_FOUND, Refusal
from sandbox.fault_api import faults_of
from sandbox.funnel import funnel


async def get_settings(request: Request) -> JSONResponse:
    account = store_of(request).account(request.path_params["acct"])
    return JSONResponse(account.settings.model_dump(mode="json"))


async def put_settings(request: Request) -> JSONResponse:
    """A partial update: the fields sent replace the current ones, the whole result is validated."""
    account = store_of(request).account(request.path_params["acct"])
    patch = await read_json(request)
    if not isinstance(patch, dict):
        raise Refusal(400, "Settings must be a JSON object")
    try:
        account.settings = AccountSettings.model_validate(account.settings.model_dump() | patch)
    except ValidationError as exc:
        raise Refusal(400, f"Bad settings: {exc}") from exc
    return JSONResponse(account.settings.model_dump(mode="json"))


async def get_state(request: Request) -> JSONResponse:
    account = store_of(request).account(request.path_params["acct"])
    chats = [details(account, chat) for chat in account.chats.values()]
    return JSONResponse(
        {
            "account": account.account_id,
            "chats": chats,
            "engagementSessions": [asdict(session) for session in account.sessions.values()],
            "conversations": [asdict(conversation) for conversation in account.conversations.values()],
            "offlineSurveys": account.offline_surveys,
            "requestCounts": dict(account.request_counts),
            "faults": faults_of(request).views(account.account_id),
        }
    )


async def get_funnel(request: Request) -> JSONResponse:
    """Funnel counts per engagement (sandbox.funnel); the console's funnel page shows them."""
    return JSONResponse(funnel(store_of(request).account(request.path_params["acct"])))


async def time_out(request: Request) -> Response:
    """End a chat as the server does when its visitor goes quiet past interactionTimeout, without the wait (so a
    brand's QA, and the tests, can see the window's timeout ending in seconds)."""
    account = store_of(request).account(request.path_params["acct"])
    chat = account.chats.get(request.path_params["chat_id"])
    if chat is None:
        raise Refusal(404, "Chat not found", NOT_FOUND)
    chat.time_out()
    return Response(status_code=204)


_ACCOUNT = "/sandbox/accounts/{acct}"
routes = [
    Route(_ACCOUNT + "/settings", get_settings, methods=["GET"]),
    Route(_ACCOUNT + "/settings", put_settings, methods=["PUT"]),
    Route(_ACCOUNT + "/state", get_state, methods=["GET"]),
    Route(_ACCOUNT + "/funnel", get_funnel, methods=["GET"]),
    Route(_ACCOUNT + "/chats/{chat_id}/timeout", time_out, methods=["POST"]),
]
