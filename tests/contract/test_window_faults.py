"""The window's session survives faults between it and a real sandbox: nothing lost, nothing doubled.

Faults are injected at the transport, around the real httpx transport and the real sandbox: a request that never
reaches the server, an answer that is lost after the server acted, a garbled answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest

from tests.contract.lp_client import LpClient
from tests.contract.test_window_session import MemoryStore, texts, until, window_session
from window.http import HttpRequest, HttpResponse, NetworkError
from window.retry import FAILURE_TOLERANCE
from window.session import ChatSession
from window.state import ChatState, Phase, saved_chat
from window.transport_httpx import HttpxTransport

Matcher = Callable[[HttpRequest], bool]


@dataclass
class Fault:
    matches: Matcher
    kind: str  # "drop" (never reaches the server), "lose" (server acts, answer lost), "garble" (answer unreadable)
    times: int


@dataclass
class FaultyTransport:
    inner: HttpxTransport
    now: Callable[[], float]  # the sandbox's clock, which the window shares
    faults: list[Fault] = field(default_factory=list)
    answered: list[tuple[float, HttpRequest, int]] = field(default_factory=list)  # (when, request, status)

    async def send(self, request: HttpRequest) -> HttpResponse:
        fault = next((f for f in self.faults if f.times > 0 and f.matches(request)), None)
        if fault is None:
            response = await self.inner.send(request)
            self.answered.append((self.now(), request, response.status))
            return response
        fault.times -= 1
        if fault.kind == "drop":
            raise NetworkError("injected: connection dropped before sending")
        response = await self.inner.send(request)
        if fault.kind == "lose":
            raise NetworkError("injected: connection dropped before the answer")
        return HttpResponse(response.status, response.headers, response.body[: len(response.body) // 2])


def polls(request: HttpRequest) -> bool:
    return request.method == "GET" and "/chat/" in request.url and "/info" not in request.url


def line_posts(request: HttpRequest) -> bool:
    return request.method == "POST" and request.url.split("?")[0].endswith("/events.json")


@pytest.fixture
async def faulty(lp: LpClient) -> AsyncIterator[FaultyTransport]:
    async with HttpxTransport() as inner:
        yield FaultyTransport(inner, lp.clock.monotonic)


@dataclass
class Chat:
    session: ChatSession
    account: str
    notices: list[str] = field(default_factory=list)  # every notice the view was given, in order


async def chatting(base_url: str, lp: LpClient, transport: FaultyTransport, **settings: object) -> Chat:
    account = lp.new_account(accept_delay_seconds=0.1, reply_delay_seconds=0.05, **settings)
    notices: list[str] = []

    def remember(state: ChatState) -> None:
        notices.append(state.notice)

    session = window_session(lp, account, transport, MemoryStore(), remember)
    await session.start()
    await until(session, lambda s: s.phase is Phase.CHATTING and len(texts(s, "agent")) >= 1)
    return Chat(session, account, notices)


def answered(text: str) -> Callable[[ChatState], bool]:
    """The scripted agent has quoted this line back."""
    return lambda state: any(f'"{text}"' in line for line in texts(state, "agent"))


def server_visitor_lines(lp: LpClient, chat: Chat) -> list[str]:
    events = lp.state(chat.account)["chats"][0]["events"]
    return [event["text"] for event in events if event.get("source") == "visitor"]


@pytest.mark.parametrize("kind", ["drop", "lose"])
async def test_a_line_whose_post_fails_arrives_once(
    base_url: str, lp: LpClient, faulty: FaultyTransport, kind: str
) -> None:
    chat = await chatting(base_url, lp, faulty)
    session = chat.session
    faulty.faults.append(Fault(line_posts, kind, times=1))
    await session.send("only once, please")
    assert [line.delivery for line in session.state.lines if line.source == "visitor"] == ["retrying"]
    await until(session, lambda s: any("only once, please" in text for text in texts(s, "agent")))
    assert server_visitor_lines(lp, chat) == ["only once, please"]
    assert texts(session.state, "visitor") == ["only once, please"]
    assert [line.delivery for line in session.state.lines if line.source == "visitor"] == ["sent"]
    await session.end()


async def test_dropped_and_garbled_polls_reconnect_without_gaps(
    base_url: str, lp: LpClient, faulty: FaultyTransport
) -> None:
    # Backoff shortened (the policy itself is unchanged): 4 failures would otherwise wait 0.5+1+2+4 s.
    chat = await chatting(base_url, lp, faulty)
    session = chat.session
    faulty.faults += [Fault(polls, "drop", times=2), Fault(polls, "garble", times=1), Fault(polls, "lose", times=1)]
    await session.send("during the outage")
    await until(session, lambda s: any("during the outage" in text for text in texts(s, "agent")))
    assert "reconnecting" in chat.notices
    assert session.state.phase is Phase.CHATTING and session.state.notice == "chatting"
    ids = [line.event_id for line in session.state.lines if line.event_id is not None]
    assert len(ids) == len(session.state.lines) == len(set(ids)) and ids == sorted(ids)  # each line once, in order
    assert server_visitor_lines(lp, chat) == ["during the outage"]
    await session.end()


async def test_past_the_tolerance_the_window_keeps_trying_and_gets_the_chat_back(
    base_url: str, lp: LpClient, faulty: FaultyTransport
) -> None:
    chat = await chatting(base_url, lp, faulty)
    faulty.faults.append(Fault(polls, "drop", times=FAILURE_TOLERANCE + 2))
    # The window's clock is the sandbox's: the outage passes in an instant, so the notices are read afterwards.
    await until(chat.session, lambda s: faulty.faults[-1].times == 0 and s.notice == "chatting")
    assert chat.notices.index("reconnecting") < chat.notices.index("still_reconnecting")
    assert chat.session.state.phase is Phase.CHATTING
    assert texts(chat.session.state, "agent") == ["Hi, I'm Alex. How can I help you today?"]  # what was shown stays
    await chat.session.end()


async def test_a_chat_that_expired_while_unreachable_ends_with_its_reason(
    base_url: str, lp: LpClient, faulty: FaultyTransport
) -> None:
    chat = await chatting(base_url, lp, faulty)
    await chat.session.close()  # the page sleeps: no request is under way when the network goes
    store = MemoryStore()
    store.save(saved_chat(chat.session.state))
    faulty.faults.append(Fault(polls, "drop", times=3))
    lp.clock.advance(130)  # past the window's interactionTimeout (120 s), and no request reached the chat
    notices: list[str] = []
    woken = window_session(lp, chat.account, faulty, store, lambda state: notices.append(state.notice))
    assert await woken.resume()
    await until(woken, lambda s: s.phase is Phase.ENDED)
    assert woken.state.notice == "ended_timeout" and "reconnecting" in notices


async def test_a_reload_during_an_outage_keeps_the_chat(base_url: str, lp: LpClient, faulty: FaultyTransport) -> None:
    chat = await chatting(base_url, lp, faulty)
    await chat.session.close()
    store = MemoryStore()
    store.save(saved_chat(chat.session.state))
    faulty.faults.append(Fault(polls, "drop", times=2))
    reloaded = window_session(lp, chat.account, faulty, store)
    assert await reloaded.resume()
    await until(reloaded, lambda s: s.phase is Phase.CHATTING and bool(texts(s, "agent")))
    assert store.chat_url == chat.session.state.chat_url
    await reloaded.end()


async def test_polling_too_fast_is_slowed_by_retry_after_and_loses_nothing(
    base_url: str, lp: LpClient, faulty: FaultyTransport
) -> None:
    # The window polls every 0.5 s; this account answers 429 + Retry-After to polls closer than 1.2 s.
    chat = await chatting(base_url, lp, faulty, min_poll_interval_seconds=1.2)
    for text in ("one", "two"):
        await chat.session.send(text)
        await until(chat.session, answered(text))
    assert texts(chat.session.state, "visitor") == ["one", "two"] == server_visitor_lines(lp, chat)
    poll_answers = [(when, status) for when, request, status in faulty.answered if polls(request)]
    limited = [index for index, (_, status) in enumerate(poll_answers) if status == 429]
    assert limited, "the sandbox never limited the window"
    for index in (i for i in limited if i + 1 < len(poll_answers)):
        assert poll_answers[index + 1][0] - poll_answers[index][0] >= 1.0  # Retry-After (>= 1 s) was honoured
    await chat.session.end()


def ends(request: HttpRequest) -> bool:
    return line_posts(request) and '"ended"' in (request.body or "")


@pytest.mark.parametrize("kind", ["drop", "lose"])
async def test_ending_survives_a_failed_request(
    base_url: str, lp: LpClient, faulty: FaultyTransport, kind: str
) -> None:
    chat = await chatting(base_url, lp, faulty)
    faulty.faults.append(Fault(ends, kind, times=1))
    await chat.session.end()
    assert chat.session.state.phase is Phase.ENDED and "reconnecting" in chat.notices
    assert lp.state(chat.account)["chats"][0]["state"] == "ended"
