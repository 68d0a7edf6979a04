"""The page's transport: the browser's `fetch` through Pyodide's async `pyfetch`.

Async on purpose: a request in flight never blocks the main thread, so typing stays smooth while the window
polls. (pyodide-http's synchronous XHR would block it; see README, "Which path does what".)
"""

from __future__ import annotations

import asyncio

from pyodide.http import pyfetch

from .http import HttpRequest, HttpResponse, NetworkError

TIMEOUT_SECONDS = 15.0  # [OLDSDK] gives a poll 10 s; a chat request may take longer on a busy account


class FetchTransport:
    async def send(self, request: HttpRequest) -> HttpResponse:
        try:
            response = await asyncio.wait_for(
                pyfetch(
                    request.url,
                    method=request.method,
                    headers=dict(request.headers),
                    body=request.body,
                    cache="no-store",
                    credentials="omit",
                ),
                TIMEOUT_SECONDS,
            )
            body = await response.text()
        except Exception as exc:  # fetch rejects with a bare TypeError on network and CORS failures alike
            raise NetworkError(f"{request.method} {request.url}: {exc}") from exc
        return HttpResponse(status=response.status, headers=dict(response.headers), body=body)
