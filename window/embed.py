"""The window inside a brand's page (the iframe panel or the popup `static/loader.js` opens): the bridge to it.

Messages both ways name the exact origin and are checked: the window talks only to a brand origin its configuration
lists (`embed_origins`), only with the window that framed or opened it, and only in the documented shapes
(validated here); anything else is logged for the site owner and ignored, never acted on. What it tells the page is
the chat's phase, each new line as text (never HTML), and the number of agent lines the consumer has not seen.
Loaded only when the page is embedded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import js
from pydantic import BaseModel, ConfigDict, Field, JsonValue, TypeAdapter, ValidationError
from pyodide.ffi import to_js

from window.bidi import bare_name, bare_text
from window.events import listen, run
from window.models.engagement import MAX_ATTRIBUTES, LaunchData
from window.render import found, sanitised_html
from window.state import ChatState, Line, Phase

if TYPE_CHECKING:
    from window.attention import Attention
    from window.config import WindowConfig
    from window.session import ChatSession

log = logging.getLogger(__name__)
Mode = Literal["panel", "popup"]


class Command(BaseModel):
    """A call of the page's `LPChatWindow` API, as the loader forwards it."""

    model_config = ConfigDict(extra="forbid")

    lpcw: Literal[1]
    type: Literal["command"]
    name: Literal["start", "shown", "hidden", "setVisitor", "setEngagementAttributes", "launch", "authenticate"]
    detail: JsonValue = None


