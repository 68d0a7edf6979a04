"""Chat API surveys and transcripts ([SCA]): pre-chat, offline (account level), exit survey and transcript (chat)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox.bodies import parse_body, read_json
from sandbox.chat import Chat
from sandbox.chat_common import chat_account, chat_json, chat_of
from sandbox.errors import NOT_FOUND, Refusal
from sandbox.store import Account
from sandbox.surveys import SurveyAnswersBody, SurveyDefinition, answer_problem

# assumed: query parameters choosing a survey (surveyName, surveyApiId, skill, visitorProfile) are accepted and
# ignored: an account has one survey of each kind.


class SurveyAnswersEnvelope(BaseModel):
    """{"survey": {...}}; the offline survey's LETag*/skill may sit inside or beside `survey`: both are ignored."""

    survey: SurveyAnswersBody


class TranscriptBody(BaseModel):
    """`transcript-request` ([SCA] send-a-transcript, [JSSDK] requestTranscript's timezoneOffset in ms)."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    timezoneOffset: int | None = None


class SubjectTranscriptBody(TranscriptBody):
    subject: str | None = None


class TranscriptEnvelope(BaseModel):
    """`transcript-with-subject-request`: what LivePerson's own SDK sends whenever the chat lists the link
    ([OLDSDK] 3.1.0); each link takes its own shape only."""

    model_config = ConfigDict(extra="forbid")

    transcriptRequest: SubjectTranscriptBody


def _offered(survey: SurveyDefinition | None, kind: str) -> SurveyDefinition:
    """assumed: an account without such a survey answers 404 in the wrapped shape; the docs say nothing, but the JS
    SDK's getExitSurvey names its error callback `noSurveyRecieved`, so "none" is an error answer, not an empty one."""
    if survey is None:
        raise Refusal(404, f"The account has no {kind} survey", NOT_FOUND)
    return survey


def _checked_answers(survey: SurveyDefinition, answers: SurveyAnswersBody) -> None:
    problem = answer_problem(survey, answers)
    if problem:
        raise Refusal(400, problem)


async def get_prechat_survey(request: Request) -> JSONResponse:
    account = chat_account(request)
    return chat_json(account, _offered(account.settings.prechat_survey, "pre-chat").to_json())


async def get_offline_survey(request: Request) -> JSONResponse:
    account = chat_account(request)
    return chat_json(account, _offered(account.settings.offline_survey, "offline").to_json())


async def submit_offline_survey(request: Request) -> Response:
    account = chat_account(request)
    survey = _offered(account.settings.offline_survey, "offline")
    _checked_answers(survey, (await parse_body(request, SurveyAnswersEnvelope)).survey)
    account.offline_surveys.append(await read_json(request))
    return Response(status_code=200)


def _exit_survey(request: Request, account: Account) -> tuple[Chat, SurveyDefinition]:
    chat = chat_of(request, account)
    survey = _offered(account.settings.exit_survey, "exit")
    if chat.state != "ended":
        raise Refusal(400, "The exit survey is offered once the chat has ended")
    return chat, survey


async def get_exit_survey(request: Request) -> JSONResponse:
    account = chat_account(request)
    _, survey = _exit_survey(request, account)
    return chat_json(account, survey.to_json())


async def submit_exit_survey(request: Request) -> Response:
    account = chat_account(request)
    chat, survey = _exit_survey(request, account)
    _checked_answers(survey, (await parse_body(request, SurveyAnswersEnvelope)).survey)
    chat.exit_survey_answers.append(await read_json(request))
    return Response(status_code=200)  # assumed: the status is undocumented


async def request_transcript(request: Request) -> Response:
    account = chat_account(request)
    chat = chat_of(request, account)
    transcript = await parse_body(request, TranscriptBody)
    chat.transcript_requests.append(transcript.model_dump(exclude_none=True))
    return Response(status_code=200)


async def request_transcript_with_subject(request: Request) -> Response:
    account = chat_account(request)
    chat = chat_of(request, account)
    transcript = (await parse_body(request, TranscriptEnvelope)).transcriptRequest
    chat.transcript_requests.append(transcript.model_dump(exclude_none=True))
    return Response(status_code=200)


_ACCOUNT_CHAT = "/api/account/{acct}/chat"
_CHAT = _ACCOUNT_CHAT + "/{chat_id}"
routes = [
    Route(_ACCOUNT_CHAT + "/preSurvey", get_prechat_survey, methods=["GET"]),
    Route(_ACCOUNT_CHAT + "/offlineSurvey", get_offline_survey, methods=["GET"]),
    Route(_ACCOUNT_CHAT + "/offlineSurvey", submit_offline_survey, methods=["PUT"]),
    Route(_CHAT + "/exitSurvey", get_exit_survey, methods=["GET"]),
    Route(_CHAT + "/exitSurvey", submit_exit_survey, methods=["PUT"]),
    Route(_CHAT + "/transcriptRequest", request_transcript, methods=["PUT"]),
    Route(_CHAT + "/transcriptWithSubjectRequest", request_transcript_with_subject, methods=["PUT"]),
]
