"""The sign-in screen: the engagement asks for a signed-in consumer, so the brand's OpenID provider first, in a popup
(the provider refuses to be framed, and a window embedded in a brand's page is framed) or by sending the whole page
there and back. The provider's address is ready before the consumer clicks: a popup opens only in a click."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import js

from window.events import listen, run
from window.render import element, found
from window.state import ChatState
from window.strings import text

if TYPE_CHECKING:
    from window.config import WindowConfig
    from window.session import ChatSession

NOTES = {"preparing": "signin_preparing", "waiting": "signin_waiting", "verifying": "signin_verifying"}


class SigninScreen:
    def __init__(self, session: ChatSession, brand_name: str) -> None:
        self._session = session
        self._url: str | None = None
        self._popup = False
        self.node = element("section", "screen screen--signin", aria_labelledby="signin-title")
        self.node.append(element("h2", "screen__title", text("signin_title"), id="signin-title", tabindex="-1"))
        self.node.append(element("p", "screen__text", text("signin_text", brand=brand_name)))
        self._note = element("p", "screen__result", aria_live="polite")
        self._sign_in = element("button", "screen__primary", text("signin_button"), type="button")
        self._again = element("button", "screen__primary", text("signin_again"), type="button")
        self._without = element("button", "screen__secondary", text("signin_without"), type="button")
        self._later = element("button", "screen__secondary", text("prechat_close"), type="button")
        self.node.append(self._note, self._sign_in, self._again, self._without, self._later)
        listen(self._sign_in, "click", self._go)
        listen(self._again, "click", lambda _: session.retry_signin())
        listen(self._without, "click", lambda _: session.chat_without_signin())
        listen(self._later, "click", lambda _: session.close_signin())

    def render(self, state: ChatState) -> None:
        signin = state.signin
        if signin is None:
            return
        self._url, self._popup = signin.url, signin.popup
        failed = signin.status == "failed"
        note = signin.failure if failed else NOTES.get(signin.status)
        self._note.textContent = text(note) if note else ""
        self._sign_in.hidden = signin.status not in ("ready", "waiting")
        self._sign_in.disabled = signin.url is None
        self._again.hidden = not failed or signin.failure == "signin_unconfigured"
        self._without.hidden = not signin.optional

    def shown(self) -> None:
        self.node.querySelector(".screen__title").focus()

    def _go(self, _: Any) -> None:
        url = self._url
        if url is None:
            return
        if not self._popup:
            self._session.signin_opened()  # what the answer must match is kept for the page's return
            js.location.assign(url)
            return
        opened = js.window.open(url, "lp-chat-signin", "popup,width=520,height=700")
        if not found(opened):
            self._session.signin_blocked()
            return
        sign_ins.append(opened)
        self._session.signin_opened()


sign_ins: list[Any] = []  # the provider's popups this window opened: the only windows a sign-in answer may come from


def watch_answers(session: ChatSession) -> None:
    """A sign-in answer comes from static/signin.html in the popup, on this window's own origin, as a message."""

    def received(event: Any) -> None:
        data = event.data
        if event.origin != js.location.origin or not any(js.Object.is_(event.source, popup) for popup in sign_ins):
            return
        href = getattr(data, "href", None) if getattr(data, "lpcw", None) == 1 else None
        if getattr(data, "type", None) != "signin" or not isinstance(href, str):
            return
        from window.signin import parameters  # only signed-in chats load it

        run(session.finish_signin(parameters(href)))

    listen(js.window, "message", received)


def create(session: ChatSession, config: WindowConfig) -> SigninScreen:
    watch_answers(session)
    return SigninScreen(session, config.display_name())
