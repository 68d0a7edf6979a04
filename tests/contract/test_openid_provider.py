"""The development OpenID provider itself, over HTTP: its clients, its sign-in pages, and PKCE (which the legacy Chat
API cannot carry, so it is tested here against the provider's token endpoint)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest

from sandbox.openid_provider import CONNECTOR_CLIENT_ID, CONNECTOR_CLIENT_SECRET, PUBLIC_CLIENT_ID
from tests.openid_consumer import WINDOW_PAGE, Consumer, pkce_pair, read_form

CONNECTOR_AUTH = httpx.BasicAuth(CONNECTOR_CLIENT_ID, CONNECTOR_CLIENT_SECRET)


@pytest.fixture
def consumer(openid_provider: str) -> Iterator[Consumer]:
    consumer = Consumer(openid_provider)
    yield consumer
    consumer.close()


def test_discovery_names_what_the_window_and_the_connector_use(consumer: Consumer, openid_provider: str) -> None:
    metadata = consumer.metadata
    assert metadata["issuer"] == openid_provider
    assert {"code", "id_token"} <= set(metadata["response_types_supported"])
    assert "S256" in metadata["code_challenge_methods_supported"]
    assert "client_secret_basic" in metadata["token_endpoint_auth_methods_supported"]
    assert "RS256" in metadata["id_token_signing_alg_values_supported"]


def test_the_sign_in_page_is_a_labelled_form_that_refuses_a_wrong_password(consumer: Consumer) -> None:
    params = {"client_id": CONNECTOR_CLIENT_ID, "response_type": "code", "redirect_uri": WINDOW_PAGE}
    page = consumer.http.get(consumer.metadata["authorization_endpoint"], params=params, follow_redirects=True)
    assert page.headers["content-security-policy"].endswith("frame-ancestors 'none'")
    form = read_form(page.text)
    assert set(form.labels) == {"Username", "Password"} and "Sign in" in form.buttons
    refused = consumer.submit(form, "Sign in", Username="dana", Password="not her password")
    assert 'role="alert">Wrong username or password.' in refused.text
    again = read_form(refused.text)  # the consumer tries again, the username kept
    assert again.fields["username"] == "dana"
    assert consumer.submit(again, "Sign in", Password="password").is_redirect


def test_a_code_is_redeemed_once_by_the_confidential_client_without_pkce(consumer: Consumer) -> None:
    answer = consumer.authorize(client_id=CONNECTOR_CLIENT_ID, response_type="code", state="s-1", nonce="n-1")
    assert answer["state"] == "s-1"
    wrong_secret = consumer.redeem(answer["code"], httpx.BasicAuth(CONNECTOR_CLIENT_ID, "not its secret"))
    assert (wrong_secret.status_code, wrong_secret.json()["error"]) == (401, "invalid_client")
    tokens = consumer.redeem(answer["code"], CONNECTOR_AUTH)
    assert tokens.status_code == 200 and tokens.json()["id_token"]
    replayed = consumer.redeem(answer["code"], CONNECTOR_AUTH)
    assert (replayed.status_code, replayed.json()["error"]) == (400, "invalid_grant")


def test_the_public_client_must_use_pkce(consumer: Consumer) -> None:
    refused = consumer.authorize(client_id=PUBLIC_CLIENT_ID, response_type="code", state="s-2")
    assert (refused["error"], refused["state"]) == ("invalid_request", "s-2")
    assert "PKCE" in refused["error_description"]
    plain = consumer.authorize(
        client_id=PUBLIC_CLIENT_ID, response_type="code", code_challenge="x" * 43, code_challenge_method="plain"
    )
    assert plain["error"] == "invalid_request"  # S256 only


def test_the_public_client_redeems_its_code_with_the_right_verifier_only(consumer: Consumer) -> None:
    verifier, challenge = pkce_pair()
    pkce = {"code_challenge": challenge, "code_challenge_method": "S256"}
    answer = consumer.authorize(client_id=PUBLIC_CLIENT_ID, response_type="code", nonce=secrets.token_hex(8), **pkce)
    without = consumer.redeem(answer["code"], client_id=PUBLIC_CLIENT_ID)
    wrong = consumer.redeem(answer["code"], client_id=PUBLIC_CLIENT_ID, code_verifier=pkce_pair()[0])
    for refused in (without, wrong):
        assert (refused.status_code, refused.json()["error"]) == (400, "invalid_grant")
    tokens = consumer.redeem(answer["code"], client_id=PUBLIC_CLIENT_ID, code_verifier=verifier)
    assert tokens.status_code == 200, tokens.text
    assert tokens.json()["id_token"]


def test_the_implicit_flow_answers_an_id_token_in_the_fragment_and_needs_a_nonce(consumer: Consumer) -> None:
    no_nonce = consumer.authorize(client_id=CONNECTOR_CLIENT_ID, response_type="id_token", state="s-3")
    assert no_nonce["error"] == "invalid_request"
    answer = consumer.authorize(client_id=CONNECTOR_CLIENT_ID, response_type="id_token", state="s-4", nonce="n-4")
    assert answer["state"] == "s-4" and answer["id_token"].count(".") == 2


def test_a_consumer_who_denies_access_is_sent_back_with_access_denied(consumer: Consumer) -> None:
    answer = consumer.authorize(consent="Deny", client_id=CONNECTOR_CLIENT_ID, response_type="code", state="s-5")
    assert (answer["error"], answer["state"]) == ("access_denied", "s-5")
    assert "code" not in answer
