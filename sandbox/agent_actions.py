"""What an agent can do to a chat, for the console and the scripted agent alike: accept, reply, push a URL,
transfer (to an agent, a skill or another account) and end ([DC] chat-agent transfer-chat, system-messages)."""

from __future__ import annotations

from sandbox.chat import Chat, Skill
from sandbox.config import AgentAction, End, PushUrl, Say, SkillDefinition, TransferToAccount, TransferToAgent
from sandbox.errors import Refusal
from sandbox.routing import is_online
from sandbox.store import Account, Store

GOODBYE = "Goodbye, and thank you for chatting with us!"


def accept(account: Account, chat: Chat, agent_name: str) -> None:
    chat.accept(agent_name, account.agent_id_for(agent_name))


def transfer_to_agent(account: Account, chat: Chat, agent_name: str) -> None:
    chat.transfer_to_agent(agent_name, account.agent_id_for(agent_name))


def _online_skill(account: Account, name: str) -> SkillDefinition:
    """ "Transferring the chat to a skill that is not available, will result in an error" ([DC] transfer-chat)."""
    skill = account.settings.skill(name)
    if skill is None:
        raise Refusal(400, f"Account {account.account_id} has no skill {name!r}")
    if not is_online(account, skill):
        raise Refusal(400, f"Skill {skill.name!r} is not available")
    return skill


def transfer_to_skill(account: Account, chat: Chat, skill_name: str) -> None:
    skill = _online_skill(account, skill_name)
    chat.transfer_to_skill(Skill(skill.name, skill.id))


def transfer_to_account(store: Store, chat: Chat, account_id: str, skill_name: str, chat_api_origin: str) -> None:
    if account_id == chat.account_id:
        raise Refusal(400, "An account-to-account transfer goes to another account")
    skill = _online_skill(store.account(account_id), skill_name)
    chat.transfer_to_account(account_id, skill.name, chat_api_origin)


def say_goodbye(chat: Chat) -> None:
    chat.agent_line(GOODBYE)
    chat.end_by_agent()


def perform(store: Store, account: Account, chat: Chat, action: AgentAction, chat_api_origin: str) -> None:
    """One step of a scripted agent's `agent_script`."""
    if isinstance(action, Say):
        chat.agent_line(action.text, html=action.html)
    elif isinstance(action, PushUrl):
        chat.push_url(str(action.url))
    elif isinstance(action, TransferToAgent):
        transfer_to_agent(account, chat, action.agent)
    elif isinstance(action, TransferToAccount):
        transfer_to_account(store, chat, action.account, action.skill, chat_api_origin)
    elif isinstance(action, End):
        say_goodbye(chat)
    else:
        transfer_to_skill(account, chat, action.skill)
