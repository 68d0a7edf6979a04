"""Wires the window together: configuration → API facade → session → view, and DOM events → session commands."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import js
from pyodide.ffi import create_proxy

from window.api import ChatApi
from window.browser_store import BrowserSessionStore
from window.config import ConfigError, WindowConfig, parse_config
from window.http import HttpRequest, NetworkError
from window.session import ChatSession
from window.strings import text
from window.transport_fetch import FetchTransport
from window.view import View, element, found

log = logging.getLogger(__name__)
CONFIG_FILE = "config.json"
_listeners: list[Any] = []  # keeps the JS proxies of our handlers alive for the page's lifetime


async def load_config(transport: FetchTransport) -> WindowConfig:
    url = str(js.URL.new(CONFIG_FILE, js.location.href).href)
    response = await transport.send(HttpRequest("GET", url))
    if response.status != 200:
        raise ConfigError([f"{CONFIG_FILE}: HTTP {response.status}"])
    return parse_config(response.body)


def on(element_id: str, event: str, handler: Callable[[Any], Coroutine[Any, Any, None] | None]) -> None:
    def guarded(dom_event: Any) -> None:
        try:
            result = handler(dom_event)
            if result is not None:
                asyncio.ensure_future(result).add_done_callback(_report)
        except Exception:  # a bug must never surface as a traceback in the consumer's window
            log.exception("handler for %s %s failed", element_id, event)

    proxy = create_proxy(guarded)
    _listeners.append(proxy)
    element(element_id).addEventListener(event, proxy)


def _report(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("command failed", exc_info=task.exception())


def bind(session: ChatSession) -> None:
    message = element("message")

    def submit(event: Any) -> Coroutine[Any, Any, None]:
        event.preventDefault()
        line = str(message.value)
        message.value = ""
        return session.send(line)

    def enter_sends(event: Any) -> None:
        if event.key == "Enter" and not event.shiftKey and not event.isComposing:
            event.preventDefault()
            element("composer").requestSubmit()

    def on_transcript_click(event: Any) -> Coroutine[Any, Any, None] | None:
        retry = event.target.closest("button[data-retry]")
        if found(retry):
            return session.retry(str(retry.dataset.retry))
        link = event.target.closest("a[href]")
        if found(link):  # a link from the agent opens in a new tab, never in place of the chat
            event.preventDefault()
            js.window.open(link.href, "_blank", "noopener,noreferrer")
        return None

    on("start", "click", lambda _: session.start())
    on("transcript", "click", on_transcript_click)
    on("end", "click", lambda _: session.end())
    on("composer", "submit", submit)
    on("message", "keydown", enter_sends)
    on("message", "input", lambda _: session.typing(bool(str(message.value).strip())))


def mark_ready() -> None:
    """Python has taken over the shell: tests and the benchmark wait for this."""
    js.document.documentElement.dataset.ready = "true"


async def start() -> None:
    transport = FetchTransport()
    try:
        config = await load_config(transport)
    except (ConfigError, NetworkError) as exc:
        details = exc.details if isinstance(exc, ConfigError) else [f"{CONFIG_FILE} could not be loaded: {exc}"]
        js.console.error("Chat window configuration error:\n  " + "\n  ".join(details))
        View(None).show_fatal("error_config")
        mark_ready()
        return
    transport = FetchTransport(config.request_timeout_seconds)
    view = View(config.brand_name)
    session = ChatSession(
        ChatApi(config, transport),
        BrowserSessionStore(),
        view.render,
        poll_interval=config.poll_interval_seconds,
        visitor_label=text("you"),
    )
    bind(session)
    view.render(session.state)
    mark_ready()
    await session.resume()
