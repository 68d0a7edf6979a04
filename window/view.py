"""Renders a `ChatState` into the window's DOM (the shell in index.html): the header, the status line, the
transcript, the controls, and the screen of the state, if it has one (pre-chat, offline, post-chat, the name).

Screens are imported the first time their state comes (`window/screens/`), so start-up loads none of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol

import js

from window.bidi import bare_name
from window.render import found, put_name, put_sentence
from window.state import LIVE_PHASES, ChatState, Phase
from window.strings import direction, text, wait_phrase
from window.transcript import Transcript

if TYPE_CHECKING:
    from window.config import WindowConfig
    from window.session import ChatSession

STARTABLE = frozenset({Phase.IDLE, Phase.UNAVAILABLE, Phase.ERROR})
# The composer takes lines from the first paint (static/boot.js) until the chat is over: typed before an agent is
# there, they wait and go in order once one is.
TYPING = frozenset({Phase.IDLE, Phase.ENGAGEMENT, Phase.REQUESTING, *LIVE_PHASES})
SCREENS = {
    Phase.SIGNIN: "signin",
    Phase.PRECHAT: "prechat",
    Phase.UNAVAILABLE: "offline",
    Phase.ENDED: "postchat",
    Phase.WAITING: "name",
    Phase.CHATTING: "name",
}
NAME_IN_SENTENCE = 40  # characters of an agent's name in the status sentence; the header clamps it with CSS
# The shell's own words (index.html paints them in English before Python runs): element id, attribute (None: its
# text), catalog key.
SHELL_TEXTS = (
    ("start", None, "chat_now"),
    ("message-label", None, "message_label"),
    ("message", "placeholder", "message_placeholder"),
    ("composer-hint", None, "composer_hint"),
    ("send", None, "send"),
    ("end", None, "end_chat"),
    ("transcript", "aria-label", "transcript_label"),
    ("confirm-end-title", None, "end_title"),
    ("confirm-end-text", None, "end_text"),
    ("confirm-end-no", None, "end_keep"),
    ("confirm-end-yes", None, "end_confirm"),
)


class Screen(Protocol):
    node: Any

    def render(self, state: ChatState) -> None: ...
    def shown(self) -> None: ...


def element(element_id: str) -> Any:
    return js.document.getElementById(element_id)


class View:
    def __init__(self, session: ChatSession | None = None, config: WindowConfig | None = None):
        self._root = js.document.documentElement
        self._session = session
        self._config = config
        self._status = element("status")
        self._agent = element("agent")
        self._avatar = element("avatar")
        self._typing = element("typing")
        self._start = element("start")
        self._composer = element("composer")
        self._message = element("message")
        self._send = element("send")
        self._end = element("end")
        self._panel = element("panel")
        self._transcript = Transcript(element("transcript"))
        self._screens: dict[str, Screen] = {}
        self._showing: str | None = None
        self.title = ""  # the page's title, without an unread count
        logo = config.theme.logo if config else None
        if logo:
            element("logo").src = logo
            element("logo").hidden = False

    def speak(self, language: str) -> None:
        """Say everything in `language` from now on (its catalog is in use): the page's language and direction, the
        shell's words, the times; screens not on show are made anew in it when next shown."""
        self._root.lang = language
        self._root.dir = direction(language)
        for element_id, attribute, key in SHELL_TEXTS:
            node = element(element_id)
            if attribute is None:
                node.textContent = text(key)
            else:
                node.setAttribute(attribute, text(key))
        self.title = self._config.display_name() if self._config else text("brand_default")
        element("brand").textContent = self.title
        js.document.title = self.title
        self._transcript.speak(language)
        self._screens = {name: screen for name, screen in self._screens.items() if name == self._showing}

    def render(self, state: ChatState) -> None:
        self._root.dataset.state = state.phase.value
        agent = short(bare_name(state.agent_name or "")) or text("agent")
        wait = wait_phrase(state.wait_seconds or 0)
        put_sentence(self._status, state.notice, agent, wait=wait)  # the agent's name is isolated in it
        put_name(self._agent, state.agent_name or "")
        self._avatar.hidden = not (state.agent_name and self._config and self._config.theme.avatar)
        self._set_text(self._avatar, initials(bare_name(state.agent_name or "")))
        self._typing.hidden = not state.agent_typing
        if state.agent_typing:
            put_sentence(self._typing, "agent_typing", agent)
        else:
            self._set_text(self._typing, "")
        typing = state.phase in TYPING
        self._start.hidden = state.phase not in STARTABLE
        self._start.disabled = state.phase not in STARTABLE
        self._composer.hidden = not typing
        self._message.disabled = not typing
        self._send.disabled = not typing
        self._end.disabled = state.phase not in LIVE_PHASES
        self._transcript.render(state.lines)
        self._render_screen(state)
        self._keep_focus()

    def _keep_focus(self) -> None:
        """What had the focus went away (a screen closed, "Chat now" hid): the message box takes it, if the consumer
        is in this window (an embedded one never takes the focus from the brand's page)."""
        active = js.document.activeElement
        lost = not found(active) or js.Object.is_(active, js.document.body) or not active.isConnected
        if lost and js.document.hasFocus() and not self._message.disabled and not self._composer.hidden:
            self._message.focus()

    def show_fatal(self, notice: str) -> None:
        """The window cannot work at all (wrong configuration): say so, keep the shell, disable the controls."""
        self._root.dataset.state = Phase.ERROR.value
        self._set_text(self._status, text(notice))
        for control in (self._start, self._message, self._send, self._end):
            control.disabled = True

    def _render_screen(self, state: ChatState) -> None:
        name = SCREENS.get(state.phase)
        screen = self._screen(name) if name is not None else None
        if screen is not None:
            screen.render(state)
        self._panel.hidden = screen is None or bool(screen.node.hidden)  # before focusing in it: hidden can't focus
        if name != self._showing:
            self._panel.replaceChildren(*([screen.node] if screen is not None else []))
            if screen is not None:
                screen.shown()
        if name == "postchat":  # whenever the offers change their room: the ended chat reads to its last line
            self._transcript.scroll_to_end()
        self._showing = name

    def _screen(self, name: str) -> Screen | None:
        """The screen called `name`, made when its state first comes (its module imported then)."""
        if self._session is None:
            return None
        if name not in self._screens:
            module = importlib.import_module(f"window.screens.{name}")
            self._screens[name] = module.create(self._session, self._config)
        return self._screens[name]

    @staticmethod
    def _set_text(node: Any, value: str) -> None:
        if node.textContent != value:  # unchanged text is not re-announced by the live regions
            node.textContent = value


def initials(name: str) -> str:
    """The agent's avatar when there is no picture: the first letters of their first two names."""
    return "".join(word[0] for word in name.split()[:2]).upper()


def short(name: str) -> str:
    """An agent's name, cut to fit a sentence (an agent name of thousands of characters must not hide the window)."""
    return name if len(name) <= NAME_IN_SENTENCE else name[: NAME_IN_SENTENCE - 1] + "…"
