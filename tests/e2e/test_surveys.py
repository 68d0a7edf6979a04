"""Surveys in the window, driven through their accessible labels: the pre-chat survey before the chat (every question
type, required fields, logic, the server's rules, focus on the first error), the offline survey when nobody is there,
and the honest words when the account has none."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import Sandbox, WindowOpener

WAIT_MS = 15_000
# Every question type the API describes, with logic (a radio entry reveals a question) and each validation type.
EVERY_TYPE = {
    "id": 500,
    "header": "Tell us about you",
    "questions": [
        {"id": 501, "type": "Text Field", "logicId": 1, "order": 0, "mandatory": True, "label": "Your name"},
        {"id": 502, "type": "Text Area", "logicId": 2, "order": 1, "label": "Your question"},
        {
            "id": 503, "type": "Dropdown Box", "logicId": 3, "order": 2, "mandatory": True, "label": "Topic",
            "entry": [{"value": "billing", "displayValue": "Billing"}, {"value": "tech", "displayValue": "Technical"}],
        },
        {
            "id": 504, "type": "Radio Button", "logicId": 4, "order": 3, "mandatory": True, "label": "Customer?",
            "entry": [
                {"value": "yes", "displayValue": "Yes", "showLogicId": [5]},
                {"value": "no", "displayValue": "No"},
            ],
        },
        {
            "id": 505, "type": "Text Field", "validationType": "numeric", "logicId": 5, "order": 4,
            "mandatory": True, "label": "Account number",
        },
        {
            "id": 506, "type": "Checkbox", "logicId": 6, "order": 5, "label": "Contact me by",
            "entry": [{"value": "mail", "displayValue": "Email"}, {"value": "sms", "displayValue": "Text message"}],
        },
        {
            "id": 507, "type": "Radio Button (side by side)", "logicId": 7, "order": 6, "label": "Mood",
            "entry": [{"value": "1", "displayValue": "Calm"}, {"value": "2", "displayValue": "In a hurry"}],
        },
        {
            "id": 508, "type": "Text Field", "validationType": "email", "logicId": 8, "order": 7,
            "label": "Email for a follow-up",
        },
    ],
}  # fmt: skip


def test_the_pre_chat_survey_comes_first_and_its_answers_go_with_the_request(
    open_window: WindowOpener, sandbox: Sandbox
) -> None:
    sandbox.configure(prechat_survey=EVERY_TYPE, accept_delay_seconds=0.3)
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    form = page.get_by_role("form", name="Before you chat")
    expect(form).to_contain_text("Tell us about you", timeout=WAIT_MS)
    expect(page.get_by_label("Your name")).to_be_focused()
    assert sandbox.state()["chats"] == []  # nothing is requested before the answers
    account_number = page.get_by_label("Account number")
    expect(account_number).to_be_hidden()  # shown only once "Yes" is picked

    page.get_by_role("button", name="Start chat").click()
    expect(page.get_by_label("Your name")).to_be_focused()  # the first error has the focus
    expect(page.get_by_label("Your name")).to_have_accessible_description("Please answer this question.")
    expect(page.get_by_label("Topic")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Your name").fill("Dana")
    page.get_by_label("Your question").fill("Where is\nmy parcel?")
    page.get_by_label("Topic").select_option(label="Technical")
    page.get_by_role("radio", name="Yes").check()
    expect(account_number).to_be_visible()
    account_number.fill("12a")
    page.get_by_role("checkbox", name="Email").check()
    page.get_by_role("checkbox", name="Text message").check()
    page.get_by_role("radio", name="In a hurry").check()
    page.get_by_label("Email for a follow-up").fill("not-an-address")
    page.get_by_role("button", name="Start chat").click()
    expect(account_number).to_be_focused()
    expect(account_number).to_have_accessible_description("Please enter a number.")
    expect(page.get_by_label("Email for a follow-up")).to_have_accessible_description(
        "Please enter an email address, like name@example.com."
    )
    account_number.fill("42")
    page.get_by_label("Email for a follow-up").fill("dana@example.com")
    page.get_by_role("button", name="Start chat").click()

    expect(page.get_by_role("status")).to_contain_text("You are chatting with Alex", timeout=WAIT_MS)
    (chat,) = sandbox.state()["chats"]
    assert chat["request"]["survey"] == {
        "id": 500,
        "question": [
            {"id": 501, "answer": "Dana"},
            {"id": 502, "answer": "Where is\nmy parcel?"},
            {"id": 503, "answer": "tech"},
            {"id": 504, "answer": "yes"},
            {"id": 505, "answer": "42"},
            {"id": 506, "answer": ["mail", "sms"]},
            {"id": 507, "answer": "2"},
            {"id": 508, "answer": "dana@example.com"},
        ],
    }
    page.get_by_role("textbox", name="Message").fill("hello")
    page.keyboard.press("Enter")
    expect(page.get_by_role("log").locator(".line--visitor .line__by")).to_have_text("Dana", timeout=WAIT_MS)
    assert sandbox.state()["chats"][0]["visitorName"] == "Dana"  # shown to the agent


def test_nobody_available_offers_the_offline_survey(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(available=False)
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("heading", name="Nobody is available right now")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("form")).to_contain_text("Leave us a message")
    page.get_by_label("Your name").fill("Dana")
    page.get_by_label("Email").fill("dana@")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_label("Email")).to_be_focused()
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_role("textbox", name="Message (required)").fill("Please call me back.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Thank you. We have your message and will get back to you.")).to_be_visible(timeout=WAIT_MS)
    (sent,) = sandbox.state()["offlineSurveys"]
    answers = {answer["id"]: answer["answer"] for answer in sent["survey"]["question"]}
    assert answers == {40301: "Dana", 40302: "dana@example.com", 40303: "Please call me back."}
    assert sandbox.state()["chats"] == []


def test_an_account_without_an_offline_survey_says_so_plainly(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(available=False, offline_survey=None)
    page = open_window(offline_message="Our team is away until Monday 9:00.")
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_text("Our team is away until Monday 9:00.")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("form")).to_have_count(0)
