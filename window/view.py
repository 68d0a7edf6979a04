"""Renders a `ChatState` into the window's DOM (the shell in index.html), and nothing else.

Every string from the server goes in as text (`textContent`), except agent lines the API marks `html`,
which go through DOMPurify (vendored) and are inserted as a sanitised DOM fragment, never as markup.
"""

from __future__ import annotations

from typing import Any

import js
from pyodide.ffi import jsnull, to_js

from window.state import LIVE_PHASES, ChatState, Line, Phase
from window.strings import text, wait_phrase

DELIVERY_NOTES = {"queued": "line_queued", "sending": "line_sending", "retrying": "line_retrying"}
RETRYABLE_FAILURE = "line_refused"  # the one failure the consumer can undo by sending again (others: the chat ended)
STARTABLE = frozenset({Phase.IDLE, Phase.ENDED, Phase.UNAVAILABLE, Phase.ERROR})


def element(element_id: str) -> Any:
    return js.document.getElementById(element_id)


def found(node: Any) -> bool:
    """Whether a DOM query found something: a miss comes back as JavaScript null (`jsnull`), not None."""
    return node is not None and node is not jsnull


class View:
    def __init__(self, brand_name: str | None) -> None:
        self._root = js.document.documentElement
        self._status = element("status")
        self._agent = element("agent")
        self._typing = element("typing")
        self._transcript = element("transcript")
        self._start = element("start")
        self._message = element("message")
        self._send = element("send")
        self._end = element("end")
        self._rendered: dict[str, tuple[Line, Any]] = {}
        if brand_name:  # else the shell's own title stays
            element("brand").textContent = brand_name
            js.document.title = brand_name

    def render(self, state: ChatState) -> None:
        self._root.dataset.state = state.phase.value
        agent = state.agent_name or text("agent")
        wait = wait_phrase(state.wait_seconds or 0)
        self._set_text(self._status, text(state.notice, agent=agent, wait=wait))
        self._set_text(self._agent, state.agent_name or "")
        self._typing.hidden = not state.agent_typing
        self._set_text(self._typing, text("agent_typing", agent=agent) if state.agent_typing else "")
        live = state.phase in LIVE_PHASES
        self._start.hidden = state.phase not in STARTABLE
        self._start.disabled = state.phase not in STARTABLE
        self._message.disabled = not live
        self._send.disabled = not live
        self._end.disabled = not live
        self._render_lines(state.lines)

    def show_fatal(self, notice: str) -> None:
        """The window cannot work at all (wrong configuration): say so, keep the shell, disable the controls."""
        self._root.dataset.state = Phase.ERROR.value
        self._set_text(self._status, text(notice))
        for control in (self._start, self._message, self._send, self._end):
            control.disabled = True

    def _render_lines(self, lines: tuple[Line, ...]) -> None:
        if not lines and self._rendered:  # a new chat: start from an empty transcript
            self._transcript.replaceChildren()
            self._rendered.clear()
        children = self._transcript.children
        for index, line in enumerate(lines):
            seen = self._rendered.get(line.key)
            if seen is None:
                node = self._line_node(line)
                self._rendered[line.key] = (line, node)
            else:
                node = seen[1]
                if seen[0].delivery != line.delivery:
                    self._set_delivery(node, line)
                    self._rendered[line.key] = (line, node)
            if index >= children.length or not children.item(index).isSameNode(node):
                # New, or an unsent line that a server line now precedes (see state._in_server_order).
                self._transcript.insertBefore(node, children.item(index))
                node.scrollIntoView(to_js({"block": "end"}, dict_converter=js.Object.fromEntries))

    def _line_node(self, line: Line) -> Any:
        node = js.document.createElement("div")
        node.className = f"line line--{line.source}"
        node.dataset.key = line.key
        if line.source != "system":
            by = js.document.createElement("span")
            by.className = "line__by"
            by.textContent = text("you") if line.source == "visitor" else line.by
            node.append(by)
        body = js.document.createElement("div")
        body.className = "line__text"
        if line.html and line.source == "agent" and hasattr(js, "DOMPurify"):
            body.append(sanitised_fragment(line.text))  # without the sanitiser (failed to load), markup stays text
        else:
            body.textContent = line.text
        node.append(body)
        note = js.document.createElement("span")
        note.className = "line__delivery"
        node.append(note)
        self._set_delivery(node, line)
        return node

    def _set_delivery(self, node: Any, line: Line) -> None:
        node.dataset.delivery = line.delivery
        note = node.querySelector(".line__delivery")
        if line.delivery == "failed":
            note.textContent = text(line.failure or RETRYABLE_FAILURE)
        else:
            note.textContent = text(DELIVERY_NOTES[line.delivery]) if line.delivery in DELIVERY_NOTES else ""
        retry = node.querySelector(".line__retry")
        if line.delivery == "failed" and line.failure == RETRYABLE_FAILURE:
            if not found(retry):
                retry = js.document.createElement("button")
                retry.type = "button"
                retry.className = "line__retry"
                retry.dataset.retry = line.key
                retry.textContent = text("line_retry")
                node.append(retry)
        elif found(retry):
            retry.remove()

    @staticmethod
    def _set_text(node: Any, value: str) -> None:
        if node.textContent != value:  # unchanged text is not re-announced by the live regions
            node.textContent = value


# Agent HTML keeps text formatting and links; no images, forms, styles or scripts (nothing that loads or runs).
ALLOWED_TAGS = ["a", "b", "strong", "i", "em", "u", "s", "br", "p", "div", "span", "ul", "ol", "li", "code", "pre"]
ALLOWED_ATTR = ["href", "title"]


def sanitised_fragment(html: str) -> Any:
    options = {"RETURN_DOM_FRAGMENT": True, "ALLOWED_TAGS": ALLOWED_TAGS, "ALLOWED_ATTR": ALLOWED_ATTR}
    return js.DOMPurify.sanitize(html, to_js(options, dict_converter=js.Object.fromEntries))
