"""Signing the consumer in at the brand's OpenID provider, as pure functions: the authorization request (a fresh,
unguessable `state` and `nonce`, the exact `redirect_uri`, PKCE S256 when configured) and the reading of its answer.

The legacy Chat API takes either a code (code flow: LivePerson redeems it at the provider) or an id_token (implicit
flow) as conversation.json's `ssoKey`, and carries nothing else: no PKCE verifier (so a code bound to a challenge
could not be redeemed by LivePerson; PKCE is one setting away for an API that carries it) and no nonce (so in the
code flow only LivePerson, which sees the id_token, could check it, and it cannot). What the window can check, it
does: `state` in both flows, `iss` when the answer carries it, the id_token's `nonce` in the implicit flow (its
signature is LivePerson's to check). Nothing here is kept beyond the sign-in: no token is ever stored.
Loaded only when an engagement asks for a signed-in consumer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

from window.http import HttpRequest
from window.models.auth import ProviderMetadata
from window.protocol import Call, parse_model

Flow = Literal["code", "implicit"]
# Why a sign-in did not happen, as catalog keys: the consumer said no; the provider refused; the answer is not the
# one asked for (state, issuer, nonce); the answer cannot be read.
Failure = Literal["signin_cancelled", "signin_refused", "signin_unverified", "signin_unreadable"]


@dataclass(frozen=True)
class Pending:
    """A sign-in under way: what its answer must match (kept in sessionStorage across a redirect, never a token)."""

    state: str
    nonce: str
    flow: Flow
    redirect_uri: str
    issuer: str
    verifier: str | None = None  # PKCE

    def saved(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def restored(cls, saved: str) -> Pending | None:
        try:
            return cls(**json.loads(saved))
        except (ValueError, TypeError):
            return None


@dataclass(frozen=True)
class SignedIn:
    """What conversation.json takes: the `ssoKey` (a code or an id_token) and the `redirectUri` it was got for (none
    for an id_token the brand's page handed over)."""

    sso_key: str
    redirect_uri: str | None


class SignInFailed(Exception):
    def __init__(self, failure: Failure, detail: str = "") -> None:
        super().__init__(f"{failure}: {detail}" if detail else failure)
        self.failure = failure


def discovery(issuer: str) -> Call[ProviderMetadata]:
    """The provider's discovery document: where to send the consumer (its authorization endpoint)."""
    request = HttpRequest(
        "GET", f"{issuer.rstrip('/')}/.well-known/openid-configuration", {"Accept": "application/json"}
    )
    return Call(request, lambda response: parse_model(response, ProviderMetadata))


def authorization_request(
    provider: ProviderMetadata,
    client_id: str,
    flow: Flow,
    scope: str,
    redirect_uri: str,
    pkce: bool = False,
) -> tuple[str, Pending]:
    """The address to send the consumer to, and what its answer must match."""
    verifier = secrets.token_urlsafe(48) if pkce else None
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    pending = Pending(state, nonce, flow, redirect_uri, provider.issuer, verifier)
    params = {
        "client_id": client_id,
        "response_type": "code" if flow == "code" else "id_token",
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": pending.state,
        "nonce": pending.nonce,
    }
    if verifier is not None:
        params |= {"code_challenge": challenge(verifier), "code_challenge_method": "S256"}
    separator = "&" if "?" in provider.authorization_endpoint else "?"
    return f"{provider.authorization_endpoint}{separator}{urlencode(params)}", pending


def answer(pending: Pending, params: Mapping[str, str]) -> SignedIn:
    """The provider's answer (the query and fragment of the address it sent the consumer back to), checked."""
    if params.get("state") != pending.state:
        raise SignInFailed("signin_unverified", "state is not the one this window made")
    if "iss" in params and params["iss"] != pending.issuer:
        raise SignInFailed("signin_unverified", "iss is not the provider's")
    error = params.get("error")
    if error is not None:
        raise SignInFailed("signin_cancelled" if error == "access_denied" else "signin_refused", error)
    if pending.flow == "code":
        code = params.get("code")
        if not code:
            raise SignInFailed("signin_unreadable", "no code")
        return SignedIn(code, pending.redirect_uri)
    token = params.get("id_token")
    if not token:
        raise SignInFailed("signin_unreadable", "no id_token")
    if claims(token).get("nonce") != pending.nonce:
        raise SignInFailed("signin_unverified", "the id_token's nonce is not the one this window made")
    return SignedIn(token, pending.redirect_uri)


def claims(token: str) -> dict[str, object]:
    """An id_token's claims, unverified (its signature is LivePerson's to check); {} when it is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def challenge(verifier: str) -> str:
    """PKCE S256: base64url(sha256(verifier)), unpadded (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def parameters(url: str) -> dict[str, str]:
    """The parameters of an answer's address: its query and its fragment (the implicit flow answers in the
    fragment), the fragment's winning."""
    parts = urlsplit(url)
    return dict(parse_qsl(parts.query)) | dict(parse_qsl(parts.fragment))
