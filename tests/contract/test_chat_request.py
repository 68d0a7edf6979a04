"""Chat API account level: authentication, versions, bodies, chat/request and conversation.json."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.contract.lp_client import APP_KEY, LpClient


def assert_wrapped_error(response: httpx.Response, status: int, internal_code: int | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"time", "message", "internalCode"}
    assert datetime.fromisoformat(error["time"]).tzinfo is not None  # ISO 8601 with offset
    if internal_code is not None:
        assert error["internalCode"] == internal_code
    return error


def test_missing_app_key_is_401(lp: LpClient, chat_http: httpx.Client) -> None:
    response = chat_http.get(f"/api/account/{lp.new_account()}/chat/availability.json", params={"v": "1"})
    assert_wrapped_error(response, 401)


def test_unknown_app_key_is_401(lp: LpClient, chat_http: httpx.Client) -> None:
    response = chat_http.get(
        f"/api/account/{lp.new_account()}/chat/availability.json",
        params={"v": "1"},
        headers={"Authorization": "LivePerson appKey=wrong"},
    )
    assert_wrapped_error(response, 401)


@pytest.mark.parametrize("param", ["appKey", "appkey"])
def test_app_key_in_query(lp: LpClient, chat_http: httpx.Client, param: str) -> None:
    response = chat_http.get(
        f"/api/account/{lp.new_account()}/chat/availability.json", params={"v": "1", param: APP_KEY}
    )
    assert response.status_code == 200
    assert response.json() == {"availability": True}


def test_app_keys_follow_account_settings(lp: LpClient, chat_http: httpx.Client) -> None:
    account = lp.new_account(app_keys=["brand-key"])
    path = f"/api/account/{account}/chat/availability"
    assert chat_http.get(path, params={"v": "1", "appKey": APP_KEY}).status_code == 401
    assert chat_http.get(path, params={"v": "1", "appKey": "brand-key"}).status_code == 200


def test_the_documented_app_key_works_for_every_account(lp: LpClient, chat_http: httpx.Client) -> None:
    """The key printed in every Chat API page, which real clients send for every account (Decisions: app key)."""
    account = lp.new_account(app_keys=["brand-key"])
    path = f"/api/account/{account}/chat/availability"
    headers = {"Authorization": "LivePerson appKey=721c180b09eb463d9f3191c41762bb68"}
    assert chat_http.get(path, params={"v": "1"}, headers=headers).status_code == 200
    lp.settings(account, accept_documented_app_key=False)
    assert chat_http.get(path, params={"v": "1"}, headers=headers).status_code == 401


@pytest.mark.parametrize("params", [{}, {"v": "2"}])
def test_chat_calls_need_v1(lp: LpClient, chat_http: httpx.Client, params: dict[str, str]) -> None:
    response = chat_http.get(
        f"/api/account/{lp.new_account()}/chat/availability.json",
        params=params,
        headers={"Authorization": f"LivePerson appKey={APP_KEY}"},
    )
    assert_wrapped_error(response, 400)


def account_answers(lp: LpClient, account: str, **query: str) -> tuple[bool, int, int]:
    """(availability, availableSlots, estimatedWaitTime) as the Chat API answers them."""
    base = f"/api/account/{account}/chat"
    available = lp.chat_call("GET", f"{base}/availability.json", **query).json()["availability"]
    slots = lp.chat_call("GET", f"{base}/availableSlots.json", **query).json()["availableSlots"]
    query.pop("maxWaitTime", None)
    wait = lp.chat_call("GET", f"{base}/estimatedWaitTime.json", **query).json()["estimatedWaitTime"]
    return available, slots, wait


def test_availability_slots_and_wait(lp: LpClient) -> None:
    assert account_answers(lp, lp.new_account()) == (True, -1, 0)  # any number of chats, an agent free now
    assert account_answers(lp, lp.new_account(available=False)) == (False, 0, -1)
    assert account_answers(lp, lp.new_account(), skill="no such skill") == (False, 0, -1)


def test_each_skill_has_its_own_agents_and_capacity(lp: LpClient) -> None:
    account = lp.new_account(
        agent_mode="console",
        skills=[
            {"id": 1, "name": "sales", "max_chats": 2},
            {"id": 2, "name": "support", "available": False},
            {"id": 3, "name": "claims", "max_chats": 1, "busy_wait_seconds": 120},
        ],
    )
    assert account_answers(lp, account, skill="sales") == (True, 2, 0)
    assert account_answers(lp, account, skill="support") == (False, 0, -1)
    lp.request_chat(account, skill="sales")
    assert account_answers(lp, account, skill="sales", maxWaitTime="0") == (True, 1, 0)
    lp.request_chat(account, skill="sales")
    # Full: still available while agents are online, but not for a visitor who will not wait.
    assert account_answers(lp, account, skill="sales") == (True, 0, -2)
    assert account_answers(lp, account, skill="sales", maxWaitTime="0") == (False, 0, -2)
    assert account_answers(lp, account, skill="claims") == (True, 1, 0)
    lp.request_chat(account, skill=None, skillId=3)
    assert account_answers(lp, account, skill="claims", maxWaitTime="60")[0] is False
    assert account_answers(lp, account, skill="claims", maxWaitTime="120") == (True, 0, 120)
    assert_wrapped_error(lp.chat_call("GET", f"/api/account/{account}/chat/availability", maxWaitTime="soon"), 400)


def test_the_request_picks_its_skill_by_name_or_id(lp: LpClient) -> None:
    account = lp.new_account()
    choices: list[tuple[dict[str, Any], tuple[str, int]]] = [
        ({"skill": "Support"}, ("support", 1235)),
        ({"skill": None, "skillId": 1235}, ("support", 1235)),
        ({"skill": 1235}, ("support", 1235)),  # [SAMPLE] sends the engagement's skillId as `skill`
        ({"skill": None, "skillId": -1}, ("sales", 1234)),  # #97: no skill, the account's default
    ]
    for fields, skill in choices:
        info = lp.get_chat(lp.request_chat(account, **fields))["info"]
        assert (info["skillName"], info["skillId"]) == skill
    unknown = lp.chat_call("POST", f"/api/account/{account}/chat/request", {"request": {"skill": "nope"}})
    assert "Unknown skill" in assert_wrapped_error(unknown, 400)["message"]


def test_a_chat_for_an_offline_skill_ends_at_once(lp: LpClient) -> None:
    skills = [{"id": 1, "name": "sales"}, {"id": 2, "name": "support", "available": False}]
    chat_url = lp.request_chat(lp.new_account(skills=skills), skill="support")
    events = lp.events(chat_url)
    assert [(e["@type"], e.get("state") or e.get("systemMessageId")) for e in events] == [
        ("state", "waiting"),
        ("line", 2),
        ("state", "ended"),
    ]


def test_max_wait_time_zero_needs_an_agent_free_now(lp: LpClient) -> None:
    account = lp.new_account(agent_mode="console", skills=[{"id": 1, "name": "sales", "max_chats": 1}])
    first = lp.request_chat(account, maxWaitTime=0)
    assert lp.events(first)[-1]["systemMessageId"] == 4  # routed to the free agent: waits for the accept
    second = lp.request_chat(account, maxWaitTime=0)
    assert [e.get("systemMessageId") for e in lp.events(second)[-2:]] == [2, None]
    assert lp.events(second)[-1]["state"] == "ended"


def test_a_chat_queued_past_its_max_wait_time_ends(lp: LpClient) -> None:
    """assumed (the docs say only "the maximum time … a visitor can wait before a chat starts"): the busy line, then
    ended, once the chat has waited in the queue (no agent slot) longer than that."""
    account = lp.new_account(accept_delay_seconds=1, skills=[{"id": 1, "name": "sales", "max_chats": 1}])
    lp.start_chatting(account, interactionTimeout=600)  # takes the one slot
    queued = lp.request_chat(account, maxWaitTime=60, interactionTimeout=600)
    lp.clock.advance(59)
    assert lp.get_chat(queued)["info"]["state"] == "waiting"
    lp.clock.advance(2)
    assert [e.get("systemMessageId") for e in lp.events(queued)[-2:]] == [2, None]
    assert lp.get_chat(queued)["info"]["state"] == "ended"


def test_a_queued_chat_is_accepted_once_a_slot_frees(lp: LpClient) -> None:
    account = lp.new_account(accept_delay_seconds=1, skills=[{"id": 1, "name": "sales", "max_chats": 1}])
    busy = lp.start_chatting(account)
    queued = lp.request_chat(account)
    lp.clock.advance(10)
    assert lp.get_chat(queued)["info"]["state"] == "waiting"  # no slot: the agent does not take it
    lp.end_chat(busy)
    lp.wait_for(queued, lambda events: events[-1].get("source") == "agent")
    assert lp.get_chat(queued)["info"]["agentName"] == "Alex"


def test_request_answers_201_empty_with_absolute_location(lp: LpClient) -> None:
    account = lp.new_account()
    response = lp.chat_call("POST", f"/api/account/{account}/chat/request.json", {"request": {"skill": "sales"}})
    assert response.status_code == 201
    assert response.content == b""
    assert re.fullmatch(  # on the Chat API's host, whatever host the client reached CSDS on
        rf"{lp.chat_base_url}/api/account/{account}/chat/H\d{{19}}-[0-9a-f]{{32}}K\d{{7}}", response.headers["location"]
    )


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_not_sent_as_json_is_415(lp: LpClient, chat_http: httpx.Client, content_type: str | None) -> None:
    """A page on any site can POST these to localhost without a preflight; the sandbox takes none of them."""
    account = lp.new_account()
    headers = {"Authorization": f"LivePerson appKey={APP_KEY}"} | (
        {"Content-Type": content_type} if content_type else {}
    )
    body = b'{"request": {"skill": "sales"}}'
    response = chat_http.post(
        f"/api/account/{account}/chat/request.json", params={"v": "1"}, content=body, headers=headers
    )
    assert_wrapped_error(response, 415)
    assert lp.state(account)["chats"] == []


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"skill": "sales"}',  # no `request` wrapper
        b'{"request": "sales"}',
        b'{"request": {"maxWaitTime": "soon"}}',
        b'{"request": {"maxWaitTime": 86401}}',
        b'{"request": {"maxWaitTime": -1}}',
        b'{"request": {"agent": "natalie", "skill": "sales"}}',
        b'{"request": {"agent": "natalie", "maxWaitTime": 10}}',
        b'{"request": {"serviceQueue": "q1"}}',
        b'{"request": {"preChatLines": ["a bare array"]}}',
        b'{"request": {"participantId": "p", "conversationId": "c"}}',  # not from conversation.json
    ],
)
def test_bad_chat_requests_are_400(lp: LpClient, chat_http: httpx.Client, body: bytes) -> None:
    response = chat_http.post(
        f"/api/account/{lp.new_account()}/chat/request.json",
        params={"v": "1"},
        content=body,
        headers={"Authorization": f"LivePerson appKey={APP_KEY}", "Content-Type": "application/json"},
    )
    assert_wrapped_error(response, 400)


def test_documented_request_fields_are_accepted(lp: LpClient) -> None:
    account = lp.new_account()
    chat_url = lp.request_chat(
        account,
        skillId=1234,
        maxWaitTime=86400,
        serviceQueue="q1",
        engagementId=27469613,
        campaignId="26948813",
        language="en-US",
        LETagContextId=2,
        preChatLines={"lines": ["Hello?", "Anyone there?"]},
        interactionTimeout=60,
        chatReferrer="https://brand.example/help",
        userAgent="pytest",
    )
    info = lp.get_chat(chat_url)["info"]
    assert (info["chatTimeout"], info["sharkVisitorId"], info["sharkContextId"]) == (60, "vis-1", 2)
    # "shown to the agent before the chat starts … not displayed to the visitor" ([SCA] start-chat)
    assert [e for e in lp.events(chat_url) if e.get("source") == "visitor"] == []
    assert lp.state(account)["chats"][0]["preChatLines"] == ["Hello?", "Anyone there?"]


def test_authenticated_chat_via_conversation_json(lp: LpClient) -> None:
    account = lp.new_account(authenticated_engagement=True, connector_id=2006)
    path = f"/api/account/{account}/conversation.json"
    body = {"authChatConnId": 2006, "ssoKey": "code-123", "engagementId": 27469613, "LETagVisitorId": "vis-1"}
    response = lp.chat_call("POST", path, body)
    assert response.status_code == 200
    ids = response.json()
    assert set(ids) == {"participantId", "conversationId"}
    assert_wrapped_error(lp.chat_call("POST", path, {**body, "authChatConnId": 1}), 400)
    assert_wrapped_error(lp.chat_call("POST", path, {**body, "ssoKey": ""}), 400)
    chat_url = lp.request_chat(account, **ids)
    assert lp.get_chat(chat_url)["info"]["participantId"] == ids["participantId"]
    unauthenticated = lp.get_chat(lp.request_chat(account))["info"]
    assert "participantId" not in unauthenticated


def test_conversation_json_needs_authenticated_engagement(lp: LpClient) -> None:
    response = lp.chat_call(
        "POST", f"/api/account/{lp.new_account()}/conversation.json", {"authChatConnId": 2006, "ssoKey": "x"}
    )
    assert_wrapped_error(response, 400)


def test_unknown_chat_is_404_with_code_12(lp: LpClient) -> None:
    response = lp.chat_call("GET", f"/api/account/{lp.new_account()}/chat/H0-nope.json")
    assert_wrapped_error(response, 404, 12)
