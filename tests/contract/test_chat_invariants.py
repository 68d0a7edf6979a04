"""Sequences of real calls on one account (hypothesis stateful testing) never break what the sandbox promises. A model
follows every call, and whenever a rule looks, the sandbox must agree with it:

- event ids run "0", "1", "2", … with no gap or repeat, and `from=N` lists exactly the events from N on, with `next`
  at the last id + 1 (or N itself);
- each event is one the calls made, once and in order: a line the sandbox took (201) at the id its `Location` names;
- an ended chat stays ended: nothing after its `ended` event, no more lines or typing (400), and ending it again
  answers the same event;
- info tells the state, the agent once one accepted, and the visitor's name and typing as last set;
- the counters match the calls: the control API's requestCounts by route, the funnel per engagement (impressions,
  clicks, closes; chats requested, started, ended), the exit surveys and transcript requests each chat kept.

The agent is played through the console (`agent_mode` console), and the sandbox's time moves only when a rule says:
by 60 s, past the chats' interactionTimeout (40 s), so every chat not yet ended times out (system line 6, `ended`).
Hypothesis is derandomised with no example database: every run tries the same sequences.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, rule, run_state_machine_as_test

from sandbox.sample_surveys import SAMPLE_EXIT_SURVEY
from tests.contract.conftest import sandbox_of_its_own
from tests.contract.lp_client import LpClient, as_json_url

SEQUENCES = int(os.environ.get("FUZZ_SEQUENCES", "40"))
ENGAGEMENT = "27469613"
CHAT = "/api/account/{acct}/chat/{chat_id}"
SESSIONS = "/api/account/{acct}/app/engagement/visitors"
PAST_INTERACTION_TIMEOUT = 60
# Event shapes: ("state", state) or ("line", source, text), system lines by their systemMessageId.
WAITING = [("state", "waiting"), ("line", "system", 4)]
ACCEPTED = [("state", "chatting"), ("line", "system", 3)]
ENDED = ("state", "ended")
TEXT = st.text(min_size=1, max_size=30)


def shape(event: dict[str, Any]) -> tuple[Any, ...]:
    if event["@type"] == "state":
        return ("state", event["state"])
    source = event["source"]
    return ("line", source, event["systemMessageId"] if source == "system" else event["text"])


@dataclass
class ChatModel:
    url: str
    engagement_id: str | None
    events: list[tuple[Any, ...]] = field(default_factory=lambda: list(WAITING))
    accepted: bool = False
    visitor_name: str = "You"
    visitor_typing: str = "not-typing"
    exit_surveys: int = 0
    transcripts: int = 0

    @property
    def state(self) -> str:
        return str(next(event[1] for event in reversed(self.events) if event[0] == "state"))

    def end(self, *before: tuple[Any, ...]) -> None:
        if self.state != "ended":
            self.events += [*before, ENDED]
            self.visitor_typing = "not-typing"

    def events_url(self) -> str:
        return as_json_url(self.url + "/events")


class ChatInvariants(RuleBasedStateMachine):
    chats = Bundle("chats")
    sessions = Bundle("sessions")

    def __init__(self, lp: LpClient) -> None:
        super().__init__()
        self.lp = lp
        self.account = lp.new_account(agent_mode="console", retention_seconds=86400)
        self.models: list[ChatModel] = []
        self.request_counts: Counter[str] = Counter()
        self.impressions: Counter[tuple[str, str]] = Counter()  # (engagement id, impression type)

    # --- calls, counted by route as the sandbox counts them ------------------------------------------------------
    def chat_call(self, route: str, method: str, url: str, body: Any = None, **params: str) -> httpx.Response:
        self.request_counts[f"{method} {route}"] += 1
        return self.lp.chat_call(method, url, body, **params)

    def console(self, chat: ChatModel, action: str, body: Any = None) -> int:
        return self.lp.console(chat.url, action, body).status_code

    # --- the visitor ---------------------------------------------------------------------------------------------
    @rule(target=chats, engagement=st.sampled_from([None, ENGAGEMENT, int(ENGAGEMENT)]))
    def request_chat(self, engagement: str | int | None) -> ChatModel:
        self.request_counts["POST /api/account/{acct}/chat/request"] += 1
        fields = {} if engagement is None else {"engagementId": engagement}
        chat = ChatModel(self.lp.request_chat(self.account, **fields), None if engagement is None else str(engagement))
        self.models.append(chat)
        return chat

    @rule(chat=chats, text=TEXT)
    def visitor_line(self, chat: ChatModel, text: str) -> None:
        response = self.chat_call(
            CHAT + "/events", "POST", chat.events_url(), {"event": {"@type": "line", "text": text}}
        )
        if chat.state != "chatting":
            assert response.status_code == 400 and response.json()["error"]["internalCode"] == 5, response.text
            return
        assert response.status_code == 201, response.text
        assert response.headers["location"] == f"{chat.url}/events/{len(chat.events)}"
        chat.events.append(("line", "visitor", text))

    @rule(chat=chats, typing=st.sampled_from(["typing", "not-typing"]))
    def visitor_typing(self, chat: ChatModel, typing: str) -> None:
        url = as_json_url(chat.url + "/info/visitorTyping")
        response = self.chat_call(CHAT + "/info/visitorTyping", "PUT", url, {"visitorTyping": typing})
        assert response.status_code == (400 if chat.state == "ended" else 200), response.text
        if response.status_code == 200:
            chat.visitor_typing = typing

    @rule(chat=chats, name=st.text(max_size=20))
    def visitor_name(self, chat: ChatModel, name: str) -> None:
        url = as_json_url(chat.url + "/info/visitorName")
        response = self.chat_call(CHAT + "/info/visitorName", "PUT", url, {"visitorName": name})
        assert response.status_code == 200, response.text
        chat.visitor_name = name

    @rule(chat=chats)
    def visitor_ends(self, chat: ChatModel) -> None:
        response = self.chat_call(
            CHAT + "/events", "POST", chat.events_url(), {"event": {"@type": "state", "state": "ended"}}
        )
        assert response.status_code == 201, response.text
        chat.end()
        assert response.headers["location"] == f"{chat.url}/events/{chat.events.index(ENDED)}"

    @rule(chat=chats)
    def exit_survey(self, chat: ChatModel) -> None:
        rating = SAMPLE_EXIT_SURVEY.questions[2]
        answers = {"survey": {"id": SAMPLE_EXIT_SURVEY.id, "question": [{"id": rating.id, "answer": "5"}]}}
        response = self.chat_call(CHAT + "/exitSurvey", "PUT", as_json_url(chat.url + "/exitSurvey"), answers)
        assert response.status_code == (200 if chat.state == "ended" else 400), response.text
        chat.exit_surveys += response.status_code == 200

    @rule(chat=chats)
    def transcript(self, chat: ChatModel) -> None:
        url = as_json_url(chat.url + "/transcriptRequest")
        response = self.chat_call(CHAT + "/transcriptRequest", "PUT", url, {"email": "dana@example.com"})
        assert response.status_code == 200, response.text
        chat.transcripts += 1

    # --- App Engagement: what the funnel counts ------------------------------------------------------------------
    @rule(target=sessions)
    def create_session(self) -> dict[str, Any]:
        self.request_counts[f"POST {SESSIONS}"] += 1
        response = self.lp.create_session(self.account)
        assert response.status_code == 200, response.text
        session: dict[str, Any] = response.json()
        return session

    @rule(session=sessions, kind=st.sampled_from(["impDisplay", "impAccept", "impClose"]))
    def impression(self, session: dict[str, Any], kind: str) -> None:
        self.request_counts[f"PUT {SESSIONS}/{{visitor_id}}"] += 1
        impression = {"type": kind, "campaign": 26948813, "engId": int(ENGAGEMENT), "revision": 3}
        response = self.lp.update_session(self.account, session, impAttributes=[impression])
        assert response.status_code == 200, response.text
        self.impressions[(ENGAGEMENT, kind)] += 1

    # --- the agent and the server --------------------------------------------------------------------------------
    @rule(chat=chats)
    def agent_accepts(self, chat: ChatModel) -> None:
        status = self.console(chat, "accept", {"agentName": "Alex"})
        assert status == (204 if chat.state == "waiting" else 400)
        if status == 204:
            chat.events += ACCEPTED
            chat.accepted = True

    @rule(chat=chats, text=TEXT)
    def agent_line(self, chat: ChatModel, text: str) -> None:
        status = self.console(chat, "lines", {"text": text})
        assert status == (204 if chat.state == "chatting" else 400)
        if status == 204:
            chat.events.append(("line", "agent", text))

    @rule(chat=chats)
    def agent_ends(self, chat: ChatModel) -> None:
        assert self.console(chat, "end") == 204
        chat.end(("line", "system", 5))

    @rule()
    def time_passes(self) -> None:
        self.lp.clock.advance(PAST_INTERACTION_TIMEOUT)
        for chat in self.models:
            chat.end(("line", "system", 6))

    # --- looking -------------------------------------------------------------------------------------------------
    @rule(chat=chats, data=st.data())
    def look(self, chat: ChatModel, data: st.DataObject) -> None:
        """The chat (or its events) from an id, as a window polls; its info as the model has it."""
        first = data.draw(st.integers(min_value=0, max_value=len(chat.events) + 2), label="from")
        whole = data.draw(st.booleans(), label="the chat resource")
        url, route = (as_json_url(chat.url), CHAT) if whole else (chat.events_url(), CHAT + "/events")
        response = self.chat_call(route, "GET", url, **{"from": str(first)})
        assert response.status_code == 200, response.text
        body = response.json()
        events_block = body["chat"]["events"] if whole else body["events"]
        events = events_block["event"]
        assert [event["@id"] for event in events] == [str(i) for i in range(first, max(first, len(chat.events)))]
        assert [shape(event) for event in events] == chat.events[first:]
        next_href = next(link["@href"] for link in events_block["link"] if link["@rel"] == "next")
        assert next_href.endswith(f"?from={max(first, len(chat.events))}")
        if whole:
            info = body["chat"]["info"]
            assert (info["state"], info["visitorName"], info["visitorTyping"]) == (
                chat.state,
                chat.visitor_name,
                chat.visitor_typing,
            )
            assert ("agentName" in info) == (chat.accepted and chat.state != "waiting")

    @rule()
    def count(self) -> None:
        """What the control API and the console tell of the account: counters, funnel, what each chat kept."""
        state = self.lp.state(self.account)
        assert state["requestCounts"] == {key: n for key, n in self.request_counts.items() if n}
        for chat in self.models:
            detail = self.lp.console(chat.url).json()
            assert (len(detail["exitSurveyAnswers"]), len(detail["transcriptRequests"])) == (
                chat.exit_surveys,
                chat.transcripts,
            )
        funnel = self.lp.http.get(f"/sandbox/accounts/{self.account}/funnel").json()
        for engagement in funnel["engagements"]:
            del engagement["rates"]  # ratios of the counts compared here
        assert funnel == self.funnel()

    def funnel(self) -> dict[str, Any]:
        engaged = [chat for chat in self.models if chat.engagement_id is not None]
        engagements = {engagement for engagement, _ in self.impressions} | {chat.engagement_id for chat in engaged}
        counts: list[dict[str, Any]] = []
        for engagement in sorted(e for e in engagements if e is not None):
            chats = [chat for chat in engaged if chat.engagement_id == engagement]
            started = [chat for chat in chats if chat.accepted]
            entry = {
                "impressions": self.impressions[(engagement, "impDisplay")],
                "clicks": self.impressions[(engagement, "impAccept")],
                "closes": self.impressions[(engagement, "impClose")],
                "expansions": 0,
                "timeouts": 0,
                "chatsRequested": len(chats),
                "chatsStarted": len(started),
                "chatsEnded": sum(chat.state == "ended" for chat in started),
            }
            counts.append({"engagementId": engagement, **entry})
        return {
            "account": self.account,
            "engagements": counts,
            "chatsWithoutEngagement": len(self.models) - len(engaged),
        }

    def teardown(self) -> None:
        self.count()


@pytest.fixture(scope="module")
def lp() -> Iterator[LpClient]:
    """A sandbox of this module's own: its time moves by minutes."""
    with sandbox_of_its_own() as lp:
        yield lp


@pytest.mark.timeout(300)  # passing takes seconds; shrinking a failure to its shortest sequence takes longer
def test_no_sequence_of_calls_breaks_what_the_sandbox_promises(lp: LpClient) -> None:
    class OnThisSandbox(ChatInvariants):
        def __init__(self) -> None:
            super().__init__(lp)

    run_state_machine_as_test(
        OnThisSandbox,
        settings=settings(
            max_examples=SEQUENCES,
            stateful_step_count=40,
            deadline=timedelta(seconds=15),  # a whole sequence
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
