"""The sandbox's agent console in Chromium, under its strict CSP: a person does every agent action and sees what the
visitor told the brand. The visitor is a plain HTTP client of the Chat API (the window is not needed here)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from sandbox import SandboxHosts
from sandbox.sample_surveys import SAMPLE_PRECHAT_SURVEY
from tests.servers import Servers

from .conftest import Sandbox

WAIT_MS = 15_000


class Visitor:
    """A chat client of the Chat API's host, as any LivePerson client is."""

    def __init__(self, servers: Servers, account: str) -> None:
        port = httpx.URL(servers.console_url).port or 80
        self.http = httpx.Client(
            base_url=f"http://{SandboxHosts.loopback(port).chat}",
            params={"v": "1"},
            headers={"Authorization": "LivePerson appKey=sandbox-app-key"},
            timeout=10,
        )
        self.account = account
        self.chat_url = ""

    def request_chat(self, **fields: Any) -> None:
        response = self.http.post(f"/api/account/{self.account}/chat/request", json={"request": fields})
        response.raise_for_status()
        self.chat_url = response.headers["location"]

    def put(self, path: str, body: dict[str, Any]) -> None:
        override = {"X-HTTP-Method-Override": "PUT"}
        self.http.post(f"{self.chat_url}{path}", json=body, headers=override).raise_for_status()

    def events(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = self.http.get(self.chat_url).json()["chat"]["events"]["event"]
        return events


@pytest.fixture
def console(browser: Browser, servers: Servers) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(servers.console_url)
    yield page
    context.close()
    assert [error for error in errors if "Content Security Policy" in error] == []


def test_a_person_does_every_agent_action_in_the_console(console: Page, sandbox: Sandbox, servers: Servers) -> None:
    sandbox.configure(agent_mode="console", prechat_survey=SAMPLE_PRECHAT_SURVEY.model_dump(mode="json"))
    visitor = Visitor(servers, sandbox.account_id)
    answers = {"id": 40216, "question": [{"id": 40217, "answer": "Dana"}, {"id": 40218, "answer": "billing"}]}
    visitor.request_chat(skill="sales", survey=answers, preChatLines={"line": ["My bill is wrong"]})
    visitor.put("/info/visitorName", {"visitorName": "Dana"})

    console.get_by_label("Agent name").fill("Sam")
    row = console.get_by_role("listitem").filter(has_text=sandbox.account_id)
    expect(row).to_contain_text("My bill is wrong", timeout=WAIT_MS)
    row.get_by_role("button", name="Accept").click()
    expect(console.get_by_role("heading", name="Chat with Dana")).to_be_visible(timeout=WAIT_MS)
    prechat = console.get_by_role("region", name="Pre-chat survey")
    expect(prechat).to_contain_text("What is your question about?")
    expect(prechat).to_contain_text("Billing")

    console.get_by_role("textbox", name="Reply").fill("<p>Hello, <b>Dana</b></p>")
    console.get_by_label("Send as HTML").check()
    console.get_by_role("button", name="Send").click()
    console.get_by_label("Page for the visitor (URL)").fill("https://brand.example/bills")
    console.get_by_role("button", name="Push URL").click()
    expect(console.get_by_role("log")).to_contain_text("https://brand.example/bills", timeout=WAIT_MS)
    console.get_by_label("Agent to transfer to").fill("Robin")
    console.get_by_role("button", name="Transfer").click()
    expect(console.get_by_role("log")).to_contain_text("transferred to Robin", timeout=WAIT_MS)

    events = visitor.events()
    html = next(e for e in events if e.get("textType") == "html")
    assert (html["text"], html["by"]) == ("<p>Hello, <b>Dana</b></p>", "Sam")
    assert any(e["@type"] == "url" and e["url"] == "https://brand.example/bills" for e in events)
    assert sandbox.state()["chats"][0]["agentName"] == "Robin"

    console.get_by_label("Transfer the chat to").select_option("another skill")
    console.get_by_label("Skill to transfer to").fill("support")
    console.get_by_role("button", name="Transfer").click()
    expect(console.get_by_role("listitem").filter(has_text="skill support · waiting")).to_be_visible(timeout=WAIT_MS)
    row.get_by_role("button", name="Accept").click()
    expect(console.locator("#chat-meta")).to_contain_text("skill support · chatting", timeout=WAIT_MS)

    console.get_by_role("button", name="End chat").click()
    expect(console.get_by_role("log")).to_contain_text("chat ended", timeout=WAIT_MS)
    visitor.put(
        "/transcriptWithSubjectRequest", {"transcriptRequest": {"email": "dana@example.com", "subject": "Bill"}}
    )
    visitor.put("/exitSurvey", {"survey": {"id": 361348, "question": [{"id": 4991320, "answer": "5"}]}})
    expect(console.get_by_role("region", name="Transcript requests")).to_contain_text(
        "dana@example.com", timeout=WAIT_MS
    )
    expect(console.get_by_role("region", name="Exit survey")).to_contain_text("How would you rate this chat?")
