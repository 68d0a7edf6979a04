"""axe-core (a well-kept audit, not our own rules) finds nothing to fix in any state or screen of a chat, left to right
(English) and right to left (Hebrew), on a phone (320 px, the narrowest the window is made for) and a desktop (1280
px): idle, pre-chat (with its errors shown), waiting (with the name question), chatting (with a pushed link and a
clamped line), the end dialog, post-chat (exit survey, transcript), offline (survey, and without one), sign-in
(tests/e2e/test_signin.py), and the brand page's launcher, invitation and panel."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.servers import Servers

from .conftest import Sandbox, WindowOpener, use_account, words
from .test_surveys import EVERY_TYPE

WAIT_MS = 15_000
PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
# name → (the window's language, the engagement's, the browser context's options)
LAYOUTS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "ltr-1280": ("en", "en-US", {"locale": "en-US", **DESKTOP}),
    "ltr-320": ("en", "en-US", {"locale": "en-US", **PHONE}),
    "rtl-1280": ("he", "he-IL", {"locale": "he-IL", **DESKTOP}),
    "rtl-320": ("he", "he-IL", {"locale": "he-IL", **PHONE}),
}


def audit(page: Page, state: str, what: str = "") -> None:
    expect(page.locator("html")).to_have_attribute("data-state", state, timeout=WAIT_MS)
    settled(page)
    results = Axe().run(page)
    assert results.response["passes"], "axe did not run"
    assert results.violations_count == 0, f"{state} {what}: {results.generate_report()}"


def settled(page: Page) -> None:
    """New lines fade in (unless the consumer asked for less motion): audit the colours they end with."""
    for _ in range(50):
        if page.evaluate("() => document.getAnimations().every((animation) => animation.playState !== 'running')"):
            return
        page.wait_for_timeout(50)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_state_of_a_chat_is_axe_clean(open_window: WindowOpener, sandbox: Sandbox, layout: str) -> None:
    language, engagement_language, options = LAYOUTS[layout]
    w = words(language)
    sandbox.configure(agent_mode="console", prechat_survey=EVERY_TYPE, language=engagement_language)
    page = open_window("", options)
    audit(page, "idle", layout)
    page.get_by_role("button", name=w["chat_now"]).click()
    audit(page, "prechat", layout)
    page.get_by_role("button", name=w["prechat_submit"]).click()
    audit(page, "prechat", f"{layout} with errors")
    page.get_by_label("Your name").fill("Dana")
    page.get_by_label("Topic").select_option("billing")
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name=w["prechat_submit"]).click()
    page.get_by_role("textbox", name=w["message_label"]).fill("A question typed while waiting")
    page.get_by_role("button", name=w["send"]).click()
    audit(page, "waiting", layout)
    sandbox.play_agent("accept", agentName="Sam")
    sandbox.play_agent("lines", text="<p>Hello, <b>how</b> can I help?</p>", html=True)
    sandbox.play_agent("url", url="https://example.com/help")
    sandbox.play_agent("lines", text="long " * 200)
    expect(page.get_by_role("button", name=w["show_more"])).to_be_visible(timeout=WAIT_MS)
    audit(page, "chatting", layout)
    page.get_by_role("button", name=w["end_chat"]).click()
    audit(page, "chatting", f"{layout} with the end dialog open")
    page.get_by_role("button", name=w["end_confirm"]).click()
    expect(page.get_by_role("button", name=w["exit_submit"])).to_be_visible(timeout=WAIT_MS)
    audit(page, "ended", layout)
    page.get_by_role("button", name=w["transcript_send"]).click()
    audit(page, "ended", f"{layout} with an error shown")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_offline_screens_are_axe_clean(open_window: WindowOpener, sandbox: Sandbox, layout: str) -> None:
    language, engagement_language, options = LAYOUTS[layout]
    w = words(language)
    sandbox.configure(available=False, language=engagement_language)
    page = open_window("", options)
    page.get_by_role("button", name=w["chat_now"]).click()
    expect(page.get_by_role("button", name=w["offline_submit"])).to_be_visible(timeout=WAIT_MS)
    audit(page, "unavailable", layout)
    page.get_by_role("button", name=w["offline_submit"]).click()
    audit(page, "unavailable", f"{layout} with errors")
    sandbox.configure(offline_survey=None)
    page.get_by_role("button", name=w["chat_now"]).click()
    expect(page.get_by_role("form")).to_have_count(0, timeout=WAIT_MS)
    audit(page, "unavailable", f"{layout} without a survey")


@pytest.mark.parametrize("layout", ["ltr-1280", "ltr-320"])
def test_the_brand_pages_launcher_invitation_and_panel_are_axe_clean(
    browser: Browser, servers: Servers, sandbox: Sandbox, layout: str
) -> None:
    """The brand's page is the brand's (its language and direction are its own): audited with the window in it."""
    context = browser.new_context(**LAYOUTS[layout][2])
    use_account(context, sandbox.account_id)
    page = context.new_page()
    page.goto(f"{servers.sandbox_origin}/brand/?invite=0")
    launcher = page.locator("body > div").get_by_role("button", name="Chat with us")
    expect(launcher).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("region", name="Chat invitation")).to_be_visible(timeout=WAIT_MS)
    results = Axe().run(page)
    assert results.violations_count == 0, f"launcher and invitation, {layout}: {results.generate_report()}"
    launcher.click()
    frame = page.frame_locator("iframe[title='Chat with Sandbox Brand']")
    expect(frame.get_by_role("log")).to_be_visible(timeout=WAIT_MS)
    results = Axe().run(page)
    assert results.violations_count == 0, f"the open panel, {layout}: {results.generate_report()}"
    context.close()
