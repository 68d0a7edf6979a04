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


def test_missing_app_key_is_401(lp: LpClient, http: httpx.Client) -> None:
    response = http.get(f"/api/account/{lp.new_account()}/chat/availability.json", params={"v": "1"})
    assert_wrapped_error(response, 401)


def test_unknown_app_key_is_401(lp: LpClient, http: httpx.Client) -> None:
    response = http.get(
        f"/api/account/{lp.new_account()}/chat/availability.json",
        params={"v": "1"},
        headers={"Authorization": "LivePerson appKey=wrong"},
    )
    assert_wrapped_error(response, 401)


@pytest.mark.parametrize("param", ["appKey", "appkey"])
def test_app_key_in_query(lp: LpClient, http: httpx.Client, param: str) -> None:
    response = http.get(f"/api/account/{lp.new_account()}/chat/availability.json", params={"v": "1", param: APP_KEY})
    assert response.status_code == 200
    assert response.json() == {"availability": True}


def test_app_keys_follow_account_settings(lp: LpClient, http: httpx.Client) -> None:
    account = lp.new_account(app_keys=["brand-key"])
    path = f"/api/account/{account}/chat/availability"
    assert http.get(path, params={"v": "1", "appKey": APP_KEY}).status_code == 401
    assert http.get(path, params={"v": "1", "appKey": "brand-key"}).status_code == 200


@pytest.mark.parametrize("params", [{}, {"v": "2"}])
def test_chat_calls_need_v1(lp: LpClient, http: httpx.Client, params: dict[str, str]) -> None:
    response = http.get(
        f"/api/account/{lp.new_account()}/chat/availability.json",
        params=params,
        headers={"Authorization": f"LivePerson appKey={APP_KEY}"},
    )
    assert_wrapped_error(response, 400)


def test_availability_slots_and_wait(lp: LpClient) -> None:
    online, offline = lp.new_account(), lp.new_account(available=False)
    for path, body_online, body_offline in [
        ("availability", {"availability": True}, {"availability": False}),
        ("availableSlots", {"availableSlots": -1}, {"availableSlots": 0}),
        ("estimatedWaitTime", {"estimatedWaitTime": 2}, {"estimatedWaitTime": -1}),
    ]:
        assert lp.chat_call("GET", f"/api/account/{online}/chat/{path}", skill="sales").json() == body_online
        assert lp.chat_call("GET", f"/api/account/{offline}/chat/{path}.json").json() == body_offline


def test_request_answers_201_empty_with_absolute_location(lp: LpClient) -> None:
    account = lp.new_account()
    response = lp.chat_call("POST", f"/api/account/{account}/chat/request.json", {"request": {"skill": "sales"}})
    assert response.status_code == 201
    assert response.content == b""
    assert re.fullmatch(
        rf"{lp.base_url}/api/account/{account}/chat/H\d{{19}}-[0-9a-f]{{32}}K\d{{7}}", response.headers["location"]
    )


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
def test_bad_chat_requests_are_400(lp: LpClient, http: httpx.Client, body: bytes) -> None:
    response = http.post(
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
    visitor_lines = [e["text"] for e in lp.events(chat_url) if e.get("source") == "visitor"]
    assert visitor_lines == ["Hello?", "Anyone there?"]
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
