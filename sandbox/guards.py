"""What keeps other pages and names off the sandbox: it runs on a developer's machine, which any web page can reach.

- Only the `Host` names the sandbox serves are answered (421 otherwise): a page on a name rebound to 127.0.0.1 (DNS
  rebinding) gets nothing, and no foreign name ever reaches a CSDS answer or a `Location`.
- CORS is granted to the window's origins on LivePerson's APIs only (`/api/`, `/csdr/`).
- The sandbox's own pages and APIs (`/console…`, `/sandbox/…`) refuse any request another origin makes (403): an
  `Origin` that is not the sandbox's own, or `Sec-Fetch-Site` other than same-origin or none (a top-level
  navigation to the console page is let through: it reads nothing and changes nothing).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.clock import ServerClock
from sandbox.errors import BAD_REQUEST, Refusal, error_response

LIVEPERSON_PREFIXES = ("/api/", "/csdr/")
OWN_PREFIXES = ("/console", "/sandbox/")
# Headers browser clients send (Decisions: CORS); Location and Retry-After must be readable by the window.
CORS_REQUEST_HEADERS = ["Authorization", "Content-Type", "X-HTTP-Method-Override", "Accept", "Pragma", "Cache-Control"]
CORS_EXPOSED_HEADERS = ["Location", "Retry-After"]


class Guards:
    def __init__(self, app: ASGIApp, hosts: frozenset[str], window_origins: list[str], clock: ServerClock) -> None:
        self.app = app
        self.hosts = hosts
        self.clock = clock
        self.with_cors = CORSMiddleware(
            app,
            allow_origins=window_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_EXPOSED_HEADERS,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        path: str = scope["path"]
        refusal = self._refusal(scope["scheme"], scope["method"], headers, path)
        if refusal is not None:
            await error_response(path, refusal, self.clock)(scope, receive, send)
        elif path.startswith(LIVEPERSON_PREFIXES):
            await self.with_cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _refusal(self, scheme: str, method: str, headers: Headers, path: str) -> Refusal | None:
        host = headers.get("host", "").lower()
        if host not in self.hosts:
            return Refusal(421, "This sandbox does not answer for that host name", BAD_REQUEST)
        if path.startswith(OWN_PREFIXES) and not _from_own_origin(f"{scheme}://{host}", method, headers):
            return Refusal(403, "The sandbox's console and control API answer their own origin only", BAD_REQUEST)
        return None


def _from_own_origin(own: str, method: str, headers: Headers) -> bool:
    origin = headers.get("origin")
    if origin is not None and origin.lower() != own:
        return False
    site = headers.get("sec-fetch-site")
    opens_a_page = (
        method in ("GET", "HEAD")
        and headers.get("sec-fetch-mode") == "navigate"
        and headers.get("sec-fetch-dest") == "document"
    )
    return site in (None, "same-origin", "none") or opens_a_page
