"""axe-core (a well-kept audit, not our own rules) finds nothing to fix in any state of a chat."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import Sandbox, WindowOpener

WAIT_MS = 15_000


def audit(page: Page, state: str) -> None:
    expect(page.locator("html")).to_have_attribute("data-state", state, timeout=WAIT_MS)
    results = Axe().run(page)
    assert results.response["passes"], "axe did not run"
    assert results.violations_count == 0, f"{state}: {results.generate_report()}"


def test_every_state_of_a_chat_is_axe_clean(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(agent_mode="console")
    page = open_window()
    audit(page, "idle")
    page.get_by_role("button", name="Chat now").click()
    page.get_by_role("textbox", name="Message").fill("A question typed while waiting")
    page.get_by_role("button", name="Send").click()
    audit(page, "waiting")
    sandbox.play_agent("accept", agentName="Sam")
    sandbox.play_agent("lines", text="<p>Hello, <b>how</b> can I help?</p>", html=True)
    expect(page.get_by_role("log")).to_contain_text("how can I help", timeout=WAIT_MS)
    audit(page, "chatting")
    page.get_by_role("button", name="End chat").click()
    audit(page, "ended")


def test_the_unavailable_state_is_axe_clean(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(available=False)
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    audit(page, "unavailable")
