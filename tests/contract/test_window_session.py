"""The window's own session core (clients, facade, state machine) under CPython, against the sandbox over HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest

from sandbox import VirtualClock
from tests.contract.lp_client import LpClient
from window.api import ChatApi
from window.clock import Clock
from window.config import WindowConfig
from window.http import Transport
from window.session import ChatSession
from window.state import ChatState, Phase
from window.transport_httpx import HttpxTransport

TIMEOUT = 20.0  # generous: CI shares two cores with Chromium and the servers


class MemoryStore:
    """The page's sessionStorage, as a CPython object that outlives a session (a reload)."""

    def __init__(self) -> None:
        self.saved: str | None = None

    def load(self) -> str | None:
        return self.saved

    def save(self, saved: str) -> None:
        self.saved = saved

    def clear(self) -> None:
        self.saved = None

    @property
    def chat_url(self) -> str | None:
        return json.loads(self.saved)["chat_url"] if self.saved else None

    @property
    def unsent(self) -> list[str]:
        return list(json.loads(self.saved)["unsent"]) if self.saved else []


@dataclass
class SharedClock:
    """The window's clock is the sandbox's (a `VirtualClock`): the window's poll interval or backoff moves both on at
    once, so a test runs the policy's delays as asked (and records them) without waiting them out."""

    sandbox: VirtualClock
    asked: list[float] = field(default_factory=list)

    def now(self) -> float:
        return self.sandbox.monotonic()

    async def sleep(self, seconds: float) -> None:
        self.asked.append(seconds)
        self.sandbox.advance(seconds)
        await asyncio.sleep(0)


@pytest.fixture
async def transport() -> AsyncIterator[HttpxTransport]:
    async with HttpxTransport() as client:
        yield client


def window_session(
    lp: LpClient,
    account: str,
    transport: Transport,
    store: MemoryStore,
    on_change: Callable[[ChatState], None] = lambda _: None,
    clock: Clock | None = None,
    csds_url: str | None = None,
) -> ChatSession:
    """The window's session on this sandbox account, on the sandbox's clock unless told otherwise."""
    config = WindowConfig(
        account_id=account, csds_url=csds_url or lp.base_url, app_key="sandbox-app-key", poll_interval_seconds=0.5
    )
    clock = clock or SharedClock(lp.clock)
    return ChatSession(ChatApi(config, transport), store, on_change, config.poll_interval_seconds, "You", clock)


async def until(session: ChatSession, check: Callable[[ChatState], bool]) -> None:
    async def wait() -> None:
        while not check(session.state):
            await asyncio.sleep(0.05)

    await asyncio.wait_for(wait(), TIMEOUT)


def texts(state: ChatState, source: str) -> list[str]:
    return [line.text for line in state.lines if line.source == source]


async def test_a_whole_chat_loses_and_doubles_nothing(base_url: str, lp: LpClient, transport: HttpxTransport) -> None:
    account = lp.new_account(accept_delay_seconds=0.5, reply_delay_seconds=0.1)
    store = MemoryStore()
    session = window_session(lp, account, transport, store)

    await session.start()
    assert session.state.notice == "waiting" and store.chat_url == session.state.chat_url
    # The engagement's facts reach the chat request under LivePerson's names (docs/api-notes.md, flow step 4).
    (engagement,) = lp.state(account)["engagementSessions"]
    assert lp.state(account)["chats"][0]["request"] == {
        "skill": "sales",
        "engagementId": 27469613,
        "campaignId": 26948813,
        "language": "en-US",
        "LETagVisitorId": engagement["visitor_id"],
        "LETagSessionId": engagement["session_id"],
        "LETagContextId": 2,
        "interactionTimeout": 120,
    }
    await session.send("typed while waiting")  # refused by the API while waiting: held, then sent once
    assert [line.delivery for line in session.state.lines if line.source == "visitor"] == ["queued"]

    await until(session, lambda s: 'You said: "typed while waiting"' in " ".join(texts(s, "agent")))
    assert session.state.agent_name == "Alex" and session.state.notice == "chatting"
    await session.send("second")
    await until(session, lambda s: any("second" in text for text in texts(s, "agent")))
    assert texts(session.state, "visitor") == ["typed while waiting", "second"]
    events = lp.state(account)["chats"][0]["events"]
    assert [e["text"] for e in events if e.get("source") == "visitor"] == ["typed while waiting", "second"]

    await session.end()
    # An ended chat stays stored while the server keeps it, so a reload shows it with its post-chat offers.
    assert session.state.phase is Phase.ENDED and store.chat_url == session.state.chat_url
    assert lp.state(account)["chats"][0]["state"] == "ended"


