"""`make bench`: start-up time and bytes of the window against a stock PyScript page, cold and warm, in Chromium.

Not a test: it asserts nothing about wall time, it prints medians. Both pages are served the same way (the dev
server's static files, compression and cache headers); the baseline is static/runtime/baseline/, the npm files as
published. Cold = a fresh browser profile; warm = a reload in that same persistent profile, so the HTTP cache holds.
"""

from __future__ import annotations

import argparse
import os
import runpy
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, sync_playwright
from starlette.applications import Starlette
from starlette.routing import Mount, Route

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from devserver.window_server import COMPRESSION, CachedStatic, revalidated_file  # noqa: E402  (the repo root is not on sys.path for a script)
from tests.servers import free_port, start_servers, stop  # noqa: E402

BASELINE = ROOT / "static" / "runtime" / "baseline"
LAUNCH_OPTIONS: dict[str, Any] = runpy.run_path(str(ROOT / "playwright.config.py"))["LAUNCH_OPTIONS"]
READY = "html[data-ready=true]"
# Records when the page marks itself ready, in ms since its navigation started. Injected through the DevTools
# protocol, so the page's CSP (no 'unsafe-eval') does not apply to it and the page itself is not changed.
# It also keeps every long task (main-thread work over 50 ms) and when each agent line appeared (Date.now()).
READY_PROBE = """
new MutationObserver((_, observer) => {
  if (document.documentElement?.dataset.ready === "true") {
    window.__benchReadyAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
window.__benchLongTasks = [];
new PerformanceObserver((list) => {
  for (const task of list.getEntries()) window.__benchLongTasks.push([task.startTime, task.duration]);
}).observe({ type: "longtask", buffered: true });
window.__benchSeen = {};
new MutationObserver((records) => {
  for (const record of records) for (const node of record.addedNodes) {
    const text = node.classList?.contains("line--agent") && node.querySelector(".line__text")?.textContent;
    if (text) window.__benchSeen[text] ??= Date.now();
  }
}).observe(document, { childList: true, subtree: true });
"""
CHAT_LINES = 10
SERVER_TIMEOUT = 60.0
LOAD_TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class Load:
    seconds: float
    bytes: int
    blocking_ms: float  # total blocking time until ready: the sum of each long task's time over 50 ms


@dataclass(frozen=True)
class Chat:
    agent_to_window: list[float]  # seconds from the agent's line reaching the server to it showing in the window
    send_to_ack: list[float]  # seconds from the consumer's Enter to the line marked sent (the server's 201)
    blocking_ms: float  # total blocking time while chatting
    longest_task_ms: float
    seconds: float  # how long the chat part lasted


@dataclass
class Results:
    cold: list[Load]
    warm: list[Load]


def baseline_app() -> Starlette:
    """The baseline page, served as the dev server serves the window (same static class, compression, caching)."""

    page = Starlette(
        routes=[
            Route("/", revalidated_file(BASELINE / "index.html")),
            Route("/pyscript.toml", revalidated_file(BASELINE / "pyscript.toml", "text/plain")),
        ],
        middleware=COMPRESSION,
    )
    return Starlette(
        routes=[
            Mount("/pyscript", CachedStatic(BASELINE / "pyscript", max_age=86400)),
            Mount("/pyodide", CachedStatic(BASELINE / "pyodide", max_age=86400)),
            Mount("/", page),
        ]
    )


@contextmanager
def process(command: list[str], env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, text=True)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_until_serving(url: str) -> None:
    deadline = time.monotonic() + SERVER_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    sys.exit(f"bench: nothing served at {url} after {SERVER_TIMEOUT:.0f} s")


@contextmanager
def window_server() -> Iterator[tuple[str, str]]:
    """The project's own main job (`python -m devserver`, as `make run` starts it); yields the window's URL and the
    sandbox's origin."""
    servers = start_servers()
    try:
        wait_until_serving(servers.window_url)
        yield servers.window_url, servers.sandbox_origin
    finally:
        stop(servers)


