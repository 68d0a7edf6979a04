"""Pre-chat, offline and exit surveys, and transcripts."""

from __future__ import annotations

from typing import Any

from sandbox.sample_surveys import SAMPLE_PRECHAT_SURVEY
from tests.contract.lp_client import LpClient, as_json_url
from tests.contract.test_chat_request import assert_wrapped_error

PRECHAT = SAMPLE_PRECHAT_SURVEY.model_dump(mode="json")

ONE_QUESTION = {
    "id": 7,
    "questions": [{"id": 70, "type": "Text Field", "logicId": 1, "order": 0, "mandatory": True, "label": "Name"}],
}


def test_prechat_survey_structure(lp: LpClient) -> None:
    response = lp.chat_call("GET", f"/api/account/{lp.new_account(prechat_survey=PRECHAT)}/chat/preSurvey.json")
    assert response.status_code == 200
    survey = response.json()["survey"]
    assert (survey["id"], survey["title"]) == (40216, "")
    questions = survey["questions"]["question"]
    assert [q["order"] for q in questions] == sorted(q["order"] for q in questions)
    text, dropdown = questions[0], questions[1]
    assert set(text) == {"id", "type", "validationType", "logicId", "order", "mandatory", "label", "lastKnownValue"}
    assert dropdown["type"] == "Dropdown Box"
    assert dropdown["entry"][1] == {
        "checked": False,
        "value": "orders",
        "displayValue": "My order",
        "logic": {"showLogicId": 3},
    }


def test_prechat_answers_go_in_the_chat_request(lp: LpClient) -> None:
    account = lp.new_account(prechat_survey=PRECHAT)
    answers: dict[str, Any] = {
        "id": 40216,
        "question": [{"id": 40217, "answer": "Dana"}, {"id": 40218, "value": "billing"}],
    }
    lp.request_chat(account, survey=answers)  # the order number is hidden unless "orders" is picked
    assert lp.state(account)["chats"][0]["request"]["survey"] == answers
    labelled = [
        {"question": "Your name", "answer": "Dana"},
        {"question": "What is your question about?", "answer": "Billing"},
    ]
    assert lp.state(account)["chats"][0]["prechatSurvey"] == labelled  # as the agent console shows them
    missing = {"id": 40216, "question": [{"id": 40217, "answer": "Dana"}, {"id": 40218, "answer": "orders"}]}
    response = lp.chat_call("POST", f"/api/account/{account}/chat/request.json", {"request": {"survey": missing}})
    assert_wrapped_error(response, 400)


def test_surveys_can_be_switched_off(lp: LpClient) -> None:
    account = lp.new_account(offline_survey=None)  # an account has no pre-chat survey unless it is given one
    assert_wrapped_error(lp.chat_call("GET", f"/api/account/{account}/chat/preSurvey"), 404)
    assert_wrapped_error(lp.chat_call("GET", f"/api/account/{account}/chat/offlineSurvey"), 404)
    response = lp.chat_call(
        "POST", f"/api/account/{account}/chat/request", {"request": {"survey": {"id": 1, "question": []}}}
    )
    assert_wrapped_error(response, 400)


def test_no_exit_survey_is_a_wrapped_404(lp: LpClient) -> None:
    """The chosen reading: the JS SDK's getExitSurvey has an error callback, `noSurveyRecieved`, so an account
    without an exit survey answers with an error, 404 in the Chat API's wrapped shape, even once the chat ended."""
    account = lp.new_account(exit_survey=None)
    chat_url = lp.start_chatting(account)
    lp.end_chat(chat_url)
    exit_url = as_json_url(chat_url + "/exitSurvey")
    error = assert_wrapped_error(lp.chat_call("GET", exit_url), 404, 12)
    assert error["message"] == "The account has no exit survey"
    answers = {"survey": {"id": 361348, "question": [{"id": 4991320, "answer": "5"}]}}
    assert_wrapped_error(lp.chat_call("PUT", exit_url, answers), 404)


def test_offline_survey_get_and_submit(lp: LpClient) -> None:
    account = lp.new_account(available=False)
    url = f"/api/account/{account}/chat/offlineSurvey.json"
    assert lp.chat_call("GET", url).json()["survey"]["id"] == 40300
    body = {
        "survey": {
            "id": 40300,
            "question": [
                {"id": 40301, "answer": "Dana"},
                {"id": 40302, "answer": "d@x.example"},
                {"id": 40303, "answer": "Call me"},
            ],
            "skill": "sales",
            "LETagVisitorId": "vis-1",
        }
    }
    response = lp.chat_call("PUT", url, body)
    assert (response.status_code, response.content) == (200, b"")
    assert lp.state(account)["offlineSurveys"] == [body]
    assert_wrapped_error(lp.chat_call("PUT", url, {"survey": {"id": 40300, "question": []}}), 400)  # mandatory
    assert_wrapped_error(lp.chat_call("PUT", url, {"id": 40300}), 400)  # no wrapper


