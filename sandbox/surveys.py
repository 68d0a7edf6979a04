"""Survey structures (pre-chat, offline, exit) and the answers a client submits for them.

One model serves all three surveys, as LivePerson describes them alike ([SCA] retrieve-*-survey pages).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

QuestionType = Literal[
    "Text Field", "Text Area", "Dropdown Box", "Radio Button", "Radio Button (side by side)", "Checkbox"
]


class EntryDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str
    displayValue: str
    checked: bool = False
    showLogicId: list[int] = []


class QuestionDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    type: QuestionType
    validationType: Literal["alpha_numeric", "numeric", "email"] = "alpha_numeric"
    logicId: int
    order: int
    mandatory: bool = False
    label: str
    lastKnownValue: str | None = None
    entry: list[EntryDefinition] = []

    @property
    def is_selection(self) -> bool:
        return self.type not in ("Text Field", "Text Area")


class SurveyDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    header: str = ""
    questions: list[QuestionDefinition]

    def to_json(self) -> dict[str, Any]:
        """The documented structure; `title` is reserved and always empty."""
        return {
            "survey": {
                "id": self.id,
                "title": "",
                "header": self.header,
                "questions": {"question": [_question_json(q) for q in sorted(self.questions, key=lambda q: q.order)]},
            }
        }

    def visible_questions(self, answers: dict[int, list[str]]) -> list[QuestionDefinition]:
        """Questions without logic, plus those shown by an entry the answers picked."""
        shown: set[int] = set()
        for question in self.questions:
            for entry in question.entry:
                if entry.value in answers.get(question.id, []) or entry.displayValue in answers.get(question.id, []):
                    shown.update(entry.showLogicId)
        conditional = {logic_id for q in self.questions for e in q.entry for logic_id in e.showLogicId}
        return [q for q in self.questions if q.logicId not in conditional or q.logicId in shown]


def _question_json(question: QuestionDefinition) -> dict[str, Any]:
    body: dict[str, Any] = question.model_dump(exclude={"entry", "lastKnownValue"})
    if question.is_selection:
        body["entry"] = [_entry_json(e) for e in question.entry]
    else:
        body["lastKnownValue"] = question.lastKnownValue or ""
    return body


def _entry_json(entry: EntryDefinition) -> dict[str, Any]:
    body: dict[str, Any] = {"checked": entry.checked, "value": entry.value, "displayValue": entry.displayValue}
    if entry.showLogicId:
        body["logic"] = {"showLogicId": entry.showLogicId[0] if len(entry.showLogicId) == 1 else entry.showLogicId}
    return body


class SurveyAnswerBody(BaseModel):
    id: int
    # Decision "lenient input": `answer` per [SCA], `value` per [JSSDK]; a checkbox may carry several.
    answer: str | list[str] = Field(validation_alias=AliasChoices("answer", "value"))

    @property
    def values(self) -> list[str]:
        return [self.answer] if isinstance(self.answer, str) else self.answer


class SurveyAnswersBody(BaseModel):
    """The `survey` object of a submit: `question` a list, or one object as [PM] sends it."""

    id: int
    question: list[SurveyAnswerBody]

    @field_validator("question", mode="before", json_schema_input_type=list[SurveyAnswerBody] | SurveyAnswerBody)
    @classmethod
    def _lone_question(cls, value: object) -> object:
        return [value] if isinstance(value, dict) else value

    def by_question(self) -> dict[int, list[str]]:
        return {answer.id: answer.values for answer in self.question}


def _value_problem(question: QuestionDefinition, values: list[str]) -> str | None:
    if question.is_selection:
        # Still open in LivePerson's docs whether an answer is an entry's value or displayValue: both are accepted.
        allowed = {e.value for e in question.entry} | {e.displayValue for e in question.entry}
        return None if set(values) <= allowed else "answer is not one of its entries"
    text = "".join(values).strip()
    # "numeric: any valid number" ([JSSDK] surveys): an optional sign, digits, an optional decimal part.
    if text and question.validationType == "numeric" and not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return "answer must be numeric"
    if text and question.validationType == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+", text):
        return "answer must be an email address"
    return None


def answer_problem(survey: SurveyDefinition, answers: SurveyAnswersBody) -> str | None:
    """Why these answers do not fit the survey, or None when they do."""
    if answers.id != survey.id:
        return f"Unknown survey id {answers.id}"
    given = answers.by_question()
    known = {q.id: q for q in survey.questions}
    for question_id, values in given.items():
        question = known.get(question_id)
        if question is None:
            return f"Unknown question id {question_id}"
        if len(values) > 1 and question.type != "Checkbox":
            return f"Question {question_id} takes one answer"
        problem = _value_problem(question, values)
        if problem:
            return f"Question {question_id}: {problem}"
    for question in survey.visible_questions(given):
        if question.mandatory and not any(v.strip() for v in given.get(question.id, [])):
            return f"Question {question.id} is mandatory"
    return None


def labelled_answers(survey: SurveyDefinition | None, submitted: dict[str, Any]) -> list[dict[str, str]]:
    """Answers as an agent reads them: each question's label and the answers' display values, in survey order."""
    parsed = SurveyAnswersBody.model_validate(submitted)
    answers = parsed.by_question()
    questions = {q.id: q for q in survey.questions} if survey is not None and survey.id == parsed.id else {}
    shown = sorted(answers, key=lambda question_id: questions[question_id].order if question_id in questions else 0)
    labelled = []
    for question_id in shown:
        question = questions.get(question_id)
        names = {e.value: e.displayValue for e in question.entry} if question else {}
        label = question.label if question else f"Question {question_id}"
        labelled.append({"question": label, "answer": ", ".join(names.get(v, v) for v in answers[question_id])})
    return labelled
