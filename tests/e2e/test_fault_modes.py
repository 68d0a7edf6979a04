"""Faults in the real browser, injected by the sandbox (docs/sandbox.md, Faults) into this test's account.

Long outages pass in seconds: the window's timers run on Playwright's page clock, which the test moves on in small
steps (each once no request of the page is in flight, so a failed poll has scheduled its retry before time moves),
and the sandbox's virtual clock is moved on with it, so both sides live the same minutes.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.servers import Servers
from window.retry import poll_delay

from .conftest import READY_TIMEOUT_MS, Sandbox, WindowOpener, use_account

WAIT_MS = 15_000
POLL = 1.5  # the window's poll interval (config.json's default)
STEP = 0.25  # seconds of the window's time per step
# Counts and times the page's requests (the real fetch does the work): what is in flight, and when each started on
# the page's clock.
FETCH_LOG = """
(() => {
  const realFetch = window.fetch;
  window.lpFetches = { inFlight: 0, started: [] };
  window.fetch = function (resource, options) {
    window.lpFetches.inFlight += 1;
    window.lpFetches.started.push([Date.now(), String(resource.url || resource)]);
    return realFetch.call(this, resource, options).finally(() => { window.lpFetches.inFlight -= 1; });
  };
})();
"""


@dataclass
class SharedTime:
    """The window's page clock and the sandbox's virtual clock, moved on together."""

    page: Page
    sandbox: Sandbox

    @staticmethod
    def install(page: Page) -> None:
        page.add_init_script(FETCH_LOG)
        page.clock.install()  # runs as the real clock until paused

    def pause(self) -> None:
        self.page.clock.pause_at(self.page.evaluate("Date.now()"))

    def pass_(self, seconds: float) -> None:
        moved = 0.0
        for step in range(round(seconds / STEP)):
            self.page.clock.run_for(round(STEP * 1000))
            self._settle()
            if step % 4 == 3:
                self.sandbox.advance_clock(4 * STEP)
                moved += 4 * STEP
        if seconds - moved > 0:
            self.sandbox.advance_clock(seconds - moved)

    def _settle(self) -> None:
        deadline = time.monotonic() + 10
        while self.page.evaluate("window.lpFetches.inFlight") > 0:
            assert time.monotonic() < deadline, "a request of the page never ended"

    def polls_started(self) -> list[float]:
        """When each poll started, in the page's seconds."""
        started: list[list[object]] = self.page.evaluate("window.lpFetches.started")
        return [float(str(at)) / 1000 for at, url in started if "?from=" in str(url).replace(".json", "")]


def chatting(open_window: WindowOpener, sandbox: Sandbox, **config: object) -> tuple[Page, SharedTime]:
    """A chat a person (the console's API) accepted, the window's timers on the page clock."""
    sandbox.configure(agent_mode="console")
    page = open_window(before_load=SharedTime.install, **config)
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting for an agent", timeout=WAIT_MS)
    sandbox.play_agent("accept", agentName="Kim")
    expect(page.get_by_role("status")).to_have_text("You are chatting with Kim.", timeout=WAIT_MS)
    return page, SharedTime(page, sandbox)


def policy_bounds(seconds: float) -> tuple[int, int]:
    """How many polls fit in an outage this long by window/retry.py: the fewest with every delay at its ceiling (and
    the first poll a whole interval in), the most with every delay at its floor."""

    def polls(span: float, jitter: float, slack: float) -> int:
        at, count = 0.0, 0
        while at <= span:
            count += 1
            at += poll_delay(count, POLL, jitter) + slack
        return count

    return polls(seconds - POLL - STEP, 0.9999, STEP), polls(seconds, 0.0, 0.0)


OPENING = ["system: Thank you for choosing to chat with us.", "system: You are now chatting with Kim."]


def transcript(page: Page) -> list[str]:
    """Each line's source and text, in the order shown."""
    return [
        f"{(line.get_attribute('class') or '').split('--')[-1]}: {line.locator('.line__text').inner_text()}"
        for line in page.locator("#transcript > .line").all()
    ]


def say(page: Page, text: str) -> None:
    message = page.get_by_role("textbox", name="Message")
    message.fill(text)
    message.press("Enter")
    expect(page.locator(".line--visitor", has_text=text)).to_have_count(1)


def visitor_lines(sandbox: Sandbox) -> list[str]:
    return [e["text"] for chat in sandbox.state()["chats"] for e in chat["events"] if e.get("source") == "visitor"]


