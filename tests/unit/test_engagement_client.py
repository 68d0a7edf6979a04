"""App Engagement requests (method, URL, query, headers, body) and reply parsing."""

from __future__ import annotations

import json

import pytest

from window.engagement_client import EngagementClient
from window.http import HttpResponse
from window.models.attributes import SearchInfoSde
from window.models.engagement import CreateSessionRequest, UpdateSessionRequest
from window.models.funnel import ImpClose
from window.protocol import ApiError, MalformedReply

CLIENT = EngagementClient("https://va.msdkgw.liveperson.net/", "12345")
HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def test_first_create_session_has_no_visitor_or_session() -> None:
    request = CLIENT.create_session(CreateSessionRequest(consumer_sections=["support"])).request
    assert request.method == "POST"
    assert request.url == "https://va.msdkgw.liveperson.net/api/account/12345/app/engagement/visitors?v=1.0"
    assert request.headers == HEADERS
    assert request.body is not None
    assert json.loads(request.body) == {"appType": "EXTERNAL", "consumerSections": ["support"]}


def test_create_session_again_reuses_the_returned_ids() -> None:
    request = CLIENT.create_session(CreateSessionRequest(), visitor_id="V 1", session_id="S/1").request
    assert request.url == (
        "https://va.msdkgw.liveperson.net/api/account/12345/app/engagement/visitors/V%201?v=1.0&sid=S%2F1"
    )


def test_create_session_reply() -> None:
    body = '{"status": "NotAvailable", "sessionId": "S", "visitorId": "V", "pageId": "P"}'
    session = CLIENT.create_session(CreateSessionRequest()).parse(HttpResponse(200, {}, body))
    assert (session.available, session.visitor_id, session.session_id, session.page_id) == (False, "V", "S", "P")


def test_create_session_errors() -> None:
    call = CLIENT.create_session(CreateSessionRequest())
    with pytest.raises(ApiError) as caught:
        call.parse(HttpResponse(500, {}, '{"time": 1469543282471, "message": "Loading account", "internalCode": 20}'))
    assert (caught.value.internal_code, caught.value.retryable) == (20, True)
    with pytest.raises(MalformedReply):
        call.parse(HttpResponse(200, {}, ""))


def test_update_session_is_a_put_with_page_id() -> None:
    update = UpdateSessionRequest(
        page_id="P",
        engagement_attributes=[SearchInfoSde(keywords=["reset password"]).wire()],
        imp_attributes=[ImpClose(campaign=1, eng_id=2, revision=3).wire()],
    )
    call = CLIENT.update_session("V", "S", update)
    assert call.request.method == "PUT"
    assert (
        call.request.url == "https://va.msdkgw.liveperson.net/api/account/12345/app/engagement/visitors/V?v=1.0&sid=S"
    )
    assert call.request.headers == HEADERS
    assert call.request.body is not None
    assert json.loads(call.request.body) == {
        "pageId": "P",
        "engagementAttributes": [{"type": "searchInfo", "keywords": ["reset password"]}],
        "impAttributes": [{"type": "impClose", "campaign": 1, "engId": 2, "revision": 3}],
    }
    assert call.parse(HttpResponse(200, {}, "")) is None
    with pytest.raises(ApiError) as caught:
        call.parse(HttpResponse(401, {}, '{"time": 1, "message": "bad sid", "internalCode": 7}'))
    assert caught.value.message == "bad sid"
