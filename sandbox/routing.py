"""Routing by skill: which chats an agent can take now, what availability, slots and wait time answer, and when a
queued chat gives up.

A skill's agents take `max_chats` chats at once (None: any number). Chatting chats hold a slot; waiting chats take
the free ones in the order they joined the queue ("routed": an agent has it and accepts it); the rest are queued.
Availability follows [SCA] retrieve-availability: without `maxWaitTime`, true while the skill's agents are online;
with `maxWaitTime=0`, true only if an agent can take a chat now. Estimated wait follows [SCA]
retrieve-estimated-wait-time: 0 when an agent can take a chat now, -1 when nobody is online, else the skill's
`busy_wait_seconds` or -2 (not enough data).
"""

from __future__ import annotations

from sandbox.chat import Chat
from sandbox.config import SkillDefinition
from sandbox.store import Account, Store


def is_online(account: Account, skill: SkillDefinition) -> bool:
    return account.settings.available and skill.available


def _queue(account: Account, skill_name: str) -> tuple[int, list[Chat]]:
    """How many chats of the skill are chatting, and its waiting chats in queue order."""
    chats = [chat for chat in account.chats.values() if chat.skill.name == skill_name]
    chatting = sum(1 for chat in chats if chat.state == "chatting")
    waiting = sorted((chat for chat in chats if chat.state == "waiting"), key=lambda chat: chat.queued_at)
    return chatting, waiting


def free_slots(account: Account, skill: SkillDefinition) -> int | None:
    """Slots no chat holds or waits for; None when the skill's agents take any number of chats."""
    if skill.max_chats is None:
        return None
    chatting, waiting = _queue(account, skill.name)
    return max(0, skill.max_chats - chatting - len(waiting))


def is_routed(account: Account, chat: Chat) -> bool:
    """The chat has an agent: it is chatting, or one of the first waiting chats its skill has free slots for."""
    if chat.state != "waiting":
        return chat.state == "chatting"
    skill = account.settings.skill(chat.skill.name)
    if skill is None or not is_online(account, skill):
        return False
    if skill.max_chats is None:
        return True
    chatting, waiting = _queue(account, skill.name)
    return chat in waiting[: max(0, skill.max_chats - chatting)]


def can_take_now(account: Account, skill: SkillDefinition) -> bool:
    slots = free_slots(account, skill)
    return is_online(account, skill) and (slots is None or slots > 0)


def availability(account: Account, skill: SkillDefinition | None, max_wait_time: int | None) -> bool:
    if skill is None or not is_online(account, skill):  # assumed: nobody online for a skill the account lacks
        return False
    if max_wait_time is None or can_take_now(account, skill):
        return True
    return skill.busy_wait_seconds is not None and skill.busy_wait_seconds <= max_wait_time


def available_slots(account: Account, skill: SkillDefinition | None) -> int:
    if skill is None or not is_online(account, skill):
        return 0
    slots = free_slots(account, skill)
    return -1 if slots is None else slots


def estimated_wait_time(account: Account, skill: SkillDefinition | None) -> int:
    if skill is None or not is_online(account, skill):
        return -1
    if can_take_now(account, skill):
        return 0
    return -2 if skill.busy_wait_seconds is None else skill.busy_wait_seconds


def apply_timeouts(account: Account, chat: Chat) -> None:
    """The server's own timeouts: an idle chat is disconnected; a chat still queued past its maxWaitTime gets the
    "busy" line and ends (assumed: LivePerson's docs do not say what happens then)."""
    chat.expire_if_idle()
    if chat.waited_too_long() and not is_routed(account, chat):
        chat.refuse_busy()


def sweep(store: Store) -> None:
    """Applies the timeouts to every chat, so a chat nobody asks about still ends on time."""
    for account, chat in store.chats():
        apply_timeouts(account, chat)
