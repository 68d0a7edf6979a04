"""The sandbox's fault modes over real HTTP: each kind as a client meets it, scoped to its requests, its count and
its time, visible in the state, and never felt by another account."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from sandbox import SandboxConfig, SandboxHosts, create_app
from tests.contract.lp_client import AUTH, LpClient, as_json_url


def add_fault(lp: LpClient, account: str, **fault: Any) -> dict[str, Any]:
    response = lp.http.post(f"/sandbox/accounts/{account}/faults", json=fault)
    assert response.status_code == 201, response.text
    added: dict[str, Any] = response.json()
    return added


def faults(lp: LpClient, account: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = lp.state(account)["faults"]
    return found


def chatting_with_lines(lp: LpClient, *texts: str) -> tuple[str, str]:
    """A chat a person accepted in the console, with these agent lines."""
    account = lp.new_account(agent_mode="console")
    chat_url = lp.request_chat(account)
    assert lp.console(chat_url, "accept", {"agentName": "Kim"}).status_code == 204
    for text in texts:
        assert lp.console(chat_url, "lines", {"text": text}).status_code == 204
    return account, chat_url


def event_ids(chat: dict[str, Any]) -> list[str]:
    return [event["@id"] for event in chat["events"]["event"]]


def test_a_dropped_connection_gets_no_answer_and_only_the_faulty_account_feels_it(lp: LpClient) -> None:
    account, chat_url = chatting_with_lines(lp)
    other, other_chat = chatting_with_lines(lp)
    add_fault(lp, account, kind="drop", requests="polls", count=2)
    for _ in range(2):
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            lp.chat_call("GET", as_json_url(chat_url))
        assert lp.get_chat(other_chat)["info"]["state"] == "chatting"  # the other account is served as ever
    assert lp.add_line(chat_url, "lines were not in its scope").status_code == 201
    assert lp.get_chat(chat_url)["info"]["state"] == "chatting"  # the count is spent: served again
    assert faults(lp, account) == [] and faults(lp, other) == []
    # The dropped polls never reached the chat API: only the two served ones are counted.
    assert lp.state(account)["requestCounts"]["GET /api/account/{acct}/chat/{chat_id}"] == 1


def test_a_reset_connection_fails_at_the_socket(lp: LpClient) -> None:
    account, chat_url = chatting_with_lines(lp)
    add_fault(lp, account, kind="reset", requests="lines", count=1)
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        lp.add_line(chat_url, "lost on the way")
    assert [e["text"] for e in lp.events(chat_url) if e.get("source") == "visitor"] == []


def test_error_bursts_come_in_the_api_shape_or_a_gateways_words(lp: LpClient) -> None:
    account, chat_url = chatting_with_lines(lp)
    add_fault(lp, account, kind="status", status=503, requests="polls", count=1)
    add_fault(lp, account, kind="status", status=429, retry_after=3, requests="polls", count=1)
    add_fault(lp, account, kind="status", status=500, requests="polls", count=1)
    gateway = lp.chat_call("GET", as_json_url(chat_url))
    assert (gateway.status_code, gateway.text) == (503, "503 Service Unavailable")
    limited = lp.chat_call("GET", as_json_url(chat_url))
    assert limited.status_code == 429 and limited.headers["retry-after"] == "3"
    assert limited.json()["error"]["message"] == "Too Many Requests (a fault injected by the sandbox)"
    assert lp.chat_call("GET", as_json_url(chat_url)).json()["error"]["internalCode"] == 5
    assert lp.chat_call("GET", as_json_url(chat_url)).status_code == 200


def test_a_fault_for_some_seconds_ends_on_the_sandboxs_clock(lp: LpClient) -> None:
    account, chat_url = chatting_with_lines(lp)
    added = add_fault(lp, account, kind="status", status=502, seconds=30)
    assert added["description"] == "HTTP 502, on every request, for 30 s"
    assert lp.chat_call("GET", as_json_url(chat_url)).status_code == 502
    lp.clock.advance(29)
    assert lp.chat_call("GET", as_json_url(chat_url)).status_code == 502
    [fault] = faults(lp, account)
    assert (fault["hits"], fault["secondsLeft"] <= 1.0) == (2, True)
    assert fault["hitsByRoute"] == {"GET /api/account/{acct}/chat/{chat_id}": 2}
    lp.clock.advance(1.5)
    assert lp.chat_call("GET", as_json_url(chat_url)).status_code == 200
    assert faults(lp, account) == []


@pytest.mark.parametrize(
    ("mangle", "expected"),
    [("duplicate", ["4", "4", "5", "5"]), ("reorder", ["5", "4"]), ("gap", ["5"])],
)
def test_events_come_duplicated_reordered_or_with_a_gap(lp: LpClient, mangle: str, expected: list[str]) -> None:
    account, chat_url = chatting_with_lines(lp, "one", "two")  # events 4 and 5
    add_fault(lp, account, kind="events", mangle=mangle, count=1)
    empty = lp.get_chat(chat_url, **{"from": "6"})  # nothing to mangle: the fault is not spent
    assert event_ids(empty) == [] and faults(lp, account)[0]["left"] == 1
    chat = lp.get_chat(chat_url, **{"from": "4"})
    assert event_ids(chat) == expected
    assert chat["events"]["link"][1]["@href"].endswith("?from=6")  # `next` as if all were sent
    assert event_ids(lp.get_chat(chat_url, **{"from": "4"})) == ["4", "5"]


def test_garbled_answers(lp: LpClient) -> None:
    account, chat_url = chatting_with_lines(lp, "one")
    add_fault(lp, account, kind="garble", body="not_json", requests="polls", count=1)
    add_fault(lp, account, kind="garble", body="truncated", requests="polls", count=1)
    add_fault(lp, account, kind="garble", body="missing_fields", count=2)
    page = lp.chat_call("GET", as_json_url(chat_url))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    cut = lp.chat_call("GET", as_json_url(chat_url))
    assert cut.status_code == 200 and len(cut.content) == int(cut.headers["content-length"])
    with pytest.raises(ValueError):
        cut.json()
    links_only = lp.chat_call("GET", as_json_url(chat_url)).json()
    assert list(links_only) == ["chat"] and list(links_only["chat"]) == ["link"]
    posted = lp.add_line(chat_url, "no Location comes back")
    assert posted.status_code == 201 and "location" not in posted.headers
    assert lp.events(chat_url)[-1]["text"] == "no Location comes back"  # the service did take it


async def test_a_slow_answer_waits_on_the_sandboxs_clock(lp: LpClient) -> None:
    account, chat_url = chatting_with_lines(lp)
    add_fault(lp, account, kind="slow", delay_seconds=20, requests="lines", count=1)
    async with httpx.AsyncClient(base_url=lp.chat_base_url, headers=AUTH, timeout=10) as client:
        body = {"event": {"@type": "line", "text": "slowly"}}
        posting = asyncio.ensure_future(client.post(as_json_url(chat_url + "/events"), params={"v": "1"}, json=body))
        await asyncio.sleep(0.3)
        assert not posting.done()
        assert lp.events(chat_url)[-1]["text"] == "slowly"  # served at once: only the answer is held back
        await asyncio.to_thread(lp.clock.advance, 20)
        assert (await posting).status_code == 201


def test_a_restart_forgets_the_accounts_chats(lp: LpClient) -> None:
    account, chat_url = chatting_with_lines(lp, "before the restart")
    assert lp.http.post(f"/sandbox/accounts/{account}/restart").status_code == 204
    gone = lp.chat_call("GET", as_json_url(chat_url))
    assert gone.status_code == 404 and gone.json()["error"]["internalCode"] == 12
    assert lp.state(account)["chats"] == []


def test_faults_are_listed_removed_and_validated(lp: LpClient) -> None:
    account = lp.new_account()
    first = add_fault(lp, account, kind="drop", requests="polls")
    second = add_fault(lp, account, kind="slow", delay_seconds=2.5, count=3)
    listed = lp.http.get(f"/sandbox/accounts/{account}/faults").json()["faults"]
    assert [fault["description"] for fault in listed] == [
        "Connection closed without an answer, on chat polls, until removed",
        "Answers held back 2.5 s, on every request, for 3 requests",
    ]
    assert lp.http.delete(f"/sandbox/accounts/{account}/faults/{first['id']}").status_code == 204
    assert [fault["id"] for fault in faults(lp, account)] == [second["id"]]
    assert lp.http.delete(f"/sandbox/accounts/{account}/faults/{first['id']}").status_code == 404
    assert lp.http.delete(f"/sandbox/accounts/{account}/faults").status_code == 204
    assert faults(lp, account) == []
    for bad in ({"kind": "flood"}, {"kind": "drop", "requests": "typing"}, {"kind": "status", "status": 200}):
        refused = lp.http.post(f"/sandbox/accounts/{account}/faults", json=bad)
        assert refused.status_code == 400 and refused.json()["error"]["message"].startswith("Bad request body")


def test_the_virtual_clock_is_moved_through_the_control_api(lp: LpClient) -> None:
    before = lp.clock.monotonic()
    moved = lp.http.post("/sandbox/clock", json={"advance": 120})
    assert moved.status_code == 200 and moved.json()["virtual"] is True
    assert lp.clock.monotonic() - before >= 120
    assert lp.http.post("/sandbox/clock", json={"advance": -1}).status_code == 400


def test_the_system_clock_cannot_be_moved() -> None:
    app = create_app(SandboxConfig(hosts=SandboxHosts.loopback(8001)))
    with TestClient(app, base_url="http://127.0.0.1:8001") as client:
        assert client.get("/sandbox/clock").json()["virtual"] is False
        refused = client.post("/sandbox/clock", json={"advance": 1})
        assert refused.status_code == 409 and "SANDBOX_CLOCK=virtual" in refused.json()["error"]["message"]
