"""The agents' side: a whole chat with the scripted agent and its script; every action of the agent console (accept,
reply, push a URL, transfer to an agent, a skill or another account, end); the control API."""

from __future__ import annotations

import re
from typing import Any

import httpx

from sandbox.config import DEMO_ACCOUNT_ID
from tests.contract.lp_client import LpClient, as_json_url
from tests.contract.test_chat_request import assert_wrapped_error


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
    lp.wait_for(chat_url, lambda events: events[-1]["source"] == "agent")
    assert lp.lines(chat_url)[-1] == (
        "agent",
        'You said: "Where is my order?". A human would say something more useful here.',
    )

    assert lp.add_line(chat_url, "Bye").status_code == 201
    lp.wait_for(chat_url, lambda events: events[-1].get("state") == "ended")
    events = lp.events(chat_url)
    assert events[-2]["systemMessageId"] == 5
    assert lp.lines(chat_url)[-2][0] == "agent"  # the goodbye
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


def non_lines(events: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """Every event but the visitor's and agent's lines, as (type, its point): a state, a system message id, …"""
    points = {"state": "state", "url": "url", "a2a-transfer": "remoteSiteId", "line": "systemMessageId"}
    return [(e["@type"], e[points[e["@type"]]]) for e in events if e.get("source") not in ("visitor", "agent")]


def test_the_scripted_agent_plays_its_script_one_action_per_visitor_line(lp: LpClient) -> None:
    account = lp.new_account(
        reply_delay_seconds=0.5,
        agent_script=[
            {"action": "say", "text": "<p>Our <b>offers</b></p>", "html": True},
            {"action": "push_url", "url": "https://brand.example/offers"},
            {"action": "transfer_to_agent", "agent": "Sam"},
            {"action": "end"},
        ],
    )
    chat_url = lp.start_chatting(account)
    for line in ("one", "two", "three", "four"):
        lp.add_line(chat_url, line)
        lp.clock.advance(0.5)
    events = lp.events(chat_url)
    html = next(e for e in events if e.get("textType") == "html")
    assert (html["text"], html["by"]) == ("<p>Our <b>offers</b></p>", "Alex")
    url = next(e for e in events if e["@type"] == "url")
    assert set(url) == {"@id", "@type", "time", "url"} and url["url"] == "https://brand.example/offers"
    assert non_lines(events) == [
        ("state", "waiting"),
        ("line", 4),
        ("state", "chatting"),
        ("line", 3),
        ("url", "https://brand.example/offers"),
        ("line", 13),
        ("line", 5),
        ("state", "ended"),
    ]
    agent_lines = [(e["by"], e["text"]) for e in events if e.get("source") == "agent"]
    assert agent_lines[-2:] == [
        ("Sam", "Hi, I'm Sam. How can I help you today?"),
        ("Sam", "Goodbye, and thank you for chatting with us!"),
    ]
    info = lp.get_chat(chat_url)["info"]
    assert info["agentName"] == "Sam" and info["agentId"] != 25025413


def test_the_demo_account_has_every_survey_and_a_scripted_agent_that_shows_every_action(
    lp: LpClient, http: httpx.Client
) -> None:
    settings = http.get(f"/sandbox/accounts/{DEMO_ACCOUNT_ID}/settings").json()
    assert all(settings[kind] is not None for kind in ("prechat_survey", "offline_survey", "exit_survey"))
    actions = [step["action"] for step in settings["agent_script"]]
    assert {"say", "push_url", "transfer_to_agent", "end"} <= set(actions)
    assert http.get("/sandbox/accounts/12345678/settings").json()["prechat_survey"] is None  # make run's window


def test_console_mode_chat(lp: LpClient, http: httpx.Client) -> None:
    account = lp.new_account(agent_mode="console")
    chat_url = lp.request_chat(account, preChatLines={"line": ["I need help"]})
    chat_id = chat_url.rsplit("/", 1)[1]
    listed = {c["chatId"]: c for c in http.get("/console/api/chats").json()["chats"]}
    assert listed[chat_id]["account"] == account
    assert (listed[chat_id]["state"], listed[chat_id]["skill"]) == ("waiting", "sales")
    assert listed[chat_id]["preChatLines"] == ["I need help"]

    assert lp.console(chat_url, "accept", {"agentName": "Sam"}).status_code == 204
    assert_wrapped_error(lp.console(chat_url, "accept", {"agentName": "Sam"}), 400)
    assert lp.get_chat(chat_url)["info"]["agentName"] == "Sam"
    lp.chat_call("PUT", as_json_url(chat_url + "/info/visitorTyping"), {"visitorTyping": "typing"})
    assert lp.console(chat_url).json()["visitorTyping"] == "typing"
    assert lp.console(chat_url, "typing", {"typing": True}).status_code == 204
    assert lp.get_chat(chat_url)["info"]["agentTyping"] == "typing"
    assert lp.console(chat_url, "lines", {"text": "<b>Hi</b>", "html": True}).status_code == 204
    line = lp.events(chat_url)[-1]
    assert (line["text"], line["textType"], line["by"], line["source"]) == ("<b>Hi</b>", "html", "Sam", "agent")
    assert lp.console(chat_url, "end").status_code == 204
    assert [e.get("systemMessageId") for e in lp.events(chat_url)[-2:]] == [5, None]
    assert chat_id not in {c["chatId"] for c in http.get("/console/api/chats").json()["chats"]}


def test_the_console_pushes_a_url(lp: LpClient) -> None:
    chat_url = lp.request_chat(lp.new_account(agent_mode="console"))
    assert_wrapped_error(lp.console(chat_url, "url", {"url": "https://brand.example/"}), 400)  # not while waiting
    lp.console(chat_url, "accept", {"agentName": "Sam"})
    assert lp.console(chat_url, "url", {"url": "https://brand.example/help"}).status_code == 204
    url = lp.events(chat_url)[-1]
    assert {k: url[k] for k in ("@type", "url")} == {"@type": "url", "url": "https://brand.example/help"}
    assert_wrapped_error(lp.console(chat_url, "url", {"url": "javascript:alert(1)"}), 400)


def test_a_transfer_to_another_agent_changes_the_agent_in_info(lp: LpClient) -> None:
    chat_url = lp.request_chat(lp.new_account(agent_mode="console"))
    lp.console(chat_url, "accept", {"agentName": "Sam"})
    sam = lp.get_chat(chat_url)["info"]["agentId"]
    assert lp.console(chat_url, "transfer", {"agentName": "Robin"}).status_code == 204
    chat = lp.get_chat(chat_url)
    assert (chat["info"]["state"], chat["info"]["agentName"]) == ("chatting", "Robin")
    assert chat["info"]["agentId"] not in (sam, None)
    transferred = chat["events"]["event"][-1]
    assert (transferred["source"], transferred["systemMessageId"]) == ("system", 13)
    assert lp.add_line(chat_url, "still chatting").status_code == 201


def test_a_transfer_to_another_skill_queues_the_chat_there(lp: LpClient) -> None:
    account = lp.new_account(accept_delay_seconds=1)
    chat_url = lp.start_chatting(account)
    lp.console(chat_url, "transfer", {"skill": "support"})
    chat = lp.get_chat(chat_url)
    assert (chat["info"]["state"], chat["info"]["skillName"], chat["info"]["skillId"]) == ("waiting", "support", 1235)
    assert "agentName" not in chat["info"]
    assert non_lines(chat["events"]["event"])[-2:] == [("line", 15), ("state", "waiting")]
    lp.wait_for(chat_url, lambda events: events[-1].get("source") == "agent")  # an agent of the skill accepts
    assert non_lines(lp.events(chat_url))[-2:] == [("state", "chatting"), ("line", 3)]
    lp.settings(account, skills=[{"id": 1234, "name": "sales", "available": False}, {"id": 1235, "name": "support"}])
    # "Transferring the chat to a skill that is not available, will result in an error" ([DC] transfer-chat).
    assert_wrapped_error(lp.console(chat_url, "transfer", {"skill": "sales"}), 400)
    assert_wrapped_error(lp.console(chat_url, "transfer", {"skill": "nope"}), 400)
    assert_wrapped_error(lp.console(chat_url, "transfer", {"agentName": "A", "skill": "sales"}), 400)


def test_a_transfer_while_the_scripted_agent_types_leaves_one_greeting(lp: LpClient) -> None:
    chat_url = lp.start_chatting(lp.new_account(accept_delay_seconds=1, reply_delay_seconds=2))
    lp.add_line(chat_url, "hello")
    lp.clock.advance(1)  # typing its answer
    lp.console(chat_url, "transfer", {"skill": "support"})
    lp.wait_for(chat_url, lambda events: events[-1].get("source") == "agent")  # accepted again, greeted
    lp.clock.advance(5)
    greetings = [text for source, text in lp.lines(chat_url) if text.startswith("Hi, I'm")]
    assert greetings == ["Hi, I'm Alex. How can I help you today?"] * 2  # on each accept, no more
    assert lp.get_chat(chat_url)["info"]["skillName"] == "support"


def test_a_transfer_to_another_account_sends_a2a_transfer_then_the_visitor_chats_there(lp: LpClient) -> None:
    source, target = lp.new_account(agent_mode="console"), lp.new_account(agent_mode="console")
    chat_url = lp.request_chat(source)
    lp.console(chat_url, "accept", {"agentName": "Sam"})
    assert lp.console(chat_url, "transfer", {"account": target, "skill": "support"}).status_code == 204
    a2a, ended = lp.events(chat_url)[-2:]
    assert ended["state"] == "ended"
    assert a2a["@type"] == "a2a-transfer"
    assert (a2a["domain"], a2a["remoteSiteId"], a2a["skill"]) == (lp.chat_base_url.split("//")[1], target, "support")
    parameters = a2a["chatRequestParameters"]
    assert parameters["a2aEventId"] == int(a2a["@id"])
    assert parameters["a2aSourceSiteId"] == source and parameters["skill"] == "support"
    assert parameters["a2aSourceSessionId"] == lp.get_chat(chat_url)["info"]["rtSessionId"]
    assert a2a["link"] == [{"@href": f"{lp.chat_base_url}/api/account/{target}/chat/request", "@rel": "a2a-transfer"}]

    # The visitor requests a chat in the target account with the parameters, unchanged ([JSSDK]).
    response = lp.chat_call("POST", as_json_url(a2a["link"][0]["@href"]), {"request": parameters})
    assert response.status_code == 201
    assert lp.get_chat(response.headers["location"])["info"]["skillName"] == "support"
    forged = {"request": {**parameters, "a2aEventId": 0}}
    assert_wrapped_error(lp.chat_call("POST", f"/api/account/{target}/chat/request", forged), 400)
    assert_wrapped_error(lp.console(chat_url, "transfer", {"account": source, "skill": "sales"}), 400)


def test_the_console_shows_what_the_visitor_told_the_brand(lp: LpClient) -> None:
    account = lp.new_account(agent_mode="console")
    chat_url = lp.request_chat(account)
    lp.console(chat_url, "accept", {"agentName": "Sam"})
    lp.chat_call("PUT", as_json_url(chat_url + "/info/visitorName"), {"visitorName": "Dana"})
    lp.chat_call("PUT", as_json_url(chat_url + "/transcriptRequest"), {"email": "dana@example.com"})
    lp.end_chat(chat_url)
    answers = {"survey": {"id": 361348, "question": [{"id": 4991320, "answer": "4"}]}}
    lp.chat_call("PUT", as_json_url(chat_url + "/exitSurvey"), answers)
    shown = lp.console(chat_url).json()
    assert shown["visitorName"] == "Dana"
    assert shown["transcriptRequests"] == [{"email": "dana@example.com"}]
    assert shown["exitSurvey"] == [[{"question": "How would you rate this chat?", "answer": "4"}]]
    assert shown["prechatSurvey"] == []
    assert shown["skills"] == ["sales", "support"]


def strict_page(http: httpx.Client, path: str, script: str, **params: str) -> str:
    """A page of the console: served under its strict CSP, with its one script from the sandbox and nothing inline."""
    page = http.get(path, params=params)
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    assert f'<script src="{script}" defer></script>' in html
    assert not re.search(r"<script>(?!</script>)", html)  # no inline script
    assert not re.search(r"<style|style=", html)  # no inline style
    return html


def test_console_page_has_accessible_names(http: httpx.Client) -> None:
    html = strict_page(http, "/console", "/console/console.js")
    for needle in ('<label for="agent-name">Agent name</label>', 'value="Alex"', '<label for="reply">Reply</label>',
                   'aria-label="Transcript"', ">Send</button>", ">End chat</button>", "Send as HTML",
                   "Visitor is typing…", ">Push URL</button>", ">Transfer</button>", "Pre-chat survey",
                   "Exit survey", "Transcript requests", "Engagement attributes"):  # fmt: skip
        assert needle in html
    assert http.get("/console/console.js").status_code == 200
    assert http.get("/console/console.css").status_code == 200
    assert '"Accept"' in http.get("/console/console.js").text


def test_control_api_settings(lp: LpClient, http: httpx.Client) -> None:
    account = lp.new_account()
    defaults = http.get(f"/sandbox/accounts/{account}/settings").json()
    assert defaults["app_keys"] == ["sandbox-app-key"]
    assert (defaults["agent_mode"], defaults["agent_name"], defaults["retention_seconds"]) == ("scripted", "Alex", 600)
    updated = http.put(f"/sandbox/accounts/{account}/settings", json={"agent_name": "Robin"}).json()
    assert (updated["agent_name"], updated["available"]) == ("Robin", True)
    assert http.put(f"/sandbox/accounts/{account}/settings", json={"agent_mode": "robot"}).status_code == 400
    assert http.put(f"/sandbox/accounts/{account}/settings", json={"no_such": 1}).status_code == 400
    assert http.put(f"/sandbox/accounts/{account}/settings", json={"engagement_skill": "nope"}).status_code == 400
    plain = http.put(f"/sandbox/accounts/{account}/settings", content=b'{"available": false}')
    assert_wrapped_error(plain, 415)


def test_control_api_counts_requests(lp: LpClient) -> None:
    account = lp.new_account()
    chat_url = lp.request_chat(account)
    lp.get_chat(chat_url)
    lp.get_chat(chat_url)
    counts = lp.state(account)["requestCounts"]
    assert counts["POST /api/account/{acct}/chat/request"] == 1
    assert counts["GET /api/account/{acct}/chat/{chat_id}"] == 2