async def test_a_reload_resumes_the_chat_with_the_same_transcript(
    base_url: str, lp: LpClient, transport: HttpxTransport
) -> None:
    account = lp.new_account(accept_delay_seconds=0.1, reply_delay_seconds=0.1)
    store = MemoryStore()
    first = window_session(lp, account, transport, store)
    await first.start()
    await until(first, lambda s: s.phase is Phase.CHATTING)
    await first.send("before the reload")
    await until(first, lambda s: len(texts(s, "agent")) >= 2)
    await first.close()  # the page goes away; the chat link stays in the store

    second = window_session(lp, account, transport, store)
    assert await second.resume()
    await until(second, lambda s: len(texts(s, "agent")) >= 2)
    assert second.state.phase is Phase.CHATTING
    assert texts(second.state, "visitor") == ["before the reload"]
    assert [line.event_id for line in second.state.lines] == [line.event_id for line in first.state.lines]
    await second.end()


async def test_a_line_typed_while_waiting_survives_a_reload_and_is_sent_once(
    base_url: str, lp: LpClient, transport: HttpxTransport
) -> None:
    account = lp.new_account(agent_mode="console")
    store = MemoryStore()
    first = window_session(lp, account, transport, store)
    await first.start()
    await first.send("typed, then the page reloaded")
    assert store.unsent == ["typed, then the page reloaded"]
    await first.close()

    second = window_session(lp, account, transport, store)
    assert await second.resume()
    assert texts(second.state, "visitor") == ["typed, then the page reloaded"]  # shown again at once, queued
    chat_id = lp.state(account)["chats"][0]["chatId"]
    lp.http.post(f"/console/api/accounts/{account}/chats/{chat_id}/accept", json={"agentName": "Sam"})
    await until(second, lambda s: bool(s.lines) and all(line.event_id is not None for line in s.lines))
    events = lp.state(account)["chats"][0]["events"]
    assert [e["text"] for e in events if e.get("source") == "visitor"] == ["typed, then the page reloaded"]
    assert store.unsent == []
    await second.end()


async def test_no_agent_available_means_no_chat_request(base_url: str, lp: LpClient, transport: HttpxTransport) -> None:
    account = lp.new_account(available=False)
    session = window_session(lp, account, transport, MemoryStore())
    await session.start()
    assert session.state.phase is Phase.UNAVAILABLE and session.state.notice == "unavailable"
    assert lp.state(account)["chats"] == []


async def test_an_unreachable_service_is_an_error_state_not_a_crash(lp: LpClient, transport: HttpxTransport) -> None:
    clock = SharedClock(lp.clock)
    session = window_session(lp, "12345678", transport, MemoryStore(), clock=clock, csds_url="http://127.0.0.1:9")
    await session.start()
    assert session.state.phase is Phase.ERROR and session.state.notice == "error_service"
    assert clock.asked == [5.0, 10.0, 15.0]  # retried as LivePerson recommends, then given up


async def test_a_loading_account_is_waited_for_as_one_visitor(lp: LpClient, transport: HttpxTransport) -> None:
    account = lp.new_account(loading_account_calls=2, accept_delay_seconds=0.1)
    clock = SharedClock(lp.clock)
    session = window_session(lp, account, transport, MemoryStore(), clock=clock)
    await session.start()
    assert session.state.phase is Phase.WAITING
    assert clock.asked[:2] == [5.0, 10.0]  # LivePerson's recommended waits, before the chat was requested
    state = lp.state(account)
    assert len(state["engagementSessions"]) == 1  # the retries went out as the visitor the refusal named
    assert state["requestCounts"]["POST /api/account/{acct}/app/engagement/visitors"] == 1
    await session.end()
