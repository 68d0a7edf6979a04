"""Rewrites a request the way LivePerson's servers read it, before routing.

- `.json` on the last path segment selects the JSON format, which is the only one served: dropped.
- A trailing slash (`…/visitors/?v=1.0`, as [PM] sends it) is dropped.
- POST + `X-HTTP-Method-Override: PUT|DELETE` is that method, so routes declare the real method and a plain POST on
  a PUT-only resource is refused with 405.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

API_PREFIXES = ("/api/", "/csdr/")
OVERRIDABLE = frozenset({"PUT", "DELETE"})


class RequestNormalizer:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(API_PREFIXES):
            scope = dict(scope)
            path = scope["path"].removesuffix("/").removesuffix(".json")
            scope["path"] = path
            scope["raw_path"] = path.encode()
            override = Headers(scope=scope).get("x-http-method-override", "").upper()
            if scope["method"] == "POST" and override in OVERRIDABLE:
                scope["method"] = override
        await self.app(scope, receive, send)
