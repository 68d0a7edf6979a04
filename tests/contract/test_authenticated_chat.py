"""Signed-in chats (api-notes step 6): a consumer signs in at the development OpenID provider, the window hands the
code or id_token to conversation.json, and the sandbox checks it as LivePerson's authentication connector does.

These tests share a sandbox of their own, not the suite's: its `VirtualClock` starts at real time, as the provider's
does, so an id_token is fresh until a test moves the sandbox's time past its `exp` (and the test that does so has a
sandbox of its own again)."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox.authentication_connector import CLOCK_LEEWAY_SECONDS
from sandbox.openid_provider import CONNECTOR_CLIENT_ID, CONNECTOR_CLIENT_SECRET, PROVIDER_DIR, PUBLIC_CLIENT_ID
from tests.contract.conftest import sandbox_of_its_own
from tests.contract.lp_client import LpClient
from tests.openid_consumer import WINDOW_PAGE, Consumer, pkce_pair

CONNECTOR_ID = 2006
DANA = json.loads((PROVIDER_DIR / "users.json").read_text())["dana"]["claims"]


@pytest.fixture(scope="module")
def lp() -> Iterator[LpClient]:
    """This module's sandbox (see above)."""
    with sandbox_of_its_own() as lp:
        yield lp


@pytest.fixture
def lp_moving_time() -> Iterator[LpClient]:
    """A sandbox for a test that moves its time on."""
    with sandbox_of_its_own() as lp:
        yield lp


@pytest.fixture
def consumer(openid_provider: str) -> Iterator[Consumer]:
    consumer = Consumer(openid_provider)
    yield consumer
    consumer.close()


def authenticated_account(lp: LpClient, issuer: str, **connector: Any) -> str:
    """An account whose engagement is authenticated, its connector registered at the provider as `lp-connector`."""
    return lp.new_account(
        authenticated_engagement=True,
        connector_id=CONNECTOR_ID,
        authentication_connector={
            "issuer": issuer,
            "client_id": CONNECTOR_CLIENT_ID,
            "client_secret": CONNECTOR_CLIENT_SECRET,
            **connector,
        },
    )


def open_conversation(lp: LpClient, account: str, sso_key: str, **fields: Any) -> httpx.Response:
    """conversation.json as the window sends it after the engagement."""
    body = {
        "authChatConnId": CONNECTOR_ID,
        "ssoKey": sso_key,
        "redirectUri": WINDOW_PAGE,
        "engagementId": 27469613,
        "LETagContextId": "2",
        "LETagSessionId": "ses-1",
        "LETagVisitorId": "vis-1",
        **fields,
    }
    return lp.chat_call("POST", f"/api/account/{account}/conversation.json", body)


def refusal(response: httpx.Response) -> str:
    """The message of a sign-in the sandbox refused as LivePerson does: 401 in the Chat API's wrapped shape."""
    assert response.status_code == 401, response.text
    error = response.json()["error"]
    assert error["internalCode"] == 5 and error["message"].startswith("Authentication failed: ")
    return str(error["message"])


def code_for(consumer: Consumer, client_id: str = CONNECTOR_CLIENT_ID, **params: str) -> str:
    answer = consumer.authorize(client_id=client_id, response_type="code", state="st-1", nonce="n-1", **params)
    assert answer["state"] == "st-1"
    return answer["code"]


def id_token_for(consumer: Consumer, username: str = "dana") -> str:
    answer = consumer.authorize(username, client_id=CONNECTOR_CLIENT_ID, response_type="id_token", nonce="n-2")
    return answer["id_token"]


def claims_of(id_token: str) -> dict[str, Any]:
    payload = id_token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return claims


