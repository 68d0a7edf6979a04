"""The README's pictures, made by the window itself: the pre-chat survey, a chat with a pushed link and a transfer,
the post-chat screen, the demo brand page with the panel open, each sample theme, and a Hebrew chat on a phone.
They go to test-results/screenshots/ on every run (each checked to show what it should); `UPDATE_SCREENSHOTS=1 make
test` writes them into docs/screenshots/."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.servers import Servers

from .conftest import ROOT, Sandbox, WindowOpener, use_account, words
from .test_embedding import launcher_of

WAIT_MS = 20_000
PLACE = ROOT / ("docs/screenshots" if os.environ.get("UPDATE_SCREENSHOTS") else "test-results/screenshots")
SIZE: ViewportSize = {"width": 420, "height": 720}


def shoot(page: Page, name: str) -> Path:
    PLACE.mkdir(parents=True, exist_ok=True)
    path = PLACE / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    return path


def test_the_chat_screens(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(
        agent_mode="console",
        prechat_survey={
            "id": 40216,
            "header": "Before we start",
            "questions": [
                {"id": 1, "type": "Text Field", "logicId": 1, "order": 0, "mandatory": True, "label": "Your name"},
                {
                    "id": 2, "type": "Dropdown Box", "logicId": 2, "order": 1, "mandatory": True,
                    "label": "What is your question about?",
                    "entry": [{"value": "orders", "displayValue": "My order"}, {"value": "x", "displayValue": "Else"}],
                },
                {
                    "id": 3, "type": "Radio Button (side by side)", "logicId": 3, "order": 2, "label": "A member?",
                    "entry": [{"value": "yes", "displayValue": "Yes"}, {"value": "no", "displayValue": "No"}],
                },
            ],
        },
    )  # fmt: skip
    page = open_window()
    page.set_viewport_size(SIZE)
    page.get_by_role("button", name="Chat now").click()
    page.get_by_label("Your name").fill("Dana")
    expect(page.get_by_role("button", name="Start chat")).to_be_visible(timeout=WAIT_MS)
    shoot(page, "prechat")
    page.get_by_label("What is your question about?").select_option("orders")
    page.get_by_role("button", name="Start chat").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting", timeout=WAIT_MS)
    sandbox.play_agent("accept", agentName="Sam")
    page.get_by_role("textbox", name="Message").fill("Where is my parcel?")
    page.keyboard.press("Enter")
    sandbox.play_agent("lines", text="Let me check. You can follow it here:")
    sandbox.play_agent("url", url="https://www.example.com/track?order=1234")
    sandbox.play_agent("transfer", agentName="Robin")
    sandbox.play_agent("lines", text="Hi Dana, Robin here: it <b>ships today</b>.", html=True)
    expect(page.get_by_role("log")).to_contain_text("ships today", timeout=WAIT_MS)
    shoot(page, "chat")
    page.get_by_role("button", name="End chat").click()
    page.get_by_role("button", name="Yes, end the chat").click()
    expect(page.get_by_role("button", name="Send feedback")).to_be_visible(timeout=WAIT_MS)
    shoot(page, "postchat")


def test_the_brand_page_with_the_panel_open(browser: Browser, servers: Servers, sandbox: Sandbox) -> None:
    sandbox.configure(accept_delay_seconds=0.3, reply_delay_seconds=0.3)
    context = browser.new_context(viewport={"width": 1100, "height": 760})
    use_account(context, sandbox.account_id)
    page = context.new_page()
    page.goto(f"{servers.sandbox_origin}/brand/")
    launcher_of(page).click()
    window = page.frame_locator("iframe[title='Chat with Sandbox Brand']")
    expect(window.get_by_role("log")).to_contain_text("Hi, I'm Alex", timeout=WAIT_MS)
    window.get_by_role("textbox", name="Message").fill("Do you ship abroad?")
    window.get_by_role("textbox", name="Message").press("Enter")
    expect(window.get_by_role("log")).to_contain_text("You said", timeout=WAIT_MS)
    shoot(page, "brand-page")
    context.close()


@pytest.mark.parametrize("name", ["harbour", "night"])
def test_each_sample_theme(open_window: WindowOpener, sandbox: Sandbox, name: str) -> None:
    sandbox.configure(agent_mode="console")
    look = json.loads((ROOT / "docs" / "themes" / f"{name}.json").read_text())
    page = open_window("", {"viewport": SIZE}, theme=look, brand_name="Harbour Supplies")
    page.get_by_role("button", name="Chat now").click()
    expect(page.locator("html")).to_have_attribute("data-state", "waiting", timeout=WAIT_MS)
    sandbox.play_agent("accept", agentName="Morgan Lee")
    page.get_by_role("textbox", name="Message").fill("Can I change my delivery address?")
    page.keyboard.press("Enter")
    sandbox.play_agent("lines", text="Of course. Which order is it?")
    expect(page.get_by_role("log")).to_contain_text("Which order", timeout=WAIT_MS)
    expect(page.locator("#avatar")).to_have_text("ML")
    shoot(page, f"theme-{name}")


def test_a_hebrew_chat_on_a_phone(open_window: WindowOpener, sandbox: Sandbox) -> None:
    he = words("he")
    sandbox.configure(agent_mode="console", language="he-IL")
    phone = {"locale": "he-IL", "viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
    page = open_window("", phone, brand_name="מותג לדוגמה")
    page.get_by_role("button", name=he["chat_now"]).click()
    expect(page.locator("html")).to_have_attribute("data-state", "waiting", timeout=WAIT_MS)
    sandbox.play_agent("accept", agentName="נועה")
    page.get_by_role("textbox", name=he["message_label"]).fill("שלום, מתי תגיע ההזמנה שלי?")
    page.keyboard.press("Enter")
    sandbox.play_agent("lines", text="שלום! ההזמנה יצאה היום ותגיע תוך יומיים.")
    sandbox.play_agent("lines", text="Tracking: https://www.example.com/track?order=1234")
    expect(page.get_by_role("log")).to_contain_text("Tracking", timeout=WAIT_MS)
    shoot(page, "hebrew-360")
