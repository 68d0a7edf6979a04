"""Funnel counts per engagement of an account, from what the sandbox holds: the impression events every engagement
session reported ([AE] Update Session `impAttributes`, by `engId`) and the chats requested (by the chat request's
`engagementId`). Ids are compared as text: LivePerson's come as numbers or strings."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sandbox.store import Account

IMPRESSIONS = {  # impression event type → its count
    "impDisplay": "impressions",
    "impAccept": "clicks",
    "impClose": "closes",
    "impExpanded": "expansions",
    "impTimeout": "timeouts",
}
CHATS = ("chatsRequested", "chatsStarted", "chatsEnded")
# Each step of the funnel, as a share of the one before it.
RATES = {
    "clicksPerImpression": ("clicks", "impressions"),
    "requestsPerClick": ("chatsRequested", "clicks"),
    "startsPerRequest": ("chatsStarted", "chatsRequested"),
    "endsPerStart": ("chatsEnded", "chatsStarted"),
}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _entry(engagement_id: str, counts: Counter[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"engagementId": engagement_id}
    entry |= {name: counts[name] for name in (*IMPRESSIONS.values(), *CHATS)}
    entry["rates"] = {rate: _rate(counts[part], counts[whole]) for rate, (part, whole) in RATES.items()}
    return entry


def funnel(account: Account) -> dict[str, Any]:
    """Per engagement: impressions (impDisplay), clicks (impAccept), closes, expansions, timeouts; chats requested,
    started (an agent accepted) and, of those, ended; and the rates between the steps (null where nothing came
    before). Chats requested without an `engagementId` are only counted apart."""
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for session in account.sessions.values():
        for event in session.imp_attributes:
            counts[str(event["engId"])][IMPRESSIONS[event["type"]]] += 1
    without_engagement = 0
    for chat in account.chats.values():
        if chat.facts.engagement_id is None:
            without_engagement += 1
            continue
        chat_counts = counts[str(chat.facts.engagement_id)]
        chat_counts["chatsRequested"] += 1
        chat_counts["chatsStarted"] += chat.ever_chatted
        chat_counts["chatsEnded"] += chat.ever_chatted and chat.state == "ended"
    return {
        "account": account.account_id,
        "engagements": [_entry(engagement_id, counts[engagement_id]) for engagement_id in sorted(counts)],
        "chatsWithoutEngagement": without_engagement,
    }
