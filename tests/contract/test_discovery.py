"""CSDS domain lookup, the account root resource and CORS for the window's origin."""

from __future__ import annotations

import httpx
import pytest

from tests.contract.conftest import WINDOW_ORIGIN
from tests.contract.lp_client import LpClient

SERVICES = {"conversationVep", "msdkgw", "smt", "acCdnDomain", "agentVep"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/account/{acct}/service/conversationVep/baseURI.json",
        "/api/account/{acct}/service/conversationVep/baseURI",
        "/csdr/account/{acct}/service/conversationVep/baseURI.json",
    ],
)
def test_csds_one_service_answers_own_host(lp: LpClient, http: httpx.Client, base_url: str, path: str) -> None:
    account = lp.new_account()
    response = http.get(path.format(acct=account), params={"version": "1.0"})
    assert response.status_code == 200
    assert response.json() == {"service": "conversationVep", "account": account, "baseURI": base_url.split("//")[1]}


def test_csds_all_services(lp: LpClient, http: httpx.Client, base_url: str) -> None:
    account = lp.new_account()
    response = http.get(f"/api/account/{account}/service/baseURI.json", params={"version": "1.0"})
    assert response.status_code == 200
    uris = response.json()["baseURIs"]
    assert {u["service"] for u in uris} == SERVICES
    assert all(u == {"service": u["service"], "account": account, "baseURI": base_url.split("//")[1]} for u in uris)


def test_csds_base_uri_follows_host_header(lp: LpClient, http: httpx.Client) -> None:
    response = http.get(
        f"/api/account/{lp.new_account()}/service/msdkgw/baseURI.json",
        params={"version": "1.0"},
        headers={"Host": "localhost:9999"},
    )
    assert response.json()["baseURI"] == "localhost:9999"


@pytest.mark.parametrize("params", [{}, {"version": "2.0"}])
def test_csds_needs_version(lp: LpClient, http: httpx.Client, params: dict[str, str]) -> None:
    response = http.get(f"/api/account/{lp.new_account()}/service/smt/baseURI.json", params=params)
    assert response.status_code == 400


def test_csds_names_are_case_sensitive(lp: LpClient, http: httpx.Client) -> None:
    response = http.get(f"/api/account/{lp.new_account()}/service/ConversationVep/baseURI.json?version=1.0")
    assert response.status_code == 404


def test_account_root_lists_chat_links(lp: LpClient) -> None:
    account = lp.new_account()
    response = lp.chat_call("GET", f"/api/account/{account}.json")
    assert response.status_code == 200
    links = {link["@rel"]: link["@href"] for link in response.json()["account"]["link"]}
    base = f"{lp.base_url}/api/account/{account}/chat"
    assert links == {
        "chat-request": f"{base}/request",
        "chat-availability": f"{base}/availability",
        "chat-available-slots": f"{base}/availableSlots",
        "chat-estimatedWaitTime": f"{base}/estimatedWaitTime",
        "prechat-survey": f"{base}/preSurvey",
        "chat-offline-survey": f"{base}/offlineSurvey",
    }


def test_cors_preflight_for_json_put_via_override(lp: LpClient, http: httpx.Client) -> None:
    response = http.options(
        f"/api/account/{lp.new_account()}/chat/request.json",
        headers={
            "Origin": WINDOW_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,x-http-method-override,pragma,cache-control",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == WINDOW_ORIGIN
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "x-http-method-override", "accept", "pragma", "cache-control"} <= allowed


def test_cors_exposes_location_and_retry_after(lp: LpClient) -> None:
    account = lp.new_account()
    response = lp.http.post(
        f"/api/account/{account}/chat/request.json",
        params={"v": "1"},
        json={"request": {"skill": "sales"}},
        headers={"Authorization": "LivePerson appKey=sandbox-app-key", "Origin": WINDOW_ORIGIN},
    )
    assert response.status_code == 201
    assert response.headers["access-control-allow-origin"] == WINDOW_ORIGIN
    exposed = {h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")}
    assert exposed == {"location", "retry-after"}


def test_cors_refuses_other_origins(lp: LpClient, http: httpx.Client) -> None:
    response = http.options(
        f"/api/account/{lp.new_account()}/chat/request.json",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
