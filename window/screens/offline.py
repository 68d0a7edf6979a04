"""The offline screen: nobody is available, so the offline survey (a message for later) instead of a dead end; or,
when the account has none, the brand's own words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from window.events import run
from window.forms import Answers, submission
from window.render import element, untrusted_text
from window.screens.survey_form import SurveyForm
from window.state import ChatState
from window.strings import text

if TYPE_CHECKING:
    from window.models.survey import Survey
    from window.session import ChatSession


class OfflineScreen:
    def __init__(self, session: ChatSession, offline_message: str | None) -> None:
        self._session = session
        self._survey: Survey | None = None
        self._form: SurveyForm | None = None
        self.node = element("section", "screen screen--offline", aria_labelledby="offline-title")
        self.node.append(element("h2", "screen__title", text("offline_title"), id="offline-title", tabindex="-1"))
        self._message = untrusted_text("p", offline_message or text("offline_none"), "screen__text")
        self._result = element("p", "screen__result", aria_live="polite")
        self.node.append(self._message, self._result)

    def render(self, state: ChatState) -> None:
        form = state.form
        status = form.status if form else "loading"
        survey = form.survey if form else None
        self._message.hidden = status != "none"
        if survey is not None and survey is not self._survey:
            self._survey = survey

            def send(answers: Answers) -> None:
                run(self._session.submit_offline(submission(survey, answers)))

            self._form = SurveyForm(survey, "offline", text("offline_submit"), send)
            self.node.insertBefore(self._form.node, self._result)
        if self._form is not None:
            self._form.node.hidden = status not in ("shown", "sending", "failed")
            self._form.set_busy(status == "sending")
        result = {"sent": "offline_sent", "failed": "form_failed"}.get(status)
        self._result.textContent = text(result) if result else ""

    def shown(self) -> None:
        self.node.querySelector(".screen__title").focus()


def create(session: ChatSession, config: Any) -> OfflineScreen:
    return OfflineScreen(session, config.offline_message)
