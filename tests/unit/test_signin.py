"""Signing in, as pure functions: a fresh state and nonce each time, the exact redirect, PKCE S256, and the answer
checked (state, issuer, nonce) before anything goes to LivePerson."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from window.http import HttpResponse
from window.models.auth import ProviderMetadata
from window.protocol import MalformedReply
from window.signin import (
    Pending,
    SignedIn,
    SignInFailed,
    answer,
    authorization_request,
    challenge,
    claims,
    discovery,
    parameters,
)

PROVIDER = ProviderMetadata(issuer="https://idp.example", authorization_endpoint="https://idp.example/auth")
REDIRECT = "https://chat.example/static/signin.html"


def token(payload: dict[str, object]) -> str:
    def encode(part: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()

    return f"{encode({'alg': 'RS256'})}.{encode(payload)}.c2lnbmF0dXJl"


def test_each_request_has_a_fresh_unguessable_state_and_nonce_and_the_exact_redirect() -> None:
    first_url, first = authorization_request(PROVIDER, "lp-connector", "code", "openid profile", REDIRECT)
    _, second = authorization_request(PROVIDER, "lp-connector", "code", "openid profile", REDIRECT)
    assert first.state != second.state and first.nonce != second.nonce and len(first.state) >= 40
    query = parse_qs(urlsplit(first_url).query)
    assert urlsplit(first_url)._replace(query="").geturl() == "https://idp.example/auth"
    assert {name: values[0] for name, values in query.items()} == {
        "client_id": "lp-connector",
        "response_type": "code",
        "redirect_uri": REDIRECT,
        "scope": "openid profile",
        "state": first.state,
        "nonce": first.nonce,
    }
    assert "code_challenge" not in query  # LivePerson redeems the code: it has no verifier to send


def test_pkce_s256_when_configured() -> None:
    url, pending = authorization_request(PROVIDER, "pkce-public", "code", "openid", REDIRECT, pkce=True)
    query = parse_qs(urlsplit(url).query)
    assert pending.verifier and query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"] == [challenge(pending.verifier)]
    # RFC 7636, appendix B
    assert challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_the_implicit_flow_asks_for_an_id_token() -> None:
    url, _ = authorization_request(PROVIDER, "lp-connector", "implicit", "openid", REDIRECT)
    assert parse_qs(urlsplit(url).query)["response_type"] == ["id_token"]


def code_pending() -> Pending:
    return Pending("S" * 43, "N" * 43, "code", REDIRECT, PROVIDER.issuer)


@pytest.mark.parametrize(
    ("params", "failure"),
    [
        ({"code": "c", "state": "tampered"}, "signin_unverified"),
        ({"code": "c"}, "signin_unverified"),
        ({"code": "c", "state": "S" * 43, "iss": "https://evil.example"}, "signin_unverified"),
        ({"error": "access_denied", "state": "S" * 43}, "signin_cancelled"),
        ({"error": "server_error", "state": "S" * 43}, "signin_refused"),
        ({"state": "S" * 43}, "signin_unreadable"),
    ],
)
def test_an_answer_that_is_not_the_one_asked_for_is_refused(params: dict[str, str], failure: str) -> None:
    with pytest.raises(SignInFailed) as refused:
        answer(code_pending(), params)
    assert refused.value.failure == failure


def test_a_code_answer_becomes_the_sso_key_with_its_redirect() -> None:
    params = {"code": "the-code", "state": "S" * 43, "iss": PROVIDER.issuer}
    assert answer(code_pending(), params) == SignedIn("the-code", REDIRECT)


def test_an_id_token_answer_must_carry_this_sign_ins_nonce() -> None:
    pending = Pending("S" * 43, "N" * 43, "implicit", REDIRECT, PROVIDER.issuer)
    good = token({"iss": PROVIDER.issuer, "nonce": "N" * 43})
    assert answer(pending, {"id_token": good, "state": "S" * 43}).sso_key == good
    with pytest.raises(SignInFailed) as replayed:
        answer(pending, {"id_token": token({"nonce": "another"}), "state": "S" * 43})
    assert replayed.value.failure == "signin_unverified"
    assert claims("not.a-jwt") == {} and claims("x") == {}


def test_what_a_redirect_keeps_is_what_the_answer_must_match_never_a_token() -> None:
    pending = Pending("S", "N", "code", REDIRECT, PROVIDER.issuer, verifier="V")
    assert Pending.restored(pending.saved()) == pending
    assert set(json.loads(pending.saved())) == {"state", "nonce", "flow", "redirect_uri", "issuer", "verifier"}
    assert Pending.restored("{}") is None and Pending.restored("nonsense") is None


def test_an_answers_parameters_come_from_its_query_and_fragment() -> None:
    assert parameters("https://chat.example/?code=c&state=s") == {"code": "c", "state": "s"}
    assert parameters("https://chat.example/static/signin.html#id_token=t&state=s") == {"id_token": "t", "state": "s"}


@pytest.mark.parametrize(
    "endpoint", ["javascript:alert(document.domain)//", "data:text/html,<script>alert(1)</script>", "/auth", ""]
)
def test_a_discovery_document_that_would_send_the_consumer_to_anything_but_a_web_address_is_refused(
    endpoint: str,
) -> None:
    """The window goes where the provider's document says (its page, or a popup): only ever to a web address."""
    document = json.dumps({"issuer": "https://idp.example", "authorization_endpoint": endpoint})
    with pytest.raises(MalformedReply):
        discovery("https://idp.example").parse(HttpResponse(200, {"content-type": "application/json"}, document))
