"""A demo brand page: a page of a brand's own site with the chat window embedded by the one snippet, the host-page
API in use and a live log of the window's events, under a strict CSP (no 'unsafe-inline').

It is not part of LivePerson's stand-in: it lives here because a brand's page and the window must be on two origins,
and the sandbox's is the other one `make run` has. `/brand/` on the sandbox's main host.
"""

from __future__ import annotations

import html
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

BRAND = Path(__file__).parent / "brand"
MEDIA = {".js": "text/javascript", ".css": "text/css"}
OPTIONS = {"mode": ("panel", "popup"), "preload": ("impression",)}  # the loader's data- options the page can show


def routes(window_origins: list[str]) -> list[Route]:
    """The page embeds the window served at the first of `window_origins` (the window's server answers the others
    too), and its policy names those origins and no other."""
    window_origin = window_origins[0]
    windows = " ".join(window_origins)
    policy = (
        f"default-src 'none'; script-src 'self' {windows}; frame-src {windows}; style-src 'self'; "
        "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    page = (BRAND / "index.html").read_text().replace("{{WINDOW_ORIGIN}}", html.escape(window_origin, quote=True))

    async def index(request: Request) -> Response:
        """`?mode=popup` and `?preload=impression` show the loader's options (any other value is left out)."""
        chosen = {name: request.query_params.get(name) for name in OPTIONS}
        options = " ".join(f'data-{name}="{value}"' for name, value in chosen.items() if value in OPTIONS[name])
        body = page.replace("{{OPTIONS}}", options)
        return HTMLResponse(body, headers={"content-security-policy": policy, "cache-control": "no-cache"})

    def asset(name: str) -> Route:
        async def endpoint(_: Request) -> Response:
            media_type = MEDIA[Path(name).suffix]
            return FileResponse(BRAND / name, media_type=media_type, headers={"cache-control": "no-cache"})

        return Route(f"/brand/{name}", endpoint, methods=["GET"])

    return [Route("/brand/", index, methods=["GET"]), asset("brand.js"), asset("brand.css")]
