"""Agent strings are untrusted: HTML lines are sanitised to formatting and links, plain lines are only text."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from .conftest import Sandbox

WAIT_MS = 15_000
# No on* attributes or <style> here: Chromium reports even DOMPurify's inert parse of those as CSP violations
# (nothing applies; see docs/runtime.md), and the fixture fails on any CSP report.
HOSTILE = (
    '<b>Bold</b> <script src="/x.js"></script><img src="/tracker.png">'
    '<a href="javascript:alert(1)">bad link</a> <a href="https://example.com/help">help</a>'
    '<iframe src="/"></iframe><form action="/"><input name="card"></form>'
)


def test_agent_html_is_sanitised_and_plain_text_stays_text(open_window: Callable[[], Page], sandbox: Sandbox) -> None:
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
    expect(line.locator("a", has_text="bad link")).not_to_have_attribute("href", "javascript:alert(1)")
    expect(line.get_by_role("link", name="help")).to_have_attribute("href", "https://example.com/help")
    plain = page.locator(".line--agent .line__text").nth(1)
    expect(plain).to_have_text("<b>not bold</b>", timeout=WAIT_MS)
    expect(plain.locator("b")).to_have_count(0)
    expect(page.locator("body")).to_be_visible()
