"""CSDS, LivePerson's domain lookup [CSDS]: which host serves which service for an account."""

from __future__ import annotations

from urllib.parse import quote

from window.http import HttpRequest, HttpResponse
from window.models.csds import BaseUrisReply, ServiceDomains
from window.protocol import Call, MalformedReply, parse_model, with_query

CHAT = "conversationVep"
# [AE] names `msdkgw`; LivePerson's own Postman collection posts App Engagement to `smt`.
APP_ENGAGEMENT = ("msdkgw", "smt")
AC_CDN = "acCdnDomain"


def lookup(csds_base_url: str, account_id: str) -> Call[ServiceDomains]:
    """All services at once: `GET {csds}/api/account/{acct}/service/baseURI.json?version=1.0`."""
    url = with_query(
        f"{csds_base_url.rstrip('/')}/api/account/{quote(account_id, safe='')}/service/baseURI.json", {"version": "1.0"}
    )
    request = HttpRequest("GET", url, {"Accept": "application/json"})
    return Call(request, _service_domains)


def _service_domains(response: HttpResponse) -> ServiceDomains:
    services = {entry.service: entry.base_uri for entry in parse_model(response, BaseUrisReply).base_uris}
    chat = services.get(CHAT)
    app_engagement = next((services[name] for name in APP_ENGAGEMENT if services.get(name)), None)
    if not chat or not app_engagement:
        missing = [name for name, host in ((CHAT, chat), (" or ".join(APP_ENGAGEMENT), app_engagement)) if not host]
        raise MalformedReply(f"the domain lookup lists no {' and no '.join(missing)} for this account")
    return ServiceDomains(
        conversation_vep=chat,
        app_engagement=app_engagement,
        ac_cdn_domain=services.get(AC_CDN),
        services=services,
    )