@pytest.mark.parametrize("outage", [5, 30, 60])
def test_an_outage_backs_off_with_jitter_and_loses_no_line_either_way(
    open_window: WindowOpener, sandbox: Sandbox, outage: int
) -> None:
    page, shared = chatting(open_window, sandbox)
    status = page.get_by_role("status")
    shared.pause()
    sandbox.add_fault(kind="drop")  # the network is down: every request of the account, until it comes back
    before = len(shared.polls_started())
    shared.pass_(5)
    expect(status).to_have_text("Connection lost. Reconnecting…")
    say(page, "typed during the outage")
    expect(page.locator(".line--visitor")).to_contain_text("Not sent yet. Trying again…")
    sandbox.play_agent("lines", text="sent during the outage, one")
    sandbox.play_agent("lines", text="sent during the outage, two")
    shared.pass_(outage - 5)
    (fault,) = sandbox.state()["faults"]
    polls = shared.polls_started()[before:]
    sandbox.remove_faults()
    shared.pass_(16)  # the next poll comes within the backoff's ceiling
    expect(status).to_have_text("You are chatting with Kim.")
    assert transcript(page) == [
        *OPENING,
        "agent: sent during the outage, one",
        "agent: sent during the outage, two",
        "visitor: typed during the outage",
    ]
    assert visitor_lines(sandbox) == ["typed during the outage"]
    # Never a tight loop: the polls the sandbox saw are as many as window/retry.py's backoff allows in the outage (the
    # browser may send one again by itself, when the connection it reused was dropped); each came after a delay
    # between the floor and the ceiling of its step, and not all at the ceiling (jitter).
    seen = fault["hitsByRoute"]["GET /api/account/{acct}/chat/{chat_id}"]
    fewest, most = policy_bounds(outage)
    assert fewest <= len(polls) <= most, (len(polls), fewest, most)
    assert len(polls) <= seen <= len(polls) + 1
    gaps = [later - earlier for earlier, later in itertools.pairwise(polls)]
    for failures, gap in enumerate(gaps, start=1):
        assert poll_delay(failures, POLL, 0.0) - 0.01 <= gap <= poll_delay(failures, POLL, 0.9999) + STEP + 0.01
    if len(gaps) >= 4:  # enough draws to tell jitter from none
        assert any(gap < 0.95 * poll_delay(n, POLL, 0.9999) for n, gap in enumerate(gaps, start=1))


def test_two_minutes_offline_the_window_keeps_trying_and_the_server_says_how_the_chat_ended(
    open_window: WindowOpener, sandbox: Sandbox
) -> None:
    page, shared = chatting(open_window, sandbox)
    status = page.get_by_role("status")
    shared.pause()
    sandbox.add_fault(kind="drop", seconds=120)  # down for two minutes of the sandbox's time
    shared.pass_(1.5)
    say(page, "typed while offline")
    shared.pass_(100)  # past the window's tolerance (9 failed polls in a row): it says so, and keeps trying
    expect(status).to_have_text(
        "Still trying to reconnect. Your chat is kept, and what you type is sent once the connection is back."
    )
    (fault,) = sandbox.state()["faults"]
    fewest, most = policy_bounds(101.5)  # on at the backoff's ceiling, never given up, never faster
    assert fewest <= fault["hitsByRoute"]["GET /api/account/{acct}/chat/{chat_id}"] <= most + 1
    expect(page.get_by_role("button", name="Chat now")).to_be_hidden()
    shared.pass_(40)  # the network is back; the chat expired meanwhile (no request reached it for 120 s)
    expect(status).to_have_text("The chat ended because nobody wrote for a while.")
    expect(page.locator(".line--visitor")).to_contain_text("Not sent: the chat had ended.")
    assert visitor_lines(sandbox) == []


def test_a_chat_gone_from_the_server_is_said_and_its_unsent_line_goes_to_the_next_chat(
    open_window: WindowOpener, sandbox: Sandbox
) -> None:
    page, _ = chatting(open_window, sandbox)
    sandbox.restart()  # the account's chats are gone
    say(page, "lost in the restart")
    expect(page.get_by_role("status")).to_have_text(
        "This chat is no longer available. Your messages are kept; start a new chat to send them.", timeout=WAIT_MS
    )
    expect(page.locator(".line--visitor")).to_contain_text("Not sent: the chat is no longer available.")
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting for an agent", timeout=WAIT_MS)
    sandbox.play_agent("accept", agentName="Kim")
    expect(page.locator(".line--visitor")).to_contain_text("Sent", timeout=WAIT_MS)
    assert visitor_lines(sandbox) == ["lost in the restart"]


