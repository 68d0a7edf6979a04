"""The chat session's state, and the pure functions that move it on.

Data flows one way: a server reply is parsed into models, `absorb_chat` folds it into a new `ChatState`,
and the view renders that state. Nothing here does I/O, so all of it is tested under CPython.

Phase changes follow one explicit table (`TRANSITIONS`, in the spirit of h11's `_state.py`): the session's own
moves go through `enter`, which refuses an illegal one loudly (`IllegalTransition`, a bug); a move a server's
events ask for that the table does not allow is logged and ignored, never drawn.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # surveys load only when one is about to be shown
    from window.models.survey import Survey

log = logging.getLogger(__name__)

Source = Literal["visitor", "agent", "system"]
Format = Literal["plain", "html", "url"]  # how a line's text is shown: as text, as sanitised HTML, as a link card
# queued: held until an agent joins (the API refuses lines while waiting); sending: POST in flight; sent: the server
# has it; retrying: a passing failure, sent again by itself; failed: refused for good, sent again only if the
# consumer asks (`failure` says why).
Delivery = Literal["queued", "sending", "sent", "retrying", "failed"]


class Phase(StrEnum):
    IDLE = "idle"
    ENGAGEMENT = "engagement"
    SIGNIN = "signin"
    PRECHAT = "prechat"
    REQUESTING = "requesting"
    WAITING = "waiting"
    CHATTING = "chatting"
    ENDED = "ended"
    UNAVAILABLE = "unavailable"
    ERROR = "error"


# Every allowed phase change; staying in a phase is always allowed.
TRANSITIONS: dict[Phase, frozenset[Phase]] = {
    # WAITING: a stored chat resumed after a reload; SIGNIN: back from the provider after a redirect.
    Phase.IDLE: frozenset({Phase.ENGAGEMENT, Phase.WAITING, Phase.SIGNIN}),
    Phase.ENGAGEMENT: frozenset({Phase.SIGNIN, Phase.PRECHAT, Phase.REQUESTING, Phase.UNAVAILABLE, Phase.ERROR}),
    # IDLE: the consumer gave up signing in.
    Phase.SIGNIN: frozenset({Phase.PRECHAT, Phase.REQUESTING, Phase.UNAVAILABLE, Phase.ERROR, Phase.IDLE}),
    # IDLE: the consumer closed the survey without starting.
    Phase.PRECHAT: frozenset({Phase.REQUESTING, Phase.UNAVAILABLE, Phase.ERROR, Phase.IDLE}),
    Phase.REQUESTING: frozenset({Phase.WAITING, Phase.UNAVAILABLE, Phase.ERROR}),
    # IDLE: the resumed chat was gone; CHATTING → WAITING: a transfer puts the chat back in the queue.
    Phase.WAITING: frozenset({Phase.CHATTING, Phase.ENDED, Phase.ERROR, Phase.IDLE}),
    Phase.CHATTING: frozenset({Phase.WAITING, Phase.ENDED, Phase.ERROR, Phase.IDLE}),
    Phase.ENDED: frozenset({Phase.ENGAGEMENT}),
    Phase.UNAVAILABLE: frozenset({Phase.ENGAGEMENT}),
    Phase.ERROR: frozenset({Phase.ENGAGEMENT}),
}
LIVE_PHASES = frozenset({Phase.WAITING, Phase.CHATTING})
STARTING_PHASES = frozenset({Phase.ENGAGEMENT, Phase.SIGNIN, Phase.PRECHAT, Phase.REQUESTING})
# Why a chat ended, by the systemMessageId of the line that says so ([DC] system messages, docs/api-notes.md).
ENDED_BECAUSE = {5: "agent", 6: "timeout"}


class IllegalTransition(RuntimeError):
    """The session tried a phase change the table does not allow: a bug, never a consumer's doing."""


def can_enter(current: Phase, target: Phase) -> bool:
    return target is current or target in TRANSITIONS[current]


