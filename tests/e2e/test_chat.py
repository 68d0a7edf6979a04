"""The whole chat in real Chromium: Chat now → engagement → availability → request → waiting → agent → lines → end."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.servers import Servers

from .conftest import READY_TIMEOUT_MS, Sandbox, WindowOpener

WAIT_MS = 15_000


def visitor_lines(sandbox: Sandbox) -> list[str]:
    chats = sandbox.state()["chats"]
    return [
        event["text"]
        for chat in chats
        for event in chat["events"]
        if event.get("@type") == "line" and event.get("source") == "visitor"
    ]


def test_chat_with_the_scripted_agent_end_to_end(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(accept_delay_seconds=1.0, reply_delay_seconds=0.3, agent_name="Alex")
    page = open_window()
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sandbox Brand")

    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting for an agent", timeout=WAIT_MS)
    # Typed while waiting: kept, marked, and sent once the agent joins (the API refuses lines while waiting).
    page.get_by_role("textbox", name="Message").fill("Hello from the consumer")
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("status")).to_contain_text("You are chatting with Alex", timeout=WAIT_MS)
    expect(page.locator("#agent")).to_have_text("Alex")
    expect(log).to_contain_text("Hi, I'm Alex", timeout=WAIT_MS)
    expect(log).to_contain_text('You said: "Hello from the consumer"', timeout=WAIT_MS)

    page.get_by_role("textbox", name="Message").fill("A second question")
    page.get_by_role("textbox", name="Message").press("Enter")
    expect(log).to_contain_text('You said: "A second question"', timeout=WAIT_MS)
    assert visitor_lines(sandbox) == ["Hello from the consumer", "A second question"]  # each once, in order
    expect(log.locator(".line--visitor")).to_have_count(2)

    transcript = log.text_content() or ""
    page.reload()  # resumes from the stored chat link: the same transcript, nothing lost or doubled
    page.wait_for_selector("html[data-ready=true]", timeout=READY_TIMEOUT_MS, state="attached")
    expect(page.get_by_role("status")).to_contain_text("You are chatting with Alex", timeout=WAIT_MS)
    expect(log).to_have_text(transcript)

    page.get_by_role("button", name="End chat").click()
    page.get_by_role("button", name="Yes, end the chat").click()
    expect(page.get_by_role("status")).to_have_text("The chat has ended.", timeout=WAIT_MS)
    assert [chat["state"] for chat in sandbox.state()["chats"]] == ["ended"]
    expect(page.get_by_role("button", name="Start a new chat")).to_be_enabled()


def test_agent_console_person_chats_and_ends(
    open_window: WindowOpener, sandbox: Sandbox, servers: Servers, browser: Browser
) -> None:
    sandbox.configure(agent_mode="console")
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting for an agent", timeout=WAIT_MS)

    console_context = browser.new_context()
    console = console_context.new_page()
    console.goto(servers.console_url)
    console.get_by_label("Agent name").fill("Sam")
    row = console.get_by_role("listitem").filter(has_text=sandbox.account_id)
    row.get_by_role("button", name="Accept").click()

    expect(page.get_by_role("status")).to_contain_text("You are chatting with Sam", timeout=WAIT_MS)
    console.get_by_role("textbox", name="Reply").fill("Hello, this is Sam, a person.")
    console.get_by_role("button", name="Send").click()
    expect(page.get_by_role("log")).to_contain_text("Hello, this is Sam, a person.", timeout=WAIT_MS)

    page.get_by_role("textbox", name="Message").fill("Nice to meet you")
    expect(console.get_by_text("Visitor is typing…")).to_be_visible(timeout=WAIT_MS)
    page.get_by_role("button", name="Send").click()
    expect(console.get_by_text("Nice to meet you")).to_be_visible(timeout=WAIT_MS)

    console.get_by_role("button", name="End chat").click()
    expect(page.get_by_role("status")).to_have_text("The agent ended the chat.", timeout=WAIT_MS)
    expect(page.get_by_role("textbox", name="Message")).to_be_hidden()  # post-chat: the composer is gone
    console_context.close()


def test_no_agent_available_is_said_plainly(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(available=False)
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_have_text(
        "No agent is available right now. Please try again later.", timeout=WAIT_MS
    )
    assert sandbox.state()["chats"] == []
