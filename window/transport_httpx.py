"""`Transport` over httpx, for CPython only (tests, bots); the page uses `transport_fetch`."""

from __future__ import annotations

from types import TracebackType

import httpx

from window.http import HttpRequest, HttpResponse, NetworkError


class HttpxTransport:
    def __init__(self, client: httpx.AsyncClient | None = None, timeout: float = 10.0) -> None:
        # Redirects are not followed, as no LivePerson call answers with one; a 3xx surfaces as an ApiError.
        self._client = client or httpx.AsyncClient(timeout=timeout)

    async def send(self, request: HttpRequest) -> HttpResponse:
        try:
            response = await self._client.request(
                request.method,
                request.url,
                headers=dict(request.headers),
                content=request.body.encode() if request.body is not None else None,
            )
        except (httpx.TransportError, httpx.InvalidURL) as exc:  # connect, read, timeout, protocol, bad URL
            raise NetworkError(f"{request.method} {request.url}: {type(exc).__name__}: {exc}") from exc
        return HttpResponse(
            status=response.status_code,
            headers={name.lower(): value for name, value in response.headers.items()},
            body=response.text,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> HttpxTransport:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.aclose()
