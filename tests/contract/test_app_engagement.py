"""App Engagement: Create Session and Update Session, unwrapped errors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.contract.lp_client import LpClient

IMP_DISPLAY = {
    "type": "impDisplay",
    "campaign": 26948813,
    "engId": 27469613,
    "revision": 3,
    "eContext": [{"type": "engagementContext", "id": 2}],
}


def create(http: httpx.Client, account: str, path: str = "visitors", **params: str) -> httpx.Response:
    return http.post(
        f"/api/account/{account}/app/engagement/{path}",
        params={"v": "1.0", **params},
        json={"appType": "EXTERNAL", "appDetails": {"os": "LINUX", "deviceFamily": "DESKTOP"}},
    )


def assert_unwrapped_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status
    body: dict[str, Any] = response.json()
    assert set(body) == {"time", "message", "internalCode"}
    assert isinstance(body["time"], int) and body["time"] > 1_600_000_000_000  # epoch ms
    return body


@pytest.mark.parametrize("path", ["visitors", "visitors/"])
def test_create_session_available(lp: LpClient, http: httpx.Client, path: str) -> None:
    response = create(http, lp.new_account(), path)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "Available"
    assert {"sessionId", "visitorId", "pageId"} <= set(body)
    assert body["engagementDetails"] == {  # the engagement of the account's first skill by default
        "campaignId": 26948813,
        "engagementId": 27469613,
        "contextId": 2,
        "windowId": 1101,
        "language": "en-US",
        "engagementRevision": 3,
        "validForSeconds": 900,
        "skillId": 1234,
        "skillName": "sales",
    }


def test_not_available_has_no_engagement_details(lp: LpClient, http: httpx.Client) -> None:
    body = create(http, lp.new_account(available=False)).json()
    assert body["status"] == "NotAvailable"
    assert "engagementDetails" not in body


def test_connector_id_only_for_authenticated_engagement(lp: LpClient, http: httpx.Client) -> None:
    body = create(http, lp.new_account(authenticated_engagement=True, connector_id=77)).json()
    assert body["engagementDetails"]["connectorId"] == 77


def test_returning_visitor_keeps_ids(lp: LpClient, http: httpx.Client) -> None:
    account = lp.new_account()
    first = create(http, account).json()
    again = create(http, account, f"visitors/{first['visitorId']}", sid=first["sessionId"]).json()
    assert (again["visitorId"], again["sessionId"]) == (first["visitorId"], first["sessionId"])
    assert again["pageId"] != first["pageId"]


@pytest.mark.parametrize("params", [{}, {"v": "2.0"}])
def test_illegal_version(lp: LpClient, http: httpx.Client, params: dict[str, str]) -> None:
    response = http.post(
        f"/api/account/{lp.new_account()}/app/engagement/visitors", params=params, json={"appType": "EXTERNAL"}
    )
    body = assert_unwrapped_error(response, 400)
    assert (body["message"], body["internalCode"]) == ("Illegal Version", 33)


@pytest.mark.parametrize("body", [{}, {"appType": "WEB"}, {"appType": "EXTERNAL", "consumerSections": "x"}])
def test_app_type_required(lp: LpClient, http: httpx.Client, body: dict[str, Any]) -> None:
    response = http.post(f"/api/account/{lp.new_account()}/app/engagement/visitors?v=1.0", json=body)
    assert_unwrapped_error(response, 400)


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"{nope", "application/json", 400),
        # A `text/plain` POST needs no preflight: any web page could send one to a developer's sandbox.
        (b'{"appType": "EXTERNAL"}', "text/plain", 415),
    ],
)
def test_bodies_are_json_sent_as_json(
    lp: LpClient, http: httpx.Client, content: bytes, content_type: str, status: int
) -> None:
    response = http.post(
        f"/api/account/{lp.new_account()}/app/engagement/visitors?v=1.0",
        content=content,
        headers={"Content-Type": content_type},
    )
    assert_unwrapped_error(response, status)


def test_the_engagement_names_its_skill(lp: LpClient, http: httpx.Client) -> None:
    details = create(http, lp.new_account(engagement_skill="Support")).json()["engagementDetails"]
    assert (details["skillName"], details["skillId"]) == ("support", 1235)
    offline_skill = [{"id": 1234, "name": "sales"}, {"id": 1235, "name": "support", "available": False}]
    body = create(http, lp.new_account(skills=offline_skill, engagement_skill="support")).json()
    assert body["status"] == "NotAvailable" and "engagementDetails" not in body


def test_loading_account_then_the_retry_keeps_the_visitor(lp: LpClient, http: httpx.Client) -> None:
    """#94: quiet accounts first answer 500 "Loading account: {account}, vid: {vid}"; the client waits, then calls
    again, reusing that visitor id."""
    account = lp.new_account(loading_account_calls=2)
    first = assert_unwrapped_error(create(http, account), 500)
    assert first["internalCode"] == 20
    prefix = f"Loading account: {account}, vid: "
    assert first["message"].startswith(prefix)
    vid = first["message"].removeprefix(prefix)
    again = assert_unwrapped_error(create(http, account, f"visitors/{vid}"), 500)
    assert again["message"] == first["message"]  # the same visitor
    session = create(http, account, f"visitors/{vid}")
    assert session.status_code == 200 and session.json()["visitorId"] == vid
    [recorded] = lp.state(account)["engagementSessions"]
    assert recorded["visitor_id"] == vid
    assert create(http, account).status_code == 200  # only the first N calls


def test_update_session_records_attributes(lp: LpClient, http: httpx.Client) -> None:
    account = lp.new_account()
    session = create(http, account).json()
    url = f"/api/account/{account}/app/engagement/visitors/{session['visitorId']}"
    sde = {"type": "ctmrinfo", "info": {"customerId": "c-1", "ctype": "vip"}}
    attributes = http.put(
        url,
        params={"v": "1.0", "sid": session["sessionId"]},
        json={"pageId": session["pageId"], "engagementAttributes": [sde]},
    )
    impressions = http.put(
        url,
        params={"v": "1.0", "sid": session["sessionId"]},
        json={"pageId": session["pageId"], "impAttributes": [IMP_DISPLAY]},
    )
    assert (attributes.status_code, attributes.content) == (200, b"")
    assert (impressions.status_code, impressions.content) == (200, b"")
    [recorded] = lp.state(account)["engagementSessions"]
    assert recorded["engagement_attributes"] == [sde]
    assert recorded["imp_attributes"] == [IMP_DISPLAY]


def test_update_session_needs_sid_page_id_and_known_session(lp: LpClient, http: httpx.Client) -> None:
    account = lp.new_account()
    session = create(http, account).json()
    url = f"/api/account/{account}/app/engagement/visitors/{session['visitorId']}"
    body = {"pageId": session["pageId"], "impAttributes": [IMP_DISPLAY]}
    assert_unwrapped_error(http.put(url, params={"v": "1.0"}, json=body), 400)
    assert_unwrapped_error(http.put(url, params={"v": "1.0", "sid": "nope"}, json=body), 401)
    no_page = {"impAttributes": [IMP_DISPLAY]}
    assert_unwrapped_error(http.put(url, params={"v": "1.0", "sid": session["sessionId"]}, json=no_page), 400)
    unknown_sde = {"pageId": session["pageId"], "engagementAttributes": [{"type": "nope"}]}
    assert_unwrapped_error(http.put(url, params={"v": "1.0", "sid": session["sessionId"]}, json=unknown_sde), 400)
    without_visitor = http.put(f"/api/account/{account}/app/engagement/visitors?v=1.0", json=body)
    assert 400 <= without_visitor.status_code < 500
