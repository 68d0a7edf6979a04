"""The sandbox's virtual clock: tests move time on and every sleeper that is due runs on, in any thread's loop."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import datetime

import pytest

from sandbox.clock import SystemClock, VirtualClock, clock_named


async def test_a_sleeper_wakes_when_time_is_moved_on() -> None:
    clock = VirtualClock()
    woke: list[float] = []

    async def sleeper() -> None:
        await clock.sleep(3600)
        woke.append(clock.monotonic())

    task = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    started = time.monotonic()
    clock.advance(1800)
    await asyncio.sleep(0.01)
    assert woke == []  # half way
    clock.advance(1800)
    await asyncio.wait_for(task, 1)
    assert time.monotonic() - started < 1 and len(woke) == 1


async def test_it_follows_real_time_too() -> None:
    clock = VirtualClock()
    before = clock.monotonic()
    await clock.sleep(0.02)
    assert clock.monotonic() - before >= 0.02


def test_advance_returns_once_sleepers_in_another_thread_ran_on() -> None:
    clock = VirtualClock()
    loop = asyncio.new_event_loop()
    steps: list[str] = []
    asleep = threading.Event()

    async def agent() -> None:
        asleep.set()
        await clock.sleep(30)
        steps.append("accepted")
        await clock.sleep(30)
        steps.append("replied")

    thread = threading.Thread(target=loop.run_until_complete, args=(agent(),))
    thread.start()
    assert asleep.wait(5)
    asyncio.run_coroutine_threadsafe(asyncio.sleep(0), loop).result(5)  # its first step ran: it sleeps now
    clock.advance(30)
    assert steps == ["accepted"]
    clock.advance(30)
    assert steps == ["accepted", "replied"]
    thread.join(5)
    loop.close()
    assert 59 < (clock.now() - datetime.now().astimezone()).total_seconds() < 61


async def test_a_sleep_of_nothing_still_lets_others_run() -> None:
    clock = VirtualClock()
    ran: list[str] = []

    async def other() -> None:
        ran.append("other")

    task = asyncio.create_task(other())
    await clock.sleep(0)
    assert ran == ["other"]
    await task


def test_sandbox_clock_names_the_clock() -> None:
    assert isinstance(clock_named(""), SystemClock) and isinstance(clock_named("system"), SystemClock)
    assert isinstance(clock_named("virtual"), VirtualClock)
    with pytest.raises(ValueError, match="expected 'system' or 'virtual'"):
        clock_named("fast")
