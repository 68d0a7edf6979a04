"""Ending a chat: asked in a real dialog (Escape cancels), possible while waiting, and then, in this order, the exit
survey (sent once), the transcript by email (through the with-subject link, success and failure said), and a new
chat; the ended chat stays readable, also after a reload."""

from __future__ import annotations

import json

from playwright.sync_api import Page, Route, expect

from .conftest import READY_TIMEOUT_MS, Sandbox, WindowOpener

WAIT_MS = 15_000


def chatting(open_window: WindowOpener, sandbox: Sandbox, **settings: object) -> Page:
    sandbox.configure(accept_delay_seconds=0.2, reply_delay_seconds=0.2, **settings)
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("You are chatting with", timeout=WAIT_MS)
    return page


def end(page: Page) -> None:
    page.get_by_role("button", name="End chat").click()
    page.get_by_role("button", name="Yes, end the chat").click()


def test_ending_is_confirmed_in_a_dialog_that_escape_cancels(open_window: WindowOpener, sandbox: Sandbox) -> None:
    page = chatting(open_window, sandbox)
    end_button = page.get_by_role("button", name="End chat")
    end_button.click()
    dialog = page.get_by_role("dialog", name="End this chat?")
    expect(dialog).to_be_visible()
    expect(page.get_by_role("button", name="Keep chatting")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(end_button).to_be_focused()  # focus returns where it was
    assert sandbox.state()["chats"][0]["state"] == "chatting"
    end_button.click()
    page.get_by_role("button", name="Keep chatting").click()
    expect(dialog).to_be_hidden()
    end(page)
    expect(page.get_by_role("status")).to_have_text("The chat has ended.", timeout=WAIT_MS)
    assert sandbox.state()["chats"][0]["state"] == "ended"


def test_the_consumer_can_stop_waiting(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(agent_mode="console")
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting for an agent", timeout=WAIT_MS)
    end(page)
    expect(page.get_by_role("status")).to_have_text("The chat has ended.", timeout=WAIT_MS)
    assert sandbox.state()["chats"][0]["state"] == "ended"


def test_after_the_end_exit_survey_transcript_and_new_chat_in_that_order(
    open_window: WindowOpener, sandbox: Sandbox
) -> None:
    page = chatting(open_window, sandbox)
    page.get_by_role("textbox", name="Message").fill("one question")
    page.keyboard.press("Enter")
    log = page.get_by_role("log")
    expect(log).to_contain_text('You said: "one question"', timeout=WAIT_MS)
    end(page)
    offers = page.locator("#panel")
    expect(offers.get_by_role("button", name="Send feedback")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("textbox", name="Message")).to_be_hidden()  # the composer is gone
    buttons = offers.get_by_role("button").all_inner_texts()
    assert [b for b in buttons if b in ("Send feedback", "Send the transcript", "Start a new chat")] == [
        "Send feedback",
        "Send the transcript",
        "Start a new chat",
    ]
    expect(log.locator(".line").last).to_be_in_viewport()  # the transcript reads to its end

    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("textbox", name="If yes, please provide your email:").fill("dana@example.com")
    page.get_by_role("radio", name="4").check()
    offers.get_by_role("button", name="Send feedback").click()
    expect(offers).to_contain_text("Thank you for your feedback.", timeout=WAIT_MS)
    expect(offers.get_by_role("button", name="Send feedback")).to_be_hidden()  # sent once
    (answers,) = sandbox.state()["chats"][0]["exitSurvey"]
    assert answers  # labelled as the agent sees them

    failing: list[Route] = []

    def fail_once(route: Route) -> None:
        if not failing and route.request.method == "POST":
            failing.append(route)
            route.fulfill(status=503, body=json.dumps({"error": {"message": "busy", "internalCode": 5}}))
            return
        route.fallback()

    page.route("**/transcriptWithSubjectRequest*", fail_once)
    email = page.get_by_role("textbox", name="Email address")
    email.fill("dana@")
    offers.get_by_role("button", name="Send the transcript").click()
    expect(email).to_have_accessible_description("Please enter an email address, like name@example.com.")
    email.fill("dana@example.com")
    offers.get_by_role("button", name="Send the transcript").click()
    expect(offers).to_contain_text("The transcript could not be sent. Please try again.", timeout=WAIT_MS)
    offers.get_by_role("button", name="Send the transcript").click()
    expect(offers).to_contain_text("The transcript is on its way to your inbox.", timeout=WAIT_MS)
    (request,) = sandbox.state()["chats"][0]["transcriptRequests"]
    assert request["email"] == "dana@example.com" and request["subject"] == "Your chat with Sandbox Brand"

    page.reload()  # while the server keeps the chat, the ended transcript and the offers come back
    page.wait_for_selector("html[data-ready=true]", timeout=READY_TIMEOUT_MS, state="attached")
    expect(page.get_by_role("status")).to_have_text("The chat has ended.", timeout=WAIT_MS)
    expect(log).to_contain_text('You said: "one question"')
    expect(offers.get_by_role("button", name="Start a new chat")).to_be_visible()
    expect(offers.get_by_role("button", name="Send feedback")).to_be_hidden()  # taken before the reload
    expect(offers).to_contain_text("The transcript is on its way to your inbox.")

    offers.get_by_role("button", name="Start a new chat").click()
    expect(page.get_by_role("status")).to_contain_text("You are chatting with", timeout=WAIT_MS)
    expect(log).not_to_contain_text("one question")
    assert [chat["state"] for chat in sandbox.state()["chats"]].count("chatting") == 1
