"""Chat REST API requests (method, URL, query, headers, body) and the parsing of their replies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from window.chat_client import ChatClient, api_url, event_id_of
from window.http import HttpRequest, HttpResponse
from window.models.auth import AuthRequest
from window.models.chat import (
    ChatRequest,
    LineEvent,
    TranscriptRequest,
)
from window.models.survey import OfflineSurveySubmission, SurveyAnswer, SurveyAnswers
from window.protocol import ApiError, MalformedReply

CLIENT = ChatClient("https://va-e.convep.liveperson.net", "12345", "721c180b09eb463d9f3191c41762bb68")
CHAT = "https://va-e.convep.liveperson.net/api/account/12345/chat"
CHAT_URL = f"{CHAT}/H3079121553394024223-70f331aba40b4ae58fe9e1af832e31b9K8388834"
HEADERS = {
    "Accept": "application/json",
    "Content-Type": "application/json",
    "Authorization": "LivePerson appKey=721c180b09eb463d9f3191c41762bb68",
}
PUT_HEADERS = {**HEADERS, "X-HTTP-Method-Override": "PUT"}


def ok(body: str = "", status: int = 200, **headers: str) -> HttpResponse:
    return HttpResponse(status, headers, body)


def body_of(request: HttpRequest) -> Any:
    assert request.body is not None
    return json.loads(request.body)


@pytest.mark.parametrize(
    ("href", "url"),
    [
        (CHAT_URL, f"{CHAT_URL}.json?v=1&NC=true"),
        (f"{CHAT_URL}?from=4", f"{CHAT_URL}.json?from=4&v=1&NC=true"),
        (f"{CHAT_URL}/events?from=12", f"{CHAT_URL}/events.json?from=12&v=1&NC=true"),
        (f"{CHAT_URL}.json?from=4&v=1&NC=true", f"{CHAT_URL}.json?from=4&v=1&NC=true"),  # never twice
        (f"{CHAT_URL}/info/", f"{CHAT_URL}/info.json?v=1&NC=true"),
        ("https:/{domain}/api/x/info/visitorName", "https:/{domain}/api/x/info/visitorName.json?v=1&NC=true"),
    ],
)
def test_bare_hrefs_are_completed(href: str, url: str) -> None:
    assert api_url(href) == url


def test_event_id_of_a_new_event_url() -> None:
    assert event_id_of(f"{CHAT_URL}/events/7") == 7
    assert event_id_of(f"{CHAT_URL}/events/7.json?v=1") == 7
    assert event_id_of(f"{CHAT_URL}/events") is None


def test_availability() -> None:
    call = CLIENT.availability("Sales Team", max_wait_time=0)
    assert call.request == HttpRequest(
        "GET", f"{CHAT}/availability.json?v=1&NC=true&skill=Sales%20Team&maxWaitTime=0", HEADERS
    )
    assert call.parse(ok('{"availability": true}')) is True
    assert call.parse(ok('{"availability": "false"}')) is False
    assert CLIENT.availability().request.url == f"{CHAT}/availability.json?v=1&NC=true"


def test_estimated_wait_time_and_slots() -> None:
    wait = CLIENT.estimated_wait_time("Sales")
    assert wait.request.url == f"{CHAT}/estimatedWaitTime.json?v=1&NC=true&skill=Sales"
    assert wait.parse(ok('{"estimatedWaitTime": "-2"}')) == -2
    slots = CLIENT.available_slots("Sales", 30)
    assert slots.request.url == f"{CHAT}/availableSlots.json?v=1&NC=true&skill=Sales&maxWaitTime=30"
    assert slots.parse(ok('{"availableSlots": -1}')) == -1
    with pytest.raises(MalformedReply):
        slots.parse(ok('{"slots": 3}'))


def test_pre_chat_and_offline_surveys() -> None:
    pre = CLIENT.pre_chat_survey(survey_api_id="99", skill="Sales")
    assert pre.request == HttpRequest("GET", f"{CHAT}/preSurvey.json?v=1&NC=true&surveyApiId=99&skill=Sales", HEADERS)
    survey = pre.parse(ok('{"survey": {"id": "1", "questions": {"question": {"id": "2", "type": "Text Field"}}}}'))
    assert survey is not None and [question.id for question in survey.questions] == [2]
    offline = CLIENT.offline_survey(skill="Sales", visitor_id="V")
    assert offline.request.url == f"{CHAT}/offlineSurvey.json?v=1&NC=true&skill=Sales&visitorId=V"
    none = '{"error": {"message": "The account has no offline survey", "internalCode": 12}}'
    assert pre.parse(ok(none, status=404)) is None and offline.parse(ok(none, status=404)) is None


def test_offline_survey_submit_is_an_overridden_put() -> None:
    submission = OfflineSurveySubmission(id=5, questions=[SurveyAnswer(id=1, answer="a")], le_tag_session_id="S")
    call = CLIENT.submit_offline_survey(submission)
    assert (call.request.method, call.request.url, call.request.headers) == (
        "POST",
        f"{CHAT}/offlineSurvey.json?v=1&NC=true",
        PUT_HEADERS,
    )
    assert body_of(call.request) == {"survey": {"id": 5, "question": [{"id": 1, "answer": "a"}], "LETagSessionId": "S"}}
    assert call.parse(ok()) is None


def test_request_chat_returns_the_location() -> None:
    call = CLIENT.request_chat(ChatRequest(skill="Sales", pre_chat_lines=["hi"]))
    assert (call.request.method, call.request.url, call.request.headers) == (
        "POST",
        f"{CHAT}/request.json?v=1&NC=true",
        HEADERS,
    )
    assert body_of(call.request) == {"request": {"skill": "Sales", "preChatLines": {"line": ["hi"]}}}
    assert call.parse(ok(status=201, location=CHAT_URL)) == CHAT_URL
    assert call.parse(ok("{}", status=200, location=CHAT_URL)) == CHAT_URL  # any 2xx
    with pytest.raises(MalformedReply, match="Location"):
        call.parse(ok(status=201))
    captcha = '{"error": {"time": "2017-12-06T16:29:45.438-05:00", "message": "Bad captcha", "internalCode": 10}}'
    with pytest.raises(ApiError) as caught:
        call.parse(ok(captcha, status=401))
    assert (caught.value.status, caught.value.internal_code) == (401, 10)


def test_get_chat_follows_the_chat_url_or_next() -> None:
    call = CLIENT.get_chat(f"{CHAT_URL}?from=3")
    assert call.request == HttpRequest("GET", f"{CHAT_URL}.json?from=3&v=1&NC=true", HEADERS)
    chat = call.parse(
        ok(
            json.dumps(
                {
                    "chat": {
                        "link": [{"@href": f"{CHAT_URL}?from=4", "@rel": "next"}],
                        "events": {"event": {"@id": "3", "@type": "line", "text": "hi", "source": "agent"}},
                        "info": {"state": "chatting", "agentName": "Natalie", "agentTyping": "typing"},
                    }
                }
            )
        )
    )
    assert chat.next_cursor == 4
    assert isinstance(chat.events.events[0], LineEvent)
    assert chat.info is not None
    assert (chat.info.state, chat.info.agent_name, chat.info.is_agent_typing) == ("chatting", "Natalie", True)
    with pytest.raises(MalformedReply, match="ChatEnvelope"):
        call.parse(ok('{"events": {}}'))
    gone = '{"error": {"time": "2026-11-27T10:00:00.000+00:00", "message": "Chat not found", "internalCode": 12}}'
    with pytest.raises(ApiError) as caught:
        call.parse(ok(gone, status=404))
    assert not caught.value.retryable


def test_get_events_and_info() -> None:
    events = CLIENT.get_events(f"{CHAT_URL}/events?from=0")
    assert events.request.url == f"{CHAT_URL}/events.json?from=0&v=1&NC=true"
    parsed = events.parse(ok('{"events": {"link": {"@href": "x?from=1", "@rel": "next"}, "event": []}}'))
    assert (parsed.events, parsed.next_cursor) == ([], 1)
    info = CLIENT.get_info(f"{CHAT_URL}/info")
    assert info.request.url == f"{CHAT_URL}/info.json?v=1&NC=true"
    assert info.parse(ok('{"info": {"state": "ended"}}')).state == "ended"


def test_add_line_posts_one_event_and_returns_its_url() -> None:
    call = CLIENT.add_line(f"{CHAT_URL}/events", "hello <b>there</b>")
    assert (call.request.method, call.request.url, call.request.headers) == (
        "POST",
        f"{CHAT_URL}/events.json?v=1&NC=true",
        HEADERS,
    )
    assert body_of(call.request) == {"event": {"@type": "line", "text": "hello <b>there</b>"}}
    assert call.parse(ok(status=201, location=f"{CHAT_URL}/events/5")) == f"{CHAT_URL}/events/5"
    assert call.parse(ok(status=201)) is None
    waiting = '{"error": {"time": "2026-11-27T10:00:00+00:00", "message": "Cannot add line while not in chat", '
    waiting += '"internalCode": 5}}'
    with pytest.raises(ApiError) as caught:
        call.parse(ok(waiting, status=400))
    assert (caught.value.internal_code, caught.value.retryable) == (5, False)


def test_end_chat() -> None:
    call = CLIENT.end_chat(f"{CHAT_URL}/events")
    assert (call.request.method, call.request.url) == ("POST", f"{CHAT_URL}/events.json?v=1&NC=true")
    assert body_of(call.request) == {"event": {"@type": "state", "state": "ended"}}
    assert call.parse(ok(status=201, location=f"{CHAT_URL}/events/9")) is None


@pytest.mark.parametrize(("typing", "value"), [(True, "typing"), (False, "not-typing")])
def test_visitor_typing(typing: bool, value: str) -> None:
    call = CLIENT.set_visitor_typing(f"{CHAT_URL}/info/visitorTyping", typing)
    assert call.request == HttpRequest(
        "POST", f"{CHAT_URL}/info/visitorTyping.json?v=1&NC=true", PUT_HEADERS, f'{{"visitorTyping":"{value}"}}'
    )
    assert call.parse(ok()) is None


def test_visitor_name_accepts_any_2xx() -> None:
    call = CLIENT.set_visitor_name(f"{CHAT_URL}/info/visitorName", "Zoë")
    assert call.request.headers == PUT_HEADERS
    assert body_of(call.request) == {"visitorName": "Zoë"}
    assert call.parse(ok(status=201)) is None
    assert call.parse(ok(status=200)) is None


@pytest.mark.parametrize(("value", "typing"), [("typing", True), ("not-typing", False), ("unknown", False)])
def test_agent_typing(value: str, typing: bool) -> None:
    call = CLIENT.agent_typing(f"{CHAT_URL}/info/agentTyping")
    assert call.request == HttpRequest("GET", f"{CHAT_URL}/info/agentTyping.json?v=1&NC=true", HEADERS)
    assert call.parse(ok(json.dumps({"agentTyping": value}))) is typing


def test_transcript() -> None:
    call = CLIENT.request_transcript(f"{CHAT_URL}/transcriptRequest", TranscriptRequest(email="me@example.com"))
    assert (call.request.method, call.request.url, call.request.headers) == (
        "POST",
        f"{CHAT_URL}/transcriptRequest.json?v=1&NC=true",
        PUT_HEADERS,
    )
    assert body_of(call.request) == {"email": "me@example.com"}
    subject = TranscriptRequest(email="me@example.com", subject="Our chat", timezone_offset=-3600000)
    wrapped = CLIENT.request_transcript_with_subject(f"{CHAT_URL}/transcriptWithSubjectRequest", subject)
    assert wrapped.request.url == f"{CHAT_URL}/transcriptWithSubjectRequest.json?v=1&NC=true"
    assert body_of(wrapped.request) == {
        "transcriptRequest": {"email": "me@example.com", "subject": "Our chat", "timezoneOffset": -3600000}
    }


def test_exit_survey_get_and_submit() -> None:
    get = CLIENT.exit_survey(f"{CHAT_URL}/exitSurvey", survey_name="after chat")
    assert get.request.url == f"{CHAT_URL}/exitSurvey.json?v=1&NC=true&surveyName=after%20chat"
    survey = get.parse(ok('{"survey": {"id": 3, "questions": {"question": [{"id": 4, "type": "Radio Button"}]}}}'))
    assert survey is not None
    assert survey.id == 3
    assert get.parse(ok('{"error": {"message": "No survey", "internalCode": 12}}', status=404)) is None
    with pytest.raises(ApiError):
        get.parse(ok('{"error": {"message": "Chat was not ended", "internalCode": 5}}', status=400))
    with pytest.raises(MalformedReply):
        get.parse(ok())  # an empty 2xx is not how "no survey" is said
    submit = CLIENT.submit_exit_survey(
        f"{CHAT_URL}/exitSurvey", SurveyAnswers(id=3, questions=[SurveyAnswer(id=4, answer=["a", "b"])])
    )
    assert (submit.request.method, submit.request.headers) == ("POST", PUT_HEADERS)
    assert body_of(submit.request) == {"survey": {"id": 3, "question": [{"id": 4, "answer": ["a", "b"]}]}}


def test_authenticate() -> None:
    call = CLIENT.authenticate(AuthRequest(auth_chat_conn_id=2149421312, sso_key="code", engagement_id=27469613))
    assert (call.request.method, call.request.url, call.request.headers) == (
        "POST",
        "https://va-e.convep.liveperson.net/api/account/12345/conversation.json?v=1&NC=true",
        HEADERS,
    )
    assert body_of(call.request) == {"authChatConnId": 2149421312, "ssoKey": "code", "engagementId": 27469613}
    reply = call.parse(ok('{"participantId": "p", "conversationId": "c"}', status=201))
    assert (reply.participant_id, reply.conversation_id) == ("p", "c")
