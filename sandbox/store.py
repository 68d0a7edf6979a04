"""In-memory state of every account: settings, engagement sessions, chats, and what tests read back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sandbox.chat import Chat
from sandbox.clock import Clock
from sandbox.config import AccountSettings


@dataclass
class VisitorSession:
    visitor_id: str
    session_id: str
    app_type: str
    app_details: dict[str, Any] | None
    consumer_sections: list[str]
    page_ids: list[str] = field(default_factory=list)
    engagement_attributes: list[dict[str, Any]] = field(default_factory=list)
    imp_attributes: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Conversation:
    """An authenticated conversation opened by conversation.json, to be named in a chat request."""

    participant_id: str
    conversation_id: str
    connector_id: str
    sso_key: str


@dataclass
class Account:
    account_id: str
    settings: AccountSettings
    chats: dict[str, Chat] = field(default_factory=dict)
    visitors: set[str] = field(default_factory=set)
    sessions: dict[str, VisitorSession] = field(default_factory=dict)  # by session id
    conversations: dict[str, Conversation] = field(default_factory=dict)  # by participant id
    offline_surveys: list[dict[str, Any]] = field(default_factory=list)
    request_counts: Counter[str] = field(default_factory=Counter)  # "GET /api/account/{acct}/chat/{chat_id}" → n


class Store:
    def __init__(self, account_defaults: AccountSettings, clock: Clock) -> None:
        self._defaults = account_defaults
        self.clock = clock
        self._accounts: dict[str, Account] = {}

    def account(self, account_id: str) -> Account:
        """Any account id exists: created with the default settings on first use, so each test can take a fresh one."""
        if account_id not in self._accounts:
            self._accounts[account_id] = Account(account_id, self._defaults.model_copy(deep=True))
        return self._accounts[account_id]

    def chats(self) -> Iterator[tuple[Account, Chat]]:
        for account in self._accounts.values():
            for chat in account.chats.values():
                yield account, chat

    def end_idle_chats(self) -> None:
        for _, chat in self.chats():
            chat.expire_if_idle()
