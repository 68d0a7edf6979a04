"""Wires the window together: configuration → API facade → session → view, and DOM events → session commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import js

from window.api import ChatApi
from window.browser_store import BrowserSessionStore
from window.config import ConfigError, WindowConfig, parse_config
from window.events import listen
from window.http import HttpRequest, NetworkError
from window.render import found
from window.session import ChatSession
from window.state import ChatState
from window.strings import text
from window.transcript import toggle_more
from window.transport_fetch import FetchTransport
from window.view import View, element

if TYPE_CHECKING:
    from window.embed import Bridge

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


def early_lines() -> list[str]:
    """What the consumer sent before Python was ready (static/boot.js shows each at once, marked `data-early`), in
    order; taken out of the transcript, to be queued and sent like any other line."""
    texts = []
    for node in js.document.querySelectorAll("#transcript > [data-early]"):
        texts.append(str(node.textContent))
        node.remove()
    return texts


async def start() -> None:
    try:
        config = await load_config(FetchTransport())
    except (ConfigError, NetworkError) as exc:
        details = exc.details if isinstance(exc, ConfigError) else [f"{CONFIG_FILE} could not be loaded: {exc}"]
        js.console.error("Chat window configuration error:\n  " + "\n  ".join(details))
        View(None).show_fatal("error_config")
        mark_ready()
        return
    observers: list[Callable[[ChatState], None]] = []

    def changed(state: ChatState) -> None:
        for observe in observers:
            observe(state)

    session = ChatSession(
        ChatApi(config, FetchTransport(config.request_timeout_seconds)),
        BrowserSessionStore(),
        changed,
        poll_interval=config.poll_interval_seconds,
        visitor_label=text("you"),
    )
    view = View(config.brand_name, session, config)
    observers.append(view.render)
    bind(session)
    view.render(session.state)
    mark_ready()  # from here on Python's handlers own the composer: nothing typed goes to boot.js any more
    typed = early_lines()
    if config.engagement_attributes:
        await session.add_attributes(config.engagement_attributes, CONFIG_FILE)
    await session.resume()
    bridge = bridge_to_page(config, session)
    if bridge is not None:
        observers.append(bridge.observe)
        bridge.ready(session.state)
    await session.send(*typed)  # after a reload they join the resumed chat; else they ask for one


def bridge_to_page(config: WindowConfig, session: ChatSession) -> Bridge | None:
    """The bridge to the brand's page when the window is embedded (its module is imported only then)."""
    if "embed=" not in str(js.location.search):
        return None
    from window.embed import Bridge, embedding

    where = embedding(config)
    return Bridge(where, session) if where is not None else None
