"""Lines lost or doubled, both ways: what each consumer sent and saw, against what the sandbox recorded.

The sandbox's control API (`GET /sandbox/accounts/{acct}/state`) lists every chat with its events. A consumer's line
must be there once as a visitor line; each agent line there must be in the consumer's transcript once. LivePerson
has no such API: against it the check is not made (and the report says so).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from window.simulate.consumer import ChatRecord

Events = Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class LineCount:
    sent: int
    lost: int
    doubled: int


@dataclass(frozen=True)
class Ledger:
    to_agent: LineCount  # the consumers' lines, as the sandbox recorded them
    to_consumers: LineCount  # the agent's lines the sandbox recorded, as the consumers' transcripts hold them


def recorded_chats(target: str, account: str) -> dict[str, Events] | None:
    """Each chat's events by chat id, from the sandbox's control API; None when the target has none (LivePerson)."""
    try:
        response = httpx.get(f"{target.rstrip('/')}/sandbox/accounts/{account}/state", timeout=120)
        chats = response.json()["chats"] if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return None
    return {chat["chatId"]: chat["events"] for chat in chats} if isinstance(chats, list) else None


def chat_id(chat_url: str) -> str:
    return urlsplit(chat_url).path.rstrip("/").rsplit("/", 1)[-1]


def is_agent_line(event: Mapping[str, Any]) -> bool:
    """A line the consumer must see from the agent: a line by the agent, or a pushed URL."""
    return (event["@type"] == "line" and event.get("source") == "agent") or event["@type"] == "url"


def balance(records: Iterable[ChatRecord], chats: Mapping[str, Events]) -> Ledger:
    """Lines of chats that were requested (a consumer that never got a chat sent nothing, and is an error)."""
    to_agent, to_consumers = Counter[str](), Counter[str]()
    for record in records:
        if record.chat_url is None:
            continue
        events = chats.get(chat_id(record.chat_url), ())
        received = Counter(e["text"] for e in events if e["@type"] == "line" and e.get("source") == "visitor")
        _tally(to_agent, (received[text] for text in record.typed))
        shown = Counter(record.agent_event_ids)
        _tally(to_consumers, (shown[int(e["@id"])] for e in events if is_agent_line(e)))
    return Ledger(LineCount(**to_agent), LineCount(**to_consumers))


def _tally(totals: Counter[str], copies: Iterable[int]) -> None:
    """Each line should arrive exactly once: none is a line lost, more than one a line doubled."""
    totals.update(sent=0, lost=0, doubled=0)
    for count in copies:
        totals.update(sent=1, lost=int(count == 0), doubled=max(0, count - 1))