@dataclass(frozen=True)
class Line:
    key: str  # stable for the view: "e<id>" for server lines, "local-<n>" for the consumer's own, for good
    source: Source
    by: str
    text: str  # for a `url` line, the URL the agent pushed
    format: Format = "plain"
    delivery: Delivery = "sent"
    event_id: int | None = None  # the server's event id, once known
    failure: str | None = None  # a catalog key saying why a failed line was not sent
    time: str | None = None  # ISO 8601, the server's (or, until it has the line, the window's)


@dataclass(frozen=True)
class ServerLine:
    """A line (or pushed URL) event as the chat resource reports it (already parsed from the models)."""

    event_id: int
    source: Source
    by: str
    text: str
    format: Format = "plain"
    system_id: int | None = None  # systemMessageId of a system line
    time: str | None = None


@dataclass(frozen=True)
class ServerState:
    event_id: int
    state: str  # "waiting" | "chatting" | "ended"


@dataclass(frozen=True)
class ChatSnapshot:
    """What one poll of the chat resource tells, reduced to what the window shows."""

    events: tuple[ServerLine | ServerState, ...]
    agent_name: str | None
    agent_typing: bool
    next_url: str | None
    links: dict[str, str]


FormKind = Literal["prechat", "offline", "exit"]
# loading: being fetched; none: the account has none (or it could not be had); shown: waiting for the consumer;
# sending; sent: taken, never offered again; failed: refused (the consumer may correct it and send again).
FormStatus = Literal["loading", "none", "shown", "sending", "sent", "failed"]
Request = Literal["sending", "sent", "failed"]


@dataclass(frozen=True)
class Form:
    """A survey the window shows: pre-chat, offline or exit, one at a time."""

    kind: FormKind
    status: FormStatus
    survey: Survey | None = None


# preparing: asking the provider where to send the consumer; ready: the address is known (a click opens it); waiting:
# the consumer is at the provider; verifying: LivePerson checks the sign-in; failed (`failure` says why).
SignInStatus = Literal["preparing", "ready", "waiting", "verifying", "failed"]


@dataclass(frozen=True)
class SignIn:
    status: SignInStatus
    url: str | None = None  # the provider's authorization address, with this sign-in's state and nonce
    failure: str | None = None  # a catalog key
    optional: bool = False  # the consumer may chat without signing in
    popup: bool = False  # the provider opens in a popup (else the page goes there and back)


@dataclass(frozen=True)
class ChatState:
    phase: Phase = Phase.IDLE
    notice: str = "ready"  # a key of the string catalog
    lines: tuple[Line, ...] = ()
    agent_name: str | None = None
    agent_typing: bool = False
    ended_because: str | None = None  # "agent", "timeout" (ENDED_BECAUSE), or None: the consumer, or unknown
    wait_seconds: int | None = None  # the server's estimate while waiting; None or negative when unknown
    # The chat link and the event cursor, kept explicitly so a reload or a dropped poll resumes without loss.
    chat_url: str | None = None
    next_url: str | None = None
    links: dict[str, str] = field(default_factory=dict)
    local_seq: int = 0
    state_events: int = 0  # how many server state events were absorbed: tells whether the chat moved meanwhile
    form: Form | None = None
    transcript: Request | None = None  # the "email me the transcript" request, once asked
    visitor_name: str | None = None  # given in the pre-chat survey or the window; shown to the agent
    signin: SignIn | None = None
    language: str | None = None  # the engagement's, once known (e.g. "es-ES"): the window may speak it


def notice_for(state: ChatState) -> str:
    if state.phase is Phase.CHATTING:
        return "chatting" if state.agent_name else "chatting_no_name"
    if state.phase is Phase.ENDED:
        return {"agent": "ended_by_agent", "timeout": "ended_timeout"}.get(state.ended_because or "", "ended")
    if state.phase is Phase.WAITING and state.wait_seconds is not None and state.wait_seconds >= 0:
        return "waiting_eta"
    return {Phase.IDLE: "ready", Phase.ERROR: "error_service"}.get(state.phase, state.phase.value)


