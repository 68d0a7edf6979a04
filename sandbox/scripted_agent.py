"""A scripted agent per chat of a "scripted" account: accepts, greets, answers each line, says goodbye on "bye"."""

from __future__ import annotations

import asyncio

from sandbox.chat import Chat
from sandbox.store import Account


def reply_to(text: str) -> str:
    return f'You said: "{text}". A human would say something more useful here.'


def is_goodbye(text: str) -> bool:
    return text.strip().lower() == "bye"


async def _converse(account: Account, chat: Chat) -> None:
    # Settings are read at each step, so a test may change delays while a chat runs.
    await chat.clock.sleep(account.settings.accept_delay_seconds)
    if not chat.is_in("waiting"):  # ended meanwhile, or a person accepted it in the console
        return
    name = account.settings.agent_name
    chat.accept(name, account.settings.agent_id)
    chat.agent_line(f"Hi, I'm {name}. How can I help you today?")
    while (text := await chat.visitor_lines.get()) is not None:
        chat.set_agent_typing(True)
        await chat.clock.sleep(account.settings.reply_delay_seconds)
        if not chat.is_in("chatting"):
            return
        if is_goodbye(text):
            chat.agent_line("Goodbye, and thank you for chatting with us!")
            chat.end_by_agent()
            return
        chat.agent_line(reply_to(text))


class ScriptedAgents:
    """The running agents' tasks, cancelled cleanly at shutdown (the app's lifespan)."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, account: Account, chat: Chat) -> None:
        task = asyncio.create_task(_converse(account, chat), name=f"scripted-agent-{chat.chat_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop_all(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
