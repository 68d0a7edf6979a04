"""Chatting, once the window is ready: a 200-line chat with a person in the agent console (driven through its API),
then the transcript grown to 1,000 lines and a few more lines each way there. How fast lines travel each way, every
main-thread task over 50 ms, whether the log only ever appends (no line taken out again), and the memory after."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass

import httpx
from playwright.sync_api import CDPSession, Page, Playwright

from tests.bench.browsing import Profile, fresh_profile, new_page, probe
from tests.bench.serving import Sites

BURST = 25  # agent lines sent at once while the transcript grows to its length (one poll brings them)
ROUNDS_AT_LENGTH = 10  # lines each way once the transcript is long


@dataclass(frozen=True)
class Talk:
    agent_seconds: list[float]  # an agent's line: sent to the server → shown in the window
    ack_ms: list[float]  # the consumer's Enter → the line marked sent (the server's 201)
    tasks_ms: list[float]  # every main-thread task over 50 ms meanwhile
    minutes: float

    def p95(self) -> float:
        return statistics.quantiles(self.agent_seconds, n=20, method="inclusive")[-1]


@dataclass(frozen=True)
class ChatRun:
    poll_seconds: float
    chat: Talk  # the 200-line chat
    growing_tasks_ms: list[float]  # while the transcript grows to its length, BURST agent lines per poll
    long: Talk  # lines each way in the long transcript
    lines: int  # in the transcript at the end
    removed: int  # lines taken out of the log again: 0 when it only appends
    memory: dict[str, float]  # MB: the JS heap, its array buffers (Python's wasm memory), the renderer's RSS


class Agent:
    """A person in the sandbox's agent console, through the console's own API."""

    def __init__(self, sites: Sites, account: str) -> None:
        chats = httpx.get(f"{sites.sandbox}/sandbox/accounts/{account}/state", timeout=10).json()["chats"]
        self.chat = f"{sites.sandbox}/console/api/accounts/{account}/chats/{chats[-1]['chatId']}"

    def act(self, action: str, **body: object) -> None:
        httpx.post(f"{self.chat}/{action}", json=body, timeout=10).raise_for_status()

    def say(self, text: str) -> float:
        self.act("lines", text=text, html=False)
        return time.time()


def page_now(page: Page) -> float:
    now: float = page.evaluate("performance.timeOrigin + performance.now()")
    return now


def talk(page: Page, agent: Agent, rounds: int, tag: str, poll: float, jitter: random.Random) -> Talk:
    """`rounds` lines each way: the agent's at random moments of the poll cycle, the consumer's typed and sent."""
    start = page_now(page)
    sent: dict[str, float] = {}
    acks = []
    box = page.get_by_role("textbox", name="Message")
    for index in range(rounds):
        text = f"agent {tag} {index:04d}"
        sent[text] = agent.say(text)
        mine = f"consumer {tag} {index:04d}"
        box.fill(mine)
        typed = time.time()
        box.press("Enter")
        page.locator(".line--visitor[data-delivery=sent] .line__text", has_text=mine).wait_for()
        acks.append((time.time() - typed) * 1000)
        time.sleep(jitter.uniform(0, poll * 2 / 3))
    page.locator(".line--agent .line__text", has_text=text).wait_for()
    end = page_now(page)
    recorded = probe(page)
    return Talk(
        agent_seconds=[recorded["seen"][text] / 1000 - at for text, at in sent.items()],
        ack_ms=acks,
        tasks_ms=[duration for begin, duration in recorded["longTasks"] if start <= begin < end],
        minutes=(end - start) / 60_000,
    )


def chat_run(playwright: Playwright, profile: Profile, sites: Sites, account: str, lines: int, length: int) -> ChatRun:
    sites.account(account, agent_mode="console")
    poll = float(httpx.get(f"{sites.window}config.json", timeout=10).json().get("poll_interval_seconds", 1.5))
    jitter = random.Random(18)
    with fresh_profile(playwright, profile) as context:
        page, cdp = new_page(context, profile)
        page.goto(sites.window)
        page.get_by_role("button", name="Chat now").click()
        page.wait_for_selector("html[data-state=waiting]", state="attached")
        agent = Agent(sites, account)
        agent.act("accept", agentName="Bench")
        page.wait_for_selector("html[data-state=chatting]", state="attached")
        chat = talk(page, agent, lines // 2, "chat", poll, jitter)
        start = page_now(page)
        count = page.locator("#transcript > .line").count()
        while count < length - 2 * ROUNDS_AT_LENGTH:
            burst = min(BURST, length - 2 * ROUNDS_AT_LENGTH - count)
            for index in range(burst):
                agent.say(f"agent grows {count + index:04d}")
            page.locator(".line--agent .line__text", has_text=f"agent grows {count + burst - 1:04d}").wait_for()
            count = page.locator("#transcript > .line").count()
        growing = [duration for begin, duration in probe(page)["longTasks"] if begin >= start]
        long = talk(page, agent, ROUNDS_AT_LENGTH, "long", poll, jitter)
        removed = int(probe(page)["removed"])
        count = page.locator("#transcript > .line").count()
        memory = footprint(cdp)
    return ChatRun(poll, chat, growing, long, count, removed, memory)


def footprint(cdp: CDPSession) -> dict[str, float]:
    """The window's memory after the long transcript: the JS heap and the array buffers outside it (Pyodide's wasm
    memory is one), in MB, after a garbage collection; and the DOM's node count."""
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")
    cdp.send("Performance.enable")
    metrics = {metric["name"]: metric["value"] for metric in cdp.send("Performance.getMetrics")["metrics"]}
    return {
        "js_heap_mb": heap["usedSize"] / 1e6,
        "buffers_mb": heap.get("backingStorageSize", 0) / 1e6,
        "dom_nodes": metrics.get("Nodes", 0),
    }