def test_error_bursts_garbled_and_mangled_answers_to_polls_lose_and_double_nothing(
    open_window: WindowOpener, sandbox: Sandbox, browser: Browser, servers: Servers
) -> None:
    page, shared = chatting(open_window, sandbox)
    status = page.get_by_role("status")
    shared.pause()
    sandbox.add_fault(kind="status", status=503, requests="polls", count=3)
    console = browser.new_page()  # the agent console shows what is injected
    console.goto(servers.console_url)
    console.get_by_role("listitem").filter(has_text=sandbox.account_id).get_by_role("button", name="Open").click()
    faults = console.get_by_role("region", name="Faults injected")
    expect(faults).to_contain_text("HTTP 503, on chat polls, for 3 requests · 0 hits")
    console.close()
    sandbox.play_agent("lines", text="after the 503s")
    shared.pass_(2)
    expect(status).to_have_text("Connection lost. Reconnecting…")
    shared.pass_(12)
    expect(status).to_have_text("You are chatting with Kim.")

    sandbox.add_fault(kind="status", status=429, retry_after=4, requests="polls", count=1)
    before = len(shared.polls_started())
    shared.pass_(8)
    limited, after = shared.polls_started()[before : before + 2]
    assert after - limited >= 4  # Retry-After honoured

    for fault in (
        {"kind": "garble", "body": "not_json"},
        {"kind": "garble", "body": "truncated"},
        {"kind": "garble", "body": "missing_fields"},
        {"kind": "events", "mangle": "duplicate"},
        {"kind": "events", "mangle": "reorder"},
        {"kind": "events", "mangle": "gap"},
    ):
        sandbox.add_fault(requests="polls", count=1, **fault)
        sandbox.play_agent("lines", text=f"{fault['kind']} {fault.get('body') or fault.get('mangle')}, one")
        sandbox.play_agent("lines", text=f"{fault['kind']} {fault.get('body') or fault.get('mangle')}, two")
        shared.pass_(8)
        assert sandbox.state()["faults"] == [], f"{fault} was never met"
    expect(status).to_have_text("You are chatting with Kim.")
    agent = [
        f"agent: {kind}, {n}"
        for kind in (
            "garble not_json",
            "garble truncated",
            "garble missing_fields",
            "events duplicate",
            "events reorder",
            "events gap",
        )
        for n in ("one", "two")
    ]
    assert transcript(page) == [*OPENING, "agent: after the 503s", *agent]


def test_hung_reset_and_refused_requests_lose_no_line_and_a_refusal_can_be_sent_again(
    open_window: WindowOpener, sandbox: Sandbox
) -> None:
    # Real time here: a hung request is abandoned by the window's own timeout (2 s), a timer of the browser's.
    sandbox.configure(agent_mode="console")
    page = open_window(request_timeout_seconds=2)
    status, log = page.get_by_role("status"), page.get_by_role("log")
    page.get_by_role("button", name="Chat now").click()
    expect(status).to_contain_text("Waiting for an agent", timeout=WAIT_MS)
    sandbox.play_agent("accept", agentName="Kim")
    expect(status).to_have_text("You are chatting with Kim.", timeout=WAIT_MS)

    sandbox.add_fault(kind="slow", delay_seconds=60, requests="polls", count=1)  # a poll that never comes back
    expect(status).to_have_text("Connection lost. Reconnecting…", timeout=WAIT_MS)
    expect(status).to_have_text("You are chatting with Kim.", timeout=WAIT_MS)

    for fault, text in (
        ({"kind": "reset"}, "after a reset"),
        ({"kind": "slow", "delay_seconds": 60}, "answer held back"),  # taken at once, its answer never comes
    ):
        sandbox.add_fault(requests="lines", count=1, **fault)
        say(page, text)
        sent = page.locator(".line--visitor", has_text=text)
        expect(sent).to_have_attribute("data-delivery", "sent", timeout=WAIT_MS)
        assert sandbox.state()["faults"] == [], f"{fault} was never met"
    sandbox.add_fault(kind="status", status=403, requests="lines", count=1)
    say(page, "refused once")
    refused = page.locator(".line--visitor", has_text="refused once")
    expect(refused).to_contain_text("Not sent: the chat service refused this message.", timeout=WAIT_MS)
    say(page, "a later line still goes")
    expect(page.locator('.line--visitor[data-delivery="sent"]')).to_have_count(3, timeout=WAIT_MS)
    refused.get_by_role("button", name="Send again").click()
    expect(page.locator('.line--visitor[data-delivery="sent"]')).to_have_count(4, timeout=WAIT_MS)
    lines = ["after a reset", "answer held back", "a later line still goes", "refused once"]
    assert visitor_lines(sandbox) == lines and log.locator(".line--visitor").count() == 4

    # A refusal that is not the chat's end (an app key changed) is said honestly; the chat is not called ended.
    sandbox.add_fault(kind="status", status=401, requests="polls")
    expect(status).to_have_text(
        "The chat was interrupted. Your messages are kept; start a new chat to send them.", timeout=WAIT_MS
    )
    expect(page.get_by_role("button", name="Chat now")).to_be_enabled()
    assert sandbox.state()["chats"][0]["state"] == "chatting"