def test_the_code_flow_opens_a_conversation_whose_chat_shows_the_verified_consumer(
    lp: LpClient, consumer: Consumer, openid_provider: str
) -> None:
    account = authenticated_account(lp, openid_provider)
    response = open_conversation(lp, account, code_for(consumer))
    assert response.status_code == 200, response.text
    ids = response.json()
    assert set(ids) == {"participantId", "conversationId"}
    chat_url = lp.request_chat(account, **ids)
    assert lp.get_chat(chat_url)["info"]["participantId"] == ids["participantId"]

    authentication = lp.console(chat_url).json()["authentication"]
    assert {key: authentication["claims"][key] for key in DANA} == DANA  # the code flow's id_token has the claims
    assert (authentication["claims"]["iss"], authentication["claims"]["nonce"]) == (openid_provider, "n-1")
    facts = {fact["label"]: fact["value"] for fact in authentication["facts"]}
    assert facts["Name"] == "Dana Okafor" and facts["Email"] == "dana@example.com"
    assert (facts["Customer ID"], facts["Phone"], facts["User name"]) == ("dana-1001", "+1 202 555 0143", "dana")
    customer_info = {
        sde["title"]: {f["label"]: f["value"] for f in sde["facts"]} for sde in authentication["customerInfo"]
    }
    assert customer_info["Customer info"]["ctype"] == "vip"
    assert customer_info["Customer info"]["lastPaymentDate.year"] == "2025"
    assert customer_info["Personal info"]["contacts.1.email"] == "dana@example.com"

    state = lp.state(account)
    assert state["chats"][0]["authentication"] == authentication
    assert state["conversations"][0]["claims"]["sub"] == "dana-1001"
    assert lp.console(lp.request_chat(account)).json()["authentication"] is None  # a chat without the pair


def test_the_implicit_flow_takes_the_id_token_itself(lp: LpClient, consumer: Consumer, openid_provider: str) -> None:
    account = authenticated_account(lp, openid_provider, flow="implicit")
    response = open_conversation(lp, account, id_token_for(consumer, "lee"))
    assert response.status_code == 200, response.text
    chat_url = lp.request_chat(account, **response.json())
    authentication = lp.console(chat_url).json()["authentication"]
    assert authentication["facts"] == [
        {"label": "Name", "value": "Lee"},
        {"label": "Customer ID", "value": "lee-1002"},
        {"label": "User name", "value": "lee"},
    ]
    assert authentication["customerInfo"] == []


def test_a_replayed_or_unknown_code_is_refused(lp: LpClient, consumer: Consumer, openid_provider: str) -> None:
    account = authenticated_account(lp, openid_provider)
    code = code_for(consumer)
    assert open_conversation(lp, account, code).status_code == 200
    assert "invalid_grant" in refusal(open_conversation(lp, account, code))
    assert "invalid_grant" in refusal(open_conversation(lp, account, "no-such-code"))
    assert len(lp.state(account)["conversations"]) == 1


def test_the_code_is_redeemed_with_the_redirect_uri_it_was_issued_for(
    lp: LpClient, consumer: Consumer, openid_provider: str
) -> None:
    account = authenticated_account(lp, openid_provider)
    code = code_for(consumer)
    # Without redirectUri LivePerson redeems with its default, https://liveperson.net: not what the code was for.
    assert "invalid_grant" in refusal(open_conversation(lp, account, code, redirectUri=None))
    assert open_conversation(lp, account, code).status_code == 200  # the provider did not burn the code
    strict = authenticated_account(lp, openid_provider, redirect_uris=["https://brand.example/chat"])
    assert "not one the connector allows" in refusal(open_conversation(lp, strict, code_for(consumer)))


def test_a_code_bound_to_a_pkce_challenge_cannot_be_redeemed_through_the_legacy_api(
    lp: LpClient, consumer: Consumer, openid_provider: str
) -> None:
    """conversation.json has no field for a code verifier, so LivePerson redeems without one: the window must not send
    a code_challenge when LivePerson is to redeem its code."""
    account = authenticated_account(lp, openid_provider)
    code = code_for(consumer, code_challenge=pkce_pair()[1], code_challenge_method="S256")
    assert "invalid_grant" in refusal(open_conversation(lp, account, code))


