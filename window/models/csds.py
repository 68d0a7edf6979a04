"""CSDS (domain lookup) replies, and the service domains the window needs from them."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from window.models import ListOrOne, Payload


class BaseUri(Payload):
    service: str
    account: str | None = None
    base_uri: str = Field(alias="baseURI")


class BaseUrisReply(Payload):
    """All services at once: `{"baseURIs": [{"service", "account", "baseURI"}, …]}`."""

    base_uris: ListOrOne[BaseUri] = Field(alias="baseURIs")


@dataclass(frozen=True)
class ServiceDomains:
    """Hosts (`baseURI`s, e.g. `va.v.liveperson.net`) of the services the window calls."""

    conversation_vep: str  # the Chat API
    app_engagement: str  # `msdkgw`, else `smt`
    ac_cdn_domain: str | None  # window configuration (pre-chat surveyApiId); unused so far
    services: dict[str, str]  # every service the account lists, by case-sensitive name


def base_url(host: str, scheme: str = "https") -> str:
    """`https://host` for a CSDS host; assumed: a baseURI that already carries a scheme is kept as it is."""
    return host.rstrip("/") if "://" in host else f"{scheme}://{host.rstrip('/')}"
