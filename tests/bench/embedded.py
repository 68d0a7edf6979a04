"""The embedded window, as a consumer meets it: a brand's page (the sandbox's, another site than the window's) with
the one snippet; the panel's window dormant in its iframe; the consumer clicks the launcher, and the window is
there (the shell on screen, typing goes in) and then works (Python ready, the chat requested: the window says it
waits for an agent). Cold: a fresh profile. Warm: another page view of the brand's site in the same profile.
Preloaded: a fresh profile on a page whose snippet says `data-preload="impression"`, clicked once the window has
done what that preload does (its runtime started, hidden). The brand page's own main thread is measured throughout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from playwright.sync_api import BrowserContext, Frame, Page, Playwright

from tests.bench.browsing import Profile, blocking, fresh_profile, new_page, probe

Visit = Literal["cold", "warm", "preloaded"]
REQUESTED = "html[data-state=waiting], html[data-state=chatting]"


@dataclass(frozen=True)
class Opening:
    shell_ms: float  # click → the message box on screen with the focus: what is typed goes in (boot.js keeps it)
    ready_ms: float  # click → Python has taken over
    requested_ms: float  # click → able to type and the chat requested (the window waits for an agent)
    window_blocking_ms: float  # the window's main thread, click → requested: total blocking time
    window_longest_ms: float
    page_blocking_ms: float  # the brand page's main thread, from its navigation to the chat requested
    page_longest_ms: float


def window_frame(page: Page, window_origin: str) -> Frame:
    return next(frame for frame in page.frames if frame.url.startswith(window_origin))


def open_chat(context: BrowserContext, profile: Profile, brand_page: str, window_origin: str, preload: bool) -> Opening:
    page, _ = new_page(context, profile)
    page.goto(f"{brand_page}?preload=impression" if preload else brand_page)
    launcher = page.locator("body > div").get_by_role("button", name="Chat with us")
    launcher.wait_for()
    frame = window_frame(page, window_origin)
    frame.evaluate("() => window.lpcwEngagement")  # the dormant window knows its engagement (static/engage.js)
    if preload:
        frame.wait_for_selector("html[data-ready=true]", state="attached")  # started at impression (boot.js)
    launcher.click()
    frame.wait_for_selector(REQUESTED, state="attached")
    brand, window = probe(page), probe(frame)
    click = brand["clickAt"]
    requested = min(window["states"].get("waiting", float("inf")), window["states"].get("chatting", float("inf")))
    window_total, window_longest = blocking(window["longTasks"], click, requested)
    page_total, page_longest = blocking(brand["longTasks"], 0, requested)
    page.close()
    return Opening(
        shell_ms=max(window["shownAt"], window.get("focusAt", window["shownAt"])) - click,
        ready_ms=window["readyAt"] - click,
        requested_ms=requested - click,
        window_blocking_ms=window_total,
        window_longest_ms=window_longest,
        page_blocking_ms=page_total,
        page_longest_ms=page_longest,
    )


def openings(playwright: Playwright, profile: Profile, brand_page: str, window_origin: str) -> dict[Visit, Opening]:
    found: dict[Visit, Opening] = {}
    with fresh_profile(playwright, profile) as context:
        found["cold"] = open_chat(context, profile, brand_page, window_origin, preload=False)
        found["warm"] = open_chat(context, profile, brand_page, window_origin, preload=False)
    with fresh_profile(playwright, profile) as context:
        found["preloaded"] = open_chat(context, profile, brand_page, window_origin, preload=True)
    return found
