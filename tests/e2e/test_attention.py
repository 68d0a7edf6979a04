"""Lines that arrive while the consumer looks elsewhere: counted in the page's title while the window's tab is
hidden, and on the launcher and in the brand page's title while the panel is closed (with the host API's `unread`
event), cleared once the consumer looks; the opt-in tone, and the lines' motion only for who wants it."""

from __future__ import annotations

import pytest
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


NOTES = 2  # in a tone: window/attention.py's TONE_HZ (that module needs the page's `js`)
# Counts the notes the page starts (one oscillator each).
COUNT_TONES = """(() => {
  window.lpNotes = 0;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) { window.lpNotes += 1; return start.apply(this, args); };
})();"""


@pytest.mark.parametrize("sound", [True, False])
def test_the_opt_in_tone_sounds_for_a_line_in_a_hidden_tab_only(
    open_window: WindowOpener, sandbox: Sandbox, sound: bool
) -> None:
    sandbox.configure(agent_mode="console")

    def count_tones(page: Page) -> None:
        page.add_init_script(COUNT_TONES)

    page = open_window(before_load=count_tones, sound=sound)
    page.get_by_role("button", name="Chat now").click()  # the consumer's gesture lets the page make sound
    expect(page.get_by_role("status")).to_contain_text("Waiting", timeout=WAIT_MS)
    sandbox.play_agent("accept", agentName="Sam")
    sandbox.play_agent("lines", text="A line the consumer sees")
    expect(page.get_by_role("log")).to_contain_text("A line the consumer sees", timeout=WAIT_MS)
    assert page.evaluate("window.lpNotes") == 0
    switch_tab(page, hidden=True)
    sandbox.play_agent("lines", text="A line in a hidden tab")
    expect(page).to_have_title("(1) Sandbox Brand", timeout=WAIT_MS)
    assert page.evaluate("window.lpNotes") == (NOTES if sound else 0)


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_lines_move_in_only_for_consumers_who_want_motion(
    open_window: WindowOpener, sandbox: Sandbox, motion: str
) -> None:
    page = open_window("", {"reduced_motion": motion})
    page.get_by_role("button", name="Chat now").click()
    line = page.locator(".line--agent").first
    expect(line).to_be_visible(timeout=WAIT_MS)
    animation = line.evaluate("(line) => getComputedStyle(line).animationName")
    assert animation == ("none" if motion == "reduce" else "line-in")
