"""A wrong configuration shows a clear message in the window and in the console: never a blank page or a traceback."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from tests.servers import start_servers, stop

from .conftest import READY_TIMEOUT_MS


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
