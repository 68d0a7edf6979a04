"""The simulated consumer as a Locust user, so Locust's own processes, master and workers, and web UI take it past one
machine (docs/load.md):

    python -m locust -f tests/load/locustfile.py --host http://127.0.0.1:8001 --account 12345678 --lines 5

Each user is a consumer chatting again and again (a new consumer each time): `fleet.chat_once`, the page's
`ChatSession` on `ChatApi`, as `python -m window.simulate` runs it. Locust runs users as gevent greenlets and the core
runs on asyncio: each Locust process runs one asyncio loop in a greenlet of its own (Locust's monkey-patching makes
the loop's selector gevent's, so waiting for the network lets the other greenlets run), and a user hands its chat to
that loop and waits for it.

Locust's statistics get every request (by endpoint; a failure is what the session retries), each chat ("CHAT a whole
chat", failed with its error's kind) and both latencies ("LINE …"). When the test stops, each process checks its
chats against the sandbox's record; a line lost or doubled fails "CHECK …" (so the run exits with an error).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import gevent
from locust import User, constant, events, task
from locust.argument_parser import LocustArgumentParser
from locust.env import Environment
from locust.runners import MasterRunner

from window.clock import LoopClock
from window.simulate.consumer import COMPLETED, ChatRecord
from window.simulate.fleet import LoadPlan, SharedClient, chat_once
from window.simulate.ledger import balance, recorded_chats
from window.simulate.traffic import Exchange

T = TypeVar("T")


class Failed(Exception):
    """A chat that did not complete, a passing request failure, or lines lost or doubled, for Locust's statistics."""


class ChatLoop:
    """The process's asyncio loop, run in a greenlet of its own; users hand it their chats and wait for them."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._runner = gevent.spawn(self.loop.run_forever)

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        # Thread-safe scheduling wakes the loop from its select, where a plain create_task would wait for its next
        # timer; the patched wait on the result lets the other greenlets run meanwhile.
        future = asyncio.run_coroutine_threadsafe(work, self.loop)
        try:
            return future.result()
        except gevent.GreenletExit:  # the user was stopped mid-chat: stop the chat too
            future.cancel()
            raise

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._runner.join()
        self.loop.close()


@dataclass
class LocustProcess:
    """What one Locust process shares among its users: the loop, the plan, one client, the chats it ran."""

    loop: ChatLoop | None = None  # made at init, in each process (`--processes` forks after the import)
    plan: LoadPlan | None = None
    client: SharedClient | None = None
    records: list[ChatRecord] = field(default_factory=list)
    numbers: itertools.count[int] = field(default_factory=itertools.count)


PROCESS = LocustProcess()


def _arguments(parser: LocustArgumentParser) -> None:
    parser.add_argument("--account", default="12345678", help="the account (site) id")
    parser.add_argument("--app-key", default="sandbox-app-key", help="the Chat API app key")
    parser.add_argument("--lines", type=int, default=5, help="lines each consumer sends")
    parser.add_argument("--think", type=float, default=5.0, help="seconds typing each line")


def _init(environment: Environment, **_: object) -> None:
    PROCESS.loop = ChatLoop()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Locust logs at INFO: a line per request otherwise


def _start(environment: Environment, **_: object) -> None:
    options = environment.parsed_options
    assert options is not None and environment.host, "run with --host (the csds_url)"
    account, key = options.account, options.app_key
    PROCESS.plan = LoadPlan(environment.host, account, key, consumers=1, lines=options.lines, think=options.think)
    PROCESS.client = SharedClient(PROCESS.plan)


def _check(environment: Environment, **_: object) -> None:
    """This process's chats against the sandbox's record (LivePerson keeps none: then nothing is checked)."""
    plan = PROCESS.plan
    if isinstance(environment.runner, MasterRunner) or plan is None or not PROCESS.records:
        return
    chats = recorded_chats(plan.target, plan.account)
    if chats is None:
        return
    ledger = balance(PROCESS.records, chats)
    for way, count in (("to the agent", ledger.to_agent), ("to the consumers", ledger.to_consumers)):
        for what, number in (("lost", count.lost), ("doubled", count.doubled)):
            failure = Failed(f"{number} of {count.sent} lines {what}") if number else None
            _fire(environment, "CHECK", f"lines {way}, {what}", 0, failure)
    # Also in this process's log: a master may never hear a stopped worker's last report (docs/load.md).
    faults = sum(count.lost + count.doubled for count in (ledger.to_agent, ledger.to_consumers))
    logging.getLogger(__name__).log(
        logging.WARNING if faults else logging.INFO,
        "%d chats checked against the sandbox's record: lines to the agent %s; to the consumers %s",
        len(PROCESS.records),
        ledger.to_agent,
        ledger.to_consumers,
    )


def _close(environment: Environment, **_: object) -> None:
    if PROCESS.loop is None:
        return
    if PROCESS.client is not None:
        PROCESS.loop.run(PROCESS.client.aclose())
    PROCESS.loop.close()


# Locust's hooks, in the order they fire.
events.init_command_line_parser.add_listener(_arguments)
events.init.add_listener(_init)
events.test_start.add_listener(_start)
events.test_stop.add_listener(_check)
events.quitting.add_listener(_close)


class ChatConsumer(User):
    """A consumer chatting again and again, a new one each time, as `python -m window.simulate` runs them."""

    wait_time = constant(0)

    @task
    def chat(self) -> None:
        loop, plan, client = PROCESS.loop, PROCESS.plan, PROCESS.client
        assert loop is not None and plan is not None and client is not None, "the test has started"

        def count(exchange: Exchange) -> None:
            failure = Failed(exchange.failure) if exchange.failure else None
            _fire(self.environment, exchange.method, exchange.path, exchange.seconds, failure)

        name = f"consumer {next(PROCESS.numbers)}"
        record = loop.run(chat_once(plan, client, name, LoopClock(), count))
        PROCESS.records.append(record)
        failure = None if record.outcome == COMPLETED else Failed(record.outcome)
        _fire(self.environment, "CHAT", "a whole chat", record.ended - record.began, failure)
        for seconds in record.seen_seconds:
            _fire(self.environment, "LINE", "agent line → seen", seconds)
        for seconds in record.ack_seconds:
            _fire(self.environment, "LINE", "consumer line → acknowledged", seconds)


def _fire(environment: Environment, kind: str, name: str, seconds: float, failure: Exception | None = None) -> None:
    environment.events.request.fire(
        request_type=kind, name=name, response_time=seconds * 1000, response_length=0, exception=failure, context={}
    )
