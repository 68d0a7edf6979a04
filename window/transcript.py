"""The transcript (`role=log`): lines appended once each by their stable key, never re-rendered as a whole.

Agent-controlled text goes through `render.py`. Long lines are clamped with "Show more", so nothing an agent sends
can widen the window or push its controls away (the stylesheet wraps any word and `<pre>`).
"""

from __future__ import annotations

from typing import Any

import js
from pyodide.ffi import to_js

from window.bidi import bare_name
from window.render import element, found, link_card, sanitised_html, untrusted_name, untrusted_text
from window.state import Line
from window.strings import text

DELIVERY_NOTES = {"queued": "line_queued", "sending": "line_sending", "retrying": "line_retrying", "sent": "line_sent"}
RETRYABLE_FAILURE = "line_refused"  # the one failure the consumer can undo by sending again (others: the chat ended)
CLAMP_AT = 600  # characters: a longer line is shown clamped, with "Show more"


class Transcript:
    def __init__(self, node: Any) -> None:
        self._node = node
        self._rendered: dict[str, tuple[Line, Any]] = {}
        self._clock: Any = None

    def speak(self, language: str) -> None:
        """Times as the consumer's language writes them (12 or 24 hours, its digits); those shown are rewritten."""
        options = to_js({"hour": "numeric", "minute": "2-digit"}, dict_converter=js.Object.fromEntries)
        self._clock = js.Intl.DateTimeFormat.new(language, options)
        for when in self._node.querySelectorAll("time[datetime]"):
            when.textContent = self._clock.format(js.Date.new(when.getAttribute("datetime")))

    def render(self, lines: tuple[Line, ...]) -> None:
        if not lines and self._rendered:  # a new chat: start from an empty transcript
            self._node.replaceChildren()
            self._rendered.clear()
        children = self._node.children
        moved = False
        for index, line in enumerate(lines):
            seen = self._rendered.get(line.key)
            if seen is None:
                node = self._line_node(line)
            else:
                node = seen[1]
                if seen[0] != line:
                    self._update(node, line)
            self._rendered[line.key] = (line, node)
            if index >= children.length or not children.item(index).isSameNode(node):
                # New, or an unsent line that a server line now precedes (see state._in_server_order).
                self._node.insertBefore(node, children.item(index))
                moved = True
        if moved:
            self.scroll_to_end()

    def scroll_to_end(self) -> None:
        """The transcript alone scrolls (never the page around it, which may be a brand's)."""
        self._node.scrollTop = self._node.scrollHeight

    def _line_node(self, line: Line) -> Any:
        node = element("div", f"line line--{line.source}", data_key=line.key)
        if line.source != "system":
            node.append(untrusted_name("span", label(line), "line__by"))
        if line.format == "url":
            body = element("div", "line__text line__text--card")
            body.append(link_card(line.text, text("link_card_title")))
        elif line.format == "html" and line.source == "agent":
            body = element("div", "line__text", dir="auto")
            body.append(sanitised_html(line.text))
        else:
            body = untrusted_text("div", line.text, "line__text")
        node.append(body)
        if len(line.text) > CLAMP_AT:
            body.classList.add("line__text--clamped")
            more = element("button", "line__more", text("show_more"), type="button", aria_expanded="false")
            node.append(more)
        meta = element("div", "line__meta")
        meta.append(element("time", "line__time"))
        meta.append(element("span", "line__delivery"))
        node.append(meta)
        self._update(node, line)
        return node

    def _update(self, node: Any, line: Line) -> None:
        node.dataset.delivery = line.delivery
        by = node.querySelector(".line__by")
        if found(by) and by.textContent != label(line):
            by.textContent = label(line)  # a server echo may name the consumer as the agent sees them
        when = node.querySelector(".line__time")
        if line.time and when.getAttribute("datetime") != line.time:
            when.setAttribute("datetime", line.time)
            if self._clock is not None:
                when.textContent = self._clock.format(js.Date.new(line.time))
        note = node.querySelector(".line__delivery")
        if line.delivery == "failed":
            note.textContent = text(line.failure or RETRYABLE_FAILURE)
            note.removeAttribute("aria-hidden")  # a line that did not go is worth hearing about
        else:
            note.textContent = text(DELIVERY_NOTES[line.delivery]) if line.source == "visitor" else ""
            note.setAttribute("aria-hidden", "true")  # progress notes would be re-announced in the live log
        retry = node.querySelector(".line__retry")
        if line.delivery == "failed" and line.failure == RETRYABLE_FAILURE:
            if not found(retry):
                node.append(element("button", "line__retry", text("line_retry"), type="button", data_retry=line.key))
        elif found(retry):
            retry.remove()


def label(line: Line) -> str:
    """Who said the line, as shown above it."""
    return bare_name(line.by) or text("agent")


def toggle_more(button: Any) -> None:
    """ "Show more" / "Show less" on a clamped line."""
    expanded = button.getAttribute("aria-expanded") != "true"
    button.setAttribute("aria-expanded", "true" if expanded else "false")
    button.textContent = text("show_less" if expanded else "show_more")
    button.parentElement.querySelector(".line__text").classList.toggle("line__text--clamped", not expanded)
