"""Chat API payloads: documented examples, their XML-converted variants, and the exact request shapes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from window.models.auth import AuthReply, AuthRequest
from window.models.chat import (
    A2aTransferEvent,
    ChatEnvelope,
    ChatRequest,
    Events,
    EventsEnvelope,
    InfoEnvelope,
    LineEvent,
    NewLine,
    NewState,
    StateEvent,
    UnknownEvent,
    UrlEvent,
    cursor_of,
)
from window.models.engagement import EngagementSession
from window.models.survey import OfflineSurveySubmission, SurveyAnswer, SurveyAnswers, SurveyEnvelope

# [SCA] Methods/retrieve-chat-resources-events-and-information.md (its `// not supported` comment removed; its
# malformed `https:/…` and scheme-less hrefs kept on purpose).
CHAT_RESOURCE = """
{"chat": {
  "link": [
    {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}", "@rel": "self"},
    {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/events", "@rel": "events"},
    {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/info", "@rel": "info"},
    {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}?from=4", "@rel": "next"},
    {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/transcriptRequest", "@rel": "transcript-request"},
    {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/transcriptWithSubjectRequest",
     "@rel": "transcript-with-subject-request"},
    {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/exitSurvey", "@rel": "exit-survey"},
    {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/customVariables", "@rel": "custom-variables"}
  ],
  "events": {
    "link": [
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/events", "@rel": "self"},
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/events?from=4", "@rel": "next"}
    ],
    "event": [
      {"@id": "0", "@type": "state", "time": "2017-02-27T06:24:15.424-05:00", "state": "waiting"},
      {"@id": "1", "@type": "line", "time": "2017-02-27T06:24:15.425-05:00", "textType": "plain",
       "text": "Thank you for choosing to chat with us.", "by": "info", "source": "system", "systemMessageId": 4,
       "subType": "REGULAR"},
      {"@id": "2", "@type": "state", "time": "2017-02-27T06:24:21.930-05:00", "state": "chatting"},
      {"@id": "3", "@type": "line", "time": "2017-02-27T06:24:21.930-05:00", "textType": "plain",
       "text": "You are now chatting with Natalie.", "by": "info", "source": "system", "systemMessageId": 3,
       "subType": "REGULAR"}
    ]
  },
  "info": {
    "link": [
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/info", "@rel": "self"},
      {"@href": "https:/{domain}/api/account/{accountId}/chat/{chatId}/info/visitorName", "@rel": "visitor-name"},
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/info/visitorTyping", "@rel": "visitor-typing"},
      {"@href": "{domain}/api/account/{accountId}/chat/{chatId}/info/agentTyping", "@rel": "agent-typing"}
    ],
    "state": "chatting", "chatSessionKey": "H3079121553394024223-70f331aba40b4ae58fe9e1af832e31b9K8388834",
    "skillName": "Sales", "skillId": 25975313, "agentName": "Natalie", "agentId": 25025413,
    "startTime": "2017-02-27T06:24:15.425-05:00", "duration": 0, "lastUpdate": "2017-02-27T06:24:31.188-05:00",
    "chatTimeout": 40, "visitorId": 1214701440733986, "agentTyping": "not-typing", "visitorTyping": "not-typing",
    "visitorName": "You", "rtSessionId": 4294967522, "sharkVisitorId": "rloXnVgEQ-iQuoOytvKNqA",
    "sharkSessionId": "rN82d4rATN6EuiA4cJwaPg", "sharkContextId": 2, "engagementId": 27469613,
    "campaignId": 26948813, "language": "en-US"
  }
}}
"""

# docs/api-notes.md, the chat resource example.
EVENTS = """
{"events": {"link": [{"@href": ".../events", "@rel": "self"}, {"@href": ".../events?from=3", "@rel": "next"}],
 "event": [{"@id": "0", "@type": "state", "time": "2026-11-27T10:00:00.000+00:00", "state": "waiting"},
  {"@id": "1", "@type": "line", "time": "2026-11-27T10:00:01.000+00:00", "textType": "plain", "text": "Routing…",
   "by": "info", "source": "system", "systemMessageId": "4", "subType": "REGULAR"},
  {"@id": "2", "@type": "line", "time": "2026-11-27T10:00:02.000+00:00", "textType": "html",
   "text": "<div>hi</div>", "by": "Agent Name", "source": "agent", "subType": "REGULAR"}]}}
"""

# [SCA] Methods/retrieve-pre-chat-survey.md: numbers and booleans as strings.
PRE_CHAT_SURVEY = """
{"survey": {"id": "40216", "title": "",
  "header": "To help us serve you better, please provide some information before we begin your chat.",
  "questions": {"question": [
    {"mandatory": "true", "validationType": "alpha_numeric", "order": "0", "logicId": "4", "id": "12786273",
     "type": "Dropdown Box", "label": "With whom would you like to chat?",
     "entry": [{"checked": "false", "value": "CATS", "logic": {"showLogicId": "5"}},
               {"checked": "false", "value": "DOGS"}]},
    {"mandatory": "true", "validationType": "alpha_numeric", "order": "1", "logicId": "5", "id": "16314710",
     "type": "Text Field", "label": "What is your name?", "lastKnownValue": "John"}]}}}
"""


def test_chat_resource_example_parses_links_events_and_info() -> None:
    chat = ChatEnvelope.model_validate_json(CHAT_RESOURCE).chat
    base = "https://{domain}/api/account/{accountId}/chat/{chatId}"
    assert chat.link("self") == base
    assert chat.link("events") == f"{base}/events"
    assert chat.link("exit-survey") == f"{base}/exitSurvey"
    assert chat.link("visit-session") is None
    assert chat.next_url == f"{base}?from=4"
    assert chat.next_cursor == 4
    assert chat.events.next_cursor == 4
    assert [type(event) for event in chat.events.events] == [StateEvent, LineEvent, StateEvent, LineEvent]
    line = chat.events.events[3]
    assert isinstance(line, LineEvent)
    assert (line.id, line.text, line.by, line.source, line.system_message_id) == (
        3,
        "You are now chatting with Natalie.",
        "info",
        "system",
        3,
    )
    assert line.time == datetime(2017, 2, 27, 6, 24, 21, 930000, tzinfo=timezone(timedelta(hours=-5)))
    info = chat.info
    assert info is not None
    assert (info.state, info.agent_name, info.is_agent_typing, info.chat_timeout) == ("chatting", "Natalie", False, 40)
    assert info.visitor_id == 1214701440733986
    assert (info.engagement_id, info.campaign_id, info.shark_context_id) == (27469613, 26948813, 2)
    # Malformed hrefs are kept as sent, not rejected.
    assert info.link("visitor-name") == "https:/{domain}/api/account/{accountId}/chat/{chatId}/info/visitorName"
    assert info.link("agent-typing") == "{domain}/api/account/{accountId}/chat/{chatId}/info/agentTyping"


def test_links_are_found_by_rel_whatever_their_position() -> None:
    chat = ChatEnvelope.model_validate(
        {
            "chat": {
                "link": [
                    {"@href": "https://h/c/visit", "@rel": "visit-session"},
                    {"@href": "https://h/c?from=9", "@rel": "next"},
                    {"@href": "https://h/c/events", "@rel": "events"},
                ]
            }
        }
    ).chat
    assert chat.link("events") == "https://h/c/events"
    assert chat.next_cursor == 9
    assert chat.events.events == []
    assert chat.info is None


def test_events_example_keeps_text_type_by_and_source() -> None:
    events = EventsEnvelope.model_validate_json(EVENTS).events
    assert events.next_cursor == 3
    system, agent = events.events[1], events.events[2]
    assert isinstance(system, LineEvent)
    assert isinstance(agent, LineEvent)
    assert system.system_message_id == 4  # "4" in the payload
    assert (agent.text, agent.is_html, agent.by, agent.source) == ("<div>hi</div>", True, "Agent Name", "agent")
    assert not system.is_html
    state = events.events[0]
    assert isinstance(state, StateEvent)
    assert state.state == "waiting"
    assert state.time == datetime(2026, 11, 27, 10, tzinfo=UTC)


def test_a_lone_event_object_is_a_list_of_one() -> None:
    events = Events.model_validate(
        {"event": {"@id": "7", "@type": "line", "text": "hello", "source": "visitor", "by": "You"}}
    )
    assert len(events.events) == 1
    assert isinstance(events.events[0], LineEvent)
    assert events.events[0].id == 7
    assert events.events[0].text_type == "plain"  # absent textType: shown as plain text


def test_events_without_any_event_are_empty() -> None:
    assert Events.model_validate({"link": {"@href": "https://h/e?from=5", "@rel": "next"}}).events == []
    assert Events.model_validate({"event": ""}).events == []


def test_unknown_event_types_are_kept_not_rejected() -> None:
    events = Events.model_validate(
        {
            "event": [
                {
                    "@id": "11",
                    "@type": "line-status",
                    "source": "visitor",
                    "lineStatus": "ACCEPT",
                    "refSequenceId": "11",
                },
                {"@id": 12, "@type": "collaboration"},
                {"@id": "13", "@type": "url", "url": "https://brand.example/offer"},
                {
                    "@id": "14",
                    "@type": "a2a-transfer",
                    "domain": "other.liveperson.net",
                    "remoteSiteId": "9876",
                    "skill": "billing",
                    "chatRequestParameters": {"a2aEventId": 5, "a2aSourceSessionId": "s", "skill": "billing"},
                },
            ]
        }
    )
    status, collaboration, url, transfer = events.events
    assert isinstance(status, UnknownEvent)
    assert (status.id, status.type) == (11, "line-status")
    assert status.model_extra == {"source": "visitor", "lineStatus": "ACCEPT", "refSequenceId": "11"}
    assert isinstance(collaboration, UnknownEvent)
    assert collaboration.id == 12
    assert isinstance(url, UrlEvent)
    assert url.url == "https://brand.example/offer"
    assert isinstance(transfer, A2aTransferEvent)
    assert transfer.remote_site_id == 9876
    assert transfer.chat_request_parameters == {"a2aEventId": 5, "a2aSourceSessionId": "s", "skill": "billing"}


def test_an_event_without_an_id_is_malformed() -> None:
    with pytest.raises(ValidationError):
        Events.model_validate({"event": {"@type": "line", "text": "x"}})


def test_info_with_plain_links_and_strings_for_numbers() -> None:
    info = InfoEnvelope.model_validate(
        {
            "info": {
                "link": {"href": "https://h/c/info/visitorTyping", "rel": "visitor-typing"},
                "state": "waiting",
                "chatTimeout": "40",
                "visitorId": "1214701440733986",
                "agentTyping": "typing",
                "engagementId": "27469613",
                "unexpected": {"nested": True},
            }
        }
    ).info
    assert info.link("visitor-typing") == "https://h/c/info/visitorTyping"
    assert (info.chat_timeout, info.visitor_id, info.engagement_id) == (40, 1214701440733986, 27469613)
    assert info.is_agent_typing
    assert info.agent_name is None  # none while waiting


def test_cursor_of_reads_from_only() -> None:
    assert cursor_of("https://h/c/events?from=12") == 12
    assert cursor_of("https://h/c?v=1&from=0") == 0
    assert cursor_of("https://h/c") is None
    assert cursor_of("https://h/c?from=x") is None
    assert cursor_of(None) is None


def test_pre_chat_survey_example_with_strings_for_numbers() -> None:
    survey = SurveyEnvelope.model_validate_json(PRE_CHAT_SURVEY).survey
    assert survey.id == 40216
    first, second = survey.questions
    assert (first.id, first.type, first.mandatory, first.order, first.logic_id) == (
        12786273,
        "Dropdown Box",
        True,
        0,
        4,
    )
    assert [entry.value for entry in first.entries] == ["CATS", "DOGS"]
    assert not first.entries[0].checked
    assert first.entries[0].logic is not None
    assert first.entries[0].logic.show_logic_id == [5]
    assert (second.type, second.last_known_value, second.order, second.entries) == ("Text Field", "John", 1, [])


def test_exit_survey_with_real_numbers_and_a_lone_question() -> None:
    survey = SurveyEnvelope.model_validate(
        {
            "survey": {
                "id": 1,
                "header": "How did we do?",
                "questions": {
                    "question": {
                        "id": 7,
                        "type": "Checkbox",
                        "mandatory": False,
                        "order": 0,
                        "label": "What helped?",
                        "entry": {"value": "speed", "checked": True, "logic": {"showLogicId": [3, 4]}},
                    }
                },
            }
        }
    ).survey
    (question,) = survey.questions
    assert question.id == 7
    assert not question.mandatory
    assert question.entries[0].checked
    assert question.entries[0].logic is not None
    assert question.entries[0].logic.show_logic_id == [3, 4]


def test_chat_request_serialises_documented_names_and_wrappers_only() -> None:
    request = ChatRequest(
        skill="Sales",
        max_wait_time=0,
        engagement_id=27469613,
        campaign_id="26948813",
        language="en-US",
        le_tag_visitor_id="rloXnVgEQ-iQuoOytvKNqA",
        le_tag_session_id="rN82d4rATN6EuiA4cJwaPg",
        le_tag_context_id="3",
        pre_chat_lines=["hello", "anyone?"],
        survey=SurveyAnswers(id="40216", questions=[SurveyAnswer(id="12786273", answer="CATS")]).wire(),
    )
    assert request.wire() == {
        "skill": "Sales",
        "maxWaitTime": 0,
        "engagementId": 27469613,
        "campaignId": 26948813,
        "language": "en-US",
        "LETagVisitorId": "rloXnVgEQ-iQuoOytvKNqA",
        "LETagSessionId": "rN82d4rATN6EuiA4cJwaPg",
        "LETagContextId": 3,
        "preChatLines": {"line": ["hello", "anyone?"]},
        "survey": {"id": 40216, "question": [{"id": 12786273, "answer": "CATS"}]},
    }


def test_chat_request_reads_lenient_input() -> None:
    request = ChatRequest.model_validate({"skillId": "-1", "preChatLines": {"lines": "one line"}})
    assert request.skill_id == -1
    assert request.pre_chat_lines == ["one line"]
    assert ChatRequest.model_validate({"preChatLines": ["a"]}).pre_chat_lines == ["a"]


@pytest.mark.parametrize(
    "fields",
    [
        {"maxWaitTime": 86401},
        {"maxWaitTime": -1},
        {"agent": "natalie", "skill": "Sales"},
        {"agent": "natalie", "maxWaitTime": 10},
        {"serviceQueue": "q1"},
    ],
)
def test_chat_request_rejects_undocumented_combinations(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ChatRequest.model_validate(fields)


def test_chat_request_for_engagement_maps_the_engagement_facts() -> None:
    session = EngagementSession.model_validate(
        {
            "status": "Available",
            "sessionId": "S1",
            "visitorId": "V1",
            "pageId": "P1",
            "engagementDetails": {
                "campaignId": "100",
                "engagementId": "200",
                "contextId": "1",
                "language": "en-US",
                "skillName": "Sales",
            },
        }
    )
    request = ChatRequest.for_engagement(session, max_wait_time=0, pre_chat_lines=["hi"])
    assert request.wire() == {
        "skill": "Sales",
        "maxWaitTime": 0,
        "engagementId": 200,
        "campaignId": 100,
        "language": "en-US",
        "LETagVisitorId": "V1",
        "LETagSessionId": "S1",
        "LETagContextId": 1,
        "preChatLines": {"line": ["hi"]},
    }
    assert ChatRequest.for_engagement(session, skill="Billing").skill == "Billing"
    unavailable = EngagementSession.model_validate({"status": "NotAvailable", "sessionId": "S", "visitorId": "V"})
    with pytest.raises(ValueError, match="not available"):
        ChatRequest.for_engagement(unavailable)


def test_new_events_serialise_as_documented() -> None:
    assert {"event": NewLine(text="hi <b>").wire()} == {"event": {"@type": "line", "text": "hi <b>"}}
    assert {"event": NewState().wire()} == {"event": {"@type": "state", "state": "ended"}}


def test_survey_answers_accept_value_and_several_answers() -> None:
    answers = SurveyAnswers.model_validate({"id": "1", "question": {"id": "123", "value": "answer1"}})
    assert answers.wire() == {"id": 1, "question": [{"id": 123, "answer": "answer1"}]}
    several = SurveyAnswers(id=1, questions=[SurveyAnswer(id=7, answer=["speed", "tone"])])
    assert several.wire() == {"id": 1, "question": [{"id": 7, "answer": ["speed", "tone"]}]}


def test_offline_survey_submission_keeps_the_documented_spelling() -> None:
    submission = OfflineSurveySubmission(
        id=5,
        questions=[SurveyAnswer(id=1, answer="me@example.com")],
        skill="Sales",
        le_tag_visitor_id="V",
        chat_referrer="https://brand.example/",
    )
    assert json.loads(json.dumps(submission.wire())) == {
        "id": 5,
        "question": [{"id": 1, "answer": "me@example.com"}],
        "skill": "Sales",
        "LETagVisitorId": "V",
        "chatRefferer": "https://brand.example/",
    }


def test_auth_request_sends_numbers_and_reply_reads_both_ids() -> None:
    request = AuthRequest.model_validate(
        {"authChatConnId": "2149421312", "ssoKey": "code", "engagementId": "27469613", "LETagVisitorId": "V"}
    )
    assert request.wire() == {
        "authChatConnId": 2149421312,
        "ssoKey": "code",
        "engagementId": 27469613,
        "LETagVisitorId": "V",
    }
    reply = AuthReply.model_validate({"participantId": "p-uuid", "conversationId": "c-uuid"})
    assert (reply.participant_id, reply.conversation_id) == ("p-uuid", "c-uuid")
