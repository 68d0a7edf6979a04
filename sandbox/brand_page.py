"""Demo brand pages: pages of a brand's own site with the chat window embedded by the one snippet, under a strict CSP
(no 'unsafe-inline'). They are not part of LivePerson's stand-in: they live here because a brand's pages and the
window must be on two origins, and the sandbox's is the other one `make run` has.

- `/brand/` (the unmonitored flow): the loader shows the engagements itself: its launcher, a proactive invitation
  (`?invite=N`: after N seconds on the page) and an engagement placed in the page's content; the host-page API in
  use and a live log of the window's events.
- `/brand/monitored/` (the monitored flow): a stand-in of LivePerson's tag (`brand/tag.js`, see there: what it
  assumes) creates the consumer's session, shows an engagement that follows availability, and on a click hands the
  engagement's data to the brand's method, which hands them to the window (`LPChatWindow.launch`).

Both take `?mode=popup` and `?preload=impression` (the loader's options), `?window=signin` (embed the dev server's
window at `/signin/`, whose consumers sign in, with `OIDC=1`), and `?account=…` (the sandbox account the tag uses;
the window's is its configuration's).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

BRAND = Path(__file__).parent / "brand"
MEDIA = {".js": "text/javascript", ".css": "text/css"}
DEFAULT_ACCOUNT = "12345678"
# The loader's data- options a page shows: query parameter → (its data- attribute, the values it takes); anything
# else is left out.
OPTIONS = {
    "mode": ("data-mode", re.compile(r"(panel|popup)")),
    "preload": ("data-preload", re.compile(r"impression")),
    "invite": ("data-invite-after", re.compile(r"[0-9]{1,3}")),
}
PAGES = {"/brand/": "index.html", "/brand/monitored/": "monitored.html"}
ASSETS = ("brand.js", "brand.css", "tag.js", "monitored.js")


def routes(window_origins: list[str]) -> list[Route]:
    """The pages embed the window served at the first of `window_origins` (the window's server answers the others
    too), and their policy names those origins and no other."""
    window_origin = window_origins[0]
    windows = " ".join(window_origins)
    policy = (
        f"default-src 'none'; script-src 'self' {windows}; frame-src {windows}; style-src 'self'; "
        "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )

    def page(name: str) -> Route:
        template = (BRAND / name).read_text().replace("{{WINDOW_ORIGIN}}", html.escape(window_origin, quote=True))

        async def endpoint(request: Request) -> Response:
            query = request.query_params
            options = " ".join(
                f'{attribute}="{value}"'
                for parameter, (attribute, allowed) in OPTIONS.items()
                if allowed.fullmatch(value := query.get(parameter, ""))
            )
            if re.fullmatch(r"[a-z]{1,20}", site := query.get("window", "")):  # another of the dev server's windows
                options += f' data-window="{html.escape(window_origin, quote=True)}/{site}/"'

            account = query.get("account", DEFAULT_ACCOUNT)
            account = account if re.fullmatch(r"[A-Za-z0-9_-]{1,40}", account) else DEFAULT_ACCOUNT
            body = template.replace("{{OPTIONS}}", options).replace("{{ACCOUNT}}", account)
            return HTMLResponse(body, headers={"content-security-policy": policy, "cache-control": "no-cache"})

        return Route(next(path for path, file in PAGES.items() if file == name), endpoint, methods=["GET"])

    def asset(name: str) -> Route:
        async def endpoint(_: Request) -> Response:
            media_type = MEDIA[Path(name).suffix]
            return FileResponse(BRAND / name, media_type=media_type, headers={"cache-control": "no-cache"})

        return Route(f"/brand/{name}", endpoint, methods=["GET"])

    return [*(page(name) for name in PAGES.values()), *(asset(name) for name in ASSETS)]