class Visitor(BaseModel):
    """`setVisitor({name})`: what the page may tell about the consumer."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=60)]


class PageSignIn(BaseModel):
    """The brand page's answer when the window asks it for the consumer's sign-in (the loader calls the page's
    `lpGetAuthenticationToken(callback)`, as LivePerson's tag does): an id_token, or a code with the `redirectUri` it
    was got for; or nothing and why (`callback("", reason)`, or the page has no such method)."""

    model_config = ConfigDict(extra="forbid")

    sso_key: Annotated[str, Field(min_length=1, max_length=16384)] | None = Field(default=None, alias="ssoKey")
    redirect_uri: Annotated[str, Field(pattern=r"^https?://", max_length=2000)] | None = Field(
        default=None, alias="redirectUri"
    )
    reason: Annotated[str, Field(max_length=500)] | None = None


COMMAND = TypeAdapter(Command)


@dataclass(frozen=True)
class Embedding:
    mode: Mode
    host_origin: str  # the brand page's origin: the only one messages go to and come from


def embedding(config: WindowConfig) -> Embedding | None:
    """How this page is embedded, from the address the loader gave it, or None when it is a page of its own (or the
    page that embeds it is not one the configuration allows: then it is said in the console, and nothing is sent)."""
    params = js.URLSearchParams.new(js.location.search)
    mode, host = params.get("embed"), params.get("host")
    if mode not in ("panel", "popup") or not isinstance(host, str):
        return None
    if host not in config.embed_origins:
        js.console.error(f"Chat window: {host[:200]!r} is not in embed_origins; the page will not be answered")
        return None
    ancestors = getattr(js.location, "ancestorOrigins", None)
    if mode == "panel" and ancestors is not None and ancestors.length and ancestors.item(0) != host:
        js.console.error("Chat window: the framing page is not the one its address names; the page is not answered")
        return None
    return Embedding(mode, host)


class Bridge:
    def __init__(self, embedded: Embedding, session: ChatSession, attention: Attention) -> None:
        self._embedded = embedded
        self._session = session
        self._attention = attention
        self._target = js.window.opener if embedded.mode == "popup" else js.window.parent
        self._phase: Phase | None = None
        self._told: set[str] = set()
        attention.panel(hidden=embedded.mode == "panel")  # a panel opens when the page says "shown"
        attention.listeners.append(lambda count: self._post("unread", {"count": count}))
        listen(js.window, "message", self._received)
        listen(js.document, "keydown", self._escape)

    def ready(self, state: ChatState) -> None:
        self._told = {line.key for line in state.lines}  # what was there before the page listened is not news
        self._post("ready")
        self.observe(state)

    def observe(self, state: ChatState) -> None:
        """Called on every state change: tell the page what changed."""
        if state.phase is not self._phase:
            self._phase = state.phase
            self._post("state", {"state": state.phase.value})
            if state.phase is Phase.SIGNIN and state.signin is not None and state.signin.status == "preparing":
                self._post("signin")  # a consumer signed in on the brand's site is not asked again
        fresh = [line for line in state.lines if line.key not in self._told and line.event_id is not None]
        for line in fresh:
            self._told.add(line.key)
            self._post("line", {"source": line.source, "by": bare_name(line.by), "text": plain(line)})

    def _received(self, event: Any) -> None:
        # JavaScript identity of the sender's window (two proxies of one window are not `is`, and `!=` on them is).
        if event.origin != self._embedded.host_origin or not js.Object.is_(event.source, self._target):
            return  # not the page that embeds us: not even worth a log line (any page may post to any window)
        try:
            command = COMMAND.validate_python(event.data.to_py() if hasattr(event.data, "to_py") else event.data)
        except ValidationError as exc:
            log.warning("ignored a message of an unknown shape from the page: %s", reasons(exc, "message"))
            return
        self._act(command)

    def _act(self, command: Command) -> None:
        if command.name == "start":
            if self._session.state.phase is Phase.IDLE:  # reopening the panel never restarts a chat
                run(self._session.start())
        elif command.name in ("shown", "hidden"):
            self._attention.panel(hidden=command.name == "hidden")
            if command.name == "shown":
                focus_composer()
        elif command.name == "setVisitor":
            visitor = checked(Visitor, command.detail, "setVisitor")
            if visitor is not None:
                run(self._session.set_visitor_name(visitor.name))
        elif command.name == "launch":
            launch = checked(LaunchData, command.detail, "launch")
            if launch is not None:
                run(self._session.use_engagement(launch))
        elif command.name == "authenticate":
            self._signed_in_by_page(command.detail)
        elif isinstance(command.detail, list) and len(command.detail) <= MAX_ATTRIBUTES:  # each checked by its model
            run(self._session.add_attributes(command.detail, "setEngagementAttributes"))
        else:
            log.warning("setEngagementAttributes ignored: it takes a list of up to %d attributes", MAX_ATTRIBUTES)

    def _signed_in_by_page(self, detail: JsonValue) -> None:
        given = checked(PageSignIn, detail, "lpGetAuthenticationToken")
        if given is None:
            return
        if given.sso_key is None:  # the consumer signs in here instead
            log.info("the page has no sign-in for the consumer: %s", given.reason or "no reason given")
            return
        from window.signin import SignedIn  # only signed-in chats load it

        run(self._session.use_signin(SignedIn(given.sso_key, given.redirect_uri)))

    def _escape(self, event: Any) -> None:
        if event.key == "Escape" and not found(js.document.querySelector("dialog[open]")):
            self._post("close")

    def _post(self, kind: str, detail: dict[str, Any] | None = None) -> None:
        message = {"lpcw": 1, "type": kind, **({"detail": detail} if detail is not None else {})}
        self._target.postMessage(to_js(message, dict_converter=js.Object.fromEntries), self._embedded.host_origin)


M = TypeVar("M", bound=BaseModel)


def checked(model: type[M], detail: JsonValue, name: str) -> M | None:
    """The page's data as `model`, or None: the fields and reasons go to the console."""
    try:
        return model.model_validate(detail)
    except ValidationError as exc:
        log.warning("%s ignored: %s", name, reasons(exc, name))
        return None


def reasons(exc: ValidationError, name: str) -> str:
    """Where and why the page's data do not fit, briefly; never what they hold (a page's values are not echoed)."""
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc'][:8]) or name}: {error['msg']}"
        for error in exc.errors(include_url=False, include_input=False)[:5]
    )


def plain(line: Line) -> str:
    """A line as text for the page, as the window shows it: an agent's HTML is sanitised and reduced to its text, never
    passed on as HTML."""
    return str(sanitised_html(line.text).textContent) if line.format == "html" else bare_text(line.text)


def focus_composer() -> None:
    message = js.document.getElementById("message")
    if found(message) and not message.disabled:
        message.focus()
