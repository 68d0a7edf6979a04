"""One chat: its events, its state machine and the actions of visitor, agent and server on it."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from sandbox.clock import ServerClock, iso
from sandbox.errors import Refusal
from sandbox.whole_numbers import whole_number

ChatStatus = Literal["waiting", "chatting", "ended"]
Typing = Literal["typing", "not-typing"]

# System message ids ([SCA] retrieve-chat-events, [DC] system-messages.md). The texts are the sandbox's wording,
# except 4 and 3, which are those of LivePerson's examples.
OPERATORS_BUSY = 2
OPERATOR_ACCEPTS = 3
ROUTING = 4
OPERATOR_ENDS = 5
DISCONNECTED = 6
TRANSFERRED_TO_OPERATOR = 13
TRANSFERRED_TO_SKILL = 15


def new_chat_id() -> str:
    """Shaped like LivePerson's chat keys: H3079121553394024223-70f331aba40b4ae58fe9e1af832e31b9K8388834."""
    return f"H{secrets.randbelow(10**19):019d}-{secrets.token_hex(16)}K{secrets.randbelow(10**7):07d}"


def account_path(account_id: str) -> str:
    """The account's path in the Chat API: its id percent-encoded, so any id makes a URL (and a `Location` header,
    which takes Latin-1 only)."""
    return f"/api/account/{quote(account_id, safe='')}"


def site_id(account_id: str) -> int | str:
    """An account (site) id as LivePerson's examples give it: a number (the sandbox also takes other ids)."""
    number = whole_number(account_id)
    return account_id if number is None else number


@dataclass(frozen=True)
class Skill:
    """The skill a chat is routed to (its name and id, as info shows them)."""

    name: str
    id: int


@dataclass(frozen=True)
class ChatFacts:
    """What the chat request established; shown in info and to the agent."""

    engagement_id: int | str | None
    campaign_id: int | str | None
    language: str | None
    visitor_id: int
    shark_visitor_id: str | None
    shark_session_id: str | None
    shark_context_id: int | str | None
    interaction_timeout: int
    max_wait_time: int | None
    pre_chat_lines: list[str]
    request: dict[str, Any]  # the request body as received, for tests and the console
    participant_id: str | None = None


