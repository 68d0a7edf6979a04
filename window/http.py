"""Plain HTTP values shared by the protocol clients and the transports.

The clients build an `HttpRequest` and parse an `HttpResponse`; they never do I/O themselves
(as in h11). A `Transport` turns one into the other: browser `fetch` in the page, httpx under CPython.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | None = None


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]  # names lower-cased by the transport
    body: str = ""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class NetworkError(Exception):
    """No HTTP answer at all: connection refused, dropped, timed out, blocked by CORS."""


class Transport(Protocol):
    async def send(self, request: HttpRequest) -> HttpResponse: ...
