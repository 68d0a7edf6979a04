"""The two error shapes of LivePerson's APIs, chosen by path so every error (ours or Starlette's) fits its API.

App Engagement (and, assumed, CSDS): unwrapped, epoch ms: {"time": 1469543282471, "message", "internalCode"}.
Chat API (and the sandbox's own APIs): wrapped, ISO time: {"error": {"time": "…", "message", "internalCode"}}.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route

from sandbox.clock import ServerClock, epoch_ms, iso

# No code list is published. 5 (bad request or state), 20 (Loading account, #94) and 33 (Illegal Version) are seen;
# assumed: 12 = chat not found / no longer kept, 1 = App Engagement validation error, 401 reuses 5 (#43).
BAD_REQUEST = 5
NOT_FOUND = 12
ILLEGAL_VERSION = 33
LOADING_ACCOUNT = 20
ENGAGEMENT_BAD_REQUEST = 1


class Refusal(Exception):
    def __init__(
        self, status: int, message: str, internal_code: int = BAD_REQUEST, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.internal_code = internal_code
        self.headers = dict(headers or {})


def is_unwrapped_path(path: str) -> bool:
    return "/app/engagement/" in path or path.startswith("/csdr/") or "/service/" in path


def error_response(path: str, error: Refusal, clock: ServerClock) -> Response:
    now = clock.now()
    if is_unwrapped_path(path):
        body: dict[str, object] = {"time": epoch_ms(now), "message": error.message, "internalCode": error.internal_code}
    else:
        body = {"error": {"time": iso(now), "message": error.message, "internalCode": error.internal_code}}
    return JSONResponse(body, status_code=error.status, headers=error.headers)


async def handle_refusal(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refusal)
    return error_response(request.url.path, exc, request.app.state.store.clock)


def _allowed_methods(request: Request) -> set[str]:
    """The methods of the resource the path names: those of the first route whose path matches (the one the router
    picks) and of every other route of that path. Starlette names one route's only (a resource's GET and PUT are two
    routes here), or lets the console's static files answer a path its API serves."""
    scope = {**request.scope, "root_path": request.scope.get("app_root_path", request.scope.get("root_path", ""))}
    routes = [route for route in request.app.routes if isinstance(route, Route)]
    path = next((route.path for route in routes if route.matches(scope)[0] != Match.NONE), None)
    return {method for route in routes if route.path == path for method in route.methods or ()}


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (unknown path, POST without override on a PUT-only resource) in the API's shape; a
    path served with other methods is a 405 naming them all in `Allow`."""
    assert isinstance(exc, HTTPException)
    status, headers = exc.status_code, dict(exc.headers or {})
    if status in (404, 405) and (allowed := _allowed_methods(request)):
        status, headers["Allow"] = 405, ", ".join(sorted(allowed))
    detail = exc.detail if status == exc.status_code else HTTPStatus(status).phrase
    refusal = Refusal(status, detail, NOT_FOUND if status == 404 else BAD_REQUEST, headers)
    return error_response(request.url.path, refusal, request.app.state.store.clock)
