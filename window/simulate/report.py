"""The figures of a run: chats completed, errors by kind, lines lost and doubled, latencies, and what the polling
policy costs: requests per consumer per minute, and what a million consumers chatting at once would send."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from window.simulate.consumer import COMPLETED, ChatRecord
from window.simulate.ledger import Ledger, LineCount

A_MILLION = 1_000_000


@dataclass(frozen=True)
class Percentiles:
    """Milliseconds."""

    p50: float
    p95: float
    p99: float


@dataclass(frozen=True)
class Report:
    consumers: int
    processes: int
    seconds: float  # the whole run, wall clock
    completed: int
    errors: dict[str, int]  # chats that did not complete, by kind
    peak_chats: int  # chats under way at once, at the busiest moment
    ledger: Ledger | None  # None: the target keeps no record to check against (LivePerson)
    agent_line_seen: Percentiles | None  # the server's time on an agent line → in the consumer's state
    line_acknowledged: Percentiles | None  # a consumer's line sent → acknowledged by the server
    requests: int
    failed_requests: dict[str, int]  # by kind; the session retried each
    per_consumer_minute: dict[str, float]  # requests per minute of one consumer's chat, by endpoint, most first
    requests_per_consumer_minute: float
    requests_per_second_at_a_million: float  # a million consumers chatting at once, as these did


def percentiles(seconds: Sequence[float]) -> Percentiles | None:
    if not seconds:
        return None
    if len(seconds) == 1:
        return Percentiles(*(seconds[0] * 1000,) * 3)
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return Percentiles(cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000)


def peak_concurrency(records: Iterable[ChatRecord]) -> int:
    """Chats requested and not yet over, at the busiest moment."""
    changes = sorted(
        change
        for record in records
        if record.live_from is not None
        for change in ((record.live_from, 1), (record.ended, -1))
    )
    running = peak = 0
    for _, step in changes:
        running += step
        peak = max(peak, running)
    return peak


def summarize(records: Sequence[ChatRecord], processes: int, seconds: float, ledger: Ledger | None) -> Report:
    requests: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for record in records:
        requests.update(record.requests)
        failed.update(record.failed_requests)
    minutes = sum(record.ended - record.began for record in records) / 60
    rates = {endpoint: count / minutes for endpoint, count in requests.most_common()} if minutes else {}
    per_minute = sum(rates.values())
    return Report(
        consumers=len(records),
        processes=processes,
        seconds=seconds,
        completed=sum(1 for record in records if record.outcome == COMPLETED),
        errors=dict(Counter(record.outcome for record in records if record.outcome != COMPLETED).most_common()),
        peak_chats=peak_concurrency(records),
        ledger=ledger,
        agent_line_seen=percentiles([s for record in records for s in record.seen_seconds]),
        line_acknowledged=percentiles([s for record in records for s in record.ack_seconds]),
        requests=sum(requests.values()),
        failed_requests=dict(failed.most_common()),
        per_consumer_minute=rates,
        requests_per_consumer_minute=per_minute,
        requests_per_second_at_a_million=per_minute / 60 * A_MILLION,
    )


def render(report: Report) -> str:
    ledger = report.ledger
    rows = [
        (
            "consumers",
            f"{report.consumers} ({_processes(report.processes)}), {report.completed} completed in "
            f"{report.seconds:.1f} s; {report.peak_chats} chats at once at the peak",
        ),
        ("errors", _kinds(report.errors)),
        ("lines to the agent", _lines(ledger.to_agent) if ledger else "not checked: the target keeps no record"),
        ("lines to the consumers", _lines(ledger.to_consumers) if ledger else "not checked"),
        ("agent line → seen", _latency(report.agent_line_seen)),
        ("consumer line → acknowledged", _latency(report.line_acknowledged)),
        (
            "requests",
            f"{report.requests}, {report.requests_per_consumer_minute:.1f} per consumer per minute; "
            f"failed (and retried): {_kinds(report.failed_requests)}",
        ),
        *(("", f"{rate:5.1f} a minute: {endpoint}") for endpoint, rate in _top(report)),
        ("at 1,000,000 consumers", f"{report.requests_per_second_at_a_million:,.0f} requests per second"),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def _processes(count: int) -> str:
    return "1 process" if count == 1 else f"{count} processes"


def _kinds(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in counts.items()) or "none"


def _lines(count: LineCount) -> str:
    return f"{count.sent} sent, {count.lost} lost, {count.doubled} doubled (against the sandbox's record)"


def _latency(found: Percentiles | None) -> str:
    return f"p50 {found.p50:.0f} ms, p95 {found.p95:.0f} ms, p99 {found.p99:.0f} ms" if found else "none measured"


def _top(report: Report, shown: int = 4) -> list[tuple[str, float]]:
    return list(report.per_consumer_minute.items())[:shown]
