"""While waiting or chatting: the consumer's name, asked once (when no survey gave it), for the agent and for the
consumer's own lines. Optional: "Not now" puts it away for the rest of the page's life."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from window.events import listen, run
from window.render import element
from window.state import ChatState
from window.strings import text

if TYPE_CHECKING:
    from window.session import ChatSession

NAME_LIMIT = 60


class NameScreen:
    def __init__(self, session: ChatSession) -> None:
        self.dismissed = False
        self.node = element("form", "screen screen--name", novalidate="")
        label = element("label", "survey__label", text("name_prompt"), id="name-label")
        label.setAttribute("for", "visitor-name")
        name = element("input", id="visitor-name", autocomplete="name", maxlength=str(NAME_LIMIT))
        save = element("button", "screen__primary", text("name_save"), type="submit")
        later = element("button", "screen__secondary", text("name_later"), type="button")
        self.node.append(label, name, save, later)

        def saved(event: Any) -> None:
            event.preventDefault()
            if str(name.value).strip():
                run(session.set_visitor_name(str(name.value)))

        def put_away(_: Any) -> None:
            self.dismissed = True
            self.node.hidden = True

        listen(self.node, "submit", saved)
        listen(later, "click", put_away)

    def render(self, state: ChatState) -> None:
        self.node.hidden = self.dismissed or state.visitor_name is not None

    def shown(self) -> None:
        """Never steals the focus from the message box: the name is optional."""


def create(session: ChatSession, config: Any) -> NameScreen:
    return NameScreen(session)