@dataclass
class Chat:
    chat_id: str
    account_id: str
    facts: ChatFacts
    skill: Skill
    clock: ServerClock = field(repr=False)
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
    queued_at: float = field(init=False)  # when it last joined its skill's queue (requested, or moved to a skill)
    ever_chatted: bool = False
    last_update: str = field(init=False)
    touched_at: float = field(init=False)
    ended_at: float | None = None
    last_poll_at: float | None = None
    transcript_requests: list[dict[str, Any]] = field(default_factory=list)
    exit_survey_answers: list[dict[str, Any]] = field(default_factory=list)
    # For a scripted agent: each visitor line's text, "" after a transfer (look again: greet as the new agent, or
    # accept from the new queue), None once the chat ended.
    agent_inbox: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)

    def __post_init__(self) -> None:
        self.started_at = self.queued_at = self.touched_at = self.clock.monotonic()
        self.start_time = self.last_update = iso(self.clock.now())

    def is_in(self, state: ChatStatus) -> bool:
        """A state check mypy does not narrow: other tasks change the state across awaits."""
        return self.state == state

    # --- events -------------------------------------------------------------------------------------------------
    def _add_event(self, event_type: str, **fields: Any) -> dict[str, Any]:
        # @id: the string of an integer increasing from 0, never reused.
        event = {"@id": str(len(self.events)), "@type": event_type, "time": iso(self.clock.now()), **fields}
        self.events.append(event)
        return event

    def _line(self, text: str, by: str, source: str, text_type: str = "plain", **extra: Any) -> dict[str, Any]:
        return self._add_event("line", textType=text_type, text=text, by=by, source=source, **extra, subType="REGULAR")

    def _system_line(self, text: str, message_id: int) -> dict[str, Any]:
        return self._line(text, "info", "system", systemMessageId=message_id)

    def _set_state(self, state: ChatStatus) -> dict[str, Any]:
        self.state = state
        if state == "ended":
            self.ended_at = self.clock.monotonic()
            self.visitor_typing = self.agent_typing = "not-typing"
            self.agent_inbox.put_nowait(None)
        return self._add_event("state", state=state)

    def events_from(self, first: int) -> list[dict[str, Any]]:
        return self.events[max(first, 0) :]

    def ended_event(self) -> dict[str, Any] | None:
        return next((e for e in self.events if e["@type"] == "state" and e["state"] == "ended"), None)

    # --- server -------------------------------------------------------------------------------------------------
    def open(self, agents_online: bool) -> None:
        """Events 0 and 1 exactly as in [SCA]'s example. Pre-chat lines are "shown to the agent … not displayed to
        the visitor" ([SCA] start-chat): the agent sees them in the console, the visitor's events do not list them."""
        self._set_state("waiting")
        if agents_online:
            self._system_line("Thank you for choosing to chat with us.", ROUTING)
        else:
            self.refuse_busy()

    def refuse_busy(self) -> None:
        # assumed: nobody online (or nobody free within maxWaitTime) ends the chat with the "busy" line.
        self._system_line("All our agents are busy at the moment. Please try again later.", OPERATORS_BUSY)
        self._set_state("ended")

    def touch(self) -> None:
        """Every request to the chat counts as the visitor's activity and moves `lastUpdate`."""
        self.touched_at = self.clock.monotonic()
        self.last_update = iso(self.clock.now())

    def expire_if_idle(self) -> None:
        if self.state != "ended" and self.clock.monotonic() - self.touched_at > self.facts.interaction_timeout:
            self.time_out()

    def time_out(self) -> None:
        """The server ends a chat nobody touched for its interactionTimeout: system line 6, then `ended`."""
        if self.state != "ended":
            self._system_line("The chat was disconnected because the visitor was inactive.", DISCONNECTED)
            self._set_state("ended")

    def waited_too_long(self) -> bool:
        """Still in the queue it was requested into, past the request's maxWaitTime."""
        limit = self.facts.max_wait_time
        return (
            self.state == "waiting"
            and not self.ever_chatted
            and limit is not None
            and self.clock.monotonic() - self.queued_at > limit
        )

    def is_gone(self, retention_seconds: float) -> bool:
        return self.ended_at is not None and self.clock.monotonic() - self.ended_at > retention_seconds

    def duration_seconds(self) -> int:
        return int((self.ended_at or self.clock.monotonic()) - self.started_at)

    # --- visitor ------------------------------------------------------------------------------------------------
    def visitor_line(self, text: str) -> dict[str, Any]:
        if self.state != "chatting":
            raise Refusal(400, "Cannot add line while not in chat")
        event = self._line(text, self.visitor_name, "visitor")
        self.agent_inbox.put_nowait(text)
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
        self.ever_chatted = True
        self._set_state("chatting")
        self._system_line(f"You are now chatting with {agent_name}.", OPERATOR_ACCEPTS)

    def _check_chatting(self) -> str:
        if self.state != "chatting" or self.agent_name is None:
            raise Refusal(400, "The chat is not in progress")
        return self.agent_name

    def agent_line(self, text: str, html: bool = False) -> dict[str, Any]:
        agent_name = self._check_chatting()
        self.agent_typing = "not-typing"
        return self._line(text, agent_name, "agent", "html" if html else "plain")

    def push_url(self, url: str) -> dict[str, Any]:
        """Decisions: `url` events are `{"@type": "url", "url": "https://…"}` (field name assumed)."""
        self._check_chatting()
        return self._add_event("url", url=url)

    def set_agent_typing(self, typing: bool) -> None:
        if self.state == "chatting":
            self.agent_typing = "typing" if typing else "not-typing"

    def transfer_to_agent(self, agent_name: str, agent_id: int) -> None:
        """System line 13; the chat stays `chatting` and info names the new agent from now on."""
        self._check_chatting()
        self.agent_name, self.agent_id = agent_name, agent_id
        self.agent_typing = "not-typing"
        self._system_line(f"The chat has been transferred to {agent_name}.", TRANSFERRED_TO_OPERATOR)
        self.agent_inbox.put_nowait("")

    def transfer_to_skill(self, skill: Skill) -> None:
        """System line 15; assumed: the chat joins the new skill's queue (`waiting`, no agent) until one of its
        agents accepts, as a new chat does (system line 3 again)."""
        self._check_chatting()
        self.agent_name = self.agent_id = None
        self.agent_typing = "not-typing"
        self.skill = skill
        self.queued_at = self.clock.monotonic()
        self._system_line("Your chat is being transferred. An agent will be with you shortly.", TRANSFERRED_TO_SKILL)
        self._set_state("waiting")
        self.agent_inbox.put_nowait("")

    def transfer_to_account(self, account_id: str, skill: str, chat_api_origin: str) -> dict[str, Any]:
        """An `a2a-transfer` event ([SCA] retrieve-chat-events, [JSSDK] onAccountToAccountTransfer): the visitor
        requests a chat in the other account, sending `chatRequestParameters` unchanged, at the link rel
        `a2a-transfer`. assumed: the chat then ends here."""
        self._check_chatting()
        parameters = {
            "a2aEventId": len(self.events),  # this event's id
            "a2aSourceSessionId": self.rt_session_id,
            "a2aSourceSiteId": site_id(self.account_id),
            "skill": skill,
        }
        event = self._add_event(
            "a2a-transfer",
            domain=chat_api_origin.partition("://")[2],
            remoteSiteId=site_id(account_id),
            skill=skill,
            chatRequestParameters=parameters,
            link=[{"@href": f"{chat_api_origin}{account_path(account_id)}/chat/request", "@rel": "a2a-transfer"}],
        )
        self._set_state("ended")
        return event

    def end_by_agent(self) -> None:
        if self.state == "ended":
            return
        self._system_line(f"{self.agent_name or 'The agent'} has ended the chat.", OPERATOR_ENDS)
        self._set_state("ended")