def test_exit_survey_only_after_end(lp: LpClient) -> None:
    account = lp.new_account()
    chat_url = lp.start_chatting(account)
    exit_url = as_json_url(chat_url + "/exitSurvey")
    assert_wrapped_error(lp.chat_call("GET", exit_url), 400)
    lp.end_chat(chat_url)
    survey = lp.chat_call("GET", exit_url)
    assert survey.status_code == 200
    assert survey.json()["survey"]["id"] == 361348
    # [PM] sends a lone question as an object.
    submitted = {"survey": {"id": 361348, "question": {"id": 4991320, "answer": "5"}}, "userAgent": "pytest"}
    assert lp.chat_call("PUT", exit_url, submitted).status_code == 200
    assert lp.state(account)["chats"][0]["exitSurveyAnswers"] == [submitted]
    assert lp.state(account)["chats"][0]["exitSurvey"] == [
        [{"question": "How would you rate this chat?", "answer": "5"}]
    ]
    shown_but_empty = {"survey": {"id": 361348, "question": [{"id": 4991315, "answer": "yes"}]}}
    assert_wrapped_error(lp.chat_call("PUT", exit_url, shown_but_empty), 400)


def test_quirks_lone_question_is_an_object(lp: LpClient) -> None:
    account = lp.new_account(quirks=True, prechat_survey=ONE_QUESTION)
    survey = lp.chat_call("GET", f"/api/account/{account}/chat/preSurvey.json").json()["survey"]
    question = survey["questions"]["question"]
    assert isinstance(question, dict)
    assert (survey["id"], question["mandatory"], question["order"]) == ("7", "true", "0")


def test_transcript_needs_email_and_works_after_end(lp: LpClient) -> None:
    account = lp.new_account()
    chat_url = lp.start_chatting(account)
    lp.end_chat(chat_url)
    transcript_url = as_json_url(chat_url + "/transcriptRequest")
    assert_wrapped_error(lp.chat_call("PUT", transcript_url, {}), 400)
    assert_wrapped_error(lp.chat_call("PUT", transcript_url, {"email": "not-an-email"}), 400)
    response = lp.chat_call("PUT", transcript_url, {"email": "dana@example.com", "timezoneOffset": -18000000})
    assert (response.status_code, response.content) == (200, b"")
    assert lp.state(account)["chats"][0]["transcriptRequests"] == [
        {"email": "dana@example.com", "timezoneOffset": -18000000}
    ]


def test_each_transcript_link_takes_its_own_shape(lp: LpClient) -> None:
    """`transcript-with-subject-request` takes {"transcriptRequest": {email, subject?, timezoneOffset?}}, as
    LivePerson's own SDK sends whenever the chat lists that link; `transcript-request` takes the bare {email}."""
    account = lp.new_account()
    chat_url = lp.start_chatting(account)
    links = {link["@rel"]: link["@href"] for link in lp.get_chat(chat_url)["link"]}
    with_subject, plain = links["transcript-with-subject-request"], links["transcript-request"]
    wrapped = {"transcriptRequest": {"email": "dana@example.com", "subject": "Our chat", "timezoneOffset": 3600000}}
    response = lp.chat_call("PUT", as_json_url(with_subject), wrapped)
    assert (response.status_code, response.content) == (200, b"")
    bare_email_only = {"transcriptRequest": {"email": "dana@example.com"}}
    assert lp.chat_call("PUT", as_json_url(with_subject), bare_email_only).status_code == 200
    assert_wrapped_error(lp.chat_call("PUT", as_json_url(with_subject), {"email": "dana@example.com"}), 400)
    assert_wrapped_error(lp.chat_call("PUT", as_json_url(plain), wrapped), 400)
    assert_wrapped_error(lp.chat_call("PUT", as_json_url(plain), {"email": "d@x.example", "subject": "No"}), 400)
    assert lp.state(account)["chats"][0]["transcriptRequests"] == [
        wrapped["transcriptRequest"],
        bare_email_only["transcriptRequest"],
    ]
