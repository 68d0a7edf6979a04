"""The dev server that serves the window the way a brand's site would: static files, a strict CSP, compression.

It serves only the window's own files (index.html, pyscript.toml, window/, static/) and its `config.json`,
which it builds from the environment so that with no configuration at all the window talks to the sandbox.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable
from mimetypes import guess_type
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ROOT = Path(__file__).resolve().parent.parent
SANDBOX_ACCOUNT_ID = "12345678"
SANDBOX_APP_KEY = "sandbox-app-key"


def content_security_policy(api_origins: list[str]) -> str:
    # No 'unsafe-inline', no 'unsafe-eval': Pyodide needs only 'wasm-unsafe-eval' (shared/docs/pyscript-runtime-facts).
    connect = " ".join(["'self'", *api_origins])
    return (
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; "
        f"connect-src {connect}; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def sandbox_config(sandbox_origin: str) -> dict[str, object]:
    """The window configuration used when none is given: the local sandbox and its scripted agent."""
    return {
        "account_id": SANDBOX_ACCOUNT_ID,
        "csds_url": sandbox_origin,
        "app_key": SANDBOX_APP_KEY,
        "brand_name": "Sandbox Brand",
    }


def load_window_config(sandbox_origin: str) -> bytes:
    """`WINDOW_CONFIG` names a JSON file to serve as is (validation is the window's job); else the sandbox's."""
    path = os.environ.get("WINDOW_CONFIG")
    if path:
        return Path(path).read_bytes()
    return json.dumps(sandbox_config(sandbox_origin), indent=2).encode()


class SecurityHeaders:
    def __init__(self, app: ASGIApp, csp: str) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CachedStatic(StaticFiles):
    """Static files with cache headers (the pinned runtime for a day, the window's own code revalidated), and the
    brotli copy `make runtime` writes beside a large file, for browsers that accept it."""

    def __init__(self, directory: Path, max_age: int) -> None:
        super().__init__(directory=directory)
        self.cache_control = f"public, max-age={max_age}" if max_age else "no-cache"

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        brotli_copy = Path(f"{full_path}.br")
        if "br" in Headers(scope=scope).get("accept-encoding", "") and brotli_copy.is_file():
            media_type = guess_type(str(full_path))[0] or "application/octet-stream"
            response: Response = FileResponse(
                brotli_copy, media_type=media_type, headers={"content-encoding": "br", "vary": "Accept-Encoding"}
            )
        else:
            response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["cache-control"] = self.cache_control
        return response


# Compression of what has no brotli copy (the window's own files, HTML, CSS); the benchmark serves its baseline so too.
COMPRESSION = [Middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)]


def revalidated_file(path: Path, media_type: str | None = None) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint serving one file that browsers must revalidate (the page and its configuration change)."""

    async def endpoint(_: Request) -> Response:
        return FileResponse(path, media_type=media_type, headers={"cache-control": "no-cache"})

    return endpoint


def create_window_app(sandbox_origins: list[str], root: Path = ROOT) -> Starlette:
    config = load_window_config(sandbox_origins[0])
    index = revalidated_file(root / "index.html")

    async def config_json(_: Request) -> Response:
        return Response(config, media_type="application/json", headers={"cache-control": "no-store"})

    app = Starlette(
        routes=[
            Route("/", index),
            Route("/index.html", index),
            Route("/pyscript.toml", revalidated_file(root / "pyscript.toml", "text/plain")),
            Route("/config.json", config_json),
            Mount("/window", CachedStatic(root / "window", max_age=0)),
            Mount("/static/runtime", CachedStatic(root / "static" / "runtime", max_age=86400)),
            Mount("/static", CachedStatic(root / "static", max_age=0)),
        ],
        middleware=COMPRESSION,
    )
    app.add_middleware(SecurityHeaders, csp=content_security_policy(sandbox_origins))
    return app
