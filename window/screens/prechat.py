"""The pre-chat screen: the engagement's survey, answered before the chat is requested (the answers go with it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from window.events import listen, run
from window.forms import Answers, submission, visitor_name
from window.render import element
from window.screens.survey_form import SurveyForm, focus_first
from window.state import ChatState
from window.strings import text

if TYPE_CHECKING:
    from window.models.survey import Survey
    from window.session import ChatSession


class PrechatScreen:
    def __init__(self, session: ChatSession, name_question: str | None) -> None:
        self._session = session
        self._name_question = name_question
        self._survey: Survey | None = None
        self._form: SurveyForm | None = None
        self.node = element("section", "screen screen--prechat", aria_labelledby="prechat-title")
        self.node.append(element("h2", "screen__title", text("prechat_title"), id="prechat-title"))
        close = element("button", "screen__secondary", text("prechat_close"), type="button")
        listen(close, "click", lambda _: session.close_prechat())
        self._close = close

    def render(self, state: ChatState) -> None:
        survey = state.form.survey if state.form else None
        if survey is None or survey is self._survey:
            return
        self._survey = survey

        def send(answers: Answers) -> None:
            assert self._form is not None
            self._form.set_busy(True)
            name = visitor_name(survey, answers, self._name_question)
            run(self._session.submit_prechat(submission(survey, answers), name))

        if self._form is not None:
            self._form.node.remove()
        self._form = SurveyForm(survey, "prechat", text("prechat_submit"), send)
        self.node.append(self._form.node)
        self.node.append(self._close)

    def shown(self) -> None:
        if self._form is not None:
            focus_first(self._form)


def create(session: ChatSession, config: Any) -> PrechatScreen:
    return PrechatScreen(session, config.visitor_name_question)
