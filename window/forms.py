"""A survey as a form, as pure functions: which questions show, what the answers are, what is wrong with them.

Pre-chat, offline and exit surveys share one structure ([SCA] surveys, docs/api-notes.md), so one form serves all
three. The rules here are the ones the sandbox applies to a submission: what passes here is accepted there.
Loaded only when a survey is about to be shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from window.models.survey import Question, Survey, SurveyAnswer, SurveyAnswers

Kind = Literal["text", "textarea", "select", "radio", "radio-inline", "checkbox"]
Answers = Mapping[str, tuple[str, ...]]  # question id → the values given (several only for a checkbox question)

KINDS: dict[str, Kind] = {
    "text field": "text",
    "text area": "textarea",
    "dropdown box": "select",
    "radio button": "radio",
    "radio button (side by side)": "radio-inline",
    "checkbox": "checkbox",  # the docs' tables spell it "CheckBox" too
}
MAX_TEXT = 1000  # assumed: LivePerson publishes no limit; a text area may hold a short message
NUMERIC = re.compile(r"^-?\d+(\.\d+)?$")  # "any valid number" ([JSSDK] surveys)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NAME_LABEL = re.compile(r"\bname\b", re.IGNORECASE)


def kind_of(question: Question) -> Kind:
    """The control a question takes; assumed: an unknown type is asked as a text field rather than dropped."""
    return KINDS.get(question.type.strip().lower(), "text")


def key_of(question: Question) -> str:
    return str(question.id)


def ordered(survey: Survey) -> list[Question]:
    """Questions in their `order` (the docs: "display the questions according to their order number")."""
    return sorted(survey.questions, key=lambda question: question.order)


def initial_answers(survey: Survey) -> dict[str, tuple[str, ...]]:
    """What the form starts with: a text question's `lastKnownValue`, a selection's `checked` entries."""
    answers: dict[str, tuple[str, ...]] = {}
    for question in survey.questions:
        if kind_of(question) in ("text", "textarea"):
            answers[key_of(question)] = (question.last_known_value,) if question.last_known_value else ()
        else:
            checked = tuple(entry.value for entry in question.entries if entry.checked)
            answers[key_of(question)] = checked if kind_of(question) == "checkbox" else checked[:1]
    return answers


def visible(survey: Survey, answers: Answers) -> list[Question]:
    """The questions to show: those no entry reveals, and those an entry picked in a shown question reveals."""
    conditional = {
        str(logic_id)
        for question in survey.questions
        for entry in question.entries
        if entry.logic
        for logic_id in entry.logic.show_logic_id
    }
    revealed: set[str] = set()
    shown: list[Question] = []
    for question in ordered(survey):
        logic_id = str(question.logic_id) if question.logic_id is not None else None
        if logic_id in conditional and logic_id not in revealed:
            continue
        shown.append(question)
        picked = set(answers.get(key_of(question), ()))
        for entry in question.entries:
            if entry.value in picked and entry.logic:
                revealed.update(str(logic_id) for logic_id in entry.logic.show_logic_id)
    return shown


def problems(survey: Survey, answers: Answers) -> dict[str, str]:
    """What is wrong, by question id, as catalog keys; only shown questions count (a hidden mandatory one is not)."""
    found: dict[str, str] = {}
    for question in visible(survey, answers):
        problem = _problem(question, _given(answers, question))
        if problem:
            found[key_of(question)] = problem
    return found


def submission(survey: Survey, answers: Answers) -> SurveyAnswers:
    """The answers as the API takes them: shown questions that were answered; a checkbox's values as a list."""
    return SurveyAnswers(
        id=survey.id,
        questions=[
            SurveyAnswer(id=question.id, answer=list(values) if kind_of(question) == "checkbox" else values[0])
            for question in visible(survey, answers)
            if (values := _given(answers, question))
        ],
    )


def visitor_name(survey: Survey, answers: Answers, question_id: str | None = None) -> str | None:
    """The consumer's name from the survey: the configured question, else the first shown text question whose label
    says "name" (assumed: LivePerson's surveys have no name type; the brand may name the question in config)."""
    for question in visible(survey, answers):
        if question_id is not None and key_of(question) != question_id:
            continue
        if question_id is None and (kind_of(question) != "text" or not NAME_LABEL.search(question.label)):
            continue
        values = _given(answers, question)
        return values[0] if values else None
    return None


def _given(answers: Answers, question: Question) -> tuple[str, ...]:
    return tuple(value.strip() for value in answers.get(key_of(question), ()) if value.strip())


def _problem(question: Question, values: tuple[str, ...]) -> str | None:
    if not values:
        return "field_required" if question.mandatory else None
    kind = kind_of(question)
    if kind in ("text", "textarea"):
        text = values[0]
        if len(text) > MAX_TEXT:
            return "field_too_long"
        validation = (question.validation_type or "").replace("_", "").lower()
        if validation == "numeric" and not NUMERIC.match(text):
            return "field_numeric"
        if validation == "email" and not EMAIL.match(text):
            return "field_email"
        return None
    allowed = {entry.value for entry in question.entries}
    if not set(values) <= allowed or (len(values) > 1 and kind != "checkbox"):
        return "field_choice"
    return None