@pytest.mark.parametrize("forgery", ["another subject", "no signature"])
def test_a_tampered_id_token_is_refused(lp: LpClient, consumer: Consumer, openid_provider: str, forgery: str) -> None:
    account = authenticated_account(lp, openid_provider, flow="implicit")
    header, payload, signature = id_token_for(consumer).split(".")
    if forgery == "another subject":
        claims = {**claims_of(f"{header}.{payload}.{signature}"), "sub": "someone-else"}
        payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    else:
        header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
        signature = ""
    assert "does not verify" in refusal(open_conversation(lp, account, f"{header}.{payload}.{signature}"))
    assert lp.state(account)["conversations"] == []


def test_an_expired_id_token_is_refused(lp_moving_time: LpClient, consumer: Consumer, openid_provider: str) -> None:
    lp = lp_moving_time
    account = authenticated_account(lp, openid_provider, flow="implicit")
    id_token = id_token_for(consumer)
    assert open_conversation(lp, account, id_token).status_code == 200  # LivePerson may be given it again until exp
    claims = claims_of(id_token)
    lp.clock.advance(claims["exp"] - claims["iat"] + CLOCK_LEEWAY_SECONDS + 1)
    assert refusal(open_conversation(lp, account, id_token)) == "Authentication failed: the id_token has expired"


def test_a_token_for_another_client_is_refused(lp: LpClient, consumer: Consumer, openid_provider: str) -> None:
    verifier, challenge = pkce_pair()
    code = code_for(consumer, PUBLIC_CLIENT_ID, code_challenge=challenge, code_challenge_method="S256")
    tokens = consumer.redeem(code, client_id=PUBLIC_CLIENT_ID, code_verifier=verifier)
    assert claims_of(tokens.json()["id_token"])["aud"] == PUBLIC_CLIENT_ID
    implicit = authenticated_account(lp, openid_provider, flow="implicit")
    assert "aud" in refusal(open_conversation(lp, implicit, tokens.json()["id_token"]))
    # A code issued to the public client is not the connector's to redeem.
    other_code = code_for(consumer, PUBLIC_CLIENT_ID, code_challenge=challenge, code_challenge_method="S256")
    code_flow = authenticated_account(lp, openid_provider)
    assert "invalid_grant" in refusal(open_conversation(lp, code_flow, other_code))


def test_a_connector_with_a_wrong_secret_is_refused(lp: LpClient, consumer: Consumer, openid_provider: str) -> None:
    account = authenticated_account(lp, openid_provider, client_secret="not the secret")
    assert "invalid_client" in refusal(open_conversation(lp, account, code_for(consumer)))


def test_a_provider_that_is_down_is_a_401_not_a_5xx(lp: LpClient) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{closed.getsockname()[1]}"
    for flow in ("code", "implicit"):
        account = authenticated_account(lp, down, flow=flow)
        assert "cannot be reached" in refusal(open_conversation(lp, account, "a.b.c"))


def test_a_wrong_connector_id_is_a_bad_request(lp: LpClient, consumer: Consumer, openid_provider: str) -> None:
    account = authenticated_account(lp, openid_provider)
    response = open_conversation(lp, account, code_for(consumer), authChatConnId=CONNECTOR_ID + 1)
    assert response.status_code == 400 and "connectorId" in response.json()["error"]["message"]


def test_the_code_flow_needs_the_connectors_secret(lp: LpClient, openid_provider: str) -> None:
    connector = {"issuer": openid_provider, "client_id": CONNECTOR_CLIENT_ID}
    response = lp.http.put(
        f"/sandbox/accounts/{lp.new_account()}/settings", json={"authentication_connector": connector}
    )
    assert response.status_code == 400 and "client_secret" in response.json()["error"]["message"]
