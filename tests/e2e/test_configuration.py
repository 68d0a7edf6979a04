"""A wrong configuration shows a clear message in the window and in the console: never a blank page or a traceback."""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Route, expect

from tests.servers import Servers, start_servers, stop

from .conftest import READY_TIMEOUT_MS, Sandbox, use_account

WAIT_MS = 20_000


def test_wrong_configuration_is_explained(browser: Browser, tmp_path: Path) -> None:
    bad = tmp_path / "config.json"
    bad.write_text('{"account_id": "12 34", "csds_url": "not a url", "app_key": "k", "colour": "red"}')
    servers = start_servers({"WINDOW_CONFIG": str(bad)})
    try:
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(servers.window_url)
        page.wait_for_selector("html[data-ready=true]", timeout=READY_TIMEOUT_MS, state="attached")
        expect(page.get_by_role("status")).to_contain_text("not set up correctly")
        expect(page.get_by_role("button", name="Chat now")).to_be_disabled()
        assert "Traceback" not in page.inner_text("body")
        assert Axe().run(page).violations_count == 0
        report = "\n".join(errors)
        for field in ("account_id", "csds_url", "colour"):
            assert field in report, report
        page.close()
    finally:
        stop(servers)


def test_a_service_the_pages_policy_blocks_is_said_to_the_site_owner(
    browser: Browser, servers: Servers, sandbox: Sandbox
) -> None:
    """The window's page served with a connect-src naming none of the services (a brand who wrote its own CSP): the
    console says which address the policy blocks and that the configuration is at fault; the consumer reads the
    window's own words, never a blank window."""
    context = browser.new_context()
    use_account(context, sandbox.account_id)
    errors: list[str] = []

    def narrowed(route: Route) -> None:
        response = route.fetch()
        policy = re.sub(r"connect-src [^;]*", "connect-src 'self'", response.headers["content-security-policy"])
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    context.route(servers.window_url, narrowed)
    page = context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(servers.window_url)
    page.wait_for_selector("html[data-ready=true]", timeout=READY_TIMEOUT_MS, state="attached")
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("Trying again", timeout=WAIT_MS)
    said = [error for error in errors if error.startswith("Chat window configuration")]
    assert len(said) == 1 and sandbox.origin.rsplit(":", 1)[1] in said[0], errors
    assert "Traceback" not in page.inner_text("body")
    context.close()
