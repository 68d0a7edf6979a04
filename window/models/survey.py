"""Surveys [SCA]: the one structure pre-chat, offline and exit surveys share, and the answers sent back.

Loaded only when a survey is about to be shown (the window's start-up does not pay for it).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, BeforeValidator, Field

from window.models import Id, ListOrOne, Payload


class EntryLogic(Payload):
    show_logic_id: ListOrOne[Id] = Field(default=[], alias="showLogicId")


class Entry(Payload):
    value: str
    checked: bool = False
    display_value: str | None = Field(default=None, alias="displayValue")
    logic: EntryLogic | None = None


class Question(Payload):
    id: Id
    # Text Field | Text Area | Dropdown Box | Radio Button | Radio Button (side by side) | Checkbox (or CheckBox)
    type: str
    validation_type: str | None = Field(default=None, alias="validationType")  # alpha_numeric | numeric | email
    logic_id: Id | None = Field(default=None, alias="logicId")  # shown only when an entry picked shows it
    order: int = 0
    mandatory: bool = False
    label: str = ""
    last_known_value: str | None = Field(default=None, alias="lastKnownValue")  # text types: the default
    entries: ListOrOne[Entry] = Field(default=[], alias="entry")


def _unwrap_questions(value: object) -> object:
    # `"questions": {"question": [...]}`, the inner one possibly a lone object.
    return value.get("question") if isinstance(value, dict) else value


class Survey(Payload):
    """Pre-chat, offline and exit surveys share this structure, inside `{"survey": …}`."""

    id: Id
    title: str | None = None  # reserved
    header: str | None = None
    questions: Annotated[ListOrOne[Question], BeforeValidator(_unwrap_questions)] = Field(default_factory=list)


class SurveyEnvelope(Payload):
    survey: Survey


class SurveyAnswer(Payload):
    id: Id
    # Several values only for a Checkbox question. Input also takes [JSSDK]'s `value`.
    answer: str | list[str] = Field(validation_alias=AliasChoices("answer", "value"), alias="answer")


class SurveyAnswers(Payload):
    """`{"id": n, "question": [{"id": n, "answer": "…"}]}`: a chat request's `survey`, an exit survey's submission."""

    id: Id
    questions: ListOrOne[SurveyAnswer] = Field(alias="question")


class OfflineSurveySubmission(SurveyAnswers):
    # assumed: LETag*/skill go inside `survey` as in the REST docs ([OLDSDK] puts them beside it).
    skill: str | None = None
    user_agent: str | None = Field(default=None, alias="userAgent")
    le_tag_visitor_id: str | None = Field(default=None, alias="LETagVisitorId")
    le_tag_session_id: str | None = Field(default=None, alias="LETagSessionId")
    le_tag_context_id: Id | None = Field(default=None, alias="LETagContextId")
    visitor_id: Id | None = Field(default=None, alias="visitorId")
    visitor_ip: str | None = Field(default=None, alias="visitorIp")
    chat_referrer: str | None = Field(default=None, alias="chatRefferer")  # misspelt as documented
