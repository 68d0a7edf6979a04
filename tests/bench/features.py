"""What each part of the window loaded only when first used costs then: surveys, sign-in, engagement attributes, a
brand's theme. Read from the window's own User Timing measures (`import window.…`, window/import_timing.py): the
modules' first import, which builds their models too."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from playwright.sync_api import BrowserContext, Page, Playwright, Route

from sandbox.config import DEMO_ACCOUNT_ID
from tests.bench.browsing import Profile, fresh_profile, new_page, probe
from tests.bench.serving import Sites

FEATURES = {
    "surveys": ("window.screens.prechat", "window.screens.survey_form", "window.forms", "window.models.survey"),
    "sign-in": ("window.screens.signin", "window.signin", "window.models.auth"),
    "attributes": ("window.attributes", "window.models.attributes"),
    "theme": ("window.theme", "window.contrast"),
}
ATTRIBUTE = {"type": "ctmrinfo", "info": {"customerId": "bench-1", "ctype": "vip"}}


def configured(context: BrowserContext, **fields: object) -> None:
    """The window's config.json with these fields changed, for every page of this browser."""

    def handle(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=json.dumps(json.loads(response.text()) | fields))

    context.route("**/config.json", handle)


def first_use(measures: list[list[object]], modules: tuple[str, ...]) -> float | None:
    """The time the feature's modules took to import, each counted once (not again inside another of them)."""
    spans = [(float(start), float(start) + float(took)) for name, start, took in measures if str(name)[7:] in modules]  # type: ignore[arg-type]
    own = [(s, e) for s, e in spans if not any(o != (s, e) and o[0] <= s and e <= o[1] for o in spans)]
    return sum(e - s for s, e in own) if own else None


def use(
    playwright: Playwright, profile: Profile, sites: Sites, fields: Mapping[str, object], then: Callable[[Page], None]
) -> list[list[object]]:
    with fresh_profile(playwright, profile) as context:
        configured(context, **fields)
        page, _ = new_page(context, profile)
        page.goto(sites.window)
        page.wait_for_selector("html[data-ready=true]", state="attached")
        then(page)
        page.wait_for_timeout(500)  # the measures of the last imports reach the probe's observer
        measures: list[list[object]] = probe(page)["measures"]
    return measures


def chat_now(state: str) -> Callable[[Page], None]:
    def click(page: Page) -> None:
        page.get_by_role("button", name="Chat now").click()
        page.wait_for_selector(f"html[data-state={state}]", state="attached")

    return click


def first_uses(playwright: Playwright, profile: Profile, sites: Sites, account: str) -> dict[str, float | None]:
    """Surveys (the demo account's pre-chat survey), with a theme and an engagement attribute from the configuration;
    then sign-in (an engagement that asks for it; the provider need not answer for its screen to load)."""
    branded = {"account_id": DEMO_ACCOUNT_ID, "theme": {"accent": "#7a1f5c"}, "engagement_attributes": [ATTRIBUTE]}
    measures = use(playwright, profile, sites, branded, chat_now("prechat"))
    sites.account(account, agent_mode="console", authenticated_engagement=True)
    auth = {"auth": {"issuer": f"{sites.sandbox}/no-provider", "client_id": "bench"}, "account_id": account}
    measures += use(playwright, profile, sites, auth, chat_now("signin"))
    sites.account(account, agent_mode="console", authenticated_engagement=False)
    return {feature: first_use(measures, modules) for feature, modules in FEATURES.items()}
