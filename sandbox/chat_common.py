"""What every Chat API call shares: app-key authentication, `v=1`, URLs, chat lookup, quirks and rate limits."""

from __future__ import annotations

import math
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from sandbox.chat import Chat, account_path
from sandbox.config import DOCUMENTED_APP_KEY
from sandbox.context import account_of, chat_api_origin, hosts_of, served_on
from sandbox.errors import NOT_FOUND, Refusal
from sandbox.quirks import xmlish
from sandbox.routing import apply_timeouts
from sandbox.store import Account


def _app_keys_sent(request: Request) -> list[str]:
    """`Authorization: LivePerson appKey=…`, a bare key as [PM] sends it, or `appKey=`/`appkey=` in the query."""
    keys = [request.query_params.get(name, "") for name in ("appKey", "appkey")]
    header = request.headers.get("authorization", "").strip()
    scheme, _, credentials = header.partition(" ")
    if scheme == "LivePerson" and credentials.startswith("appKey="):
        keys.append(credentials.removeprefix("appKey="))
    elif header and not credentials:
        keys.append(header)
    return [key for key in keys if key]


def _accepted_app_keys(account: Account) -> set[str]:
    settings = account.settings
    return set(settings.app_keys) | ({DOCUMENTED_APP_KEY} if settings.accept_documented_app_key else set())


def chat_account(request: Request) -> Account:
    """The account of a Chat API call on the Chat API's host, once the call is authenticated (401) and names
    `v=1` (400)."""
    served_on(request, hosts_of(request).chat, "conversationVep")
    account = account_of(request)
    sent = _app_keys_sent(request)
    if not sent:
        raise Refusal(401, "Bad authorization request. general_problem=unknown_authorization_type")
    if not set(sent) & _accepted_app_keys(account):
        raise Refusal(401, "Unknown app key")
    if request.query_params.get("v") != "1":
        raise Refusal(400, "Missing or unsupported API version (expected v=1)")
    return account


def account_url(request: Request, account: Account) -> str:
    """Absolute, on the Chat API's host; bare (no `.json`, `v`, appKey) as LivePerson sends links."""
    return chat_api_origin(request) + account_path(account.account_id)


def chat_url(request: Request, account: Account, chat: Chat) -> str:
    return f"{account_url(request, account)}/chat/{chat.chat_id}"


def chat_json(account: Account, payload: dict[str, Any], status_code: int = 200) -> JSONResponse:
    return JSONResponse(xmlish(payload) if account.settings.quirks else payload, status_code=status_code)


def chat_of(request: Request, account: Account) -> Chat:
    """The chat in the path, after the server's own timeouts; counts as the visitor's activity."""
    chat = account.chats.get(request.path_params["chat_id"])
    if chat is None or chat.is_gone(account.settings.retention_seconds):
        raise Refusal(404, "Chat not found", NOT_FOUND)
    apply_timeouts(account, chat)
    chat.touch()
    if request.method == "GET":
        _limit_polling(chat, account.settings.min_poll_interval_seconds)
    return chat


def _limit_polling(chat: Chat, min_interval: float | None) -> None:
    now = chat.clock.monotonic()
    if min_interval is not None and chat.last_poll_at is not None and now - chat.last_poll_at < min_interval:
        wait = max(1, math.ceil(min_interval - (now - chat.last_poll_at)))
        raise Refusal(429, "Too many requests", headers={"Retry-After": str(wait)})
    chat.last_poll_at = now