@contextmanager
def baseline_server() -> Iterator[str]:
    if not (BASELINE / "index.html").exists():
        sys.exit("bench: static/runtime/baseline is missing: run `python static/build_runtime.py`")
    port = free_port()
    app = ["--app-dir", str(Path(__file__).parent), "--factory", "bench:baseline_app"]
    with process([sys.executable, "-m", "uvicorn", *app, "--port", str(port), "--log-level", "warning"]):
        url = f"http://127.0.0.1:{port}/"
        wait_until_serving(url)
        yield url


def measure(page: Page, navigate: Callable[[], Any], received: list[int]) -> Load:
    """Navigate, wait for the ready marker, and read when it was set and how many bytes came over the network."""
    received.clear()
    navigate()
    page.wait_for_selector(READY, state="attached", timeout=LOAD_TIMEOUT_MS)
    bytes_so_far = sum(received)
    ready_at = page.evaluate("window.__benchReadyAt")
    blocking = blocking_ms(long_tasks(page), 0, ready_at)
    return Load(seconds=ready_at / 1000, bytes=bytes_so_far, blocking_ms=blocking)


def long_tasks(page: Page) -> list[tuple[float, float]]:
    return [(start, duration) for start, duration in page.evaluate("window.__benchLongTasks")]


def blocking_ms(tasks: list[tuple[float, float]], start: float, end: float) -> float:
    return sum(max(0.0, duration - 50) for begin, duration in tasks if start <= begin < end)


def chat(url: str, sandbox: str) -> Chat:
    """A chat with a person in the agent console (driven through its API): how fast lines travel each way, and how
    much the window blocks its main thread meanwhile (polling must never freeze the page)."""
    account = httpx.get(f"{url}config.json", timeout=10).json()["account_id"]
    httpx.put(f"{sandbox}/sandbox/accounts/{account}/settings", json={"agent_mode": "console"}, timeout=10)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**LAUNCH_OPTIONS)
        page = browser.new_page()
        page.add_init_script(READY_PROBE)
        page.goto(url)
        page.wait_for_selector(READY, state="attached", timeout=LOAD_TIMEOUT_MS)
        page.get_by_role("button", name="Chat now").click()
        page.get_by_text("Waiting for an agent").wait_for(timeout=LOAD_TIMEOUT_MS)
        chats = httpx.get(f"{sandbox}/sandbox/accounts/{account}/state", timeout=10).json()["chats"]
        console = f"{sandbox}/console/api/accounts/{account}/chats/{chats[-1]['chatId']}"
        httpx.post(f"{console}/accept", json={"agentName": "Bench"}, timeout=10).raise_for_status()
        page.get_by_text("You are chatting with Bench").wait_for(timeout=LOAD_TIMEOUT_MS)
        started = page.evaluate("performance.now()")
        agent_to_window = []
        for index in range(CHAT_LINES):
            text = f"agent line {index}"
            sent = time.time()
            httpx.post(f"{console}/lines", json={"text": text, "html": False}, timeout=10).raise_for_status()
            page.locator(".line--agent", has_text=text).wait_for(timeout=LOAD_TIMEOUT_MS)
            shown = page.evaluate("(text) => window.__benchSeen[text]", text)
            agent_to_window.append(shown / 1000 - sent)
            time.sleep(0.37)  # lands the next line at another point of the poll cycle
        send_to_ack = []
        for index in range(CHAT_LINES):
            text = f"consumer line {index}"
            page.get_by_role("textbox", name="Message").fill(text)
            sent = time.time()
            page.get_by_role("textbox", name="Message").press("Enter")
            page.locator(".line--visitor[data-delivery=sent]", has_text=text).wait_for(timeout=LOAD_TIMEOUT_MS)
            send_to_ack.append(time.time() - sent)
        ended = page.evaluate("performance.now()")
        tasks = [task for task in long_tasks(page) if started <= task[0] < ended]
        browser.close()
    return Chat(
        agent_to_window=agent_to_window,
        send_to_ack=send_to_ack,
        blocking_ms=blocking_ms(tasks, started, ended),
        longest_task_ms=max((duration for _, duration in tasks), default=0.0),
        seconds=(ended - started) / 1000,
    )


