"""Faults a test or brand QA injects into one account's traffic: what goes wrong, for which requests, how long.

Opt-in per account (`/sandbox/accounts/{acct}/faults`, docs/sandbox.md "Faults"): an account without faults is
served exactly as before. `sandbox.fault_injector` applies them; this module holds what is asked and what it hit.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from sandbox.clock import ServerClock, iso

# Which requests a fault hits. polls: GET of a chat or of its events (how clients poll); lines: POST of a chat's
# events (a line, or the end); all: every call of the account's LivePerson APIs (CSDS, App Engagement, Chat API).
Requests = Literal["polls", "lines", "all"]
POLLS = frozenset({"GET /api/account/{acct}/chat/{chat_id}", "GET /api/account/{acct}/chat/{chat_id}/events"})
LINES = frozenset({"POST /api/account/{acct}/chat/{chat_id}/events"})


class FaultScope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    requests: Requests = "all"
    count: int | None = Field(None, ge=1)  # how many matching requests it hits; None: any number
    seconds: float | None = Field(None, gt=0)  # for how long from now, on the sandbox's clock; None: until removed

    def effect(self) -> str:
        raise NotImplementedError

    def describe(self) -> str:
        """One plain sentence for people (the agent console)."""
        scope = {"polls": "chat polls", "lines": "line posts", "all": "every request"}[self.requests]
        limits = [f"{self.count} requests" if self.count else "", f"{self.seconds:g} s" if self.seconds else ""]
        limit = " or ".join(part for part in limits if part)
        return f"{self.effect()}, on {scope}, {f'for {limit}' if limit else 'until removed'}"


class Drop(FaultScope):
    """The network is down: the connection is closed without an answer."""

    kind: Literal["drop"]

    def effect(self) -> str:
        return "Connection closed without an answer"


class Reset(FaultScope):
    """The connection is reset (TCP RST) without an answer."""

    kind: Literal["reset"]

    def effect(self) -> str:
        return "Connection reset"


class ErrorStatus(FaultScope):
    """An error answer instead of the service's: a 5xx burst, a 429 with `Retry-After`, any 4xx."""

    kind: Literal["status"]
    status: int = Field(ge=400, le=599)
    retry_after: int | None = Field(None, ge=0)  # seconds, sent as Retry-After

    def effect(self) -> str:
        return f"HTTP {self.status}" + (
            f" with Retry-After: {self.retry_after}" if self.retry_after is not None else ""
        )


class SlowReply(FaultScope):
    """The request is served at once, its answer held back this long (a client may give up first)."""

    kind: Literal["slow"]
    delay_seconds: float = Field(gt=0, le=3600)

    def effect(self) -> str:
        return f"Answers held back {self.delay_seconds:g} s"


class MangledEvents(FaultScope):
    """The events list of a poll's answer: each event twice, in reverse order, or its first event left out (with
    `next` still past it)."""

    kind: Literal["events"]
    mangle: Literal["duplicate", "reorder", "gap"]
    requests: Requests = "polls"

    def effect(self) -> str:
        return {"duplicate": "Each event twice", "reorder": "Events in reverse order", "gap": "First event left out"}[
            self.mangle
        ]


class Garbled(FaultScope):
    """A successful answer the client cannot use: an HTML page instead of JSON, the JSON cut in half, or the JSON's
    content (all but its links) left out, a created resource's `Location` too."""

    kind: Literal["garble"]
    body: Literal["not_json", "truncated", "missing_fields"]

    def effect(self) -> str:
        return {
            "not_json": "An HTML page, not JSON",
            "truncated": "JSON cut in half",
            "missing_fields": "Fields left out",
        }[self.body]


Fault = Drop | Reset | ErrorStatus | SlowReply | MangledEvents | Garbled


class FaultRequest(RootModel[Annotated[Fault, Field(discriminator="kind")]]):
    """The body of `POST /sandbox/accounts/{acct}/faults`: one fault, told apart by its `kind`."""


@dataclass
class ActiveFault:
    fault_id: str
    spec: Fault
    ends_at: float | None  # on the sandbox's monotonic clock
    left: int | None
    hits: Counter[str] = field(default_factory=Counter)  # by route, as the state's request counts
    last_hit: str | None = None

    def matches(self, route: str) -> bool:
        if self.spec.requests == "polls":
            return route in POLLS
        if self.spec.requests == "lines":
            return route in LINES
        return True

    def view(self, now: float) -> dict[str, Any]:
        """What the state endpoint and the agent console show."""
        return {
            "id": self.fault_id,
            **self.spec.model_dump(exclude_none=True),
            "left": self.left,
            "secondsLeft": None if self.ends_at is None else round(max(0.0, self.ends_at - now), 1),
            "hits": self.hits.total(),
            "hitsByRoute": dict(self.hits),
            "lastHit": self.last_hit,
            "description": self.spec.describe(),
        }


@dataclass
class FaultBook:
    """Every account's active faults, in the order they were added (the first that matches a request applies)."""

    clock: ServerClock
    _faults: dict[str, list[ActiveFault]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add(self, account_id: str, spec: Fault) -> ActiveFault:
        ends_at = None if spec.seconds is None else self.clock.monotonic() + spec.seconds
        fault = ActiveFault(f"f{next(self._ids)}", spec, ends_at, spec.count)
        self._faults.setdefault(account_id, []).append(fault)
        return fault

    def remove(self, account_id: str, fault_id: str | None = None) -> bool:
        """One fault (False if unknown), or all of the account's."""
        faults = self.active(account_id)
        kept = [fault for fault in faults if fault_id is not None and fault.fault_id != fault_id]
        self._faults[account_id] = kept
        return len(kept) < len(faults)

    def active(self, account_id: str) -> list[ActiveFault]:
        now = self.clock.monotonic()
        faults = [
            fault
            for fault in self._faults.get(account_id, [])
            if (fault.ends_at is None or now < fault.ends_at) and fault.left != 0
        ]
        self._faults[account_id] = faults
        return faults

    def match(self, account_id: str, route: str) -> ActiveFault | None:
        """The fault that applies to a request of this route (method and path template), if any."""
        if account_id not in self._faults:
            return None
        return next((fault for fault in self.active(account_id) if fault.matches(route)), None)

    def spend(self, fault: ActiveFault, route: str) -> None:
        """The fault hit a request of this route: counted, and one fewer left."""
        fault.hits[route] += 1
        fault.last_hit = iso(self.clock.now())
        if fault.left is not None:
            fault.left -= 1

    def views(self, account_id: str) -> list[dict[str, Any]]:
        now = self.clock.monotonic()
        return [fault.view(now) for fault in self.active(account_id)]
