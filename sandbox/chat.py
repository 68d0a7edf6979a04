"""One chat: its events, its state machine and the actions of visitor, agent and server on it."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from typing import Any, Literal

from sandbox.clock import Clock, iso
from sandbox.errors import Refusal

ChatStatus = Literal["waiting", "chatting", "ended"]
Typing = Literal["typing", "not-typing"]

# System message ids ([SCA] events, [DC] system-messages.md).
OPERATORS_BUSY = 2
OPERATOR_ACCEPTS = 3
ROUTING = 4
OPERATOR_ENDS = 5
DISCONNECTED = 6


def new_chat_id() -> str:
    """Shaped like LivePerson's chat keys: H3079121553394024223-70f331aba40b4ae58fe9e1af832e31b9K8388834."""
    return f"H{secrets.randbelow(10**19):019d}-{secrets.token_hex(16)}K{secrets.randbelow(10**7):07d}"


@dataclass(frozen=True)
class ChatFacts:
    """What the chat request established; shown in info and to the agent."""

    skill_name: str
    skill_id: int
    engagement_id: int | str | None
    campaign_id: int | str | None
    language: str | None
    visitor_id: int
    shark_visitor_id: str | None
    shark_session_id: str | None
    shark_context_id: int | str | None
    interaction_timeout: int
    pre_chat_lines: list[str]
    request: dict[str, Any]  # the request body as received, for tests
    participant_id: str | None = None


