"""The facade's own decisions, over a scripted transport: which engagements it keeps, which visitor it retries as."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from window.api import ChatApi
from window.config import WindowConfig
from window.http import HttpRequest, HttpResponse
from window.protocol import ApiError

CONFIG = WindowConfig(
    account_id="123",
    csds_url="https://csds.example",
    app_key="key",
    service_urls={"conversationVep": "https://chat.example", "msdkgw": "https://ae.example"},
)
AVAILABLE = {
    "status": "Available",
    "sessionId": "s1",
    "visitorId": "v1",
    "pageId": "p1",
    "engagementDetails": {"campaignId": 1, "engagementId": 2, "contextId": 3, "validForSeconds": 900},
}
NOT_AVAILABLE = {"status": "NotAvailable", "sessionId": "s1", "visitorId": "v1", "pageId": "p1"}
LOADING = {"time": 1512586122824, "message": "Loading account: 123, vid: ZkMTY4N2I4", "internalCode": 20}


@dataclass
class ScriptedTransport:
    """Answers each request with the next scripted reply, and keeps the requests."""

    replies: list[tuple[int, object]]
    requests: list[HttpRequest] = field(default_factory=list)

    async def send(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        status, body = self.replies.pop(0)
        return HttpResponse(status, {"content-type": "application/json"}, json.dumps(body))

    def paths(self) -> list[str]:
        return [
            request.url.split("?")[0].removeprefix("https://ae.example/api/account/123") for request in self.requests
        ]


async def test_a_refusal_is_never_kept_agents_come_back() -> None:
    transport = ScriptedTransport([(200, NOT_AVAILABLE), (200, AVAILABLE), (200, {"never": "asked"})])
    api = ChatApi(CONFIG, transport, clock=lambda: 0.0)
    assert not (await api.engagement()).available
    assert (await api.engagement()).available  # asked again, as the same visitor and session
    assert transport.requests[1].url.endswith("/visitors/v1?v=1.0&sid=s1")
    assert (await api.engagement()).available and len(transport.requests) == 2  # an offer is kept while valid


async def test_an_offer_is_asked_again_once_it_expires() -> None:
    now = [0.0]
    transport = ScriptedTransport([(200, AVAILABLE), (200, AVAILABLE)])
    api = ChatApi(CONFIG, transport, clock=lambda: now[0])
    await api.engagement()
    now[0] = 900.0  # validForSeconds, less a safety margin, is over
    await api.engagement()
    assert len(transport.requests) == 2


async def test_loading_account_is_retried_as_the_visitor_it_named() -> None:
    transport = ScriptedTransport([(500, LOADING), (200, AVAILABLE)])
    api = ChatApi(CONFIG, transport, clock=lambda: 0.0)
    with pytest.raises(ApiError) as refused:
        await api.engagement()
    assert refused.value.retryable and refused.value.internal_code == 20
    await api.engagement()
    assert transport.paths() == ["/app/engagement/visitors", "/app/engagement/visitors/ZkMTY4N2I4"]


def chat_reply(event_ids: list[int], next_from: int, unknown: tuple[int, ...] = ()) -> dict[str, object]:
    events: list[dict[str, object]] = [
        {"@id": str(i), "@type": "line", "text": f"line {i}", "by": "Alex", "source": "agent"} for i in event_ids
    ]
    events += [{"@id": str(i), "@type": "line-status", "lineStatus": "ACCEPT"} for i in unknown]
    link = {"@href": f"https://chat.example/api/account/123/chat/c1?from={next_from}", "@rel": "next"}
    return {"chat": {"link": [link], "events": {"event": events}}}


@pytest.mark.parametrize(
    ("event_ids", "unknown", "next_from", "cursor_kept"),
    [
        ([4, 5], (), 6, False),
        ([5], (), 6, True),  # event 4 left out, `next` past it
        ([], (), 6, True),
        ([4], (5,), 6, False),  # an event of a type the window skips still counts
        ([], (), 4, False),  # nothing new
    ],
)
async def test_a_poll_whose_reply_skips_events_keeps_the_cursor(
    event_ids: list[int], unknown: tuple[int, ...], next_from: int, cursor_kept: bool
) -> None:
    api = ChatApi(CONFIG, ScriptedTransport([(200, chat_reply(event_ids, next_from, unknown))]), clock=lambda: 0.0)
    snapshot = await api.poll("https://chat.example/api/account/123/chat/c1?from=4")
    assert (snapshot.next_url is None) == cursor_kept
    assert [event.event_id for event in snapshot.events] == event_ids
