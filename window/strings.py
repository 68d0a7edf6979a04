"""Every user-facing string of the window, in one catalog (translations slot in here later)."""

from __future__ import annotations

from typing import Final

EN: Final[dict[str, str]] = {
    "ready": "Have a question? Start a chat and an agent will answer you here.",
    "engagement": "Checking whether an agent is available…",
    "requesting": "Requesting a chat…",
    "waiting": "Waiting for an agent. You can type your question now; it is sent when an agent joins.",
    "waiting_eta": "Waiting for an agent: {wait}. You can type your question now; it is sent when an agent joins.",
    "wait_now": "any moment now",
    "wait_minute": "less than a minute",
    "wait_minutes": "about {minutes} minutes",
    "chatting": "You are chatting with {agent}.",
    "chatting_no_name": "You are chatting with an agent.",
    "agent_typing": "{agent} is typing…",
    "ended_by_agent": "The agent ended the chat.",
    "ended": "The chat has ended.",
    "ended_timeout": "The chat ended because nobody wrote for a while.",
    "prechat": "Before we start, a few questions.",
    "signin": "Please sign in to chat.",
    "signin_title": "Sign in to chat",
    "signin_text": "Sign in with your {brand} account, so the agent knows who you are.",
    "signin_button": "Sign in",
    "signin_again": "Try signing in again",
    "signin_without": "Chat without signing in",
    "signin_preparing": "Getting the sign-in ready…",
    "signin_waiting": "Finish signing in in the window that opened.",
    "signin_verifying": "Checking your sign-in…",
    "signin_cancelled": "Sign-in was cancelled.",
    "signin_refused": "Your sign-in was not accepted. Please try again.",
    "signin_unverified": "Your sign-in could not be verified. Please try again.",
    "signin_unreadable": "The sign-in answer could not be read. Please try again.",
    "signin_unreachable": "The sign-in service could not be reached. Please try again in a moment.",
    "signin_unconfigured": "Signing in is not set up here, so chat is unavailable. (Site owner: see the console.)",
    "signin_popup_blocked": "Your browser blocked the sign-in window. Allow pop-ups for this site, then try again.",
    "unavailable": "No agent is available right now. Please try again later.",
    "reconnecting": "Connection lost. Reconnecting…",
    "still_reconnecting": (
        "Still trying to reconnect. Your chat is kept, and what you type is sent once the connection is back."
    ),
    "gone": "This chat is no longer available. Your messages are kept; start a new chat to send them.",
    "interrupted": "The chat was interrupted. Your messages are kept; start a new chat to send them.",
    "start_retrying": "The chat service is busy. Trying again…",
    "error_service": "The chat service could not be reached. Please try again in a moment.",
    "error_reply": "The chat service sent a reply the window could not read. Please try again in a moment.",
    "error_config": (
        "This chat window is not set up correctly, so chat is unavailable. (Site owner: see the browser console.)"
    ),
    "resuming": "Reconnecting to your chat…",
    "you": "You",
    "agent": "Agent",
    "line_queued": "Will be sent when an agent joins",
    "line_sending": "Sending…",
    "line_retrying": "Not sent yet. Trying again…",
    "line_refused": "Not sent: the chat service refused this message.",
    "line_not_sent_ended": "Not sent: the chat had ended.",
    "line_not_sent_interrupted": "Not sent: the chat was interrupted.",
    "line_not_sent_gone": "Not sent: the chat is no longer available.",
    "line_retry": "Send again",
    "line_sent": "Sent",
    "show_more": "Show more",
    "show_less": "Show less",
    "link_card_title": "Link from the agent",
    "end_chat": "End chat",
    "prechat_title": "Before you chat",
    "prechat_submit": "Start chat",
    "prechat_close": "Not now",
    "offline_title": "Nobody is available right now",
    "offline_none": "Please come back later; our agents will be glad to help.",
    "offline_submit": "Send message",
    "offline_sent": "Thank you. We have your message and will get back to you.",
    "form_failed": "Your answers could not be sent. Please try again.",
    "postchat_title": "Thank you for chatting with us",
    "exit_submit": "Send feedback",
    "exit_sent": "Thank you for your feedback.",
    "transcript_title": "Email me the transcript",
    "transcript_email": "Email address",
    "transcript_send": "Send the transcript",
    "transcript_sending": "Sending the transcript…",
    "transcript_sent": "The transcript is on its way to your inbox.",
    "transcript_failed": "The transcript could not be sent. Please try again.",
    "transcript_subject": "Your chat with {brand}",
    "new_chat": "Start a new chat",
    "name_prompt": "Your name for the agent (optional)",
    "name_save": "Save name",
    "name_later": "Not now",
    "field_required": "Please answer this question.",
    "field_required_hint": "(required)",
    "field_numeric": "Please enter a number.",
    "field_email": "Please enter an email address, like name@example.com.",
    "field_choice": "Please choose one of the options.",
    "field_too_long": "Please keep this under 1,000 characters.",
    "field_choose": "Choose…",
}


def text(key: str, **values: str) -> str:
    return EN[key].format(**values)


def wait_phrase(seconds: int) -> str:
    if seconds <= 0:
        return text("wait_now")
    if seconds < 60:
        return text("wait_minute")
    return text("wait_minutes", minutes=str(round(seconds / 60)))
