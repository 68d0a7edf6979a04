"""Lines that arrive while the consumer looks elsewhere: counted in the page's title while the window's tab is
hidden, and on the launcher and in the brand page's title while the panel is closed (with the host API's `unread`
event), cleared once the consumer looks."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page, expect

from tests.servers import Servers

from .conftest import Sandbox, WindowOpener, use_account
from .test_embedding import chat, events, launcher_of

WAIT_MS = 20_000
# Headless Chromium keeps every page visible whatever tab is in front (w3c/webdriver#1718): the test changes the
# document's visibility as the browser does when the consumer switches tabs (the property, then the event).
VISIBILITY = """(hidden) => {
  const state = hidden ? "hidden" : "visible";
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def switch_tab(page: Page, hidden: bool) -> None:
    page.evaluate(VISIBILITY, hidden)


def test_a_hidden_tab_counts_the_agents_lines_in_its_title(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(agent_mode="console")
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting", timeout=WAIT_MS)
    sandbox.play_agent("accept", agentName="Sam")
    expect(page.get_by_role("status")).to_contain_text("Sam", timeout=WAIT_MS)
    switch_tab(page, hidden=True)  # the consumer goes to another tab
    sandbox.play_agent("lines", text="Are you still there?")
    sandbox.play_agent("lines", text="I found your order.")
    expect(page).to_have_title("(2) Sandbox Brand", timeout=WAIT_MS)
    switch_tab(page, hidden=False)  # and comes back
    expect(page).to_have_title("Sandbox Brand")


def test_a_closed_panel_counts_on_the_launcher_and_in_the_pages_title(
    brand: tuple[BrowserContext, list[str]], servers: Servers, sandbox: Sandbox
) -> None:
    context, _ = brand
    sandbox.configure(agent_mode="console")
    use_account(context, sandbox.account_id)
    page = context.new_page()
    page.goto(f"{servers.sandbox_origin}/brand/")
    title = page.title()
    launcher = launcher_of(page)
    launcher.click()
    expect(chat(page).get_by_role("status")).to_contain_text("Waiting", timeout=WAIT_MS)
    sandbox.play_agent("accept", agentName="Sam")
    expect(chat(page).get_by_role("status")).to_contain_text("Sam", timeout=WAIT_MS)
    page.keyboard.press("Escape")  # the panel closes; the chat goes on
    sandbox.play_agent("lines", text="Take your time.")
    expect(launcher).to_contain_text("1", timeout=WAIT_MS)
    expect(page).to_have_title(f"(1) {title}")
    assert 'unread {"count":1}' in events(page)
    launcher.click()
    expect(page).to_have_title(title)
    expect(page.locator("body > div").locator(".badge")).to_be_hidden()
