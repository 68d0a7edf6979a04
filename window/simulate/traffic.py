"""A transport that counts what one consumer asks of the service: requests by endpoint, and those that failed in
passing (no answer, 429, 5xx: what the session retries). A final 4xx is an answer, often an expected one (no
pre-chat survey is a 404); a chat it breaks shows as the chat's error."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from window.http import HttpRequest, HttpResponse, NetworkError, Transport
from window.protocol import is_passing

# A path segment holding a digit is an id (account, visitor, session, chat): one row per endpoint, not per chat.
ID_SEGMENT = re.compile(r"(?<=/)[^/]*\d[^/]*")
NO_ANSWER = "no answer"


@dataclass(frozen=True)
class Exchange:
    """One request and how it went, for a listener (Locust's statistics)."""

    method: str
    path: str  # `endpoint_of`'s
    seconds: float
    failure: str | None  # a passing failure: "HTTP 429", "HTTP 503", "no answer"; else None


def endpoint_of(request: HttpRequest) -> str:
    """`/api/account/{id}/chat/{id}`: the path, ids and query left out."""
    return ID_SEGMENT.sub("{id}", urlsplit(request.url).path)


class CountedTransport:
    """Wraps the shared transport for one consumer; the session's retries go through it, so each try counts."""

    def __init__(
        self, inner: Transport, clock: Callable[[], float], listener: Callable[[Exchange], None] | None = None
    ) -> None:
        self._inner = inner
        self._clock = clock
        self._listener = listener
        self.requests: Counter[str] = Counter()  # by method and endpoint: "GET /api/account/{id}/chat/{id}"
        self.failures: Counter[str] = Counter()  # by kind

    async def send(self, request: HttpRequest) -> HttpResponse:
        path, started = endpoint_of(request), self._clock()
        self.requests[f"{request.method} {path}"] += 1
        try:
            response = await self._inner.send(request)
        except NetworkError:
            self._count(Exchange(request.method, path, self._clock() - started, NO_ANSWER))
            raise
        failure = f"HTTP {response.status}" if is_passing(response.status) else None
        self._count(Exchange(request.method, path, self._clock() - started, failure))
        return response

    def _count(self, exchange: Exchange) -> None:
        if exchange.failure is not None:
            self.failures[exchange.failure] += 1
        if self._listener is not None:
            self._listener(exchange)
