"""One simulated consumer: the page's own `ChatSession`, driven as a person drives the window.

It asks for a chat, waits for the agent's greeting, then for each line types (the window tells the agent), sends it
and waits for the agent's answer, and ends the chat. It watches the session's states as the view does, and times two
things: each agent line, from the server's time on it to the first state that holds it; each of its own lines, from
being sent to the server acknowledging it.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from window.clock import Clock
from window.session import ChatService, ChatSession
from window.state import LIVE_PHASES, ChatState, Phase

PATIENCE_SECONDS = 60.0  # how long a consumer waits for the agent to join or to answer before it counts an error
COMPLETED = "completed"
ENDED_EARLY = {"agent": "the agent ended the chat early", "timeout": "the server timed the chat out"}


@dataclass(frozen=True)
class ChatRecord:
    """What one consumer did and saw, in plain values (records cross from worker processes to the report)."""

    outcome: str  # COMPLETED, or the kind of error
    chat_url: str | None
    typed: tuple[str, ...]  # the lines it sent, in order
    agent_event_ids: tuple[int, ...]  # the agent's lines as its transcript holds them, by the server's event id
    ack_seconds: tuple[float, ...]  # each of its lines: sent → acknowledged by the server
    seen_seconds: tuple[float, ...]  # each agent line: the server's time on it → in the consumer's state
    began: float  # on the consumer's clock
    live_from: float | None  # when the chat was requested (None: it never was)
    ended: float
    requests: dict[str, int] = field(default_factory=dict)  # by endpoint, from `traffic.CountedTransport`
    failed_requests: dict[str, int] = field(default_factory=dict)  # by kind; the session retried them


class NoStorage:
    """A consumer that never reloads keeps nothing (the page keeps its chat in sessionStorage)."""

    def load(self) -> str | None:
        return None

    def save(self, saved: str) -> None:
        pass

    def clear(self) -> None:
        pass


def agent_lines(state: ChatState) -> int:
    return sum(1 for line in state.lines if line.source == "agent")


def answered(lines: int) -> Callable[[ChatState], bool]:
    """The agent's greeting and an answer to each of the consumer's first `lines` lines are in the transcript."""
    return lambda state: agent_lines(state) > lines


def failure_kind(state: ChatState, waited_for: str) -> str:
    """Why a chat did not go as planned, from what the window would show; `waited_for` when it simply did not come."""
    if state.phase is Phase.UNAVAILABLE:
        return "no agent available"
    if state.phase is Phase.ERROR:
        return {"lost": "chat lost (polls failed)", "interrupted": "chat interrupted"}.get(state.notice, "no start")
    if state.phase is Phase.ENDED:
        return ENDED_EARLY.get(state.ended_because or "", "the chat ended early")
    refused = next((line.failure for line in state.lines if line.delivery == "failed"), None)
    return f"line not sent ({refused})" if refused else waited_for


class Consumer:
    def __init__(
        self,
        service: ChatService,
        name: str,
        lines: int,
        think: float,
        poll_interval: float,
        clock: Clock,
        wall: Callable[[], float] = time.time,
        patience: float = PATIENCE_SECONDS,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._name = name
        self._lines = lines
        self._think = think  # seconds spent typing a line, on average
        self._jitter = jitter
        self._clock = clock
        self._wall = wall  # the server's times on lines are wall-clock times
        self._patience = patience
        self._changed = asyncio.Event()
        self._shown: set[str] = set()  # keys of the agent lines already in a state
        self._sent_at: dict[str, float] = {}  # each line typed → when it was sent
        self._acknowledged: set[str] = set()
        self._ack_seconds: list[float] = []
        self._seen_seconds: list[float] = []
        self._live_from: float | None = None
        self.session = ChatSession(service, NoStorage(), self._watch, poll_interval, name, clock)

    async def chat(self) -> ChatRecord:
        began = self._clock.now()
        try:
            outcome = await self._converse()
        finally:
            await self.session.close()
        state = self.session.state
        return ChatRecord(
            outcome=outcome,
            chat_url=state.chat_url,
            typed=tuple(self._sent_at),
            agent_event_ids=tuple(
                line.event_id for line in state.lines if line.source == "agent" and line.event_id is not None
            ),
            ack_seconds=tuple(self._ack_seconds),
            seen_seconds=tuple(self._seen_seconds),
            began=began,
            live_from=self._live_from,
            ended=self._clock.now(),
        )

    async def _converse(self) -> str:
        session = self.session
        await session.start()
        if session.state.phase not in LIVE_PHASES:
            return failure_kind(session.state, "no start")
        self._live_from = self._clock.now()
        if not await self._until(answered(0)):  # the greeting
            return failure_kind(session.state, "the agent did not join")
        for number in range(1, self._lines + 1):
            await session.typing(True)
            # Half to one and a half times the average: people differ, and a fixed time would keep every line at
            # the same point between two polls, which would decide the latency measured.
            await self._clock.sleep(self._think * (0.5 + self._jitter()))
            text = f"{self._name}: line {number}"
            self._sent_at[text] = self._clock.now()
            await session.send(text)
            if not await self._until(answered(number)):
                return failure_kind(session.state, "the agent did not answer")
        await session.end()
        return COMPLETED if session.state.phase is Phase.ENDED else failure_kind(session.state, "no end")

    async def _until(self, holds: Callable[[ChatState], bool]) -> bool:
        """Wait until a state shows what `holds` asks for; False once the chat is no longer live, or past patience."""
        timer = asyncio.ensure_future(self._clock.sleep(self._patience))
        try:
            while not holds(self.session.state):
                if self.session.state.phase not in LIVE_PHASES or timer.done():
                    return False
                self._changed.clear()
                changed = asyncio.ensure_future(self._changed.wait())
                await asyncio.wait({changed, timer}, return_when=asyncio.FIRST_COMPLETED)
                changed.cancel()
            return True
        finally:
            timer.cancel()

    def _watch(self, state: ChatState) -> None:
        """Every state the session sets (what the view would draw): when lines first show, or are acknowledged."""
        for line in state.lines:
            if line.source == "agent" and line.key not in self._shown:
                self._shown.add(line.key)
                if line.time is not None:
                    self._seen_seconds.append(self._wall() - datetime.fromisoformat(line.time).timestamp())
            elif line.delivery == "sent" and line.text in self._sent_at and line.text not in self._acknowledged:
                self._acknowledged.add(line.text)
                self._ack_seconds.append(self._clock.now() - self._sent_at[line.text])
        self._changed.set()
