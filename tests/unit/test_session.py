"""The session's state machine, retries and timing, with no server and no real sleep (an in-memory service behind
the session's port and a virtual clock): every path of the policy in `window/retry.py`, table by table."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.manual_clock import ManualClock, settle
from tests.unit.fake_service import FakeService
from window.config import AuthSettings
from window.http import NetworkError
from window.models.chat import TranscriptRequest
from window.models.survey import Survey, SurveyAnswer, SurveyAnswers
from window.protocol import ApiError, MalformedReply
from window.retry import FAILURE_TOLERANCE, poll_delay
from window.session import ChatSession, SignInSetup
from window.state import (
    TRANSITIONS,
    ChatSnapshot,
    ChatState,
    Form,
    IllegalTransition,
    Phase,
    ServerLine,
    ServerState,
    absorb_chat,
    enter,
)

POLL = 1.5


@dataclass
class MemoryStore:
    saved: str | None = None

    def load(self) -> str | None:
        return self.saved

    def save(self, saved: str) -> None:
        self.saved = saved

    def clear(self) -> None:
        self.saved = None


@dataclass
class Harness:
    service: FakeService = field(default_factory=FakeService)
    clock: ManualClock = field(default_factory=ManualClock)
    store: MemoryStore = field(default_factory=MemoryStore)
    notices: list[str] = field(default_factory=list)
    session: ChatSession = field(init=False)

    def __post_init__(self) -> None:
        self.session = self.new_session()

    def new_session(self) -> ChatSession:
        """A window on this service and store (a second one is the page after a reload)."""

        def seen(state: ChatState) -> None:
            if not self.notices or self.notices[-1] != state.notice:
                self.notices.append(state.notice)

        return ChatSession(self.service, self.store, seen, POLL, "You", self.clock, jitter=lambda: 1.0)

    @property
    def state(self) -> ChatState:
        return self.session.state

    async def run(self, command: Awaitable[None]) -> None:
        """A command to completion, virtual time moving while it waits."""
        task = asyncio.ensure_future(command)
        await self.clock.run_until(task.done)
        task.result()

    async def until(self, check: Callable[[ChatState], bool], within: float = 3600.0) -> None:
        await self.clock.run_until(lambda: check(self.state), within)

    async def polls(self, count: int) -> None:
        """Let the window poll `count` more times."""
        target = self.service.count("poll") + count
        await self.clock.run_until(lambda: self.service.count("poll") >= target)

    async def chatting(self) -> None:
        await self.run(self.session.start())
        self.service.agent_joins()
        await self.until(lambda s: s.phase is Phase.CHATTING)

    def deliveries(self) -> list[tuple[str, str, str | None]]:
        return [(line.text, line.delivery, line.failure) for line in self.state.lines if line.source == "visitor"]


@pytest.fixture
async def h() -> Harness:
    return Harness()


async def finish(h: Harness) -> None:
    await h.session.close()
    await settle()


# -- the table ---------------------------------------------------------------------------------------------------


def test_every_phase_has_a_row_and_illegal_moves_are_refused_loudly() -> None:
    assert set(TRANSITIONS) == set(Phase)
    with pytest.raises(IllegalTransition, match="idle → chatting"):
        enter(ChatState(), Phase.CHATTING)
    with pytest.raises(IllegalTransition):
        enter(enter(ChatState(), Phase.ENGAGEMENT), Phase.ENDED)


def test_a_server_that_revives_an_ended_chat_is_ignored_not_drawn() -> None:
    ended = ChatState(phase=Phase.ENDED, notice="ended", chat_url="c", next_url="c")
    revived = absorb_chat(ended, ChatSnapshot((ServerState(9, "chatting"),), "Alex", False, "c?from=10", {}))
    assert revived.phase is Phase.ENDED and revived.notice == "ended"


# -- starting ----------------------------------------------------------------------------------------------------

LOADING = ApiError(500, "Loading account: 12345678, vid: abc", 20)


@pytest.mark.parametrize(
    ("step", "errors", "delays", "calls", "phase", "notice"),
    [
        ("engagement", [LOADING, LOADING], [5.0, 10.0], 3, Phase.WAITING, "waiting_eta"),
        ("engagement", [NetworkError("down")] * 3, [5.0, 10.0, 15.0], 4, Phase.WAITING, "waiting_eta"),
        ("engagement", [NetworkError("down")] * 4, [5.0, 10.0, 15.0], 4, Phase.ERROR, "error_service"),
        ("engagement", [ApiError(429, "slow down", retry_after=30.0)], [30.0], 2, Phase.WAITING, "waiting_eta"),
        ("engagement", [ApiError(429, "slow down")], [5.0], 2, Phase.WAITING, "waiting_eta"),
        ("engagement", [ApiError(400, "bad request", 1)], [], 1, Phase.ERROR, "error_service"),
        ("engagement", [MalformedReply("garbled")], [], 1, Phase.ERROR, "error_reply"),
        ("is_available", [ApiError(503, "unavailable")], [5.0], 2, Phase.WAITING, "waiting_eta"),
        ("request_chat", [ApiError(502, "bad gateway"), NetworkError("reset")], [5.0, 10.0], 3, Phase.WAITING, None),
        ("request_chat", [ApiError(401, "Bad captcha", 10)], [], 1, Phase.ERROR, "error_service"),
    ],
)
async def test_each_start_step_retries_a_passing_failure_then_gives_up(
    h: Harness, step: str, errors: list[Exception], delays: list[float], calls: int, phase: Phase, notice: str | None
) -> None:
    h.service.fail(step, *errors)
    await h.run(h.session.start())
    assert h.state.phase is phase
    assert h.clock.slept[: len(delays)] == delays
    assert h.service.count(step) == calls
    assert ("start_retrying" in h.notices) == bool(delays)
    if notice:
        assert h.state.notice == notice
    await finish(h)


async def test_nobody_available_is_said_and_no_chat_is_requested(h: Harness) -> None:
    h.service.available = False
    await h.run(h.session.start())
    assert h.state.phase is Phase.UNAVAILABLE and h.service.count("request_chat") == 0


async def test_the_wait_estimate_is_shown_and_kept_current(h: Harness) -> None:
    await h.run(h.session.start())
    await h.until(lambda s: s.wait_seconds == 60)
    h.service.wait_seconds = 200
    await h.until(lambda s: s.wait_seconds == 200, within=31)
    assert h.state.notice == "waiting_eta" and h.service.count("estimated_wait") == 2
    await finish(h)


# -- polling -----------------------------------------------------------------------------------------------------


async def test_polls_back_off_and_recover_without_losing_a_line(h: Harness) -> None:
    await h.chatting()
    h.service.fail("poll", NetworkError("down"), MalformedReply("garbled"), ApiError(503, "busy"))
    h.service.agent_says("while you were away")
    await h.until(lambda s: any(line.text == "while you were away" for line in s.lines))
    assert h.clock.slept[-4:] == [1.5, 3.0, 6.0, 1.5]  # back off (jitter fixed at its ceiling), then the interval
    assert "reconnecting" in h.notices and h.state.notice == "chatting"
    await finish(h)


def test_the_backoff_has_jitter_and_a_ceiling() -> None:
    assert poll_delay(1, POLL, 0.0) == 0.75 and poll_delay(1, POLL, 0.999) < 1.5
    assert poll_delay(10, POLL, 1.0) == 15.0
    assert poll_delay(2, POLL, 0.0, ApiError(429, "slow", retry_after=8.0)) == 8.0
    assert poll_delay(1, POLL, 0.0, ApiError(429, "slow")) == 1.0  # at least a second after a 429


async def test_past_the_tolerance_the_window_keeps_trying_at_the_ceiling_and_keeps_what_was_typed(h: Harness) -> None:
    await h.chatting()
    h.service.fail("poll", *[NetworkError("down")] * (FAILURE_TOLERANCE + 5))
    h.service.fail("add_line", NetworkError("down"))
    await h.run(h.session.send("typed during the outage"))
    await h.until(lambda s: s.notice == "still_reconnecting")
    assert h.notices[-2:] == ["reconnecting", "still_reconnecting"]
    assert h.service.count("poll") == 2 + FAILURE_TOLERANCE + 1  # never a declared loss: it polls on
    h.service.agent_says("still here")
    await h.until(lambda s: s.notice == "chatting")
    outage = h.clock.slept[-(FAILURE_TOLERANCE + 6) :]
    assert outage[:5] == [1.5, 3.0, 6.0, 12.0, 15.0] and set(outage[5:-1]) == {15.0}  # the ceiling, then normal
    assert h.state.phase is Phase.CHATTING and h.deliveries() == [("typed during the outage", "sent", None)]
    assert h.service.visitor_lines() == ["typed during the outage"]
    assert [line.text for line in h.state.lines[-2:]] == ["still here", "typed during the outage"]  # server order
    await finish(h)


async def test_a_chat_gone_when_the_network_comes_back_is_said_and_its_lines_go_to_the_next_chat(h: Harness) -> None:
    await h.chatting()
    h.service.fail("poll", *[NetworkError("down")] * (FAILURE_TOLERANCE + 3), ApiError(404, "Chat not found", 12))
    h.service.fail("add_line", NetworkError("down"))
    await h.run(h.session.send("typed while offline"))
    await h.until(lambda s: s.phase is Phase.ERROR)
    assert (h.state.notice, h.store.saved) == ("gone", None)
    assert h.deliveries() == [("typed while offline", "failed", "line_not_sent_gone")]
    assert h.service.count("exit_survey") == 0  # nothing is offered of a chat the server no longer has
    h.service.events.clear()
    await h.run(h.session.start())
    h.service.agent_joins()
    await h.until(lambda s: bool(s.lines) and s.lines[-1].delivery == "sent")
    assert h.service.visitor_lines() == ["typed while offline"]
    await finish(h)


async def test_a_chat_that_timed_out_while_offline_ends_with_its_reason(h: Harness) -> None:
    await h.chatting()
    h.service.fail("poll", *[NetworkError("down")] * 12)
    h.service.add(ServerLine(len(h.service.events), "system", "info", "Disconnected", system_id=6))
    h.service.set_state("ended")
    await h.until(lambda s: s.phase is Phase.ENDED)
    assert h.state.notice == "ended_timeout" and "still_reconnecting" in h.notices
    await finish(h)


@pytest.mark.parametrize(("status", "phase", "notice"), [(404, Phase.ERROR, "gone"), (401, Phase.ERROR, "interrupted")])
async def test_a_final_4xx_while_polling_ends_the_chat_only_if_it_is_gone(
    h: Harness, status: int, phase: Phase, notice: str
) -> None:
    await h.chatting()
    h.service.fail("poll", ApiError(status, "no"))
    await h.until(lambda s: s.phase is phase)
    assert h.state.notice == notice
    assert (h.store.saved is None) == (notice == "gone")
    assert h.service.count("poll") == 3  # the first after start, the one that joined, the refused one: no more


async def test_an_interrupted_chat_keeps_what_was_typed_for_the_next_one(h: Harness) -> None:
    await h.chatting()
    h.service.fail("add_line", ApiError(503, "busy"))
    await h.run(h.session.send("keep me"))
    h.service.fail("poll", ApiError(403, "forbidden"))
    await h.until(lambda s: s.phase is Phase.ERROR)
    assert h.deliveries() == [("keep me", "failed", "line_not_sent_interrupted")]
    h.service.events.clear()
    await h.run(h.session.start())  # a new chat: the line goes out once an agent joins
    assert h.deliveries() == [("keep me", "queued", None)]
    h.service.agent_joins()
    await h.until(lambda s: bool(s.lines) and s.lines[-1].delivery == "sent")
    assert h.service.visitor_lines() == ["keep me"]
    await finish(h)


# -- sending -----------------------------------------------------------------------------------------------------


async def test_lines_typed_while_waiting_are_held_then_sent_in_order_once(h: Harness) -> None:
    await h.run(h.session.start())
    await h.run(h.session.send("one"))
    await h.run(h.session.send("two"))
    assert h.deliveries() == [("one", "queued", None), ("two", "queued", None)]
    assert h.service.count("add_line") == 0  # nothing is posted while waiting
    h.service.agent_joins()
    await h.until(lambda s: [line.delivery for line in s.lines if line.source == "visitor"] == ["sent", "sent"])
    assert h.service.visitor_lines() == ["one", "two"]
    await finish(h)


async def test_a_line_refused_for_good_is_marked_failed_and_later_lines_still_go(h: Harness) -> None:
    await h.chatting()
    h.service.fail("add_line", ApiError(403, "Forbidden"))
    await h.run(h.session.send("refused"))
    await h.run(h.session.send("next"))
    # The server's lines come first, the consumer's unsent ones after: the transcript reads the same after a reload.
    assert h.deliveries() == [("next", "sent", None), ("refused", "failed", "line_refused")]
    await h.polls(3)
    assert h.service.count("add_line") == 2  # never posted again by itself
    refused = next(line.key for line in h.state.lines if line.text == "refused")
    await h.run(h.session.retry(refused))  # the consumer presses "Send again"
    assert h.service.visitor_lines() == ["next", "refused"]
    assert h.deliveries()[-1] == ("refused", "sent", None)
    await finish(h)


async def test_not_in_chat_holds_a_line_only_while_the_chat_really_is_not_chatting(h: Harness) -> None:
    await h.chatting()
    h.service.set_state("waiting")  # a transfer: back in the queue, which this window has not polled yet
    await h.run(h.session.send("during the transfer"))
    assert h.deliveries() == [("during the transfer", "queued", None)]
    h.service.agent_joins("Sam")
    await h.until(lambda s: s.lines[-1].delivery == "sent")
    assert h.service.visitor_lines() == ["during the transfer"] and h.state.agent_name == "Sam"
    # The same refusal while the chat stays chatting is the line's own: failed after the next poll, never looped.
    h.service.fail("add_line", ApiError(400, "Cannot add line while not in chat", 5))
    await h.run(h.session.send("odd one"))
    await h.until(lambda s: s.lines[-1].delivery == "failed")
    assert h.state.lines[-1].failure == "line_refused"
    await h.polls(3)
    assert h.service.count("add_line") == 3  # the first line twice (refused, then after the transfer), the odd one once
    await finish(h)


async def test_a_line_posted_to_a_chat_the_server_no_longer_has_waits_for_the_poll_to_say_so(h: Harness) -> None:
    await h.chatting()
    h.service.fail("add_line", ApiError(404, "Chat not found", 12))
    h.service.fail("poll", ApiError(404, "Chat not found", 12))
    await h.run(h.session.send("into the void"))
    assert h.deliveries() == [("into the void", "retrying", None)]  # not "refused": the chat may be gone
    await h.until(lambda s: s.phase is Phase.ERROR)
    assert (h.state.notice, h.deliveries()) == ("gone", [("into the void", "failed", "line_not_sent_gone")])


async def test_a_line_lost_in_passing_is_not_sent_again_on_the_word_of_a_poll_begun_before(h: Harness) -> None:
    await h.chatting()
    gate = asyncio.Event()
    poll = h.service.poll

    async def poll_under_way(chat_url: str) -> ChatSnapshot:
        snapshot = await poll(chat_url)  # the chat as it was when the poll left: without the line
        await gate.wait()
        return snapshot

    h.service.poll = poll_under_way  # type: ignore[method-assign]
    target = h.service.count("poll") + 1
    await h.clock.run_until(lambda: h.service.count("poll") == target)
    h.service.lose("add_line")  # the server takes the line; its answer is lost
    await h.run(h.session.send("only once"))
    gate.set()
    await h.until(lambda s: s.lines[-1].delivery == "sent")
    assert h.service.visitor_lines() == ["only once"] and h.service.count("add_line") == 1
    await finish(h)


@pytest.mark.parametrize("fault", ["drop", "lose"])
async def test_a_line_whose_post_fails_in_passing_arrives_once(h: Harness, fault: str) -> None:
    await h.chatting()
    if fault == "drop":
        h.service.fail("add_line", NetworkError("reset"))
    else:
        h.service.lose("add_line")
    await h.run(h.session.send("only once"))
    assert h.deliveries() == [("only once", "retrying", None)]
    await h.until(lambda s: s.lines[-1].delivery == "sent")
    assert h.service.visitor_lines() == ["only once"]
    await finish(h)


# -- ending ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("errors", "phase"),
    [
        ([], Phase.ENDED),
        ([NetworkError("reset")], Phase.ENDED),
        ([ApiError(404, "gone", 12)], Phase.ENDED),
        ([NetworkError("reset"), ApiError(400, "ended", 5)], Phase.ENDED),  # the first attempt did end it
        ([ApiError(403, "forbidden")], Phase.ERROR),
        ([NetworkError("down")] * 3, Phase.ERROR),
    ],
)
async def test_ending_retries_a_passing_failure(h: Harness, errors: list[Exception], phase: Phase) -> None:
    await h.chatting()
    h.service.fail("end_chat", *errors)
    await h.run(h.session.end())
    assert h.state.phase is phase
    await finish(h)


# -- resuming ----------------------------------------------------------------------------------------------------


async def test_a_reload_resumes_with_the_same_transcript(h: Harness) -> None:
    await h.chatting()
    h.service.agent_says("hello")
    await h.run(h.session.send("hi"))
    await h.until(lambda s: len(s.lines) == 2)
    before = [(line.text, line.event_id) for line in h.state.lines]
    await h.session.close()
    reloaded = h.new_session()
    assert await reloaded.resume()
    assert [(line.text, line.event_id) for line in reloaded.state.lines] == before
    assert reloaded.state.phase is Phase.CHATTING
    await reloaded.close()


@pytest.mark.parametrize(
    ("error", "phase", "notice", "kept"),
    [
        (ApiError(404, "Chat not found", 12), Phase.IDLE, "ready", False),
        (ApiError(401, "Unknown app key", 5), Phase.ERROR, "interrupted", True),
        (NetworkError("offline"), Phase.WAITING, "resuming", True),
    ],
)
async def test_a_failed_first_poll_after_a_reload(
    h: Harness, error: Exception, phase: Phase, notice: str, kept: bool
) -> None:
    h.store.saved = json.dumps({"chat_url": "chat", "unsent": ["typed before the reload"]})
    h.service.fail("poll", error)
    assert await h.session.resume()
    assert h.state.phase is phase and h.state.notice == notice
    assert (h.store.saved is not None) == kept
    assert [line.text for line in h.state.lines] == ["typed before the reload"]
    await finish(h)


async def test_nothing_stored_means_nothing_to_resume(h: Harness) -> None:
    assert not await h.session.resume()
    h.store.saved = "not json"
    assert not await h.session.resume() and h.store.saved is None


# -- surveys, name, post-chat ------------------------------------------------------------------------------------

SURVEY = Survey.model_validate(
    {
        "id": 9,
        "questions": {
            "question": [
                {"id": 1, "type": "Text Field", "label": "Your name", "mandatory": True, "logicId": 1, "order": 0},
                {"id": 2, "type": "Radio Button", "label": "Rate", "logicId": 2, "order": 1, "entry": [{"value": "5"}]},
            ]
        },
    }
)
ANSWERS = SurveyAnswers(id=9, questions=[SurveyAnswer(id=1, answer="Dana")])
TRANSCRIPT = TranscriptRequest(email="me@example.com", subject="Our chat", timezone_offset=0)


async def test_a_pre_chat_survey_comes_first_and_its_answers_go_with_the_request(h: Harness) -> None:
    h.service.prechat = SURVEY
    await h.run(h.session.start())
    assert h.state.phase is Phase.PRECHAT and h.state.form == Form("prechat", "shown", SURVEY)
    assert h.service.count("request_chat") == 0
    await h.run(h.session.submit_prechat(ANSWERS, "Dana"))
    after = h.state
    assert after.phase is Phase.WAITING and after.form is None
    assert h.service.taken[0] == ("request_chat", {"id": 9, "question": [{"id": 1, "answer": "Dana"}]})
    await h.until(lambda s: ("set_visitor_name", "Dana") in h.service.taken)  # once the chat names the link
    await h.run(h.session.send("hello"))
    assert h.state.lines[-1].by == "Dana"
    await h.polls(3)
    assert h.service.taken.count(("set_visitor_name", "Dana")) == 1
    await finish(h)


async def test_closing_the_pre_chat_survey_requests_nothing(h: Harness) -> None:
    h.service.prechat = SURVEY
    await h.run(h.session.start())
    await h.run(h.session.close_prechat())
    assert h.state.phase is Phase.IDLE and h.service.count("request_chat") == 0


async def test_a_pre_chat_survey_that_cannot_be_had_does_not_keep_the_consumer_from_an_agent(h: Harness) -> None:
    h.service.fail("prechat_survey", ApiError(400, "bad survey name", 5))
    await h.run(h.session.start())
    assert h.state.phase is Phase.WAITING
    await finish(h)


async def test_the_name_is_asked_once_in_the_window_when_no_survey_gave_it(h: Harness) -> None:
    await h.chatting()
    await h.run(h.session.set_visitor_name("  Sam  "))
    assert h.state.visitor_name == "Sam" and ("set_visitor_name", "Sam") in h.service.taken
    await finish(h)


@pytest.mark.parametrize(("survey", "status"), [(SURVEY, "shown"), (None, "none")])
async def test_nobody_available_offers_the_offline_survey_or_says_so(
    h: Harness, survey: Survey | None, status: str
) -> None:
    h.service.available, h.service.offline = False, survey
    await h.run(h.session.start())
    assert h.state.phase is Phase.UNAVAILABLE and h.state.form == Form("offline", status, survey)  # type: ignore[arg-type]


async def test_an_offline_survey_that_fails_can_be_sent_again_and_is_sent_once(h: Harness) -> None:
    h.service.available, h.service.offline = False, SURVEY
    await h.run(h.session.start())
    h.service.fail("submit_offline_survey", ApiError(400, "Question 1 is mandatory", 5))
    await h.run(h.session.submit_offline(ANSWERS))
    assert h.state.form is not None and h.state.form.status == "failed"
    await h.run(h.session.submit_offline(ANSWERS))
    await h.run(h.session.submit_offline(ANSWERS))  # once sent, never again
    after = h.state
    assert after.form is not None and after.form.status == "sent"
    assert [what for what, _ in h.service.taken] == ["submit_offline_survey"]


async def test_after_the_end_the_exit_survey_then_the_transcript_each_once(h: Harness) -> None:
    h.service.exit = SURVEY
    await h.chatting()
    await h.run(h.session.end())
    assert h.state.phase is Phase.ENDED and h.state.form == Form("exit", "shown", SURVEY)
    await h.run(h.session.submit_exit(ANSWERS))
    await h.run(h.session.submit_exit(ANSWERS))
    h.service.fail("request_transcript", NetworkError("offline"))
    await h.run(h.session.request_transcript(TRANSCRIPT))
    assert h.state.transcript == "failed"
    await h.run(h.session.request_transcript(TRANSCRIPT))
    await h.run(h.session.request_transcript(TRANSCRIPT))
    after = h.state
    assert after.transcript == "sent"
    assert [what for what, _ in h.service.taken] == ["request_chat", "submit_exit_survey", "request_transcript"]
    # A reload keeps the ended chat (while the server does) and remembers what was taken.
    reloaded = h.new_session()
    assert await reloaded.resume()
    assert reloaded.state.phase is Phase.ENDED and reloaded.state.transcript == "sent"
    assert reloaded.state.form == Form("exit", "sent") and h.service.count("exit_survey") == 1


async def test_an_account_without_exit_survey_offers_the_rest(h: Harness) -> None:
    await h.chatting()
    h.service.agent_says("bye")
    h.service.set_state("ended")
    await h.until(lambda s: s.form is not None and s.form.status == "none")
    assert h.state.phase is Phase.ENDED and h.store.saved is not None


async def test_a_new_chat_after_an_ended_one_starts_afresh(h: Harness) -> None:
    await h.chatting()
    await h.run(h.session.end())
    h.service.events.clear()
    await h.run(h.session.start())
    assert h.state.phase is Phase.WAITING and h.state.lines == () and h.state.form is None
    await finish(h)


# -- signing in --------------------------------------------------------------------------------------------------

AUTH = AuthSettings(issuer="https://idp.example", client_id="lp-connector")


def signing_in(h: Harness, auth: AuthSettings = AUTH, store: MemoryStore | None = None) -> ChatSession:
    h.service.connector_id = 2006
    setup = SignInSetup(auth, "https://w/back", popup=store is None, store=store or MemoryStore())
    return ChatSession(h.service, h.store, lambda _: None, POLL, "You", h.clock, lambda: 1.0, setup)


def state_of(url: str | None) -> str:
    assert url is not None
    return parse_qs(urlsplit(url).query)["state"][0]


async def test_an_authenticated_engagement_signs_in_before_the_request(h: Harness) -> None:
    session = h.session = signing_in(h)
    await h.run(session.start())
    signin = session.state.signin
    assert session.state.phase is Phase.SIGNIN and signin is not None and signin.status == "ready"
    assert h.service.count("request_chat") == 0
    session.signin_opened()
    h.service.good_keys.add("the-code")
    await h.run(session.finish_signin({"code": "the-code", "state": state_of(signin.url)}))
    after = session.state
    assert after.phase is Phase.WAITING
    assert ("authenticate", ("the-code", "https://w/back")) in h.service.taken
    assert ("signed_in", "p-1") in h.service.taken  # the chat request carries the ids conversation.json answered
    await finish(h)


@pytest.mark.parametrize(
    ("params", "failure"),
    [
        ({"code": "the-code", "state": "forged"}, "signin_unverified"),
        ({"error": "access_denied"}, "signin_cancelled"),
        ({"code": "replayed"}, "signin_refused"),  # conversation.json: 401
    ],
)
async def test_a_sign_in_that_fails_says_why_and_can_be_tried_afresh(
    h: Harness, params: dict[str, str], failure: str
) -> None:
    session = h.session = signing_in(h)
    await h.run(session.start())
    first = session.state.signin
    assert first is not None
    h.service.good_keys.add("the-code")
    await h.run(session.finish_signin({"state": state_of(first.url)} | params))
    failed = session.state.signin
    assert failed is not None and (failed.status, failed.failure) == ("failed", failure)
    assert h.service.count("request_chat") == 0
    await h.run(session.retry_signin())
    again = session.state.signin
    assert again is not None and again.status == "ready" and state_of(again.url) != state_of(first.url)
    # The first sign-in's answer, replayed, is not this one's: refused before LivePerson sees it.
    await h.run(session.finish_signin({"code": "the-code", "state": state_of(first.url)}))
    assert session.state.signin is not None and session.state.signin.failure == "signin_unverified"


async def test_a_provider_that_cannot_be_reached_is_said_at_once_and_can_be_tried_again(h: Harness) -> None:
    session = h.session = signing_in(h)
    h.service.fail("provider_metadata", NetworkError("down"))
    await h.run(session.start())
    assert session.state.signin is not None and session.state.signin.failure == "signin_unreachable"
    assert session.state.notice != "start_retrying"
    await h.run(session.retry_signin())
    assert session.state.signin is not None and session.state.signin.status == "ready"


async def test_where_the_brand_allows_it_the_consumer_chats_without_signing_in(h: Harness) -> None:
    optional = AuthSettings(issuer="https://idp.example", client_id="c", optional=True)
    session = h.session = signing_in(h, optional)
    await h.run(session.start())
    assert session.state.signin is not None and session.state.signin.optional
    await h.run(session.chat_without_signin())
    assert session.state.phase is Phase.WAITING and h.service.count("authenticate") == 0
    await finish(h)


async def test_without_auth_settings_the_window_says_it_is_not_set_up(h: Harness) -> None:
    h.service.connector_id = 2006
    await h.run(h.session.start())
    assert h.state.phase is Phase.SIGNIN
    assert h.state.signin is not None and h.state.signin.failure == "signin_unconfigured"


async def test_a_sign_in_by_redirect_goes_on_where_it_stopped_after_the_page_came_back(h: Harness) -> None:
    signin_store = MemoryStore()
    before = signing_in(h, store=signin_store)
    await h.run(before.start())
    url = before.state.signin.url if before.state.signin else None
    before.signin_opened()  # the page goes to the provider
    assert signin_store.saved is not None and "the-code" not in signin_store.saved
    after = signing_in(h, store=signin_store)
    h.service.good_keys.add("the-code")
    h.session = after
    await h.run(after.resume_signin({"code": "the-code", "state": state_of(url)}))
    assert after.state.phase is Phase.WAITING and signin_store.saved is None
    # The engagement kept across the redirect is the one used: no new visitor on the agents' side.
    assert h.service.adopted is not None and h.service.adopted.visitor_id == "v"
    await after.close()


async def test_a_blocked_popup_is_said_and_the_sign_in_can_be_opened_again(h: Harness) -> None:
    session = h.session = signing_in(h)
    await h.run(session.start())
    session.signin_blocked()
    blocked = session.state.signin
    assert blocked is not None and (blocked.status, blocked.failure) == ("failed", "signin_popup_blocked")
    await h.run(session.retry_signin())
    assert session.state.signin is not None and session.state.signin.status == "ready"
    await session.close()