def cold_and_warm(url: str) -> tuple[Load, Load]:
    """One cold load in a fresh profile, then one warm reload in the same profile."""
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(profile, **LAUNCH_OPTIONS)
        context.add_init_script(READY_PROBE)
        page = context.pages[0] if context.pages else context.new_page()
        received: list[int] = []
        cdp = context.new_cdp_session(page)
        # encodedDataLength: bytes over the wire for that response (body as encoded plus headers), 0 from cache.
        cdp.on("Network.loadingFinished", lambda event: received.append(int(event["encodedDataLength"])))
        cdp.send("Network.enable")
        cold = measure(page, lambda: page.goto(url, wait_until="commit"), received)
        warm = measure(page, lambda: page.reload(wait_until="commit"), received)
        context.close()
    return cold, warm


def run(targets: dict[str, str], runs: int) -> dict[str, Results]:
    results = {name: Results([], []) for name in targets}
    for index in range(runs):
        # Alternate the order so that neither page always runs on a freshly started machine state.
        order = list(targets) if index % 2 == 0 else list(reversed(targets))
        for name in order:
            cold, warm = cold_and_warm(targets[name])
            results[name].cold.append(cold)
            results[name].warm.append(warm)
            print(
                f"run {index + 1}/{runs} {name:8} cold {cold.seconds:5.2f} s {size(cold.bytes)}"
                f" | warm {warm.seconds:5.2f} s {size(warm.bytes)}",
                file=sys.stderr,
            )
    return results


def medians(results: Results) -> tuple[float, float, float, float, float]:
    return (
        statistics.median(load.seconds for load in results.cold),
        statistics.median(load.seconds for load in results.warm),
        statistics.median(load.bytes for load in results.cold),
        statistics.median(load.bytes for load in results.warm),
        statistics.median(load.blocking_ms for load in results.cold),
    )


def size(count: float) -> str:
    return f"{count / 1e6:.2f} MB" if count >= 1e6 else f"{count / 1e3:.1f} kB"


def table(results: dict[str, Results]) -> str:
    rows = [f"{'':12}{'cold TTI':>11}{'warm TTI':>11}{'cold bytes':>13}{'warm bytes':>13}{'cold TBT':>12}"]
    figures = {name: medians(result) for name, result in results.items()}
    for name, (cold_s, warm_s, cold_b, warm_b, tbt) in figures.items():
        rows.append(f"{name:12}{cold_s:9.2f} s{warm_s:9.2f} s{size(cold_b):>13}{size(warm_b):>13}{tbt:9.0f} ms")
    if {"baseline", "window"} <= figures.keys():
        r = [w / b if b else float("nan") for w, b in zip(figures["window"], figures["baseline"], strict=True)]
        rows.append(f"{'ratio':12}{r[0]:10.2f}x{r[1]:10.2f}x{r[2]:12.2f}x{r[3]:12.2f}x{r[4]:11.2f}x")
    return "\n".join(rows)


def chat_table(chats: list[Chat]) -> str:
    agent = sorted(value for chat in chats for value in chat.agent_to_window)
    acks = sorted(value for chat in chats for value in chat.send_to_ack)
    minutes = sum(chat.seconds for chat in chats) / 60
    return "\n".join(
        [
            f"window while chatting ({len(chats)} chats, {len(agent)} lines each way, {minutes:.1f} min):",
            f"  agent line → shown      median {statistics.median(agent):.2f} s, max {agent[-1]:.2f} s (poll 1.5 s)",
            f"  Enter → sent (201)      median {statistics.median(acks) * 1000:.0f} ms, max {acks[-1] * 1000:.0f} ms",
            f"  main-thread blocking    {sum(chat.blocking_ms for chat in chats) / minutes:.0f} ms per minute,"
            f" longest task {max(chat.longest_task_ms for chat in chats):.0f} ms",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions per page (default 3)")
    args = parser.parse_args()
    with baseline_server() as baseline, window_server() as (window, sandbox):
        results = run({"baseline": baseline, "window": window}, args.runs)
        chats = [chat(window, sandbox) for _ in range(args.runs)]
    print(f"medians of {args.runs} runs, Chromium headless, localhost; TTI = navigation to data-ready;")
    print("TBT = total blocking time until then (each main-thread task's time over 50 ms)")
    print(table(results))
    print(chat_table(chats))


if __name__ == "__main__":
    main()