@dataclass
class Chat:
    chat_id: str
    account_id: str
    facts: ChatFacts
    clock: Clock = field(repr=False)
    rt_session_id: int = field(default_factory=lambda: 4294967296 + secrets.randbelow(10**6))
    state: ChatStatus = "waiting"
    events: list[dict[str, Any]] = field(default_factory=list)
    agent_name: str | None = None
    agent_id: int | None = None
    visitor_name: str = "You"
    visitor_typing: Typing = "not-typing"
    agent_typing: Typing = "not-typing"
    start_time: str = field(init=False)
    started_at: float = field(init=False)
    last_update: str = field(init=False)
    touched_at: float = field(init=False)
    ended_at: float | None = None
    last_poll_at: float | None = None
    transcript_requests: list[dict[str, Any]] = field(default_factory=list)
    exit_survey_answers: list[dict[str, Any]] = field(default_factory=list)
    # Visitor lines for a scripted agent; None once the chat ended.
    visitor_lines: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)

    def __post_init__(self) -> None:
        self.started_at = self.touched_at = self.clock.monotonic()
        self.start_time = self.last_update = iso(self.clock.now())

    def is_in(self, state: ChatStatus) -> bool:
        """A state check mypy does not narrow: other tasks change the state across awaits."""
        return self.state == state

    def summary(self) -> dict[str, Any]:
        """What an agent (the console) and a test see of the chat at a glance."""
        return {
            "account": self.account_id,
            "chatId": self.chat_id,
            "state": self.state,
            "skill": self.facts.skill_name,
            "visitorName": self.visitor_name,
            "preChatLines": self.facts.pre_chat_lines,
            "agentName": self.agent_name,
            "visitorTyping": self.visitor_typing,
            "agentTyping": self.agent_typing,
            "startTime": self.start_time,
            "lastUpdate": self.last_update,
        }

    # --- events -------------------------------------------------------------------------------------------------
    def _add_event(self, event_type: str, **fields: Any) -> dict[str, Any]:
        # @id: the string of an integer increasing from 0, never reused.
        event = {"@id": str(len(self.events)), "@type": event_type, "time": iso(self.clock.now()), **fields}
        self.events.append(event)
        return event

    def _line(self, text: str, by: str, source: str, text_type: str = "plain", **extra: Any) -> dict[str, Any]:
        return self._add_event("line", textType=text_type, text=text, by=by, source=source, **extra, subType="REGULAR")

    def system_line(self, text: str, message_id: int) -> dict[str, Any]:
        return self._line(text, "info", "system", systemMessageId=message_id)

    def _set_state(self, state: ChatStatus) -> dict[str, Any]:
        self.state = state
        if state == "ended":
            self.ended_at = self.clock.monotonic()
            self.visitor_typing = self.agent_typing = "not-typing"
            self.visitor_lines.put_nowait(None)
        return self._add_event("state", state=state)

    def events_from(self, first: int) -> list[dict[str, Any]]:
        return self.events[max(first, 0) :]

    def ended_event(self) -> dict[str, Any] | None:
        return next((e for e in self.events if e["@type"] == "state" and e["state"] == "ended"), None)

    # --- server -------------------------------------------------------------------------------------------------
    def open(self, agents_online: bool) -> None:
        self._set_state("waiting")
        if not agents_online:
            # assumed: with nobody online the chat is refused at once (busy line + ended), not left waiting.
            self.system_line("All our agents are busy at the moment. Please try again later.", OPERATORS_BUSY)
            self._set_state("ended")
            return
        self.system_line("Thank you for choosing to chat with us. An agent will be with you shortly.", ROUTING)
        # assumed: pre-chat lines show in the transcript as the visitor's first lines.
        for text in self.facts.pre_chat_lines:
            self._line(text, self.visitor_name, "visitor")

    def touch(self) -> None:
        """Every request to the chat counts as the visitor's activity and moves `lastUpdate`."""
        self.touched_at = self.clock.monotonic()
        self.last_update = iso(self.clock.now())

    def expire_if_idle(self) -> None:
        if self.state != "ended" and self.clock.monotonic() - self.touched_at > self.facts.interaction_timeout:
            self.system_line("The chat was disconnected because the visitor was inactive.", DISCONNECTED)
            self._set_state("ended")

    def is_gone(self, retention_seconds: float) -> bool:
        return self.ended_at is not None and self.clock.monotonic() - self.ended_at > retention_seconds

    def duration_seconds(self) -> int:
        return int((self.ended_at or self.clock.monotonic()) - self.started_at)

    # --- visitor ------------------------------------------------------------------------------------------------
    def visitor_line(self, text: str) -> dict[str, Any]:
        if self.state != "chatting":
            raise Refusal(400, "Cannot add line while not in chat")
        event = self._line(text, self.visitor_name, "visitor")
        self.visitor_lines.put_nowait(text)
        return event

    def end_by_visitor(self) -> dict[str, Any]:
        # assumed: ending an ended chat again is harmless (a retried request) and points at the same event.
        return self.ended_event() or self._set_state("ended")

    def set_visitor_typing(self, typing: Typing) -> None:
        if self.state == "ended":
            raise Refusal(400, "Cannot set visitor's typing status. Chat was ended")
        self.visitor_typing = typing

    # --- agent --------------------------------------------------------------------------------------------------
    def accept(self, agent_name: str, agent_id: int) -> None:
        if self.state != "waiting":
            raise Refusal(400, f"Chat is {self.state}, not waiting")
        self.agent_name, self.agent_id = agent_name, agent_id
        self._set_state("chatting")
        self.system_line(f"You are now chatting with {agent_name}.", OPERATOR_ACCEPTS)

    def agent_line(self, text: str, html: bool = False) -> dict[str, Any]:
        if self.state != "chatting" or self.agent_name is None:
            raise Refusal(400, "Cannot add line while not in chat")
        self.agent_typing = "not-typing"
        return self._line(text, self.agent_name, "agent", "html" if html else "plain")

    def set_agent_typing(self, typing: bool) -> None:
        if self.state == "chatting":
            self.agent_typing = "typing" if typing else "not-typing"

    def end_by_agent(self) -> None:
        if self.state == "ended":
            return
        self.system_line(f"{self.agent_name or 'The agent'} has ended the chat.", OPERATOR_ENDS)
        self._set_state("ended")
