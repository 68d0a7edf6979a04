"""A whole chat with the scripted agent; the agent console and its API; the control API."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.contract.lp_client import LpClient, as_json_url
from tests.contract.test_chat_request import assert_wrapped_error


def lines(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["source"], e["text"]) for e in events if e["@type"] == "line"]


def test_full_chat_with_scripted_agent(lp: LpClient) -> None:
    account = lp.new_account()
    chat_url = lp.request_chat(account)
    assert lp.get_chat(chat_url)["info"]["state"] == "waiting"
    lp.wait_for(chat_url, lambda events: any(e["source"] == "agent" for e in events if e["@type"] == "line"))
    chat = lp.get_chat(chat_url)
    assert (chat["info"]["state"], chat["info"]["agentName"]) == ("chatting", "Alex")
    accepted = next(e for e in chat["events"]["event"] if e.get("systemMessageId") == 3)
    assert (accepted["text"], accepted["by"]) == ("You are now chatting with Alex.", "info")
    greeting = chat["events"]["event"][-1]
    assert (greeting["by"], greeting["source"], greeting["textType"]) == ("Alex", "agent", "plain")

    assert lp.add_line(chat_url, "Where is my order?").status_code == 201
    lp.wait_for(chat_url, lambda events: lines(events)[-1][0] == "agent")
    assert lines(lp.events(chat_url))[-1] == (
        "agent",
        'You said: "Where is my order?". A human would say something more useful here.',
    )

    assert lp.add_line(chat_url, "Bye").status_code == 201
    lp.wait_for(chat_url, lambda events: events[-1].get("state") == "ended")
    events = lp.events(chat_url)
    assert events[-2]["systemMessageId"] == 5
    assert lines(events)[-2][0] == "agent"  # the goodbye
    assert lp.get_chat(chat_url)["info"]["state"] == "ended"


def test_agent_typing_while_replying(lp: LpClient) -> None:
    chat_url = lp.start_chatting(lp.new_account(reply_delay_seconds=1))
    lp.add_line(chat_url, "hi")
    lp.clock.advance(0.5)  # half way through its reply
    typing = lp.chat_call("GET", as_json_url(chat_url + "/info/agentTyping")).json()
    assert typing == {"agentTyping": "typing"}


def test_unavailable_account_ends_the_chat(lp: LpClient) -> None:
    chat_url = lp.request_chat(lp.new_account(available=False))
    events = lp.events(chat_url)
    assert (events[1]["systemMessageId"], events[-1]["state"]) == (2, "ended")


def test_console_page_has_accessible_names(http: httpx.Client) -> None:
    page = http.get("/console")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    assert '<script src="/console/console.js" defer></script>' in html
    assert not re.search(r"<script>(?!</script>)", html)  # no inline script
    for needle in ('<label for="agent-name">Agent name</label>', 'value="Alex"', '<label for="reply">Reply</label>',
                   'aria-label="Transcript"', ">Send</button>", ">End chat</button>", "Send as HTML",
                   "Visitor is typing…"):  # fmt: skip
        assert needle in html
    assert http.get("/console/console.js").status_code == 200
    assert http.get("/console/console.css").status_code == 200
    assert '"Accept"' in http.get("/console/console.js").text


def test_console_mode_chat(lp: LpClient, http: httpx.Client) -> None:
    account = lp.new_account(agent_mode="console")
    chat_url = lp.request_chat(account, preChatLines={"line": ["I need help"]})
    chat_id = chat_url.rsplit("/", 1)[1]
    listed = {c["chatId"]: c for c in http.get("/console/api/chats").json()["chats"]}
    assert listed[chat_id]["account"] == account
    assert (listed[chat_id]["state"], listed[chat_id]["skill"]) == ("waiting", "sales")
    assert listed[chat_id]["preChatLines"] == ["I need help"]

    api = f"/console/api/accounts/{account}/chats/{chat_id}"
    assert http.post(api + "/accept", json={"agentName": "Sam"}).status_code == 204
    assert_wrapped_error(http.post(api + "/accept", json={"agentName": "Sam"}), 400)
    assert lp.get_chat(chat_url)["info"]["agentName"] == "Sam"
    lp.chat_call("PUT", as_json_url(chat_url + "/info/visitorTyping"), {"visitorTyping": "typing"})
    assert http.get(api).json()["visitorTyping"] == "typing"
    assert http.post(api + "/typing", json={"typing": True}).status_code == 204
    assert lp.get_chat(chat_url)["info"]["agentTyping"] == "typing"
    assert http.post(api + "/lines", json={"text": "<b>Hi</b>", "html": True}).status_code == 204
    line = lp.events(chat_url)[-1]
    assert (line["text"], line["textType"], line["by"], line["source"]) == ("<b>Hi</b>", "html", "Sam", "agent")
    assert http.post(api + "/end").status_code == 204
    assert [e.get("systemMessageId") for e in lp.events(chat_url)[-2:]] == [5, None]
    assert chat_id not in {c["chatId"] for c in http.get("/console/api/chats").json()["chats"]}


def test_control_api_settings(lp: LpClient, http: httpx.Client) -> None:
    account = lp.new_account()
    defaults = http.get(f"/sandbox/accounts/{account}/settings").json()
    assert defaults["app_keys"] == ["sandbox-app-key"]
    assert (defaults["agent_mode"], defaults["agent_name"], defaults["retention_seconds"]) == ("scripted", "Alex", 600)
    updated = http.put(f"/sandbox/accounts/{account}/settings", json={"agent_name": "Robin"}).json()
    assert (updated["agent_name"], updated["available"]) == ("Robin", True)
    assert http.put(f"/sandbox/accounts/{account}/settings", json={"agent_mode": "robot"}).status_code == 400
    assert http.put(f"/sandbox/accounts/{account}/settings", json={"no_such": 1}).status_code == 400


def test_control_api_counts_requests(lp: LpClient) -> None:
    account = lp.new_account()
    chat_url = lp.request_chat(account)
    lp.get_chat(chat_url)
    lp.get_chat(chat_url)
    counts = lp.state(account)["requestCounts"]
    assert counts["POST /api/account/{acct}/chat/request"] == 1
    assert counts["GET /api/account/{acct}/chat/{chat_id}"] == 2
