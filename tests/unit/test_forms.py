"""Surveys as forms: the logic (questions shown by earlier answers), the rules (the server's), the answers sent."""

from __future__ import annotations

import pytest

from window.forms import initial_answers, kind_of, problems, submission, visible, visitor_name
from window.models.survey import Question, Survey, SurveyEnvelope

# LivePerson's pre-chat example (strings for numbers and booleans), with one more question of each kind.
SURVEY = SurveyEnvelope.model_validate_json("""
{"survey": {"id": "40216", "title": "", "header": "Please tell us", "questions": {"question": [
  {"mandatory": "true", "validationType": "alpha_numeric", "order": "0", "logicId": "4", "id": "12786273",
   "type": "Dropdown Box", "label": "With whom would you like to chat?",
   "entry": [{"checked": "false", "value": "CATS", "logic": {"showLogicId": "5"}},
             {"checked": "false", "value": "DOGS"}]},
  {"mandatory": "true", "validationType": "alpha_numeric", "order": "1", "logicId": "5", "id": "16314710",
   "type": "Text Field", "label": "What is your cat's name?", "lastKnownValue": "Tom"},
  {"mandatory": "false", "validationType": "alpha_numeric", "order": "3", "logicId": "7", "id": "3",
   "type": "CheckBox", "label": "Topics", "entry": [{"value": "a", "checked": "true"}, {"value": "b"}]},
  {"mandatory": "true", "validationType": "email", "order": "2", "logicId": "6", "id": "4",
   "type": "Text Field", "label": "Your email"},
  {"mandatory": "false", "validationType": "numeric", "order": "4", "logicId": "8", "id": "5",
   "type": "Text Area", "label": "Order number"},
  {"mandatory": "true", "order": "5", "logicId": "9", "id": "6", "type": "Radio Button (side by side)",
   "label": "Rating", "entry": [{"value": "1"}, {"value": "2", "displayValue": "Two"}]},
  {"mandatory": "false", "order": "6", "logicId": "10", "id": "7", "type": "Text Field", "label": "Your name"}
]}}}""").survey


def ids(questions: list[Question]) -> list[str]:
    return [str(question.id) for question in questions]


def test_every_documented_type_has_a_control() -> None:
    assert [kind_of(q) for q in SURVEY.questions] == [
        "select", "text", "checkbox", "text", "textarea", "radio-inline", "text",
    ]  # fmt: skip


def test_a_question_shows_only_once_an_entry_picked_reveals_it_and_order_is_kept() -> None:
    start = initial_answers(SURVEY)
    assert start["16314710"] == ("Tom",) and start["3"] == ("a",)  # lastKnownValue and checked entries
    assert ids(visible(SURVEY, start)) == ["12786273", "4", "3", "5", "6", "7"]
    assert ids(visible(SURVEY, {**start, "12786273": ("CATS",)}))[:2] == ["12786273", "16314710"]


VALID = {"12786273": ("DOGS",), "4": ("me@example.com",), "6": ("2",)}


def test_mandatory_questions_that_show_need_an_answer() -> None:
    assert problems(SURVEY, {}) == {"12786273": "field_required", "4": "field_required", "6": "field_required"}
    assert problems(SURVEY, VALID) == {}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"12786273": ("CATS",), "16314710": ("  ",)}, {"16314710": "field_required"}),
        ({"4": ("not an address",)}, {"4": "field_email"}),
        ({"5": ("12a",)}, {"5": "field_numeric"}),
        ({"5": ("-12.5",)}, {}),
        ({"12786273": ("FISH",)}, {"12786273": "field_choice"}),
        ({"6": ("1", "2")}, {"6": "field_choice"}),
        ({"7": ("x" * 1001,)}, {"7": "field_too_long"}),
    ],
)
def test_the_rules(change: dict[str, tuple[str, ...]], expected: dict[str, str]) -> None:
    assert problems(SURVEY, {**VALID, **change}) == expected


def test_the_submission_holds_shown_answered_questions_a_checkbox_as_a_list() -> None:
    answers = {
        "12786273": ("DOGS",),
        "16314710": ("Tom",),  # hidden (DOGS reveals nothing): not sent
        "4": ("me@example.com",),
        "3": ("a", "b"),
        "6": ("2",),
        "7": ("",),
    }
    assert submission(SURVEY, answers).wire() == {
        "id": 40216,
        "question": [
            {"id": 12786273, "answer": "DOGS"},
            {"id": 4, "answer": "me@example.com"},
            {"id": 3, "answer": ["a", "b"]},
            {"id": 6, "answer": "2"},
        ],
    }


def test_the_visitor_name_comes_from_the_question_labelled_name_or_the_configured_one() -> None:
    answers = {"7": ("Dana",), "4": ("me@example.com",)}
    assert visitor_name(SURVEY, answers) == "Dana"
    assert visitor_name(SURVEY, answers, question_id="4") == "me@example.com"
    assert visitor_name(SURVEY, {"7": ("",)}) is None
    assert visitor_name(Survey(id=1), {}) is None
