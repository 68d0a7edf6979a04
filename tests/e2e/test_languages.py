"""The window in the consumer's language, on a phone: a Hebrew chat at 320 px (right to left, Hebrew words from the
catalog, times as Hebrew writes them, an English line from the agent still reading left to right, nothing wider than
the screen, every control big enough for a finger, axe clean); the engagement's language when the configuration names
none; the configuration's over the browser's."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from .conftest import Sandbox, WindowOpener, words
from .test_accessibility import audit

WAIT_MS = 20_000
PHONE: dict[str, Any] = {
    "locale": "he-IL",
    "viewport": {"width": 320, "height": 640},
    "is_mobile": True,
    "has_touch": True,
}


def fits_the_screen(page: Page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{overflow}px wider than the screen"


def small_controls(page: Page) -> list[str]:
    """Visible controls a finger cannot hit (under 44 by 44 px)."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll(
                "button, select, textarea, input:not([type=radio]):not([type=checkbox])")]
            .filter((node) => node.offsetParent !== null)
            .map((node) => [node, node.getBoundingClientRect()])
            .filter(([, box]) => box.height < 44 || box.width < 44)
            .map(([node, box]) => `${node.id || node.className || node.tagName} ${box.width}x${box.height}`)"""
    )
    return found


def test_a_hebrew_chat_on_a_phone(open_window: WindowOpener, sandbox: Sandbox) -> None:
    he = words("he")
    sandbox.configure(language="he-IL", accept_delay_seconds=0.2, reply_delay_seconds=0.2)
    page = open_window("", PHONE)
    root = page.locator("html")
    expect(root).to_have_attribute("lang", "he")
    expect(root).to_have_attribute("dir", "rtl")
    fits_the_screen(page)
    audit(page, "idle", "Hebrew, 320 px")
    page.get_by_role("button", name=he["chat_now"]).click()
    message = page.get_by_role("textbox", name=he["message_label"])
    expect(message).to_be_focused()  # "Chat now" went away: the message box has the focus
    message.fill("שלום, איפה החבילה שלי?")
    page.get_by_role("button", name=he["send"]).click()
    log = page.get_by_role("log")
    expect(log).to_contain_text("How can I help", timeout=WAIT_MS)  # the scripted agent writes English
    expect(log).to_contain_text("שלום, איפה החבילה שלי?")
    # Right to left: the consumer's lines on the left, the agent's on the right; an English line still reads LTR.
    visitor, agent = page.locator(".line--visitor").first, page.locator(".line--agent").first
    assert visitor.bounding_box()["x"] < agent.bounding_box()["x"]  # type: ignore[index]
    assert agent.locator(".line__text").evaluate("(node) => getComputedStyle(node).direction") == "ltr"
    expected_time = page.evaluate(
        """() => new Intl.DateTimeFormat("he", {hour: "numeric", minute: "2-digit"})
            .format(new Date(document.querySelector(".line--agent time").getAttribute("datetime")))"""
    )
    expect(page.locator(".line--agent time").first).to_have_text(expected_time)
    expect(page.get_by_role("status")).to_contain_text(he["chatting"].split("{")[0].strip())
    fits_the_screen(page)
    assert small_controls(page) == []
    audit(page, "chatting", "Hebrew, 320 px")


def test_the_engagements_language_when_the_configuration_names_none(
    open_window: WindowOpener, sandbox: Sandbox
) -> None:
    es = words("es")
    sandbox.configure(language="es-ES", accept_delay_seconds=0.2)
    page = open_window("", {"locale": "en-US"})
    page.get_by_role("button", name="Chat now").click()  # the browser's English until the engagement says Spanish
    expect(page.locator("html")).to_have_attribute("lang", "es", timeout=WAIT_MS)
    expect(page.get_by_role("button", name=es["send"])).to_be_visible()
    request = sandbox.state()["chats"][0]["request"]
    assert request["language"] == "es-ES"


def test_the_configurations_language_wins_over_the_browsers(open_window: WindowOpener) -> None:
    fr = words("fr")
    page = open_window("", {"locale": "de-DE"}, language="fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name=fr["chat_now"])).to_be_visible()
    expect(page.get_by_role("log")).to_have_attribute("aria-label", fr["transcript_label"])
