"""Text that breaks widgets: nothing either side sends may widen the window, hide its controls or be taken for
markup. Long words and lines, emoji, right-to-left lines in a left-to-right window, newlines, HTML-looking consumer
text, a 4,000-character line; and from the agent a <pre> that never wraps, a 300-deep list, a 3,000-character name
and a 100 KB line."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import Sandbox, WindowOpener

WAIT_MS = 15_000


def no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate(
        """() => {
          const log = document.getElementById("transcript"), root = document.documentElement;
          return [root.scrollWidth, root.clientWidth, log.scrollWidth, log.clientWidth];
        }"""
    )
    page_scroll, page_width, log_scroll, log_width = widths
    assert page_scroll <= page_width and log_scroll <= log_width, widths


def test_nothing_sent_either_way_widens_the_window_or_hides_its_controls(
    open_window: WindowOpener, sandbox: Sandbox
) -> None:
    sandbox.configure(agent_mode="console")
    page = open_window()
    page.set_viewport_size({"width": 360, "height": 720})
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting for an agent", timeout=WAIT_MS)
    sandbox.play_agent("accept", agentName="A" * 3000)
    message = page.get_by_role("textbox", name="Message")
    log = page.get_by_role("log")
    consumer_lines = [
        "x" * 500,  # one long word
        "emoji 😀👍🏽🇫🇷 and a family 👨‍👩‍👧",
        "שלום, מה שלומך? a Hebrew line in an English window",
        "first line\nsecond line",
        "<b>not bold</b> <script>alert(1)</script>",
        "y " * 2000,  # 4,000 characters
    ]
    for text in consumer_lines:
        message.fill(text)
        page.keyboard.press("Enter")
    expect(log.locator(".line--visitor")).to_have_count(len(consumer_lines), timeout=WAIT_MS)
    visitor = log.locator(".line--visitor .line__text")
    expect(visitor.nth(4)).to_have_text("<b>not bold</b> <script>alert(1)</script>")
    expect(log.locator(".line--visitor b, .line--visitor script")).to_have_count(0)
    assert visitor.nth(2).get_attribute("dir") == "auto"  # each line in its own direction
    assert visitor.nth(3).inner_text() == "first line\nsecond line"

    sandbox.play_agent("lines", text="<pre>" + "z" * 500 + "</pre>", html=True)  # short of the clamp: must wrap
    sandbox.play_agent("lines", text="<ul><li>" * 300 + "deep" + "</li></ul>" * 300, html=True)
    sandbox.play_agent("lines", text="w" * 100_000)
    expect(log.locator(".line--agent")).to_have_count(3, timeout=WAIT_MS)
    longest = log.locator(".line--agent").last
    expect(longest.get_by_role("button", name="Show more")).to_be_visible()
    height = longest.locator(".line__text").bounding_box()
    assert height is not None and height["height"] < 400  # clamped, not a 75,000 px bubble
    longest.get_by_role("button", name="Show more").click()
    expect(longest.get_by_role("button", name="Show less")).to_be_visible()

    no_horizontal_scroll(page)
    for control in (page.get_by_role("button", name="End chat"), message, page.get_by_role("button", name="Send")):
        expect(control).to_be_in_viewport()
    status = page.get_by_role("status").bounding_box()
    assert status is not None and status["height"] < 120  # the name is cut in the sentence
