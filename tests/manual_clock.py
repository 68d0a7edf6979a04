"""A clock whose time moves only when a test says so: every retry and backoff path runs in milliseconds."""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Callable


class ManualClock:
    def __init__(self) -> None:
        self.time = 0.0
        self.slept: list[float] = []  # every delay asked for, in order
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = 0

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.time + seconds, self._order, future))
        self._order += 1
        await future

    async def run_until(self, done: Callable[[], bool], within: float = 3600.0) -> None:
        """Let every task run; whenever all of them sleep, jump to the next wake-up, until `done()` holds."""
        deadline = self.time + within
        while True:
            await settle()
            if done():
                return
            assert self._sleepers, "every task is idle and the condition never held"
            wake_at, _, future = heapq.heappop(self._sleepers)
            assert wake_at <= deadline, f"the condition did not hold within {within} virtual seconds"
            self.time = max(self.time, wake_at)
            if not future.cancelled():
                future.set_result(None)


async def settle() -> None:
    """Run every ready task until none is left ready (a few rounds of the event loop)."""
    for _ in range(20):
        await asyncio.sleep(0)
