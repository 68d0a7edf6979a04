"""Agent strings are untrusted: HTML lines are sanitised to formatting and links, plain lines are only text; and no
click anywhere in the transcript can put an error into the consumer's page."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import Sandbox, WindowOpener

WAIT_MS = 15_000
# With on* attributes and <style>: the fixture fails on any CSP report, and parsing these must not make one.
HOSTILE = (
    '<b onclick="alert(1)">Bold</b> <script src="/x.js"></script><img src="/tracker.png" onerror="alert(2)">'
    '<style>b { color: red }</style><a href="javascript:alert(1)">bad link</a> <a href="https://example.com/help">help</a>'
    '<iframe src="/"></iframe><form action="/"><input name="card"></form>'
)


def test_agent_html_is_sanitised_and_plain_text_stays_text(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(agent_mode="console")
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting for an agent", timeout=WAIT_MS)
    sandbox.play_agent("accept", agentName="Sam")
    sandbox.play_agent("lines", text=HOSTILE, html=True)
    sandbox.play_agent("lines", text="<b>not bold</b>", html=False)

    line = page.locator(".line--agent .line__text").first
    expect(line).to_contain_text("Bold", timeout=WAIT_MS)
    expect(line.locator("b")).to_have_text("Bold")
    for tag in ("script", "img", "iframe", "form", "input"):
        expect(line.locator(tag)).to_have_count(0)
    stripped = line.locator("a", has_text="bad link")
    expect(stripped).to_have_count(1)  # the text stays, as a link that goes nowhere
    assert stripped.get_attribute("href") is None
    expect(line.get_by_role("link", name="help")).to_have_attribute("href", "https://example.com/help")
    plain = page.locator(".line--agent .line__text").nth(1)
    expect(plain).to_have_text("<b>not bold</b>", timeout=WAIT_MS)
    expect(plain.locator("b")).to_have_count(0)


def test_clicks_anywhere_in_the_transcript_never_put_an_error_in_the_page(
    open_window: WindowOpener, sandbox: Sandbox
) -> None:
    sandbox.configure(agent_mode="console")
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting for an agent", timeout=WAIT_MS)
    sandbox.play_agent("accept", agentName="Sam")
    sandbox.play_agent("lines", text='Try <a href="javascript:alert(1)">this</a> or <b>that</b>', html=True)
    log = page.get_by_role("log")
    expect(log).to_contain_text("Try this or that", timeout=WAIT_MS)
    opened: list[str] = []
    page.context.on("page", lambda popup: opened.append(popup.url))

    page.locator(".line--agent .line__text").first.click()  # a bubble
    page.locator(".line--agent a", has_text="this").click()  # a link whose href the sanitiser removed
    page.locator(".line--agent b").click()
    page.locator(".line__by").first.click()  # a name
    box = log.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] - 5, box["y"] + box["height"] - 5)  # empty space
    page.get_by_role("textbox", name="Message").fill("still working")
    page.get_by_role("button", name="Send").click()
    expect(log).to_contain_text("still working")
    expect(page.locator(".py-error")).to_have_count(0)
    assert opened == []  # nothing navigated or opened


def test_agent_html_cannot_hide_or_relabel_its_text(open_window: WindowOpener, sandbox: Sandbox) -> None:
    """aria-* and data-* attributes are dropped: an agent's words reach a screen reader as everyone sees them, and no
    attribute of the window's own (data-retry, data-key) can be forged in a line; links go only to web, mail, phone."""
    sandbox.configure(agent_mode="console")
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting for an agent", timeout=WAIT_MS)
    sandbox.play_agent("accept", agentName="Sam")
    sandbox.play_agent(
        "lines",
        text='<span aria-hidden="true">Fees apply.</span> <a href="https://example.com/pay" aria-label="Your bank" '
        'data-retry="local-0">Pay here</a> <a href="mailto:help@example.com">mail</a> <a href="tel:+15555550100">call'
        '</a> <a href="/config.json">relative</a> <b role="button" data-key="e1">bold</b>',
        html=True,
    )
    line = page.locator(".line--agent .line__text").first
    expect(line).to_contain_text("Fees apply.", timeout=WAIT_MS)
    expect(line.get_by_text("Fees apply.")).not_to_have_attribute("aria-hidden", "true")
    expect(line.get_by_role("link", name="Pay here")).to_have_attribute("href", "https://example.com/pay")
    expect(line.get_by_role("link", name="Your bank")).to_have_count(0)
    expect(line.get_by_role("link", name="mail")).to_have_attribute("href", "mailto:help@example.com")
    expect(line.get_by_role("link", name="call")).to_have_attribute("href", "tel:+15555550100")
    assert line.locator("a", has_text="relative").get_attribute("href") is None
    attributes = line.evaluate("(text) => [...text.querySelectorAll('*')].flatMap((el) => el.getAttributeNames())")
    assert set(attributes) == {"href"}
