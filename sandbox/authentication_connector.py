"""LivePerson's side of a signed-in chat (api-notes step 6, [AUTH] DetailedAPI): the `ssoKey` of conversation.json
checked against the brand's OpenID provider, as LivePerson's authentication connector does.

Code flow: the code is redeemed at the provider's token endpoint as a confidential client (a form POST
`grant_type=authorization_code&code=…&redirect_uri=…` with `Authorization: Basic base64(client_id:client_secret)`);
implicit flow: the `ssoKey` is the id_token itself. Either way the id_token is validated: an RS256 signature by one of
the provider's keys, `iss`, `aud`, `exp`, `iat`.

The provider's endpoints and keys are discovered from its issuer (`/.well-known/openid-configuration`) and kept; the
keys are fetched again when a token names a key id not among them (the provider rotated its keys, or restarted).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, InvalidClaimError, InvalidKeyIdError, JoseError, MissingClaimError
from joserfc.jwk import KeySet

from sandbox.config import AuthenticationConnector

# LivePerson's documented default when the page gives none ([AUTH] DetailedAPI, configuration: "openID" version).
LIVEPERSON_REDIRECT_URI = "https://liveperson.net"
# [AUTH]: "The id_token will be signed using RS256".
ALGORITHMS = ["RS256"]
# assumed: LivePerson's tolerance for a provider's clock is not documented; a minute, as JWT libraries commonly allow.
CLOCK_LEEWAY_SECONDS = 60
PROVIDER_TIMEOUT_SECONDS = 5.0


class AuthenticationFailed(Exception):
    """The consumer's sign-in could not be verified; the message says why, for the brand's developers."""


@dataclass(frozen=True)
class ProviderEndpoints:
    token_endpoint: str
    jwks_uri: str


class OpenIdProviders:
    """The brands' providers as the sandbox has discovered them: endpoints and signing keys, by issuer."""

    def __init__(self) -> None:
        self._http = httpx.AsyncClient(timeout=PROVIDER_TIMEOUT_SECONDS)
        self._endpoints: dict[str, ProviderEndpoints] = {}
        self._keys: dict[str, KeySet] = {}

    async def close(self) -> None:
        await self._http.aclose()

    async def verified_claims(
        self, connector: AuthenticationConnector, sso_key: str, redirect_uri: str | None, now: Callable[[], int]
    ) -> dict[str, Any]:
        """The claims of the consumer's id_token, once verified; `now` is the sandbox's time in epoch seconds."""
        if connector.flow == "code":
            id_token = await self._redeem(connector, sso_key, redirect_uri or LIVEPERSON_REDIRECT_URI)
        else:
            id_token = sso_key
        claims = await self._verified(connector, id_token)
        registry = jwt.JWTClaimsRegistry(
            now=now,
            leeway=CLOCK_LEEWAY_SECONDS,
            iss={"essential": True, "value": connector.issuer},
            aud={"essential": True, "value": connector.client_id},
            exp={"essential": True},
            iat={"essential": True},
        )
        try:
            registry.validate(claims)
        except ExpiredTokenError as exc:
            raise AuthenticationFailed("the id_token has expired") from exc
        except (InvalidClaimError, MissingClaimError) as exc:
            raise AuthenticationFailed(f"the id_token's claims do not fit this connector ({exc.description})") from exc
        # OpenID Connect Core 3.1.3.7: an authorized party, when named, must be this client.
        if claims.get("azp", connector.client_id) != connector.client_id:
            raise AuthenticationFailed("the id_token was issued to another client (azp)")
        return claims

    async def _redeem(self, connector: AuthenticationConnector, code: str, redirect_uri: str) -> str:
        if connector.redirect_uris and redirect_uri not in connector.redirect_uris:
            raise AuthenticationFailed(f"redirectUri {redirect_uri} is not one the connector allows")
        assert connector.client_secret is not None, "validated: the code flow has a secret"
        token_endpoint = (await self._discovered(connector.issuer)).token_endpoint
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        reply = await self._call(
            "POST",
            token_endpoint,
            data=form,
            auth=httpx.BasicAuth(connector.client_id, connector.client_secret),
            headers={"Accept": "application/json"},
        )
        body = _json_object(reply)
        if reply.status_code != 200:
            raise AuthenticationFailed(f"the token endpoint refused the code ({body.get('error', reply.status_code)})")
        id_token = body.get("id_token")
        if not isinstance(id_token, str):
            raise AuthenticationFailed("the token endpoint answered no id_token")
        return id_token

    async def _verified(self, connector: AuthenticationConnector, id_token: str) -> dict[str, Any]:
        """The id_token's claims once its signature verifies with one of the provider's keys."""
        try:
            try:
                token = jwt.decode(id_token, await self._key_set(connector.issuer), algorithms=ALGORITHMS)
            except InvalidKeyIdError:
                token = jwt.decode(id_token, await self._key_set(connector.issuer, again=True), algorithms=ALGORITHMS)
        except JoseError as exc:
            raise AuthenticationFailed(f"the id_token does not verify ({exc.error})") from exc
        return token.claims

    async def _discovered(self, issuer: str) -> ProviderEndpoints:
        if issuer not in self._endpoints:
            reply = await self._call("GET", issuer.rstrip("/") + "/.well-known/openid-configuration")
            metadata = _json_object(reply)
            token_endpoint, jwks_uri = metadata.get("token_endpoint"), metadata.get("jwks_uri")
            # OpenID Connect Discovery 4.3: the document must name the very issuer it was fetched for.
            if metadata.get("issuer") != issuer or not isinstance(token_endpoint, str) or not isinstance(jwks_uri, str):
                raise AuthenticationFailed(f"{issuer} publishes no OpenID configuration for that issuer")
            self._endpoints[issuer] = ProviderEndpoints(token_endpoint, jwks_uri)
        return self._endpoints[issuer]

    async def _key_set(self, issuer: str, again: bool = False) -> KeySet:
        if again or issuer not in self._keys:
            reply = await self._call("GET", (await self._discovered(issuer)).jwks_uri)
            try:
                self._keys[issuer] = KeySet.import_key_set({"keys": _json_object(reply).get("keys", [])})
            except (JoseError, ValueError, KeyError, TypeError, AttributeError) as exc:
                raise AuthenticationFailed(f"the provider's keys ({reply.url}) cannot be read") from exc
        return self._keys[issuer]

    async def _call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise AuthenticationFailed(f"the authentication server cannot be reached ({url}: {exc!r})") from exc


def _json_object(reply: httpx.Response) -> dict[str, Any]:
    """The reply's JSON object; {} for anything else (a provider's error page, say)."""
    try:
        body = reply.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
