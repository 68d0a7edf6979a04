"""What the agent does, as the consumer sees it: joined, transferred (the new name replaces the old), left; a pushed
URL as a safe card; the timeout ending with its reason; times on lines; and the consumer's name, asked once."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from .conftest import Sandbox, WindowOpener

WAIT_MS = 15_000


def waiting(open_window: WindowOpener, sandbox: Sandbox) -> Page:
    sandbox.configure(agent_mode="console")
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting for an agent", timeout=WAIT_MS)
    return page


def test_joined_transferred_pushed_a_link_and_left(open_window: WindowOpener, sandbox: Sandbox) -> None:
    page = waiting(open_window, sandbox)
    log = page.get_by_role("log")
    sandbox.play_agent("accept", agentName="Sam")
    expect(page.get_by_role("status")).to_have_text("You are chatting with Sam.", timeout=WAIT_MS)
    expect(log).to_contain_text("You are now chatting with Sam.")
    expect(log.locator(".line--system time").first).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\dT"))
    expect(log.locator(".line--system time").first).to_have_text(
        re.compile(r"^\d{1,2}:\d\d")
    )  # localised, e.g. 7:52 PM

    sandbox.play_agent("url", url="https://example.com/help?topic=refunds")
    card = log.get_by_role("link", name="example.com")
    expect(card).to_have_attribute("href", "https://example.com/help?topic=refunds", timeout=WAIT_MS)
    expect(card).to_have_attribute("target", "_blank")
    expect(card).to_have_attribute("rel", "noopener noreferrer")

    sandbox.play_agent("transfer", agentName="Robin")
    expect(page.get_by_role("status")).to_have_text("You are chatting with Robin.", timeout=WAIT_MS)
    expect(page.locator("#agent")).to_have_text("Robin")
    sandbox.play_agent("lines", text="Robin here.")
    expect(log.locator(".line--agent .line__by").last).to_have_text("Robin", timeout=WAIT_MS)
    sandbox.play_agent("end")
    expect(page.get_by_role("status")).to_have_text("The agent ended the chat.", timeout=WAIT_MS)


def test_a_chat_the_server_timed_out_says_why(open_window: WindowOpener, sandbox: Sandbox) -> None:
    page = waiting(open_window, sandbox)
    sandbox.play_agent("accept", agentName="Sam")
    expect(page.get_by_role("status")).to_contain_text("chatting", timeout=WAIT_MS)
    chat_id = sandbox.state()["chats"][0]["chatId"]
    httpx.post(f"{sandbox.origin}/sandbox/accounts/{sandbox.account_id}/chats/{chat_id}/timeout").raise_for_status()
    expect(page.get_by_role("status")).to_have_text("The chat ended because nobody wrote for a while.", timeout=WAIT_MS)


def test_the_name_is_asked_once_and_shown_to_the_agent_and_on_own_lines(
    open_window: WindowOpener, sandbox: Sandbox
) -> None:
    page = waiting(open_window, sandbox)
    name = page.get_by_role("textbox", name="Your name for the agent (optional)")
    expect(name).to_be_visible()
    name.fill("Dana")
    page.get_by_role("button", name="Save name").click()
    expect(name).to_be_hidden()
    sandbox.play_agent("accept", agentName="Sam")
    page.get_by_role("textbox", name="Message").fill("hi")
    page.keyboard.press("Enter")
    expect(page.get_by_role("log").locator(".line--visitor .line__by")).to_have_text("Dana", timeout=WAIT_MS)
    assert sandbox.state()["chats"][0]["visitorName"] == "Dana"
    expect(name).to_be_hidden()


def test_not_now_puts_the_name_question_away(open_window: WindowOpener, sandbox: Sandbox) -> None:
    page = waiting(open_window, sandbox)
    page.get_by_role("button", name="Not now").click()
    expect(page.get_by_role("textbox", name="Your name for the agent (optional)")).to_be_hidden()
    sandbox.play_agent("accept", agentName="Sam")
    page.get_by_role("textbox", name="Message").fill("hi")
    page.keyboard.press("Enter")
    expect(page.get_by_role("log").locator(".line--visitor .line__by")).to_have_text("You", timeout=WAIT_MS)
