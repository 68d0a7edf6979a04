"""What an agent (the console) and a test (the control API) see of a chat."""

from __future__ import annotations

from typing import Any

from sandbox.attribute_view import readable
from sandbox.chat import Chat
from sandbox.store import Account
from sandbox.surveys import labelled_answers
from sandbox.verified_consumer import verified_consumer


def summary(chat: Chat) -> dict[str, Any]:
    """At a glance, for a list of chats."""
    return {
        "account": chat.account_id,
        "chatId": chat.chat_id,
        "state": chat.state,
        "skill": chat.skill.name,
        "visitorName": chat.visitor_name,
        "preChatLines": chat.facts.pre_chat_lines,
        "agentName": chat.agent_name,
        "visitorTyping": chat.visitor_typing,
        "agentTyping": chat.agent_typing,
        "startTime": chat.start_time,
        "lastUpdate": chat.last_update,
    }


def _engagement(account: Account, chat: Chat) -> dict[str, Any]:
    """The engagement session the chat was requested in (by its LETagVisitorId and LETagSessionId), if any, and that
    session's engagement attributes, readable."""
    session = account.engagement_session(chat)
    return {
        "engagementId": chat.facts.engagement_id,
        "engagementSession": {"visitorId": session.visitor_id, "sessionId": session.session_id} if session else None,
        "engagementAttributes": [readable(item) for item in session.engagement_attributes] if session else [],
    }


def details(account: Account, chat: Chat) -> dict[str, Any]:
    """Everything: the events, the request as sent, and what the visitor told the brand, labelled for the agent."""
    settings = account.settings
    prechat = chat.facts.request.get("survey")
    return {
        **summary(chat),
        **_engagement(account, chat),
        "events": chat.events,
        "request": chat.facts.request,
        "participantId": chat.facts.participant_id,
        "authentication": _authentication(account, chat),
        "prechatSurvey": labelled_answers(settings.prechat_survey, prechat) if prechat else [],
        "transcriptRequests": chat.transcript_requests,
        "exitSurveyAnswers": chat.exit_survey_answers,
        "exitSurvey": [
            labelled_answers(settings.exit_survey, submitted["survey"]) for submitted in chat.exit_survey_answers
        ],
    }


def _authentication(account: Account, chat: Chat) -> dict[str, Any] | None:
    """A signed-in consumer's verified claims (None for a chat without a conversation.json pair, or when the account
    has no connector to verify them with)."""
    conversation = account.conversations.get(chat.facts.participant_id or "")
    return verified_consumer(conversation.claims) if conversation and conversation.claims is not None else None
