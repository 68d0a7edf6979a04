"""Request bodies, read in one place: capped in size, JSON only when sent as JSON, parsed strictly, validated by
pydantic models; anything else is refused in the calling API's shape, never a 500.

The sandbox keeps much of what it receives (a chat request, survey answers, engagement attributes) and shows it again
later (the chat, the console, the control API's state). So a body is taken only if it can be written back as JSON:
UTF-8 (RFC 8259 8.1), no `NaN`, `Infinity` or number too large for a double, no lone surrogate (`"\\ud800"`), nested
at most MAX_DEPTH deep. One bad value would otherwise make every later read of what holds it fail.
"""

from __future__ import annotations

import json
import math
from typing import Any, NoReturn, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.clock import ServerClock
from sandbox.errors import BAD_REQUEST, Refusal, error_response
from sandbox.whole_numbers import whole_number

Model = TypeVar("Model", bound=BaseModel)

# assumed: LivePerson documents no limit. 1 MiB is ten times the largest body a test sends (a 100 KB line) and far
# above any documented body (a chat request with pre-chat lines and survey answers, a settings object with three
# surveys: a few KB), while a page cannot make the developer's sandbox buffer more than that per request.
MAX_BODY_BYTES = 1024 * 1024
# assumed: the deepest documented body nests 7 levels (a survey's entry's showLogicId in the settings; a contact's
# address in personal info); 32 leaves room for what a client adds, far below where Python's recursion stops.
MAX_DEPTH = 32


def _too_large() -> Refusal:
    # assumed: internalCode 5 in either shape, as for the other refusals made before a route is known (421, 403)
    return Refusal(413, f"Request body larger than {MAX_BODY_BYTES} bytes")


class BodyLimit:
    """Refuses a body over MAX_BODY_BYTES with 413 before reading it: at once when its `Content-Length` says so,
    else (a chunked body) as soon as what was read passes the limit. Inside the CORS layer, so a browser window can
    read the refusal."""

    def __init__(self, app: ASGIApp, clock: ServerClock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (whole_number(declared) or 0) > MAX_BODY_BYTES:
            await error_response(scope["path"], _too_large(), self.clock)(scope, receive, send)
            return
        read = 0

        async def receive_within_limit() -> Message:
            nonlocal read
            message = await receive()
            read += len(message.get("body", b""))
            if read > MAX_BODY_BYTES:
                raise _too_large()  # the app's exception handler answers it in the API's shape
            return message

        await self.app(scope, receive_within_limit, send)


def _malformed(why: str, internal_code: int) -> NoReturn:
    raise Refusal(400, f"Malformed JSON: {why}", internal_code)


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text} is too large for a number")
    return value


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _check_writable(value: Any, internal_code: int) -> None:
    """Depth and strings of a parsed body, without recursion (a body at the depth limit must not exhaust Python's)."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list) and depth >= MAX_DEPTH:
            _malformed(f"nested more than {MAX_DEPTH} deep", internal_code)
        if isinstance(item, dict):
            pending.extend((key, depth) for key in item)
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)
        elif isinstance(item, str) and not item.isascii():
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                _malformed("a lone surrogate in a string", internal_code)


def _parsed(raw: bytes, internal_code: int) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        _malformed(f"not UTF-8 (byte {exc.start})", internal_code)
    try:
        value = json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except RecursionError:
        _malformed(f"nested more than {MAX_DEPTH} deep", internal_code)
    except json.JSONDecodeError as exc:
        _malformed(exc.msg, internal_code)
    except ValueError as exc:  # a float too large, NaN/Infinity, an integer of 4,300 digits or more
        _malformed(str(exc).partition(";")[0], internal_code)
    _check_writable(value, internal_code)
    return value


async def read_json(request: Request, internal_code: int = BAD_REQUEST) -> Any:
    """The body as JSON, if it is declared `application/json`. A page on any site can POST `text/plain` to a
    developer's localhost without a preflight; only a JSON content type makes the browser ask first (CORS).
    assumed: 415 in the calling API's shape (LivePerson documents `Content-Type: application/json` on every call)."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        raise Refusal(415, "Send the body as Content-Type: application/json", internal_code)
    return _parsed(await request.body(), internal_code)


async def parse_body(request: Request, model: type[Model], internal_code: int = BAD_REQUEST) -> Model:
    try:
        return model.model_validate(await read_json(request, internal_code))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
        raise Refusal(400, f"Bad request body: {problems}", internal_code) from exc
