"""The sans-I/O core: a `Call` pairs a request with the parser of its response; `perform` runs it on a transport.

Clients build Calls and never do I/O, so the same code runs in the page (fetch) and under CPython (httpx), and
tests check requests and parsers without a network. Parsers raise `ApiError` (the server said no) or
`MalformedReply` (a 2xx we cannot read); transports raise `NetworkError` (no answer at all).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Generic, TypeVar
from urllib.parse import quote, urlencode

from pydantic import BaseModel, ValidationError

from window.http import HttpRequest, HttpResponse, NetworkError, Transport
from window.models.errors import AppEngagementError, ChatApiError

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Call(Generic[T]):
    request: HttpRequest
    parse: Callable[[HttpResponse], T]


async def perform(transport: Transport, call: Call[T]) -> T:
    return call.parse(await transport.send(call.request))


class ApiError(Exception):
    """The server answered with an error status; fields from whichever error body it sent."""

    def __init__(
        self, status: int, message: str, internal_code: int | None = None, retry_after: float | None = None
    ) -> None:
        code = f" (internalCode {internal_code})" if internal_code is not None else ""
        super().__init__(f"HTTP {status}: {message}{code}")
        self.status = status
        self.message = message
        self.internal_code = internal_code
        self.retry_after = retry_after  # seconds, from Retry-After

    @property
    def retryable(self) -> bool:
        return is_passing(self.status)


def is_passing(status: int) -> bool:
    """429 or 5xx (incl. App Engagement's 500 internalCode 20 "Loading account" on quiet accounts) may pass; other
    4xx are final: repeating the call changes nothing."""
    return status == HTTPStatus.TOO_MANY_REQUESTS or status >= 500


class MalformedReply(Exception):
    """A successful status whose body does not match the documented shape; the message is short and for logs."""


# Everything a call can fail with: the server said no, its answer was unreadable, or there was no answer.
CALL_FAILURES = (ApiError, MalformedReply, NetworkError)


def is_retryable(error: Exception) -> bool:
    """Worth trying again later: no answer at all, or a retryable `ApiError`. A malformed reply is final."""
    return isinstance(error, NetworkError) or (isinstance(error, ApiError) and error.retryable)


def check_status(response: HttpResponse) -> None:
    """Raise `ApiError` unless the status is 2xx; as a parser: a reply whose body, if any, does not matter."""
    if 200 <= response.status < 300:
        return
    message, code = _error_fields(response)
    raise ApiError(response.status, message, code, _retry_after(response.header("retry-after")))


def parse_model(response: HttpResponse, model: type[M]) -> M:
    """The 2xx body as `model`, else `ApiError` / `MalformedReply`."""
    check_status(response)
    try:
        return model.model_validate_json(response.body)
    except ValidationError as exc:
        raise MalformedReply(f"{model.__name__}: {_first_problem(exc)}") from None


def location(response: HttpResponse) -> str:
    """The `Location` header of a 2xx create reply."""
    check_status(response)
    url = response.header("location")
    if not url:
        raise MalformedReply(f"HTTP {response.status} without the Location header that names the new resource")
    return url


def with_query(url: str, params: Mapping[str, str | int | bool | None]) -> str:
    """`url` plus `params` (None skipped, booleans as true/false), percent-encoded; an existing query is kept."""
    pairs = [(name, _text(value)) for name, value in params.items() if value is not None]
    if not pairs:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode(pairs, quote_via=quote)}"


def json_body(payload: object) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def _text(value: str | int | bool) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    where = ".".join(str(part) for part in error["loc"])
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where or 'body'}: {error['msg']}{more}"


def _error_fields(response: HttpResponse) -> tuple[str, int | None]:
    try:
        body = json.loads(response.body)
    except ValueError:
        body = None
    if isinstance(body, dict):
        for model in (ChatApiError, AppEngagementError):
            try:
                parsed = model.model_validate(body)
            except ValidationError:
                continue
            detail = parsed.error if isinstance(parsed, ChatApiError) else parsed
            return detail.message, detail.internal_code
        if isinstance(body.get("error"), str):  # OAuth-style {"error": "invalid_code"}
            return body["error"], None
    return _status_phrase(response.status), None


def _status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "HTTP error"


def _retry_after(value: str | None) -> float | None:
    """Seconds from `Retry-After`. assumed: servers send delay-seconds; the HTTP-date form is ignored (None), which
    spares the page the `email` package (start-up time in Pyodide) for a form no LivePerson doc mentions."""
    value = (value or "").strip()
    return float(value) if value.isdigit() else None
