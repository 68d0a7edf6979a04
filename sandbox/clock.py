"""The sandbox's sense of time, injected (`SandboxConfig.clock`): the system's when it runs, a virtual one in tests.

Everything that depends on time (event times, `lastUpdate`, idle timeouts, retention, rate limits, the scripted
agent's delays, the idle sweeper) asks its clock, so a test moves time on instead of sleeping.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from datetime import datetime, timedelta
from typing import Protocol

# Enough loop turns for every task a jump in time woke to reach its next await (a few turns each).
SETTLE_TURNS = 1000


class ServerClock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for timeouts."""
        ...

    def now(self) -> datetime:
        """Local wall-clock time with its offset, for what the API shows."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now().astimezone()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class VirtualClock:
    """Real time plus the time a test skipped with `advance`, so a test never waits for the sandbox's delays.

    Time still passes as it really does (a window under test polls in real time against the same sandbox). `advance`
    first lets every task already woken (say, by the request just answered) reach its next await, then jumps ahead,
    and returns once every sleeper whose time has come has run on to its next await, whichever thread or event loop it
    sleeps in (the contract tests run the sandbox in a thread of its own).
    """

    def __init__(self) -> None:
        self._skipped = 0.0
        self._lock = threading.Lock()
        self._nudges: dict[asyncio.Future[None], asyncio.AbstractEventLoop] = {}
        self._loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()  # every loop anyone slept in

    def monotonic(self) -> float:
        return time.monotonic() + self._skipped

    def now(self) -> datetime:
        return datetime.now().astimezone() + timedelta(seconds=self._skipped)

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:  # as asyncio.sleep(0): lets the others run once
            await asyncio.sleep(0)
            return
        deadline = self.monotonic() + seconds
        loop = asyncio.get_running_loop()
        self._loops.add(loop)
        while (remaining := deadline - self.monotonic()) > 0:
            nudge: asyncio.Future[None] = loop.create_future()
            with self._lock:
                self._nudges[nudge] = loop
            try:
                await asyncio.wait([nudge], timeout=remaining)
            finally:
                with self._lock:
                    self._nudges.pop(nudge, None)

    def advance(self, seconds: float) -> None:
        """Moves time on by `seconds` and lets every sleeper that is due run on."""
        self._settle()
        with self._lock:
            self._skipped += seconds
            nudges = list(self._nudges.items())
        for nudge, loop in nudges:
            loop.call_soon_threadsafe(_resolve, nudge)
        self._settle()

    def _settle(self) -> None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        for loop in list(self._loops):
            # The caller's own loop runs its tasks as soon as the caller awaits; a closed one runs nothing more.
            if loop is not running and loop.is_running():
                asyncio.run_coroutine_threadsafe(self._woken_ran(), loop).result(timeout=10)

    async def _woken_ran(self) -> None:
        """Returns once the loop's ready tasks took their turn and no nudged sleeper is left waiting for its own
        (each removes its nudge when it resumes)."""
        await asyncio.sleep(0)
        for _ in range(SETTLE_TURNS):
            with self._lock:
                pending = any(nudge.done() for nudge in self._nudges)
            if not pending:
                return
            await asyncio.sleep(0)


def _resolve(nudge: asyncio.Future[None]) -> None:
    if not nudge.done():
        nudge.set_result(None)


def clock_named(name: str) -> ServerClock:
    """The clock `SANDBOX_CLOCK` names: `system` (or nothing), or `virtual`, a test and QA facility whose time the
    control API moves on (`POST /sandbox/clock`)."""
    if name in ("", "system"):
        return SystemClock()
    if name == "virtual":
        return VirtualClock()
    raise ValueError(f"SANDBOX_CLOCK={name!r}: expected 'system' or 'virtual'")


def iso(moment: datetime) -> str:
    """ISO 8601 with milliseconds and offset, as in LivePerson's examples: 2017-02-27T06:24:15.424-05:00."""
    return moment.isoformat(timespec="milliseconds")


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)