def enter(state: ChatState, phase: Phase, notice: str | None = None) -> ChatState:
    """The session moves the chat to `phase`; `IllegalTransition` if the table does not allow it."""
    if not can_enter(state.phase, phase):
        raise IllegalTransition(f"{state.phase.value} → {phase.value}")
    moved = replace(state, phase=phase)
    return replace(moved, notice=notice or notice_for(moved))


def absorb_chat(state: ChatState, snapshot: ChatSnapshot) -> ChatState:
    """Fold a poll into the state: new lines once each (by event id), phase from state events, info fields. Events
    are taken in the order of their ids, whatever the order of the list (a state change read out of order would
    move the chat backwards)."""
    lines = list(state.lines)
    known = {line.event_id for line in lines}
    phase = state.phase
    state_events = state.state_events
    ended_because = state.ended_because
    for event in sorted(snapshot.events, key=lambda event: event.event_id):
        if isinstance(event, ServerState):
            if event.event_id not in known:
                known.add(event.event_id)
                state_events += 1
            phase = _phase_of(event, phase)
            continue
        if event.event_id in known:
            # Ours, sent and acknowledged before any poll showed it: the server's time, so it reads as after a reload.
            lines = [
                replace(line, time=event.time) if line.event_id == event.event_id and event.time else line
                for line in lines
            ]
            continue
        known.add(event.event_id)
        if event.system_id in ENDED_BECAUSE:
            ended_because = ENDED_BECAUSE[event.system_id]
        pending = _pending_match(lines, event) if event.source == "visitor" else None
        if pending is None:
            lines.append(
                Line(
                    key=f"e{event.event_id}",
                    source=event.source,
                    by=event.by,
                    text=event.text,
                    format=event.format,
                    event_id=event.event_id,
                    time=event.time,
                )
            )
        else:  # our own line came back before (or instead of) the POST's answer: adopt it, never show it twice
            adopted = replace(lines[pending], delivery="sent", event_id=event.event_id, failure=None, by=event.by)
            lines[pending] = replace(adopted, time=event.time or adopted.time)
    moved = replace(
        state,
        lines=_in_server_order(lines),
        phase=phase,
        state_events=state_events,
        agent_name=snapshot.agent_name or state.agent_name,
        agent_typing=snapshot.agent_typing and phase is Phase.CHATTING,
        ended_because=ended_because if phase is Phase.ENDED else None,
        next_url=snapshot.next_url or state.next_url,
        links={**state.links, **snapshot.links},
    )
    return replace(moved, notice=notice_for(moved))


def queue_line(state: ChatState, text: str, by: str, time: str | None = None) -> tuple[ChatState, str]:
    """Add the consumer's line at once, marked queued until it is sent; returns its local key."""
    key = f"local-{state.local_seq}"
    line = Line(key=key, source="visitor", by=by, text=text, delivery="queued", time=time)
    return replace(state, lines=(*state.lines, line), local_seq=state.local_seq + 1), key


def mark_line(
    state: ChatState, key: str, delivery: Delivery, event_id: int | None = None, failure: str | None = None
) -> ChatState:
    """Record a send attempt on the consumer's line `key`; a successful one carries the server's event id."""
    if event_id is not None and any(line.event_id == event_id and line.key != key for line in state.lines):
        # A poll already delivered this line as someone else's copy: keep one.
        return replace(state, lines=tuple(line for line in state.lines if line.key != key))
    if delivery != "sent" and any(line.key == key and line.event_id is not None for line in state.lines):
        # A poll showed the server has it while its POST was still out: that POST's failure changes nothing.
        return state
    return replace(
        state,
        lines=_in_server_order(
            replace(
                line,
                delivery=delivery,
                event_id=event_id if event_id is not None else line.event_id,
                failure=failure if delivery == "failed" else None,
            )
            if line.key == key
            else line
            for line in state.lines
        ),
    )


