"""End-to-end fixtures: the real dev server and sandbox (`python -m devserver`), one Debian Chromium for all of them.

Package-scoped, not session-scoped: sync Playwright keeps an event loop running in the main thread while it is
open, which would break the async tests of other packages collected after these.
"""

from __future__ import annotations

import json
import runpy
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, sync_playwright

from tests.servers import Servers, start_servers, stop

ROOT = Path(__file__).resolve().parents[2]
LAUNCH_OPTIONS: dict[str, Any] = runpy.run_path(str(ROOT / "playwright.config.py"))["LAUNCH_OPTIONS"]
READY_TIMEOUT_MS = 60_000  # a cold Pyodide start on a loaded 2-core machine


@pytest.fixture(scope="package")
def servers() -> Iterator[Servers]:
    # With the development OpenID provider (signed-in chats), and the sandbox on a clock the tests may move on.
    running = start_servers({"OIDC": "1", "SANDBOX_CLOCK": "virtual"})
    yield running
    stop(running)


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(**LAUNCH_OPTIONS)
    yield browser
    browser.close()


@dataclass
class Sandbox:
    """The sandbox's control API, for one account of this test's own."""

    origin: str
    account_id: str = field(default_factory=lambda: f"e2e{uuid.uuid4().hex[:10]}")

    def configure(self, **settings: object) -> None:
        url = f"{self.origin}/sandbox/accounts/{self.account_id}/settings"
        httpx.put(url, json=settings, timeout=10).raise_for_status()

    def play_agent(self, action: str, **body: object) -> None:
        """Acts as the agent on this account's one chat, through the agent console's own API."""
        chat_id = self.state()["chats"][0]["chatId"]
        url = f"{self.origin}/console/api/accounts/{self.account_id}/chats/{chat_id}/{action}"
        httpx.post(url, json=body, timeout=10).raise_for_status()

    def state(self) -> dict[str, Any]:
        response = httpx.get(f"{self.origin}/sandbox/accounts/{self.account_id}/state", timeout=10)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def add_fault(self, **fault: object) -> str:
        """A fault on this account's requests (docs/sandbox.md, Faults); its id."""
        response = httpx.post(f"{self.origin}/sandbox/accounts/{self.account_id}/faults", json=fault, timeout=10)
        response.raise_for_status()
        return str(response.json()["id"])

    def remove_faults(self) -> None:
        httpx.delete(f"{self.origin}/sandbox/accounts/{self.account_id}/faults", timeout=10).raise_for_status()

    def restart(self) -> None:
        """As if the sandbox restarted: this account's chats are gone."""
        httpx.post(f"{self.origin}/sandbox/accounts/{self.account_id}/restart", timeout=10).raise_for_status()

    def advance_clock(self, seconds: float) -> None:
        """Moves the sandbox's virtual clock on (the e2e servers run with SANDBOX_CLOCK=virtual)."""
        httpx.post(f"{self.origin}/sandbox/clock", json={"advance": seconds}, timeout=10).raise_for_status()


@pytest.fixture
def sandbox(servers: Servers) -> Sandbox:
    return Sandbox(servers.sandbox_origin)


@dataclass
class Traffic:
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)  # what the window tells the site owner
    pages: list[Page] = field(default_factory=list)

    def foreign(self, allowed: set[str]) -> list[str]:
        """Requests to any origin but the allowed ones (blob: and data: URLs are made in the page itself)."""
        origins = ((url, urlsplit(url)) for url in self.requests)
        return [
            url for url, p in origins if p.scheme not in ("blob", "data") and f"{p.scheme}://{p.netloc}" not in allowed
        ]


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


def use_account(page: Page | BrowserContext, account_id: str, **config_fields: object) -> None:
    """Points the windows of this page (or of every page of this context: iframes, popups) at the test's own sandbox
    account (the served config, with its `account_id` and any other `config_fields` changed)."""

    def handle(route: Route) -> None:
        response = route.fetch()
        config = json.loads(response.text())
        config |= {"account_id": account_id, **config_fields}
        route.fulfill(response=response, body=json.dumps(config))

    page.route("**/config.json", handle)


class WindowOpener(Protocol):
    def __call__(
        self,
        site: str = "",
        context: dict[str, Any] | None = None,
        /,
        *,
        before_load: Callable[[Page], None] | None = None,
        **config_fields: object,
    ) -> Page: ...


@pytest.fixture
def open_window(browser: Browser, servers: Servers, sandbox: Sandbox, traffic: Traffic) -> Iterator[WindowOpener]:
    """Opens the window (of the dev server's `site`, e.g. "signin/") in a fresh browser context (made with `context`'s
    options: locale, viewport, …) on this test's account (and with `config_fields` changed in its configuration;
    `before_load` readies the page first); afterwards checks that no request left the machine, nothing was refused by
    the CSP, and no error ever reached the page or the console as a Python traceback."""
    contexts = []

    def opener(
        site: str = "",
        options: dict[str, Any] | None = None,
        /,
        *,
        before_load: Callable[[Page], None] | None = None,
        **config_fields: object,
    ) -> Page:
        context = browser.new_context(**(options or {}))
        contexts.append(context)
        page = context.new_page()
        traffic.pages.append(page)
        page.on("request", lambda request: traffic.requests.append(request.url))
        page.on("console", lambda msg: traffic.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("console", lambda msg: traffic.console_warnings.append(msg.text) if msg.type == "warning" else None)
        use_account(page, sandbox.account_id, **config_fields)
        if before_load is not None:
            before_load(page)
        page.goto(f"{servers.window_url}{site}")
        page.wait_for_selector("html[data-ready=true]", timeout=READY_TIMEOUT_MS, state="attached")
        return page

    yield opener
    check_pages(traffic)
    for context in contexts:
        context.close()
    check_traffic(traffic, servers.origins)


def check_pages(traffic: Traffic) -> None:
    """PyScript draws errors as .py-error blocks: none may ever be in the consumer's page."""
    for page in traffic.pages:
        if not page.is_closed():
            assert page.locator(".py-error").count() == 0, page.locator(".py-error").all_inner_texts()


def check_traffic(traffic: Traffic, origins: set[str]) -> None:
    """No traceback in the console, no request beyond `origins`, nothing refused by the CSP (the page runs under one
    with neither 'unsafe-inline' nor 'unsafe-eval', and nothing may make it report anything)."""
    assert [error for error in traffic.console_errors if "Traceback" in error] == []
    assert traffic.foreign(origins) == [], "the window fetched from beyond the window and the sandbox"
    assert [error for error in traffic.console_errors if "Content Security Policy" in error] == []


@pytest.fixture
def brand(browser: Browser) -> Iterator[tuple[BrowserContext, list[str]]]:
    """A browser context for a brand's page and the windows it opens; its console errors collected, and afterwards
    none may be a refusal by a CSP or a Python traceback."""
    context = browser.new_context()
    errors: list[str] = []
    context.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield context, errors
    context.close()
    assert [error for error in errors if "Content Security Policy" in error or "Traceback" in error] == []


def words(language: str) -> dict[str, str]:
    """A catalog's strings by key (its plural ones left out): the names tests look for, in the window's language."""
    with (ROOT / "window" / "locales" / f"{language}.po").open("rb") as source:
        catalog = read_po(source, locale=language)
    return {message.id: str(message.string) for message in catalog if isinstance(message.id, str) and message.id}
