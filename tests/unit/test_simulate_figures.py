"""The load simulator's figures: requests counted by endpoint, lines checked against the sandbox's record both ways,
latencies, concurrency, and the polling policy's cost per consumer and at a million consumers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import astuple, replace
from typing import Any

import pytest

from window.http import HttpRequest, HttpResponse, NetworkError
from window.simulate.consumer import COMPLETED, ChatRecord
from window.simulate.ledger import Ledger, LineCount, balance
from window.simulate.report import Percentiles, peak_concurrency, percentiles, render, summarize
from window.simulate.traffic import CountedTransport, Exchange, endpoint_of

CHAT = "http://localhost:8001/api/account/12345678/chat/H5017-9c1fK8811"


def record(**fields: Any) -> ChatRecord:
    defaults: dict[str, Any] = {
        "outcome": COMPLETED,
        "chat_url": CHAT,
        "typed": (),
        "agent_event_ids": (),
        "ack_seconds": (),
        "seen_seconds": (),
        "began": 0.0,
        "live_from": 0.0,
        "ended": 60.0,
    }
    return ChatRecord(**(defaults | fields))


# -- traffic ----------------------------------------------------------------------------------------------------------


class Answers:
    """A transport answering each request with the next status (None: no answer at all)."""

    def __init__(self, *statuses: int | None) -> None:
        self._statuses = list(statuses)

    async def send(self, request: HttpRequest) -> HttpResponse:
        status = self._statuses.pop(0)
        if status is None:
            raise NetworkError("connection refused")
        return HttpResponse(status, {})


def test_an_endpoint_is_named_without_its_ids_and_query() -> None:
    poll = HttpRequest("GET", f"{CHAT}.json?v=1&NC=true&from=7")
    assert endpoint_of(poll) == "/api/account/{id}/chat/{id}"
    line = HttpRequest("POST", f"{CHAT}/events.json?v=1")
    assert endpoint_of(line) == "/api/account/{id}/chat/{id}/events.json"


async def test_each_request_is_counted_and_only_passing_failures_are_failures() -> None:
    seen: list[Exchange] = []
    times = iter(range(100))
    traffic = CountedTransport(Answers(200, 404, 429, 503, None), lambda: float(next(times)), seen.append)
    for _ in range(4):
        await traffic.send(HttpRequest("GET", f"{CHAT}.json"))
    with pytest.raises(NetworkError):
        await traffic.send(HttpRequest("POST", f"{CHAT}/events.json"))

    assert traffic.requests == {"GET /api/account/{id}/chat/{id}": 4, "POST /api/account/{id}/chat/{id}/events.json": 1}
    # A 404 is an answer (no pre-chat survey is one); what the session retries is a failure.
    assert traffic.failures == {"HTTP 429": 1, "HTTP 503": 1, "no answer": 1}
    assert [exchange.failure for exchange in seen] == [None, None, "HTTP 429", "HTTP 503", "no answer"]
    assert {exchange.seconds for exchange in seen} == {1.0}


# -- ledger -----------------------------------------------------------------------------------------------------------


def line(event_id: int, source: str, text: str) -> dict[str, Any]:
    return {"@id": str(event_id), "@type": "line", "source": source, "text": text, "by": source}


RECORDED: Mapping[str, list[dict[str, Any]]] = {
    "H5017-9c1fK8811": [
        {"@id": "0", "@type": "state", "state": "waiting"},
        line(1, "system", "Thank you for choosing to chat with us."),
        {"@id": "2", "@type": "state", "state": "chatting"},
        line(3, "agent", "Hi"),
        line(4, "visitor", "one"),
        line(5, "visitor", "two"),
        line(6, "visitor", "two"),
        line(7, "agent", "You said: one"),
        {"@id": "8", "@type": "url", "url": "https://example.com/"},
        line(9, "agent", "You said: two"),
    ]
}


def test_lines_are_checked_both_ways_against_the_record() -> None:
    consumer = record(typed=("one", "two", "three"), agent_event_ids=(3, 7, 7, 8))
    assert balance([consumer], RECORDED) == Ledger(
        to_agent=LineCount(sent=3, lost=1, doubled=1),  # "three" never arrived, "two" arrived twice
        to_consumers=LineCount(sent=4, lost=1, doubled=1),  # the consumer never saw 9, and shows 7 twice
    )


def test_a_chat_the_record_lacks_loses_every_line_and_a_chat_never_requested_counts_none() -> None:
    gone = record(chat_url=CHAT.replace("H5017", "H0000"), typed=("one",))
    never = record(chat_url=None, outcome="no start", typed=())
    assert balance([gone, never], RECORDED) == Ledger(LineCount(1, 1, 0), LineCount(0, 0, 0))


# -- report -----------------------------------------------------------------------------------------------------------


def test_percentiles_are_in_milliseconds() -> None:
    found = percentiles([i / 1000 for i in range(1, 101)])
    assert found is not None and astuple(found) == pytest.approx((50.5, 95.05, 99.01))
    assert percentiles([0.2]) == Percentiles(200, 200, 200)
    assert percentiles([]) is None


def test_the_peak_counts_chats_under_way_at_once() -> None:
    chats = [record(live_from=0, ended=10), record(live_from=5, ended=15), record(live_from=12, ended=20)]
    assert peak_concurrency([*chats, record(live_from=None, ended=3)]) == 2


def test_the_polling_cost_is_per_minute_of_chat_and_scaled_to_a_million() -> None:
    one = record(requests={"GET poll": 30}, seen_seconds=(0.5,), ack_seconds=(0.1,))
    two = record(requests={"GET poll": 30, "POST line": 6}, began=60.0, live_from=60.0, ended=120.0)
    late = replace(two, outcome="the agent did not answer", failed_requests={"HTTP 503": 2})
    report = summarize([one, two, late], processes=2, seconds=130.0, ledger=None)

    assert (report.consumers, report.completed, report.errors) == (3, 2, {"the agent did not answer": 1})
    assert report.per_consumer_minute == {"GET poll": 30.0, "POST line": 4.0}
    assert report.requests == 102 and report.requests_per_consumer_minute == 34.0
    assert report.requests_per_second_at_a_million == pytest.approx(34 / 60 * 1_000_000)
    assert report.failed_requests == {"HTTP 503": 2} and report.peak_chats == 2
    assert report.agent_line_seen == Percentiles(500, 500, 500)
    text = render(report)
    assert "1 the agent did not answer" in text and "not checked" in text and "566,667 requests per second" in text
