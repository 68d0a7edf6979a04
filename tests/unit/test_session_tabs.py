"""Two tabs of one chat (a duplicated tab resumes it from its copied sessionStorage), on the virtual clock: one polls
and the other follows what its polls came to; each line goes once, from the tab it was typed in; when the polling
tab leaves, the other takes over where it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from tests.manual_clock import ManualClock, settle
from tests.unit.fake_service import FakeService
from tests.unit.fake_tabs import TabLocks
from tests.unit.test_session import POLL, MemoryStore
from window.http import NetworkError
from window.protocol import ApiError
from window.retry import FAILURE_TOLERANCE
from window.session import ChatSession, Polled
from window.state import ChatState, Phase


@dataclass
class Tab:
    session: ChatSession
    store: MemoryStore
    notices: list[str] = field(default_factory=list)

    @property
    def state(self) -> ChatState:
        return self.session.state

    def texts(self) -> list[tuple[str, str]]:
        return [(line.source, line.text) for line in self.state.lines]


@dataclass
class Browser:
    service: FakeService = field(default_factory=FakeService)
    clock: ManualClock = field(default_factory=ManualClock)
    locks: TabLocks = field(default_factory=TabLocks)

    def tab(self, tab_id: str, store: MemoryStore | None = None) -> Tab:
        """A tab with this id (a duplicate gets a new one; a reload keeps its own) on this store."""
        store = store or MemoryStore()
        notices: list[str] = []

        def seen(state: ChatState) -> None:
            if not notices or notices[-1] != state.notice:
                notices.append(state.notice)

        tabs = self.locks.tab(tab_id)
        session = ChatSession(self.service, store, seen, POLL, "You", self.clock, jitter=lambda: 1.0, tabs=tabs)
        return Tab(session, store, notices)

    async def until(self, check: Callable[[], bool], within: float = 600.0) -> None:
        await self.clock.run_until(check, within)

    def polls(self) -> int:
        return self.service.count("poll")


@pytest.fixture
async def browser() -> Browser:
    return Browser()


async def chatting_in_two_tabs(browser: Browser) -> tuple[Tab, Tab]:
    first = browser.tab("tab-a")
    await first.session.start()
    browser.service.agent_joins()
    await browser.until(lambda: first.state.phase is Phase.CHATTING)
    duplicate = browser.tab("tab-b", MemoryStore(first.store.saved))  # sessionStorage copied
    assert await duplicate.session.resume()
    await browser.until(lambda: duplicate.state.phase is Phase.CHATTING)
    return first, duplicate


async def close(*tabs: Tab) -> None:
    for tab in tabs:
        await tab.session.close()
    await settle()


async def test_only_one_tab_polls_and_the_other_shows_the_same_chat(browser: Browser) -> None:
    first, duplicate = await chatting_in_two_tabs(browser)
    before, start = browser.polls(), browser.clock.time
    browser.service.agent_says("one")
    browser.service.agent_says("two")
    await browser.until(lambda: duplicate.texts()[-2:] == [("agent", "one"), ("agent", "two")])
    await browser.until(lambda: browser.clock.time >= start + 30)
    assert browser.polls() - before == pytest.approx(30 / POLL, abs=1)  # one poller's worth, not two
    assert {tab for tab, _ in browser.locks.shared} == {"tab-a"}
    assert duplicate.texts() == first.texts()
    await close(first, duplicate)


async def test_a_line_typed_in_either_tab_goes_once_and_shows_in_both(browser: Browser) -> None:
    first, duplicate = await chatting_in_two_tabs(browser)
    await duplicate.session.send("typed in the duplicate")
    await first.session.send("typed in the first")
    assert browser.service.visitor_lines() == ["typed in the duplicate", "typed in the first"]
    both = [("visitor", "typed in the duplicate"), ("visitor", "typed in the first")]
    await browser.until(lambda: first.texts()[-2:] == both and duplicate.texts()[-2:] == both)
    assert first.texts() == duplicate.texts()
    later = browser.clock.time + 10
    await browser.until(lambda: browser.clock.time >= later)  # more polls, shared and followed: still once each
    assert first.texts() == duplicate.texts() and first.texts()[-2:] == both
    assert browser.service.visitor_lines() == ["typed in the duplicate", "typed in the first"]
    await close(first, duplicate)


async def test_when_the_polling_tab_closes_the_other_takes_over_without_a_gap(browser: Browser) -> None:
    first, duplicate = await chatting_in_two_tabs(browser)
    browser.service.agent_says("before")
    await browser.until(lambda: duplicate.texts()[-1:] == [("agent", "before")])
    await close(first)  # the lock is let go
    browser.service.agent_says("after")
    await browser.until(lambda: duplicate.texts()[-1:] == [("agent", "after")])
    assert [text for source, text in duplicate.texts() if source == "agent"] == ["before", "after"]
    assert browser.locks.shared[-1][0] == "tab-b"
    await close(duplicate)


async def test_a_duplicate_leaves_the_originals_unsent_lines_to_it(browser: Browser) -> None:
    first = browser.tab("tab-a")
    await first.session.start()
    await first.session.send("typed while waiting")  # held until an agent joins
    duplicate = browser.tab("tab-b", MemoryStore(first.store.saved))
    assert await duplicate.session.resume()
    assert [line.text for line in duplicate.state.lines if line.source == "visitor"] == []
    browser.service.agent_joins()
    await browser.until(lambda: ("visitor", "typed while waiting") in duplicate.texts())
    assert browser.service.visitor_lines() == ["typed while waiting"]
    await close(first, duplicate)


async def test_a_reloaded_tab_sends_its_own_unsent_lines_though_another_tab_polls_now(browser: Browser) -> None:
    first = browser.tab("tab-a")
    await first.session.start()
    await first.session.send("typed before the reload")
    duplicate = browser.tab("tab-b", MemoryStore(first.store.saved))
    assert await duplicate.session.resume()
    await close(first)  # the reload: the first tab's page goes, the duplicate polls now
    reloaded = browser.tab("tab-a", first.store)  # the same tab keeps its id
    assert await reloaded.session.resume()
    browser.service.agent_joins()
    expected = ("visitor", "typed before the reload")
    await browser.until(lambda: expected in reloaded.texts() and expected in duplicate.texts())
    assert browser.service.visitor_lines() == ["typed before the reload"]
    await close(reloaded, duplicate)


async def test_the_polling_tabs_troubles_and_a_gone_chat_show_in_every_tab(browser: Browser) -> None:
    first, duplicate = await chatting_in_two_tabs(browser)
    browser.service.fail("poll", *[NetworkError("down")] * (FAILURE_TOLERANCE + 1), ApiError(404, "gone", 12))
    await browser.until(lambda: duplicate.state.phase is Phase.ERROR)
    assert duplicate.notices[-3:] == ["reconnecting", "still_reconnecting", "gone"]
    assert (first.state.notice, duplicate.store.saved) == ("gone", None)
    assert not any(isinstance(outcome, Polled) for tab, outcome in browser.locks.shared if tab == "tab-b")
    await close(first, duplicate)


async def test_the_tab_the_consumer_turns_to_takes_the_polling_over_and_the_other_follows(browser: Browser) -> None:
    first, duplicate = await chatting_in_two_tabs(browser)
    browser.service.agent_says("before the switch")
    await browser.until(lambda: duplicate.texts()[-1:] == [("agent", "before the switch")])
    duplicate_tabs = browser.locks.followers["chat"][-1]
    assert duplicate_tabs.tab_id == "tab-b"
    duplicate_tabs.take_over()  # the consumer looks at the duplicate now
    browser.service.agent_says("after the switch")
    await browser.until(lambda: first.texts()[-1:] == [("agent", "after the switch")])
    start, before = browser.clock.time, len(browser.locks.shared)
    await browser.until(lambda: browser.clock.time >= start + 15)
    assert {tab for tab, _ in browser.locks.shared[before:]} == {"tab-b"}  # one poller: the tab in view
    assert first.texts() == duplicate.texts()
    assert [text for source, text in first.texts() if source == "agent"] == ["before the switch", "after the switch"]
    await close(first, duplicate)
