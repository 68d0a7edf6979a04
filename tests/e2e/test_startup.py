"""The shell paints before Python, with its accessible names, and takes typing at once; if Python never comes, the
window says so."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.servers import Servers


def test_the_shell_works_without_python_and_a_failed_start_is_explained(browser: Browser, servers: Servers) -> None:
    page = browser.new_page()
    page.route("**/pyodide.asm.wasm", lambda route: route.abort())  # the runtime cannot be downloaded
    page.goto(servers.window_url)

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("button", name="Chat now")).to_be_disabled()
    message = page.get_by_role("textbox", name="Message")
    message.fill("typed before Python")  # kept: shown at once, for Python to send once it is ready
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("log")).to_have_text("typed before Python")
    expect(message).to_have_value("")
    expect(page.get_by_role("status")).to_have_text(
        "The chat could not start. Please check your connection and reload the page.", timeout=30_000
    )
    assert page.locator("html").get_attribute("data-ready") is None
    assert "Traceback" not in page.inner_text("body")
    page.close()
