"""Many consumers in one process (one event loop, one shared httpx client), or spread over several processes.

One client for all (`SharedClient`): one TLS context (a client per consumer would load the CA bundle two thousand
times) and a pool of a few connections, which is what a process can keep busy. httpcore's pool looks at every
connection, and at every request queued in it, each time a request starts or ends: a connection per consumer (or a
long queue in the pool) costs more CPU than the requests themselves, so requests beyond the pool wait at a semaphore
instead. No thread per consumer: each is a task on the loop, waiting on the network or on its clock.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

import httpx

from window.api import ChatApi
from window.clock import Clock, LoopClock
from window.config import WindowConfig
from window.http import HttpRequest, HttpResponse, Transport
from window.simulate.consumer import PATIENCE_SECONDS, ChatRecord, Consumer
from window.simulate.traffic import CountedTransport, Exchange
from window.transport_httpx import HttpxTransport

CONNECTIONS = 4  # per process: enough for a local sandbox (measured: more only costs CPU)


@dataclass(frozen=True)
class LoadPlan:
    target: str  # a csds_url: the sandbox's, or LivePerson's for a test account
    account: str
    app_key: str
    consumers: int
    lines: int  # each consumer's, each answered by the agent before the next
    think: float = 0.0  # seconds each line takes to type
    ramp: float = 0.0  # seconds over which the consumers arrive, evenly
    poll_interval: float = WindowConfig.model_fields["poll_interval_seconds"].default
    patience: float = PATIENCE_SECONDS
    connections: int = CONNECTIONS  # per process

    def window_config(self) -> WindowConfig:
        return WindowConfig(
            account_id=self.account,
            csds_url=self.target,
            app_key=self.app_key,
            poll_interval_seconds=self.poll_interval,
        )


class SharedClient:
    """The process's one httpx client; at most `connections` requests in flight, the others wait their turn here."""

    def __init__(self, plan: LoadPlan) -> None:
        limits = httpx.Limits(max_connections=plan.connections, max_keepalive_connections=plan.connections)
        timeout = plan.window_config().request_timeout_seconds
        self._transport = HttpxTransport(httpx.AsyncClient(limits=limits, timeout=timeout))
        self._slots = asyncio.Semaphore(plan.connections)

    async def send(self, request: HttpRequest) -> HttpResponse:
        async with self._slots:
            return await self._transport.send(request)

    async def aclose(self) -> None:
        await self._transport.aclose()


async def chat_once(
    plan: LoadPlan, shared: Transport, name: str, clock: Clock, listener: Callable[[Exchange], None] | None = None
) -> ChatRecord:
    """One consumer's chat: the page's session on `ChatApi` over the shared client, its requests counted."""
    traffic = CountedTransport(shared, clock.now, listener)
    service = ChatApi(plan.window_config(), traffic, clock.now)
    consumer = Consumer(service, name, plan.lines, plan.think, plan.poll_interval, clock, patience=plan.patience)
    record = await consumer.chat()
    return replace(record, requests=dict(traffic.requests), failed_requests=dict(traffic.failures))


async def drive(plan: LoadPlan, indices: Sequence[int], clock: Clock | None = None) -> list[ChatRecord]:
    """The consumers `indices` of the plan, each arriving at its point of the ramp, all on one shared client."""
    running = clock or LoopClock()
    shared = SharedClient(plan)

    async def arrive(index: int) -> ChatRecord:
        await running.sleep(plan.ramp * index / plan.consumers)
        return await chat_once(plan, shared, f"consumer {index}", running)

    try:
        return list(await asyncio.gather(*(arrive(index) for index in indices)))
    finally:
        await shared.aclose()


def drive_in_process(plan: LoadPlan, indices: Sequence[int]) -> list[ChatRecord]:
    return asyncio.run(drive(plan, indices))


def run(plan: LoadPlan, processes: int = 1) -> list[ChatRecord]:
    """The whole plan: in this process, or dealt round-robin to `processes` worker processes (so each one's share
    arrives over the whole ramp)."""
    if processes <= 1:
        return drive_in_process(plan, range(plan.consumers))
    shares = [range(first, plan.consumers, processes) for first in range(processes)]
    # spawn: each worker starts clean (no event loop or client inherited), on every platform alike.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        return [record for share in pool.map(drive_in_process, [plan] * processes, shares) for record in share]
