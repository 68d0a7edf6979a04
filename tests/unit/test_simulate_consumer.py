"""The simulated consumer (window/simulate/consumer.py) on the page's session, against an in-memory chat whose agent
joins and answers on a virtual clock: what it sends, what it sees, what it times, and why a chat did not go as planned.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tests.manual_clock import ManualClock
from tests.unit.fake_service import FakeService
from window.api import Engagement
from window.models.auth import AuthReply
from window.models.survey import SurveyAnswers
from window.simulate.consumer import COMPLETED, ChatRecord, Consumer
from window.state import ServerLine

POLL = 1.5
EPOCH = 1_800_000_000.0  # the wall clock's reading at virtual time 0


@dataclass
class AgentService(FakeService):
    """The fake chat, with an agent who joins `join_after` seconds after the request, greets, and answers each line
    `answer_after` seconds after it arrived (None: never), or ends the chat then (`ends`); taking a line takes
    `take_line` seconds."""

    clock: ManualClock = field(default_factory=ManualClock)
    join_after: float | None = 1.0
    answer_after: float | None = 0.5
    ends: bool = False
    take_line: float = 0.25
    agent_tasks: set[asyncio.Future[None]] = field(default_factory=set)

    def wall(self) -> float:
        return EPOCH + self.clock.now()

    def agent_line(self, text: str) -> None:
        stamp = datetime.fromtimestamp(self.wall(), UTC).isoformat()
        self.add(ServerLine(len(self.events), "agent", self.agent_name or "Alex", text, time=stamp))

    async def request_chat(
        self, offer: Engagement, survey: SurveyAnswers | None = None, signed_in: AuthReply | None = None
    ) -> str:
        chat = await super().request_chat(offer, survey, signed_in)
        if self.join_after is not None:
            self._later(self.join_after, self._join)
        return chat

    async def add_line(self, events_href: str, text: str) -> int | None:
        await self.clock.sleep(self.take_line)
        event_id = await super().add_line(events_href, text)
        if self.answer_after is not None:
            self._later(self.answer_after, self._end if self.ends else lambda: self.agent_line(f"You said: {text}"))
        return event_id

    def _end(self) -> None:
        self.add(ServerLine(len(self.events), "system", "info", "Alex has ended the chat.", system_id=5))
        self.set_state("ended")

    def _join(self) -> None:
        self.agent_joins()
        self.agent_line("Hi, how can I help?")

    def _later(self, seconds: float, action: Callable[[], None]) -> None:
        async def act() -> None:
            await self.clock.sleep(seconds)
            action()

        self.agent_tasks.add(asyncio.ensure_future(act()))


async def chat(service: AgentService, lines: int = 2, think: float = 2.0, patience: float = 10.0) -> ChatRecord:
    clock, wall = service.clock, service.wall
    consumer = Consumer(service, "c7", lines, think, POLL, clock, wall=wall, patience=patience, jitter=lambda: 0.0)
    task = asyncio.ensure_future(consumer.chat())
    await service.clock.run_until(task.done)
    return task.result()


async def test_a_chat_goes_as_a_person_would_and_is_timed_on_the_clocks() -> None:
    service = AgentService()
    record = await chat(service)

    assert record.outcome == COMPLETED
    assert record.typed == ("c7: line 1", "c7: line 2")
    assert service.visitor_lines() == ["c7: line 1", "c7: line 2"]
    assert service.server_state() == "ended"
    # Polls at 0, 1.5, 3, 4.5…: the greeting (said at 1) shows at 1.5. Typing takes half the average 2 s (the
    # jitter's least), so line 1 goes at 2.5, is taken at 2.75 and answered at 3.25, which shows at 4.5; line 2 goes at
    # 5.5 and its answer (at 6.25) shows at 7.5.
    assert record.seen_seconds == (0.5, 1.25, 1.25)
    assert record.ack_seconds == (0.25, 0.25)  # the time each line took to be taken
    agent_ids = [e.event_id for e in service.events if isinstance(e, ServerLine) and e.source == "agent"]
    assert record.agent_event_ids == tuple(agent_ids) and len(agent_ids) == 3
    assert (record.began, record.live_from, record.ended) == (0.0, 0.0, 7.5)
    # The page tells the agent when the consumer starts typing, and stops as the line goes: twice a line.
    assert service.count("set_visitor_typing") == 4


async def test_an_agent_who_never_joins_is_waited_for_with_patience() -> None:
    service = AgentService(join_after=None)
    record = await chat(service, patience=10.0)
    assert record.outcome == "the agent did not join"
    assert record.typed == () and record.ended == 10.0


async def test_an_agent_who_stops_answering_is_an_error_of_its_own() -> None:
    service = AgentService(answer_after=None)
    record = await chat(service, patience=10.0)
    assert record.outcome == "the agent did not answer"
    assert record.typed == ("c7: line 1",) and record.ack_seconds == (0.25,)


async def test_nobody_available_and_a_chat_ended_early_say_so() -> None:
    nobody = await chat(AgentService(available=False))
    assert nobody.outcome == "no agent available" and nobody.live_from is None

    ended = await chat(AgentService(ends=True))
    assert ended.outcome == "the agent ended the chat early" and ended.typed == ("c7: line 1",)