def test_ten_reloads_mid_chat_keep_the_transcript_exact(open_window: WindowOpener, sandbox: Sandbox) -> None:
    sandbox.configure(accept_delay_seconds=0.2, reply_delay_seconds=0.2)
    page = open_window()
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("You are chatting with Alex", timeout=WAIT_MS)
    expected = [
        "system: Thank you for choosing to chat with us.",
        "system: You are now chatting with Alex.",
        "agent: Hi, I'm Alex. How can I help you today?",
    ]
    for reload in range(10):
        text = f"line {reload}"
        say(page, text)  # in the transcript (and stored) before the reload, sent or not
        page.reload()
        page.wait_for_selector("html[data-ready=true]", timeout=READY_TIMEOUT_MS, state="attached")
        expected += [f"visitor: {text}", f'agent: You said: "{text}". A human would say something more useful here.']
        expect(page.locator("#transcript > .line")).to_have_count(len(expected), timeout=WAIT_MS)
        assert transcript(page) == expected, f"after reload {reload + 1}"
    assert visitor_lines(sandbox) == [f"line {n}" for n in range(10)]


def test_duplicated_tabs_share_one_poller_and_another_takes_over_when_it_closes(
    open_window: WindowOpener, sandbox: Sandbox, servers: Servers
) -> None:
    page, _ = chatting(open_window, sandbox)
    polls: dict[Page, list[str]] = {page: []}
    page.on("request", lambda request: polls[page].append(request.url) if is_poll(request) else None)
    # A duplicated tab starts with a copy of the tab's sessionStorage (the stored chat and the tab's id), in view.
    stored = page.evaluate("JSON.stringify(Object.entries(sessionStorage))")
    duplicate = page.context.new_page()
    polls[duplicate] = []
    duplicate.add_init_script(
        f"if (!sessionStorage.length) for (const [k, v] of {stored}) sessionStorage.setItem(k, v);"
    )
    duplicate.on("request", lambda request: polls[duplicate].append(request.url) if is_poll(request) else None)
    use_account(duplicate, sandbox.account_id)
    duplicate.goto(servers.window_url)
    duplicate.wait_for_selector("html[data-ready=true]", timeout=READY_TIMEOUT_MS, state="attached")
    expect(duplicate.get_by_role("status")).to_have_text("You are chatting with Kim.", timeout=WAIT_MS)

    def polled_by_one(polling: Page, following: Page) -> None:
        """The polling tab polls on; the following one, nothing (but, at most, a poll it had under way)."""
        before = len(polls[following])
        for _ in range(3):
            with polling.expect_request(is_poll, timeout=WAIT_MS):
                pass
        assert len(polls[following]) <= before + 1

    polled_by_one(duplicate, page)  # the tab in view polls: the duplicate took the chat over
    sandbox.play_agent("lines", text="to both tabs")
    expect(page.get_by_role("log")).to_contain_text("to both tabs", timeout=WAIT_MS)
    say(duplicate, "typed in the duplicate")
    expect(page.get_by_role("log")).to_contain_text("typed in the duplicate", timeout=WAIT_MS)
    say(page, "typed in the first tab")
    expect(duplicate.get_by_role("log")).to_contain_text("typed in the first tab", timeout=WAIT_MS)

    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # the consumer turns to the first tab
    polled_by_one(page, duplicate)
    sandbox.play_agent("lines", text="polled by the first tab")
    expect(duplicate.get_by_role("log")).to_contain_text("polled by the first tab", timeout=WAIT_MS)
    assert transcript(duplicate) == transcript(page)

    page.close()  # the polling tab goes: the duplicate takes the chat's lock, and polls from where it was
    sandbox.play_agent("lines", text="after the first tab closed")
    expect(duplicate.get_by_role("log")).to_contain_text("after the first tab closed", timeout=WAIT_MS)
    assert transcript(duplicate) == [
        *OPENING,
        "agent: to both tabs",
        "visitor: typed in the duplicate",
        "visitor: typed in the first tab",
        "agent: polled by the first tab",
        "agent: after the first tab closed",
    ]
    assert visitor_lines(sandbox) == ["typed in the duplicate", "typed in the first tab"]

    fresh = duplicate.context.new_page()  # a new tab of the same site: a sessionStorage of its own, so no chat
    use_account(fresh, sandbox.account_id)
    fresh.goto(servers.window_url)
    fresh.wait_for_selector("html[data-ready=true]", timeout=READY_TIMEOUT_MS, state="attached")
    expect(fresh.get_by_role("status")).to_have_text("Have a question? Start a chat and an agent will answer you here.")


# A GET of a chat itself (not of an account-level resource such as availability): how the window polls.
POLL_URL = re.compile(
    r"/api/account/[^/]+/chat/(?!availability|availableSlots|estimatedWaitTime|preSurvey|offlineSurvey)[^/?.]+(\.json)?\?"
)


def is_poll(request: Request) -> bool:
    return request.method == "GET" and POLL_URL.search(request.url) is not None
