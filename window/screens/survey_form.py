"""One form renderer for all surveys (pre-chat, offline, exit): accessible fields built from the survey, the
survey's logic applied as the consumer answers, the same rules as the server checked before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from window.events import listen
from window.forms import Answers, initial_answers, key_of, kind_of, ordered, problems, visible
from window.models.survey import Question, Survey
from window.render import element, found, untrusted_text
from window.strings import text

CHOICE_KINDS = ("radio", "radio-inline", "checkbox")


class SurveyForm:
    def __init__(self, survey: Survey, prefix: str, submit_label: str, on_submit: Callable[[Answers], None]) -> None:
        self.survey = survey
        self._prefix = prefix
        self._on_submit = on_submit
        self.node = element("form", "survey", novalidate="", aria_labelledby=f"{prefix}-title")
        if survey.header:
            self.node.append(untrusted_text("p", survey.header, "survey__header"))
        self._fields: dict[str, Any] = {}
        start = initial_answers(survey)
        for question in ordered(survey):
            field = self._field(question, start.get(key_of(question), ()))
            self._fields[key_of(question)] = field
            self.node.append(field)
        self._submit = element("button", "survey__submit", submit_label, type="submit")
        self.node.append(self._submit)
        listen(self.node, "change", lambda _: self.refresh())
        listen(self.node, "input", lambda _: self.refresh())
        listen(self.node, "submit", self._submitted)
        self.refresh()

    def answers(self) -> dict[str, tuple[str, ...]]:
        """What the form holds now, by question id."""
        given: dict[str, tuple[str, ...]] = {}
        for question in self.survey.questions:
            field = self._fields[key_of(question)]
            if kind_of(question) in CHOICE_KINDS:
                given[key_of(question)] = tuple(str(box.value) for box in field.querySelectorAll("input:checked"))
            else:
                control = field.querySelector("input, textarea, select")
                given[key_of(question)] = (str(control.value),) if str(control.value) else ()
        return given

    def refresh(self) -> None:
        """Show the questions the answers reveal, hide the others (their answers are not sent)."""
        shown = {key_of(question) for question in visible(self.survey, self.answers())}
        for key, field in self._fields.items():
            field.hidden = key not in shown

    def set_busy(self, busy: bool) -> None:
        self._submit.disabled = busy
        self.node.setAttribute("aria-busy", "true" if busy else "false")

    def _submitted(self, event: Any) -> None:
        event.preventDefault()
        answers = self.answers()
        found_problems = problems(self.survey, answers)
        first = None
        for key, field in self._fields.items():
            problem = found_problems.get(key)
            error = field.querySelector(".survey__error")
            error.textContent = text(problem) if problem else ""
            for control in field.querySelectorAll("input, textarea, select"):
                control.setAttribute("aria-invalid", "true" if problem else "false")
            if problem and first is None:
                first = field.querySelector("input, textarea, select")
        if first is not None:
            first.focus()  # focus on the first error; its message is tied to it (aria-describedby)
            return
        self._on_submit(answers)

    def _field(self, question: Question, start: tuple[str, ...]) -> Any:
        key = f"{self._prefix}-q{key_of(question)}"
        kind = kind_of(question)
        error_id = f"{key}-error"
        field = element("div", f"survey__field survey__field--{kind}")
        error = element("p", "survey__error", id=error_id)
        if kind in CHOICE_KINDS:
            group = element("fieldset", "survey__choices", aria_describedby=error_id)
            legend = untrusted_text("legend", question.label, "survey__label")
            group.append(legend)
            if question.mandatory:
                legend.append(required_mark())
            for index, entry in enumerate(question.entries):
                choice_id = f"{key}-{index}"
                choice = element("div", "survey__choice")
                box = element(
                    "input",
                    type="checkbox" if kind == "checkbox" else "radio",
                    id=choice_id,
                    name=key,
                    value=entry.value,
                )
                if kind != "checkbox" and question.mandatory:
                    box.required = True
                box.checked = entry.value in start
                label = untrusted_text("label", entry.display_value or entry.value)
                label.setAttribute("for", choice_id)
                choice.append(box, label)
                group.append(choice)
            field.append(group, error)
            return field
        label = untrusted_text("label", question.label, "survey__label")
        label.setAttribute("for", key)
        if question.mandatory:
            label.append(required_mark())
        if kind == "select":
            control = element("select", id=key, name=key)
            control.append(element("option", "", text("field_choose"), value=""))
            for entry in question.entries:
                option = untrusted_text("option", entry.display_value or entry.value)
                option.value = entry.value
                option.selected = entry.value in start
                control.append(option)
        elif kind == "textarea":
            control = element("textarea", id=key, name=key, rows="4", maxlength="1000")
            control.value = start[0] if start else ""
        else:
            validation = (question.validation_type or "").replace("_", "").lower()
            input_type = {"email": "email", "numeric": "text"}.get(validation, "text")
            control = element("input", id=key, name=key, type=input_type, maxlength="1000")
            if validation == "numeric":
                control.setAttribute("inputmode", "decimal")
            if validation == "email":
                control.setAttribute("autocomplete", "email")
            control.value = start[0] if start else ""
        control.setAttribute("aria-describedby", error_id)
        if question.mandatory:
            control.required = True
        field.append(label, control, error)
        return field


def required_mark() -> Any:
    """ " *" to the eye, "(required)" to a screen reader."""
    mark = element("span", "survey__required")
    mark.append(element("span", "", " *", aria_hidden="true"))
    mark.append(element("span", "visually-hidden", f" {text('field_required_hint')}"))
    return mark


def focus_first(form: SurveyForm) -> None:
    first = form.node.querySelector("input, textarea, select")
    if found(first):
        first.focus()
