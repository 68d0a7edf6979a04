"""Wires the window together: configuration → API facade → session → view, and DOM events → session commands."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import js
from pyodide.ffi import jsnull

from window.api import ChatApi
from window.attention import Attention, in_title
from window.browser_store import BrowserSessionStore
from window.config import ConfigError, Theme, WindowConfig, parse_config
from window.events import listen
from window.http import HttpRequest, NetworkError
from window.render import found
from window.session import ChatSession, ChatTabs, SignInSetup
from window.state import ChatState, Phase
from window.strings import choose, text, use
from window.transcript import toggle_more
from window.transport_fetch import FetchTransport
from window.view import View, element

if TYPE_CHECKING:
    from window.embed import Bridge

CONFIG_FILE = "config.json"
CHAT_KEY = "lp-chat-window:chat"  # the chat that survives a reload (sessionStorage)
SIGNIN_KEY = "lp-chat-window:signin"  # a sign-in under way across a redirect: what its answer must match


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


def browser_languages() -> list[str]:
    return [str(tag) for tag in js.navigator.languages] or [str(js.navigator.language)]


def use_language(config: WindowConfig | None, engagement_language: str | None = None) -> str:
    """Choose the window's language (strings.choose) and use its catalog, with the brand's own texts for it."""
    chosen = choose(config.language if config else None, engagement_language, browser_languages())
    use(chosen, {**config.texts.get("*", {}), **config.texts.get(chosen, {})} if config else {})
    return chosen


async def start() -> None:
    try:
        config = await load_config(FetchTransport())
    except (ConfigError, NetworkError) as exc:
        details = exc.details if isinstance(exc, ConfigError) else [f"{CONFIG_FILE} could not be loaded: {exc}"]
        js.console.error("Chat window configuration error:\n  " + "\n  ".join(details))
        view = View()
        view.speak(use_language(None))
        view.show_fatal("error_config")
        mark_ready()
        return
    spoken = use_language(config)
    # The chat's language when the engagement names none: the consumer's, as their browser says it (e.g. he-IL).
    chat_language = config.language or next(
        (tag for tag in browser_languages() if choose(None, None, [tag]) == spoken), spoken
    )
    observers: list[Callable[[ChatState], None]] = []

    def changed(state: ChatState) -> None:
        for observe in observers:
            observe(state)

    session = ChatSession(
        ChatApi(config.model_copy(update={"language": chat_language}), FetchTransport(config.request_timeout_seconds)),
        BrowserSessionStore(CHAT_KEY),
        changed,
        poll_interval=config.poll_interval_seconds,
        visitor_label=text("you"),
        signin=signin_setup(config),
        tabs=browser_tabs,
    )
    view = View(session, config)
    view.speak(spoken)
    if config.theme != Theme():
        from window.theme import apply  # only a branded window loads it

        apply(config.theme)

    def follow_engagement_language(state: ChatState) -> None:
        nonlocal spoken
        if config.language is None and state.language and choose(None, state.language, browser_languages()) != spoken:
            spoken = use_language(config, state.language)
            view.speak(spoken)

    attention = Attention(config.sound)
    observers += [follow_engagement_language, view.render, attention.observe]
    if "embed=" not in str(js.location.search):  # a page of its own: the count goes in its title
        attention.listeners.append(lambda unread: setattr(js.document, "title", in_title(view.title, unread)))
    bind(session)
    view.render(session.state)
    mark_ready()  # from here on Python's handlers own the composer: nothing typed goes to boot.js any more
    typed = early_lines()
    if config.engagement_attributes:
        await session.add_attributes(config.engagement_attributes, CONFIG_FILE)
    answer = signin_answer()
    if answer is not None:  # back from the provider, the page sent there: the sign-in goes on where it stopped
        await session.resume_signin(answer)
    else:
        await session.resume()
    bridge = bridge_to_page(config, session, attention)
    if bridge is not None and session.state.phase is Phase.IDLE:
        await adopt_dormant_engagement(session)
    if bridge is not None:
        observers.append(bridge.observe)
        bridge.ready(session.state)
    await session.send(*typed)  # after a reload they join the resumed chat; else they ask for one


SIGNIN_PARAMETERS = ("code", "id_token", "error", "error_description", "state", "iss", "session_state", "scope")


def signin_answer() -> dict[str, str] | None:
    """The provider's answer in this page's address (a sign-in by redirect), taken out of the address bar at once so
    no code or token stays in it (or in the history); None when there is none."""
    if "state=" not in str(js.location.search) + str(js.location.hash):
        return None
    from window.signin import parameters  # only signed-in chats load it

    found = parameters(str(js.location.href))
    if "state" not in found or not {"code", "id_token", "error"} & found.keys():
        return None
    kept = js.URLSearchParams.new(js.location.search)
    for name in SIGNIN_PARAMETERS:
        kept.delete(name)
    rest = str(kept.toString())
    js.history.replaceState(None, "", f"{js.location.pathname}{'?' + rest if rest else ''}")
    return found


def signin_setup(config: WindowConfig) -> SignInSetup | None:
    """How this window signs consumers in, when configured to: in a popup when framed (providers refuse frames; by
    option always), its answer coming to static/signin.html beside the page; else by a redirect of the page, the
    answer coming to the page itself. The provider must know each address exactly (or `auth.redirect_uri`)."""
    auth = config.auth
    if auth is None:
        return None
    framed = not js.Object.is_(js.window.self, js.window.top)
    popup = auth.mode == "popup" or (auth.mode == "auto" and framed)
    page = f"{js.location.origin}{js.location.pathname}"
    default = str(js.URL.new("static/signin.html", page).href) if popup else page
    redirect = str(auth.redirect_uri) if auth.redirect_uri else default
    return SignInSetup(auth, redirect, popup, BrowserSessionStore(SIGNIN_KEY))


async def browser_tabs() -> ChatTabs:
    """The other tabs of this browser showing the same chat (a duplicated tab resumes it too): one polls, the others
    follow. The module is imported once a chat is stored or requested."""
    from window.tabs import BrowserTabs

    return await BrowserTabs.claim()


ENGAGEMENT_WAIT_SECONDS = 3.0  # at most, for engage.js's engagement; past that the chat asks for one itself


async def adopt_dormant_engagement(session: ChatSession) -> None:
    """The engagement engage.js asked for while this window was dormant (the unmonitored flow, in a panel): the chat
    is requested in that session, not in a second one (another visitor on the agents' side)."""
    pending = getattr(js.window, "lpcwEngagement", None)
    if pending is None:
        return
    try:
        launch = await asyncio.wait_for(pending, ENGAGEMENT_WAIT_SECONDS)
    except TimeoutError:
        return
    if launch is None or launch is jsnull:
        return
    from window.embed import checked  # embedded windows only
    from window.models.engagement import LaunchData

    data = checked(LaunchData, launch.to_py(), "the engagement")
    if data is not None:
        await session.use_engagement(data)


def bridge_to_page(config: WindowConfig, session: ChatSession, attention: Attention) -> Bridge | None:
    """The bridge to the brand's page when the window is embedded (its module is imported only then)."""
    if "embed=" not in str(js.location.search):
        return None
    from window.embed import Bridge, embedding

    where = embedding(config)
    return Bridge(where, session, attention) if where is not None else None
