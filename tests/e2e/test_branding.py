"""The brand's look from its configuration alone: a sample theme (docs/themes/) applied (colours, corner radius,
font, logo, the agent's initials) and still axe clean; a value the browser does not take reported and ignored; a pair
of colours that fails WCAG AA reported; the loader's launcher in the configured colours and words."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.servers import Servers

from .conftest import ROOT, Sandbox, Traffic, WindowOpener, use_account
from .test_accessibility import audit

WAIT_MS = 20_000
DEFAULT_ACCENT = "rgb(11, 92, 173)"  # static/window.css


def theme(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((ROOT / "docs" / "themes" / f"{name}.json").read_text())
    return loaded


def rgb(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def style(page: Page, selector: str, prop: str) -> str:
    value: str = page.locator(selector).first.evaluate(f"(node) => getComputedStyle(node)[{prop!r}]")
    return value


@pytest.mark.parametrize("name", ["harbour", "night"])
def test_a_sample_theme_from_the_configuration(
    open_window: WindowOpener, sandbox: Sandbox, traffic: Traffic, name: str
) -> None:
    look = theme(name)
    sandbox.configure(accept_delay_seconds=0.2, reply_delay_seconds=0.2)
    page = open_window("", None, theme=look, brand_name="Harbour Supplies")
    expect(page.locator(".chat__header")).to_have_css("background-color", rgb(look["accent"]))
    expect(page.locator("body")).to_have_css("background-color", rgb(look["background"]))
    assert look["font"].split(",")[0].strip("'") in style(page, "body", "fontFamily")
    if "logo" in look:
        expect(page.locator("#logo")).to_be_visible()
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("log")).to_contain_text("How can I help", timeout=WAIT_MS)
    expect(page.locator("#avatar")).to_have_text("A")  # the scripted agent, Alex
    expect(page.locator(".line--agent .line__text").first).to_have_css("border-radius", look["radius"])
    audit(page, "chatting", f"{name} theme")
    assert not [warning for warning in traffic.console_warnings if "theme" in warning]  # the samples pass AA


def test_a_colour_the_browser_does_not_take_is_reported_and_ignored(
    open_window: WindowOpener, traffic: Traffic
) -> None:
    page = open_window("", None, theme={"accent": "not-a-colour", "radius": "4px"})
    expect(page.locator(".chat__header")).to_have_css("background-color", DEFAULT_ACCENT)
    assert any("theme.accent" in warning and "not-a-colour" in warning for warning in traffic.console_warnings)
    expect(page.get_by_role("button", name="Chat now")).to_be_enabled()


def test_colours_that_fail_wcag_aa_are_reported(open_window: WindowOpener, traffic: Traffic) -> None:
    page = open_window("", None, theme={"accent": "#ffcc00", "accent_text": "#ffffff"})
    expect(page.locator(".chat__header")).to_have_css("background-color", rgb("#ffcc00"))  # the brand's choice stands
    assert any("buttons and the header" in warning and "contrast" in warning for warning in traffic.console_warnings)


def test_the_launcher_takes_the_configured_look(
    brand: tuple[BrowserContext, list[str]], servers: Servers, sandbox: Sandbox
) -> None:
    context, _ = brand
    look = theme("harbour")
    use_account(context, sandbox.account_id, theme=look)
    page = context.new_page()
    page.goto(f"{servers.sandbox_origin}/brand/")
    launcher = page.locator("body > div").get_by_role("button", name=look["launcher_label"])
    expect(launcher).to_be_visible(timeout=WAIT_MS)
    expect(launcher).to_have_css("background-color", rgb(look["accent"]))
