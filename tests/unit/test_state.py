"""The pure state transitions: lines once each, the consumer's own lines adopted not doubled, phases from events."""

from dataclasses import replace

from window.state import (
    ChatSnapshot,
    ChatState,
    Phase,
    ServerLine,
    ServerState,
    absorb_chat,
    enter,
    fail_unsent,
    mark_line,
    notice_for,
    queue_line,
    restored_chat,
    saved_chat,
    unsent,
    unsent_texts,
)


def snapshot(*events: ServerLine | ServerState, agent: str | None = None, typing: bool = False) -> ChatSnapshot:
    return ChatSnapshot(
        events=events, agent_name=agent, agent_typing=typing, next_url="chat?from=9", links={"events": "ev"}
    )


def waiting() -> ChatState:
    return enter(ChatState(chat_url="chat", next_url="chat"), Phase.WAITING)


def test_events_move_the_phase_and_lines_appear_once() -> None:
    state = absorb_chat(
        waiting(), snapshot(ServerState(0, "waiting"), ServerLine(1, "system", "info", "Routing", "plain"))
    )
    assert state.phase is Phase.WAITING and [line.text for line in state.lines] == ["Routing"]
    again = snapshot(ServerLine(1, "system", "info", "Routing", "plain"), ServerState(2, "chatting"), agent="Alex")
    state = absorb_chat(state, again)
    assert state.phase is Phase.CHATTING
    assert [line.key for line in state.lines] == ["e1"]
    assert state.agent_name == "Alex" and state.notice == "chatting"
    assert state.next_url == "chat?from=9" and state.links == {"events": "ev"}


def test_own_line_echoed_by_a_poll_before_the_post_answers_is_adopted() -> None:
    state = absorb_chat(waiting(), snapshot(ServerState(0, "chatting")))
    state, key = queue_line(state, "hello", "You")
    state = mark_line(state, key, "sending")
    state = absorb_chat(state, snapshot(ServerLine(3, "visitor", "You", "hello", "plain")))
    assert [(line.key, line.delivery, line.event_id) for line in state.lines] == [(key, "sent", 3)]
    state = mark_line(state, key, "sent", 3)  # the POST's 201 arrives afterwards
    assert len(state.lines) == 1 and state.lines[0].event_id == 3


def test_post_answer_first_then_poll_does_not_double() -> None:
    state = absorb_chat(waiting(), snapshot(ServerState(0, "chatting")))
    state, key = queue_line(state, "hi", "You")
    state = mark_line(state, key, "sent", 4)
    state = absorb_chat(state, snapshot(ServerLine(4, "visitor", "You", "hi", "plain")))
    assert [(line.key, line.event_id) for line in state.lines] == [(key, 4)]


def test_lines_to_send_by_themselves_are_queued_or_retrying_never_failed() -> None:
    state, first = queue_line(waiting(), "one", "You")
    state, second = queue_line(state, "two", "You")
    state, third = queue_line(state, "three", "You")
    state = mark_line(state, first, "failed", failure="line_refused")
    state = mark_line(state, second, "retrying", failure="ignored: only a failed line has a reason")
    assert [line.key for line in unsent(state)] == [second, third]
    assert [(line.delivery, line.failure) for line in state.lines] == [
        ("failed", "line_refused"),
        ("retrying", None),
        ("queued", None),
    ]
    ended = fail_unsent(state, "line_not_sent_ended")
    assert [line.failure for line in ended.lines] == ["line_refused", "line_not_sent_ended", "line_not_sent_ended"]
    assert unsent_texts(ended) == ["one", "two", "three"]  # kept, for a new chat or a reload


def test_agent_typing_only_counts_while_chatting_and_agent_end_is_told_apart() -> None:
    state = absorb_chat(waiting(), snapshot(ServerState(0, "waiting"), typing=True))
    assert not state.agent_typing
    state = absorb_chat(state, snapshot(ServerState(1, "chatting"), typing=True, agent="Alex"))
    assert state.agent_typing
    ended = snapshot(
        ServerLine(2, "system", "info", "Alex ended the chat", "plain", system_id=5), ServerState(3, "ended")
    )
    state = absorb_chat(state, ended)
    assert state.phase is Phase.ENDED and state.ended_because == "agent" and state.notice == "ended_by_agent"
    assert not state.agent_typing