def unsent(state: ChatState) -> Iterable[Line]:
    """The consumer's lines still to send by themselves, in order (a failed one waits for the consumer)."""
    return (line for line in state.lines if line.delivery in ("queued", "retrying"))


def fail_unsent(state: ChatState, failure: str) -> ChatState:
    """The chat can no longer take lines (it ended): what was still to send is marked failed, never dropped."""
    for line in list(unsent(state)):
        state = mark_line(state, line.key, "failed", failure=failure)
    return state


def unsent_texts(state: ChatState) -> list[str]:
    """The consumer's lines the server has not acknowledged, in order (what a reload or a new chat keeps)."""
    return [line.text for line in state.lines if line.source == "visitor" and line.event_id is None]


def saved_chat(state: ChatState, tab: str | None = None) -> str:
    """What survives a reload: the chat link, the consumer's lines the server has not acknowledged (typed in `tab`),
    the name they gave, and which post-chat offers they already took (each is made once)."""
    taken = [
        kind for kind, done in (("exit", _sent(state, "exit")), ("transcript", state.transcript == "sent")) if done
    ]
    saved = {"chat_url": state.chat_url, "unsent": unsent_texts(state), "name": state.visitor_name, "taken": taken}
    return json.dumps(saved | ({"tab": tab} if tab is not None else {}))


def restored_chat(saved: str, by: str, tab: str | None = None) -> ChatState | None:
    """The state to resume from (its events are replayed by polling); None if what was saved is unreadable. The
    unsent lines are queued again only in the tab they were typed in: a duplicated tab (which copied the stored chat,
    and got an id of its own) leaves them to the original, which sends them."""
    try:
        data = json.loads(saved)
        chat_url, texts = data["chat_url"], data["unsent"]
        name, taken = data.get("name"), data.get("taken", [])
        if tab is not None and data.get("tab", tab) != tab:
            texts = []
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    strings = (isinstance(item, str) for item in (*texts, *taken)) if isinstance(texts, list) else iter([False])
    if not isinstance(chat_url, str) or not isinstance(taken, list) or not all(strings):
        return None
    state = enter(ChatState(chat_url=chat_url, next_url=chat_url), Phase.WAITING, "resuming")
    state = replace(
        state,
        visitor_name=name if isinstance(name, str) else None,
        form=Form("exit", "sent") if "exit" in taken else None,
        transcript="sent" if "transcript" in taken else None,
    )
    for text in texts:  # queued again; if one did reach the server, the replay adopts it (never sent twice)
        state, _ = queue_line(state, text, state.visitor_name or by)
    return state


def _sent(state: ChatState, kind: FormKind) -> bool:
    return state.form is not None and state.form.kind == kind and state.form.status == "sent"


SERVER_PHASES = {"waiting": Phase.WAITING, "chatting": Phase.CHATTING, "ended": Phase.ENDED}


def _phase_of(event: ServerState, current: Phase) -> Phase:
    target = SERVER_PHASES.get(event.state)
    if target is None:
        return current  # assumed: other states are client-side ones (the JS SDK's chat states); keep ours
    if not can_enter(current, target):
        log.warning("ignored state event %s: %s → %s is not a legal change", event.event_id, current, target)
        return current
    return target


def _in_server_order(lines: Iterable[Line]) -> tuple[Line, ...]:
    """Lines the server has, by event id; the consumer's unsent ones after them, as typed. So the transcript reads
    the same before and after a reload, which replays it from the server."""
    return tuple(sorted(lines, key=lambda line: (line.event_id is None, line.event_id or 0)))


def _pending_match(lines: list[Line], event: ServerLine) -> int | None:
    for index, line in enumerate(lines):
        if line.delivery != "sent" and line.source == "visitor" and line.text == event.text:
            return index
    return None
