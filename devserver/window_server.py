"""The window's dev server: the brand's web host, not LivePerson. It serves exactly what a brand deploys, the way a
brand's site should: a strict CSP, revalidated page and code, the pinned runtime cached and brotli-compressed.

What a brand deploys (`deployed`): index.html, pyscript.toml, config.json, the Python files index.html and
pyscript.toml load, static/window.css, static/boot.js, static/loader.js, static/preload.json (what a start loads,
made here: devserver/start_files.py), static/icons/, and
static/runtime/ except the benchmark's baseline/. Nothing else of the repository is reachable. Its CSP comes from
the configuration it serves (`policy.py`).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Awaitable, Callable
from mimetypes import guess_type
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from devserver.policy import content_security_policy, parsed
from devserver.start_files import PRELOAD_LIST, start_files

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = "static/runtime"
NOT_DEPLOYED_RUNTIME = "baseline/"  # the benchmark's stock PyScript page: tests/bench/ serves it itself
STATIC_FILES = (
    "static/signin.html",
    "static/signin.js",
    "static/window.css",
    "static/boot.js",
    "static/engage.js",
    "static/loader.js",
)
STATIC_DIRS = ("static/icons/",)


def package_files(root: Path) -> set[str]:
    """The window package's files PyScript copies into Pyodide's file system: pyscript.toml's `[files]`."""
    listed = tomllib.loads((root / "pyscript.toml").read_text()).get("files", {})
    return {path.removeprefix("./") for path in listed}


def entry_points(root: Path) -> set[str]:
    """The Python index.html runs (<script type="py" src=…>)."""
    return {
        path.removeprefix("./")
        for path in re.findall(r'<script type="py" src="([^"]+)"', (root / "index.html").read_text())
    }


def python_files(root: Path) -> set[str]:
    """The window's Python files: pyscript.toml's `[files]` and the entry point index.html loads."""
    return package_files(root) | entry_points(root)


def deployed(root: Path) -> Callable[[str], bool]:
    """Whether a path (relative to the site's root, e.g. `window/api.py`) is part of what a brand deploys."""
    files = {"index.html", "pyscript.toml", *STATIC_FILES, *python_files(root)}

    def is_deployed(path: str) -> bool:
        return path in files or path.startswith(STATIC_DIRS)

    return is_deployed


class SecurityHeaders:
    """The policy, no MIME sniffing, no referrer, an origin-keyed agent cluster (a desktop browser then runs the
    window's frame in a process of its own even on the brand's own site, off the brand page's main thread). No
    Cross-Origin-Opener-Policy: the window opened as a popup talks to the brand's page that opened it
    (`window.opener`), which COOP `same-origin` would cut."""

    def __init__(self, app: ASGIApp, csp: str) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"origin-agent-cluster", b"?1"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def media_type_of(path: Path) -> str:
    """As the file's name says; pyscript.toml (which mimetypes does not know) as text."""
    return "text/plain" if path.suffix == ".toml" else guess_type(path.name)[0] or "application/octet-stream"


class CachedStatic(StaticFiles):
    """Static files with cache headers (the pinned runtime for a day, everything else revalidated), conditional
    requests (304), and the brotli copy `make runtime` writes beside a large file, for browsers that accept it. A
    file with a brotli copy says `Vary: Accept-Encoding` in every answer, whichever encoding it is."""

    def __init__(self, directory: Path, max_age: int, allowed: Callable[[str], bool] = lambda _: True) -> None:
        super().__init__(directory=directory, check_dir=False)  # the runtime may not be built yet
        self.cache_control = f"public, max-age={max_age}" if max_age else "no-cache"
        self.allowed = allowed

    async def check_config(self) -> None:
        """A runtime not built yet (`make runtime`) is nothing to serve, not an error."""
        if self.directory is not None and Path(self.directory).is_dir():
            await super().check_config()

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        if not self.allowed(path.replace(os.sep, "/")):
            return "", None
        return super().lookup_path(path)

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        request_headers = Headers(scope=scope)
        brotli_copy = Path(f"{full_path}.br")
        has_brotli = brotli_copy.is_file()
        media_type = media_type_of(Path(full_path))
        if has_brotli and "br" in request_headers.get("accept-encoding", ""):
            response = FileResponse(
                brotli_copy, media_type=media_type, headers={"content-encoding": "br"}, stat_result=brotli_copy.stat()
            )
        else:
            response = FileResponse(full_path, status_code, media_type=media_type, stat_result=stat_result)
        response.headers["cache-control"] = self.cache_control
        if has_brotli:
            response.headers["vary"] = "Accept-Encoding"
        if self.is_not_modified(response.headers, request_headers):
            return NotModifiedResponse(response.headers)
        return response


# Compression of the site's own files (HTML, CSS, Python), which have no brotli copy; the runtime is served without it:
# its large files have brotli copies (and their own Vary), the rest are small. The benchmark serves its baseline so too.
COMPRESSION = [Middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)]


def revalidated_file(path: Path, media_type: str | None = None) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint serving one file that browsers must revalidate (the page and its configuration change)."""

    async def endpoint(_: Request) -> Response:
        return FileResponse(path, media_type=media_type, headers={"cache-control": "no-cache"})

    return endpoint


def site(config: bytes, root: Path, api_origins: list[str]) -> Starlette:
    """One copy of the brand's site, with its own config.json and the policy that configuration calls for."""

    async def config_json(_: Request) -> Response:
        return Response(config, media_type="application/json", headers={"cache-control": "no-store"})

    async def preload_list(_: Request) -> Response:
        runtime = (path.relative_to(root).as_posix() for path in (root / RUNTIME).rglob("*") if path.is_file())
        listed = start_files([*runtime, "pyscript.toml", *python_files(root)])
        return JSONResponse(listed, headers={"cache-control": "no-cache"})

    own_files = Starlette(
        routes=[
            Route("/", revalidated_file(root / "index.html")),
            Route("/config.json", config_json),
            Route(f"/{PRELOAD_LIST}", preload_list),
            Mount("/", CachedStatic(root, max_age=0, allowed=deployed(root))),
        ],
        middleware=COMPRESSION,
    )
    runtime = CachedStatic(
        root / RUNTIME, max_age=86400, allowed=lambda path: not path.startswith(NOT_DEPLOYED_RUNTIME)
    )
    app = Starlette(routes=[Mount(f"/{RUNTIME}", runtime), Mount("/", own_files)])
    app.add_middleware(SecurityHeaders, csp=content_security_policy(parsed(config), api_origins))
    return app


def create_window_app(
    config: bytes, api_origins: list[str], root: Path = ROOT, more_sites: dict[str, bytes] | None = None
) -> Starlette:
    """The brand's site at `/`, serving `config`; each of `more_sites` (path → config), e.g. `/demo`, is another
    copy of the site with its own config.json (another account)."""
    sites: list[Route | Mount] = []
    for path, other in (more_sites or {}).items():
        sites += [Route(path, RedirectResponse(f"{path}/")), Mount(path, site(other, root, api_origins))]
    return Starlette(routes=[*sites, Mount("/", site(config, root, api_origins))])
