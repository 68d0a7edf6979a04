"""The whole chat by keyboard: Tab reaches "Chat now", the focus goes to the message box when the chat starts, Enter
sends and Shift+Enter starts a new line, the end dialog takes the focus and gives it back on Escape, and the focus
is always visible."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import Sandbox, WindowOpener

WAIT_MS = 20_000


def test_a_chat_by_keyboard_alone(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(accept_delay_seconds=0.2, reply_delay_seconds=0.2)
    page = open_window()
    start = page.get_by_role("button", name="Chat now")
    for _ in range(10):
        page.keyboard.press("Tab")
        if start.evaluate("(node) => node === document.activeElement"):
            break
    expect(start).to_be_focused()
    assert start.evaluate("(node) => getComputedStyle(node).outlineStyle") != "none"  # the focus is visible
    page.keyboard.press("Enter")
    message = page.get_by_role("textbox", name="Message")
    expect(message).to_be_focused(timeout=WAIT_MS)
    page.keyboard.type("First line")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("second line")
    expect(message).to_have_value("First line\nsecond line")
    page.keyboard.press("Enter")
    expect(page.get_by_role("log")).to_contain_text("second line", timeout=WAIT_MS)
    expect(message).to_have_value("")
    expect(page.get_by_role("log")).to_contain_text("How can I help", timeout=WAIT_MS)
    end = page.get_by_role("button", name="End chat")
    end.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Keep chatting")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(end).to_be_focused()
