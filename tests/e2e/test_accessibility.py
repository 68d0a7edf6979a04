"""axe-core (a well-kept audit, not our own rules) finds nothing to fix in any state or screen of a chat: idle,
pre-chat (with its errors shown), waiting (with the name question), chatting (with a pushed link and a clamped
line), the end dialog, post-chat (exit survey, transcript), offline (survey, and without one)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import Sandbox, WindowOpener
from .test_surveys import EVERY_TYPE

WAIT_MS = 15_000


def audit(page: Page, state: str, what: str = "") -> None:
    expect(page.locator("html")).to_have_attribute("data-state", state, timeout=WAIT_MS)
    results = Axe().run(page)
    assert results.response["passes"], "axe did not run"
    assert results.violations_count == 0, f"{state} {what}: {results.generate_report()}"


def test_every_state_of_a_chat_is_axe_clean(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(agent_mode="console", prechat_survey=EVERY_TYPE)
    page = open_window()
    audit(page, "idle")
    page.get_by_role("button", name="Chat now").click()
    audit(page, "prechat")
    page.get_by_role("button", name="Start chat").click()
    audit(page, "prechat", "with errors")
    page.get_by_label("Your name").fill("Dana")
    page.get_by_label("Topic").select_option("billing")
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Start chat").click()
    page.get_by_role("textbox", name="Message").fill("A question typed while waiting")
    page.get_by_role("button", name="Send").click()
    audit(page, "waiting")
    sandbox.play_agent("accept", agentName="Sam")
    sandbox.play_agent("lines", text="<p>Hello, <b>how</b> can I help?</p>", html=True)
    sandbox.play_agent("url", url="https://example.com/help")
    sandbox.play_agent("lines", text="long " * 200)
    expect(page.get_by_role("button", name="Show more")).to_be_visible(timeout=WAIT_MS)
    audit(page, "chatting")
    page.get_by_role("button", name="End chat").click()
    audit(page, "chatting", "with the end dialog open")
    page.get_by_role("button", name="Yes, end the chat").click()
    expect(page.get_by_role("button", name="Send feedback")).to_be_visible(timeout=WAIT_MS)
    audit(page, "ended")
    page.get_by_role("button", name="Send the transcript").click()
    audit(page, "ended", "with an error shown")


def test_the_offline_screens_are_axe_clean(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(available=False)
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("button", name="Send message")).to_be_visible(timeout=WAIT_MS)
    audit(page, "unavailable")
    page.get_by_role("button", name="Send message").click()
    audit(page, "unavailable", "with errors")
    sandbox.configure(offline_survey=None)
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("form")).to_have_count(0, timeout=WAIT_MS)
    audit(page, "unavailable", "without a survey")