def test_unsent_lines_stay_after_server_lines_so_a_reload_reads_the_same() -> None:
    state, key = queue_line(waiting(), "typed while waiting", "You")
    state = absorb_chat(
        state, snapshot(ServerLine(3, "system", "info", "Alex joined", "plain"), ServerState(4, "chatting"))
    )
    assert [line.text for line in state.lines] == ["Alex joined", "typed while waiting"]
    state = absorb_chat(state, snapshot(ServerLine(5, "agent", "Alex", "Hi", "plain")))
    state = mark_line(state, key, "sent", 6)
    assert [line.text for line in state.lines] == ["Alex joined", "Hi", "typed while waiting"]


def test_the_wait_estimate_shows_while_waiting_only_when_known() -> None:
    assert notice_for(replace(waiting(), wait_seconds=90)) == "waiting_eta"
    assert notice_for(replace(waiting(), wait_seconds=-2)) == "waiting"  # -2: not enough data
    assert notice_for(replace(waiting(), phase=Phase.CHATTING, wait_seconds=90)) == "chatting_no_name"


def test_what_survives_a_reload_is_the_link_and_the_unsent_lines() -> None:
    state = absorb_chat(waiting(), snapshot(ServerState(0, "chatting"), ServerLine(1, "agent", "Alex", "Hi", "plain")))
    state, sent = queue_line(state, "delivered", "You")
    state = mark_line(state, sent, "sent", 2)
    state, _ = queue_line(state, "not yet", "You")
    restored = restored_chat(saved_chat(state), "You")
    assert restored is not None and restored.chat_url == "chat" and restored.notice == "resuming"
    assert [(line.text, line.delivery) for line in restored.lines] == [("not yet", "queued")]
    assert restored_chat("https://old-format/chat/1", "You") is None
    assert restored_chat('{"chat_url": 5, "unsent": []}', "You") is None


def test_events_are_taken_in_id_order_whatever_the_order_of_the_list() -> None:
    reversed_list = snapshot(
        ServerLine(4, "agent", "Alex", "second", "plain"),
        ServerLine(3, "agent", "Alex", "first", "plain"),
        ServerState(2, "chatting"),
        ServerState(0, "waiting"),
        agent="Alex",
    )
    state = absorb_chat(waiting(), reversed_list)
    assert state.phase is Phase.CHATTING  # read out of order, "waiting" after "chatting" would undo the join
    assert [line.text for line in state.lines] == ["first", "second"]
    assert absorb_chat(state, reversed_list).lines == state.lines  # the same events again change nothing


def test_unsent_lines_come_back_only_in_the_tab_they_were_typed_in() -> None:
    state = absorb_chat(waiting(), snapshot(ServerState(0, "chatting")))
    state, _ = queue_line(state, "typed in tab A", "You")
    saved = saved_chat(state, "tab-a")
    for tab, kept in (("tab-a", ["typed in tab A"]), ("tab-b", []), (None, ["typed in tab A"])):
        restored = restored_chat(saved, "You", tab)  # tab-b: a duplicate of A, which still sends its own lines
        assert restored is not None and [line.text for line in restored.lines] == kept
    restored = restored_chat(saved_chat(state), "You", "tab-b")  # saved where no tabs were told apart: kept
    assert restored is not None and [line.text for line in restored.lines] == ["typed in tab A"]


def test_a_line_a_poll_showed_stays_sent_when_its_slow_post_fails_afterwards() -> None:
    state = absorb_chat(waiting(), snapshot(ServerState(0, "chatting")))
    state, key = queue_line(state, "slow post", "You")
    state = mark_line(state, key, "sending")
    state = absorb_chat(state, snapshot(ServerLine(3, "visitor", "You", "slow post", "plain")))
    state = mark_line(state, key, "retrying")  # the POST timed out after the poll had shown the line
    assert [(line.delivery, line.event_id) for line in state.lines] == [("sent", 3)]
    assert list(unsent(state)) == []  # never sent again
