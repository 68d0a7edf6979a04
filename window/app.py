"""Wires the window together: configuration → API facade → session → view, and DOM events → session commands."""

from __future__ import annotations

from typing import Any

import js

from window.api import ChatApi
from window.browser_store import BrowserSessionStore
from window.config import ConfigError, WindowConfig, parse_config
from window.events import listen
from window.http import HttpRequest, NetworkError
from window.render import found
from window.session import ChatSession
from window.strings import text
from window.transcript import toggle_more
from window.transport_fetch import FetchTransport
from window.view import View, element

CONFIG_FILE = "config.json"


async def load_config(transport: FetchTransport) -> WindowConfig:
    url = str(js.URL.new(CONFIG_FILE, js.location.href).href)
    response = await transport.send(HttpRequest("GET", url))
    if response.status != 200:
        raise ConfigError([f"{CONFIG_FILE}: HTTP {response.status}"])
    return parse_config(response.body)


def bind(session: ChatSession) -> None:
    message = element("message")
    dialog = element("confirm-end")

    def submit(event: Any) -> Any:
        event.preventDefault()
        line = str(message.value)
        message.value = ""
        return session.send(line)

    def enter_sends(event: Any) -> None:
        if event.key == "Enter" and not event.shiftKey and not event.isComposing:
            event.preventDefault()
            element("composer").requestSubmit()

    def on_transcript_click(event: Any) -> Any:
        target = event.target
        retry = target.closest("button[data-retry]")
        if found(retry):
            return session.retry(str(retry.dataset.retry))
        more = target.closest("button.line__more")
        if found(more):
            toggle_more(more)
            return None
        link = target.closest("a[href]")
        if found(link):  # a link from the agent opens in a new tab, never in place of the chat
            event.preventDefault()
            js.window.open(link.href, "_blank", "noopener,noreferrer")
        return None

    def confirm_end(_: Any) -> None:
        dialog.showModal()  # a real modal dialog: focus moves in, Escape cancels, focus returns on close
        element("confirm-end-no").focus()

    def end(_: Any) -> Any:
        dialog.close()
        return session.end()

    listen(element("start"), "click", lambda _: session.start())
    listen(element("transcript"), "click", on_transcript_click)
    listen(element("end"), "click", confirm_end)
    listen(element("confirm-end-no"), "click", lambda _: dialog.close())
    listen(element("confirm-end-yes"), "click", end)
    listen(element("composer"), "submit", submit)
    listen(message, "keydown", enter_sends)
    listen(message, "input", lambda _: session.typing(bool(str(message.value).strip())))


def mark_ready() -> None:
    """Python has taken over the shell: tests and the benchmark wait for this."""
    js.document.documentElement.dataset.ready = "true"


async def start() -> None:
    try:
        config = await load_config(FetchTransport())
    except (ConfigError, NetworkError) as exc:
        details = exc.details if isinstance(exc, ConfigError) else [f"{CONFIG_FILE} could not be loaded: {exc}"]
        js.console.error("Chat window configuration error:\n  " + "\n  ".join(details))
        View(None).show_fatal("error_config")
        mark_ready()
        return
    views: list[View] = []
    session = ChatSession(
        ChatApi(config, FetchTransport(config.request_timeout_seconds)),
        BrowserSessionStore(),
        lambda state: views[0].render(state),
        poll_interval=config.poll_interval_seconds,
        visitor_label=text("you"),
    )
    views.append(View(config.brand_name, session, config))
    bind(session)
    views[0].render(session.state)
    mark_ready()
    await session.resume()
