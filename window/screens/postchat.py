"""After any ending: the transcript stays readable above; here, in this order, the exit survey (submitted once),
"email me the transcript", and "Start a new chat"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import js

from window.events import listen, run
from window.forms import EMAIL, Answers, submission
from window.models.chat import TranscriptRequest
from window.render import element
from window.screens.survey_form import SurveyForm
from window.state import ChatState
from window.strings import text

if TYPE_CHECKING:
    from window.models.survey import Survey
    from window.session import ChatSession

TRANSCRIPT_LINKS = ("transcript-with-subject-request", "transcript-request")


class PostchatScreen:
    def __init__(self, session: ChatSession, brand_name: str) -> None:
        self._session = session
        self._brand_name = brand_name
        self._survey: Survey | None = None
        self._form: SurveyForm | None = None
        self.node = element("section", "screen screen--postchat", aria_labelledby="postchat-title")
        self.node.append(element("h2", "screen__title", text("postchat_title"), id="postchat-title", tabindex="-1"))
        self._exit = element("div", "postchat__exit")
        self._exit_result = element("p", "screen__result", aria_live="polite")
        self._exit.append(self._exit_result)
        self._transcript = self._transcript_form()
        new_chat = element("button", "screen__primary", text("new_chat"), type="button")
        listen(new_chat, "click", lambda _: session.start())
        self.node.append(self._exit, self._transcript, new_chat)

    def render(self, state: ChatState) -> None:
        form = state.form if state.form and state.form.kind == "exit" else None
        status = form.status if form else "none"
        if form is not None and form.survey is not None and form.survey is not self._survey:
            survey = self._survey = form.survey

            def send(answers: Answers) -> None:
                run(self._session.submit_exit(submission(survey, answers)))

            self._form = SurveyForm(survey, "exit", text("exit_submit"), send)
            self._exit.insertBefore(self._form.node, self._exit_result)
        if self._form is not None:
            self._form.node.hidden = status not in ("shown", "sending", "failed")
            self._form.set_busy(status == "sending")
        result = {"sent": "exit_sent", "failed": "form_failed"}.get(status)
        self._exit_result.textContent = text(result) if result else ""
        self._render_transcript(state)

    def shown(self) -> None:
        self.node.querySelector(".screen__title").focus()

    def _transcript_form(self) -> Any:
        form = element("form", "postchat__transcript", novalidate="", aria_labelledby="transcript-title")
        form.append(element("h3", "screen__subtitle", text("transcript_title"), id="transcript-title"))
        label = element("label", "survey__label", text("transcript_email"))
        label.setAttribute("for", "transcript-email")
        email = element(
            "input", id="transcript-email", type="email", autocomplete="email", aria_describedby="transcript-result"
        )
        button = element("button", "survey__submit", text("transcript_send"), type="submit")
        result = element("p", "screen__result", id="transcript-result", aria_live="polite")
        form.append(label, email, button, result)

        def submitted(event: Any) -> None:
            event.preventDefault()
            address = str(email.value).strip()
            if not EMAIL.match(address):
                email.setAttribute("aria-invalid", "true")
                result.textContent = text("field_email")
                email.focus()
                return
            email.setAttribute("aria-invalid", "false")
            offset = int(js.Date.new().getTimezoneOffset()) * 60_000  # [JSSDK]: ms, as JavaScript signs it
            subject = text("transcript_subject", brand=self._brand_name)
            request = TranscriptRequest(email=address, subject=subject, timezone_offset=offset)
            run(self._session.request_transcript(request))

        listen(form, "submit", submitted)
        return form

    def _render_transcript(self, state: ChatState) -> None:
        form = self._transcript
        form.hidden = not any(rel in state.links for rel in TRANSCRIPT_LINKS)
        button = form.querySelector("button")
        email = form.querySelector("input")
        button.disabled = state.transcript in ("sending", "sent")
        email.disabled = state.transcript == "sent"
        message = {"sending": "transcript_sending", "sent": "transcript_sent", "failed": "transcript_failed"}
        if state.transcript is not None:
            form.querySelector(".screen__result").textContent = text(message[state.transcript])


def create(session: ChatSession, config: Any) -> PostchatScreen:
    return PostchatScreen(session, config.display_name())
