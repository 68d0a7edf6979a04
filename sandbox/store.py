"""In-memory state of every account: settings, engagement sessions, chats, and what tests read back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sandbox.chat import Chat
from sandbox.clock import ServerClock
from sandbox.config import AccountSettings


@dataclass
class VisitorSession:
    visitor_id: str
    session_id: str
    app_type: str
    app_details: dict[str, Any] | None
    consumer_sections: list[str]
    page_ids: list[str] = field(default_factory=list)
    engagement_attributes: list[dict[str, Any]] = field(default_factory=list)  # as received, each checked
    imp_attributes: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Conversation:
    """An authenticated conversation opened by conversation.json, to be named in a chat request."""

    participant_id: str
    conversation_id: str
    connector_id: str
    sso_key: str
    claims: dict[str, Any] | None = None  # the verified id_token's; None when the account has no connector


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
    loading_answers: int = 0  # create-session calls answered "Loading account" so far
    agent_ids: dict[str, int] = field(default_factory=dict)  # agents other than the scripted one, by name

    def engagement_session(self, chat: Chat) -> VisitorSession | None:
        """The App Engagement session a chat was requested in: the one its `LETagSessionId` names, if that session is
        `LETagVisitorId`'s (a chat of the monitored flow may name ids this sandbox never issued: then none)."""
        session = self.sessions.get(chat.facts.shark_session_id or "")
        return session if session is not None and session.visitor_id == chat.facts.shark_visitor_id else None

    def agent_id_for(self, name: str) -> int:
        """assumed: the scripted agent's id is a setting; any other agent (a person in the console, a transfer's
        target) gets an id of its own, the same each time in this account."""
        if name == self.settings.agent_name:
            return self.settings.agent_id
        return self.agent_ids.setdefault(name, self.settings.agent_id + 1 + len(self.agent_ids))


class Store:
    def __init__(
        self, account_defaults: AccountSettings, seeded: dict[str, AccountSettings], clock: ServerClock
    ) -> None:
        self._defaults = account_defaults
        self._seeded = seeded
        self.clock = clock
        self._accounts: dict[str, Account] = {}

    def account(self, account_id: str) -> Account:
        """Any account id exists: created on first use with its seeded settings or the defaults, so each test can
        take a fresh one."""
        if account_id not in self._accounts:
            settings = self._seeded.get(account_id, self._defaults)
            self._accounts[account_id] = Account(account_id, settings.model_copy(deep=True))
        return self._accounts[account_id]

    def chats(self) -> Iterator[tuple[Account, Chat]]:
        for account in self._accounts.values():
            for chat in account.chats.values():
                yield account, chat
