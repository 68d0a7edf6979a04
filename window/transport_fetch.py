"""The page's transport: the browser's `fetch` through Pyodide's async `pyfetch`.

Async on purpose: a request in flight never blocks the main thread, so typing stays smooth while the window
polls. (pyodide-http's synchronous XHR would block it; see README, "Which path does what".)
"""

from __future__ import annotations

import js
from pyodide.http import pyfetch

from window.http import HttpRequest, HttpResponse, NetworkError

DEFAULT_TIMEOUT_SECONDS = 15.0  # [OLDSDK] gives a poll 10 s; a chat request may take longer on a busy account


class FetchTransport:
    def __init__(self, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self._timeout_ms = round(timeout_seconds * 1000)

    async def send(self, request: HttpRequest) -> HttpResponse:
        # One abort signal covers the whole exchange, headers and body: a hung request is really cancelled (the
        # browser drops the connection) and counts as a failure, never as a request left pending for ever.
        signal = js.AbortSignal.timeout(self._timeout_ms)
        try:
            response = await pyfetch(
                request.url,
                method=request.method,
                headers=dict(request.headers),
                body=request.body,
                cache="no-store",
                credentials="omit",
                signal=signal,
            )
            body = await response.text()
        except Exception as exc:  # fetch rejects with a bare TypeError on network and CORS failures alike
            raise NetworkError(f"{request.method} {request.url}: {exc}") from exc
        return HttpResponse(status=response.status, headers=dict(response.headers), body=body)
