"""The browser's Web Locks and BroadcastChannels of one site, in memory, behind the session's `ChatTabs` port: per
chat, the tab polling it, the tabs waiting to, and the tabs following it. What one tab shares goes through the page
adapter's own encoding (window/tabs.py), as it does between real tabs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from window.session import PollOutcome
from window.tabs import decode, encode


@dataclass
class TabLocks:
    holders: dict[str, FakeTabs] = field(default_factory=dict)
    waiting: dict[str, list[tuple[FakeTabs, asyncio.Future[None]]]] = field(default_factory=dict)
    followers: dict[str, list[FakeTabs]] = field(default_factory=dict)
    shared: list[tuple[str, PollOutcome]] = field(default_factory=list)  # (tab id, outcome), in order

    def tab(self, tab_id: str) -> Callable[[], Awaitable[FakeTabs]]:
        """A session's `tabs` factory: a tab with this id (the page's adapter gives a duplicated tab a new one)."""

        async def opened() -> FakeTabs:
            return FakeTabs(self, tab_id)

        return opened


class FakeTabs:
    def __init__(self, locks: TabLocks, tab_id: str) -> None:
        self._locks = locks
        self._tab_id = tab_id
        self._chat = ""
        self._follower: Callable[[PollOutcome], None] | None = None
        self._heard: Callable[[PollOutcome], None] | None = None
        self._leading = False

    @property
    def tab_id(self) -> str:
        return self._tab_id

    @property
    def leading(self) -> bool:
        return self._leading

    def take_over(self) -> None:
        """The consumer turned to this (following) tab: it takes the lock from the tab holding it (Web Locks' steal),
        which follows again."""
        holder = self._locks.holders.get(self._chat)
        if holder is not None:
            holder._leading, holder._heard = False, holder._follower
        self._locks.holders[self._chat] = self
        for tab, granted in self._locks.waiting.get(self._chat, []):
            if tab is self and not granted.done():
                granted.set_result(None)
        self._locks.waiting[self._chat] = [
            (tab, g) for tab, g in self._locks.waiting.get(self._chat, []) if tab is not self
        ]

    def follow(self, chat_url: str, heard: Callable[[PollOutcome], None]) -> None:
        self.leave()
        self._chat, self._heard, self._follower = chat_url, heard, heard
        self._locks.followers.setdefault(chat_url, []).append(self)

    async def lead(self) -> None:
        if self._locks.holders.setdefault(self._chat, self) is not self:
            granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._locks.waiting.setdefault(self._chat, []).append((self, granted))
            await granted
        self._leading, self._heard = True, None

    def share(self, outcome: PollOutcome) -> None:
        self._locks.shared.append((self._tab_id, outcome))
        for tab in self._locks.followers.get(self._chat, []):
            if tab is not self and tab._heard is not None:
                heard = decode(encode(outcome))
                assert heard is not None
                tab._heard(heard)

    def leave(self) -> None:
        chat = self._chat
        if self in self._locks.followers.get(chat, []):
            self._locks.followers[chat].remove(self)
        waiting = [(tab, granted) for tab, granted in self._locks.waiting.get(chat, []) if tab is not self]
        if self._locks.holders.get(chat) is self:
            del self._locks.holders[chat]
            while waiting:  # the lock goes to the next tab still asking for it
                tab, granted = waiting.pop(0)
                if not granted.done():
                    self._locks.holders[chat] = tab
                    granted.set_result(None)
                    break
        self._locks.waiting[chat] = waiting
        self._leading, self._heard = False, None
