"""A scripted agent per chat of a "scripted" account: accepts, greets, and answers each visitor line: "bye" ends the
chat, the account's `agent_script` supplies the next action, and once it is done the agent echoes the line."""

from __future__ import annotations

import asyncio

from sandbox.agent_actions import accept, perform, say_goodbye
from sandbox.chat import Chat
from sandbox.errors import Refusal
from sandbox.routing import is_routed
from sandbox.store import Account, Store

QUEUE_LOOK_SECONDS = 0.5  # how often a queued chat's agent looks for a free slot


def reply_to(text: str) -> str:
    return f'You said: "{text}". A human would say something more useful here.'


def is_goodbye(text: str) -> bool:
    return text.strip().lower() == "bye"


def greet(chat: Chat) -> None:
    chat.agent_line(f"Hi, I'm {chat.agent_name}. How can I help you today?")


async def _accept_when_routed(account: Account, chat: Chat) -> bool:
    """Accepts after the accept delay once the chat has an agent slot; False if it ended or a person took it."""
    await chat.clock.sleep(account.settings.accept_delay_seconds)
    while chat.is_in("waiting"):
        if is_routed(account, chat):
            accept(account, chat, account.settings.agent_name)
            return True
        await chat.clock.sleep(QUEUE_LOOK_SECONDS)
    return False


async def _converse(store: Store, account: Account, chat: Chat, chat_api_origin: str) -> None:
    # Settings are read at each step, so a test may change delays or the script while a chat runs.
    steps_done = 0
    greeted_as: str | None = None
    while True:
        if chat.is_in("waiting"):
            if not await _accept_when_routed(account, chat):
                return
            greet(chat)
            greeted_as = chat.agent_name
        text = await chat.agent_inbox.get()
        if text is None:
            return
        if not chat.is_in("chatting"):  # moved to another skill's queue: accept it again
            continue
        if text == "":  # a transfer: another agent takes over the conversation (once)
            if chat.agent_name != greeted_as:
                greet(chat)
                greeted_as = chat.agent_name
            continue
        chat.set_agent_typing(True)
        await chat.clock.sleep(account.settings.reply_delay_seconds)
        if not chat.is_in("chatting"):
            continue
        script = account.settings.agent_script
        try:
            if is_goodbye(text):
                say_goodbye(chat)
            elif steps_done < len(script):
                steps_done += 1
                perform(store, account, chat, script[steps_done - 1], chat_api_origin)
            else:
                chat.agent_line(reply_to(text))
        except Refusal as refusal:  # a script step that cannot be done (say, a skill that is offline)
            chat.agent_line(f"(The sandbox could not do that: {refusal.message})")


class ScriptedAgents:
    """The running agents' tasks, cancelled cleanly at shutdown (the app's lifespan)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, account: Account, chat: Chat, chat_api_origin: str) -> None:
        task = asyncio.create_task(
            _converse(self._store, account, chat, chat_api_origin), name=f"scripted-agent-{chat.chat_id}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop_all(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
