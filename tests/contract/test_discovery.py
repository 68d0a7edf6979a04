"""CSDS domain lookup, each service on its own host, the account root resource, CORS, and what keeps others out."""

from __future__ import annotations

import httpx
import pytest

from sandbox import SandboxHosts
from tests.contract.conftest import WINDOW_ORIGIN
from tests.contract.lp_client import AUTH, LpClient


@pytest.mark.parametrize(
    "path",
    [
        "/api/account/{acct}/service/conversationVep/baseURI.json",
        "/api/account/{acct}/service/conversationVep/baseURI",
        "/csdr/account/{acct}/service/conversationVep/baseURI.json",
    ],
)
def test_csds_one_service(lp: LpClient, http: httpx.Client, sandbox_hosts: SandboxHosts, path: str) -> None:
    account = lp.new_account()
    response = http.get(path.format(acct=account), params={"version": "1.0"})
    assert response.status_code == 200
    assert response.json() == {"service": "conversationVep", "account": account, "baseURI": sandbox_hosts.chat}


def test_csds_names_distinct_hosts_for_chat_and_app_engagement(
    lp: LpClient, http: httpx.Client, sandbox_hosts: SandboxHosts
) -> None:
    account = lp.new_account()
    response = http.get(f"/api/account/{account}/service/baseURI.json", params={"version": "1.0"})
    assert response.status_code == 200
    uris = {u["service"]: u["baseURI"] for u in response.json()["baseURIs"]}
    assert all(u["account"] == account for u in response.json()["baseURIs"])
    assert uris == {
        "conversationVep": sandbox_hosts.chat,
        "msdkgw": sandbox_hosts.main,
        "smt": sandbox_hosts.main,
        "acCdnDomain": sandbox_hosts.main,
        "agentVep": sandbox_hosts.main,
    }
    assert sandbox_hosts.chat != sandbox_hosts.main


def test_each_api_answers_on_its_own_host_only(lp: LpClient, http: httpx.Client, chat_http: httpx.Client) -> None:
    account = lp.new_account()
    chat_on_main = http.get(f"/api/account/{account}/chat/availability.json", params={"v": "1"}, headers=AUTH)
    assert chat_on_main.status_code == 404 and "conversationVep" in chat_on_main.json()["error"]["message"]
    engagement = f"/api/account/{account}/app/engagement/visitors"
    on_chat_host = chat_http.post(engagement, params={"v": "1.0"}, json={"appType": "EXTERNAL"})
    assert on_chat_host.status_code == 404 and "msdkgw" in on_chat_host.json()["message"]  # unwrapped
    assert http.post(engagement, params={"v": "1.0"}, json={"appType": "EXTERNAL"}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.2:1", "localhost"])
def test_a_foreign_host_name_is_refused_not_reflected(lp: LpClient, http: httpx.Client, host: str) -> None:
    """DNS rebinding: a page on another name that resolves to 127.0.0.1 gets nothing."""
    for path in (f"/api/account/{lp.new_account()}/service/baseURI.json?version=1.0", "/console", "/sandbox/x"):
        response = http.get(path, headers={"Host": host})
        assert response.status_code == 421
        assert host not in response.text


@pytest.mark.parametrize("params", [{}, {"version": "2.0"}])
def test_csds_needs_version(lp: LpClient, http: httpx.Client, params: dict[str, str]) -> None:
    response = http.get(f"/api/account/{lp.new_account()}/service/smt/baseURI.json", params=params)
    assert response.status_code == 400


def test_csds_names_are_case_sensitive(lp: LpClient, http: httpx.Client) -> None:
    response = http.get(f"/api/account/{lp.new_account()}/service/ConversationVep/baseURI.json?version=1.0")
    assert response.status_code == 404


def test_account_root_lists_chat_links_on_the_chat_host(lp: LpClient) -> None:
    account = lp.new_account()
    response = lp.chat_call("GET", f"/api/account/{account}.json")
    assert response.status_code == 200
    links = {link["@rel"]: link["@href"] for link in response.json()["account"]["link"]}
    base = f"{lp.chat_base_url}/api/account/{account}/chat"
    assert links == {
        "chat-request": f"{base}/request",
        "chat-availability": f"{base}/availability",
        "chat-available-slots": f"{base}/availableSlots",
        "chat-estimatedWaitTime": f"{base}/estimatedWaitTime",
        "prechat-survey": f"{base}/preSurvey",
        "chat-offline-survey": f"{base}/offlineSurvey",
    }


def test_cors_preflight_for_json_put_via_override(lp: LpClient, chat_http: httpx.Client) -> None:
    response = chat_http.options(
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


def test_cors_exposes_location_and_retry_after(lp: LpClient, chat_http: httpx.Client) -> None:
    response = chat_http.post(
        f"/api/account/{lp.new_account()}/chat/request.json",
        params={"v": "1"},
        json={"request": {"skill": "sales"}},
        headers={**AUTH, "Origin": WINDOW_ORIGIN},
    )
    assert response.status_code == 201
    assert response.headers["access-control-allow-origin"] == WINDOW_ORIGIN
    exposed = {h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")}
    assert exposed == {"location", "retry-after"}


def test_cors_refuses_other_origins(lp: LpClient, chat_http: httpx.Client) -> None:
    response = chat_http.options(
        f"/api/account/{lp.new_account()}/chat/request.json",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("path", ["/sandbox/accounts/{acct}/settings", "/console/api/chats"])
def test_the_sandboxs_own_apis_have_no_cors(lp: LpClient, http: httpx.Client, path: str) -> None:
    url = path.format(acct=lp.new_account())
    preflight = http.options(url, headers={"Origin": WINDOW_ORIGIN, "Access-Control-Request-Method": "PUT"})
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in http.get(url).headers


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": WINDOW_ORIGIN},  # the window's page is another origin
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_other_origins_cannot_use_the_console_or_control_api(
    lp: LpClient, http: httpx.Client, headers: dict[str, str]
) -> None:
    account = lp.new_account(agent_mode="console")
    chat_url = lp.request_chat(account)
    api = f"/console/api/accounts/{account}/chats/{chat_url.rsplit('/', 1)[1]}"
    assert http.post(api + "/accept", json={"agentName": "Mallory"}, headers=headers).status_code == 403
    settings = http.put(f"/sandbox/accounts/{account}/settings", json={"available": False}, headers=headers)
    assert settings.status_code == 403
    assert http.get(f"/sandbox/accounts/{account}/state", headers=headers).status_code == 403
    assert lp.get_chat(chat_url)["info"]["state"] == "waiting"


def test_the_console_itself_may_call_its_api(lp: LpClient, http: httpx.Client, base_url: str) -> None:
    own = {"Origin": base_url, "Sec-Fetch-Site": "same-origin"}
    assert http.get("/console/api/chats", headers=own).status_code == 200
    navigation = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
    assert http.get("/console", headers=navigation).status_code == 200  # a link to the console opens it
    assert http.get("/console/api/chats", headers={**navigation, "Sec-Fetch-Dest": "empty"}).status_code == 403
