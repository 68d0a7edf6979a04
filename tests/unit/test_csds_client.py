"""Domain lookup: the all-services request, and picking conversationVep and App Engagement from the reply."""

from __future__ import annotations

import json

import pytest

from window.csds_client import lookup
from window.http import HttpResponse
from window.models.csds import base_url
from window.protocol import ApiError, MalformedReply


def services(**hosts: str) -> HttpResponse:
    body = {"baseURIs": [{"service": name, "account": "123", "baseURI": host} for name, host in hosts.items()]}
    return HttpResponse(200, {}, json.dumps(body))


def test_request_uses_the_all_services_form() -> None:
    call = lookup("https://api.liveperson.net/", "12345")
    assert call.request.method == "GET"
    assert call.request.url == "https://api.liveperson.net/api/account/12345/service/baseURI.json?version=1.0"
    assert call.request.headers == {"Accept": "application/json"}
    assert call.request.body is None


def test_prefers_msdkgw_for_app_engagement() -> None:
    reply = services(
        conversationVep="va-e.convep.liveperson.net",
        smt="va.v.liveperson.net",
        msdkgw="va.msdkgw.liveperson.net",
        acCdnDomain="accdn.lpsnmedia.net",
        agentVep="va-e.agentvep.liveperson.net",
    )
    domains = lookup("https://api.liveperson.net", "123").parse(reply)
    assert domains.conversation_vep == "va-e.convep.liveperson.net"
    assert domains.app_engagement == "va.msdkgw.liveperson.net"
    assert domains.ac_cdn_domain == "accdn.lpsnmedia.net"
    assert domains.services["agentVep"] == "va-e.agentvep.liveperson.net"


def test_falls_back_to_smt() -> None:
    domains = lookup("https://x", "1").parse(services(conversationVep="c.example", smt="s.example"))
    assert domains.app_engagement == "s.example"
    assert domains.ac_cdn_domain is None


def test_a_lone_base_uri_object_is_accepted() -> None:
    body = '{"baseURIs": {"service": "conversationVep", "account": "1", "baseURI": "c.example"}}'
    with pytest.raises(MalformedReply, match="no msdkgw or smt"):
        lookup("https://x", "1").parse(HttpResponse(200, {}, body))


def test_missing_services_are_named() -> None:
    with pytest.raises(MalformedReply, match=r"no conversationVep and no msdkgw or smt"):
        lookup("https://x", "1").parse(services(agentVep="a.example"))
    with pytest.raises(MalformedReply, match=r"no conversationVep for this account"):
        lookup("https://x", "1").parse(services(msdkgw="m.example"))


def test_service_names_are_case_sensitive() -> None:
    with pytest.raises(MalformedReply):
        lookup("https://x", "1").parse(services(conversationvep="c.example", msdkgw="m.example"))


def test_error_statuses_raise_api_error() -> None:
    with pytest.raises(ApiError) as caught:
        lookup("https://x", "1").parse(HttpResponse(401, {}, '{"message": "Unauthorized", "internalCode": 1}'))
    assert caught.value.status == 401


def test_base_url_from_a_host() -> None:
    assert base_url("va.v.liveperson.net") == "https://va.v.liveperson.net"
    assert base_url("127.0.0.1:8081", "http") == "http://127.0.0.1:8081"
    assert base_url("http://127.0.0.1:8081/") == "http://127.0.0.1:8081"
