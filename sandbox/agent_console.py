"""The agent console: a page at /console and the small JSON API under /console/api it polls."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from pydantic import BaseModel, Field, HttpUrl, model_validator
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from sandbox import agent_actions
from sandbox.bodies import parse_body
from sandbox.chat import Chat
from sandbox.chat_summary import details, summary
from sandbox.context import chat_api_origin, store_of
from sandbox.errors import NOT_FOUND, Refusal
from sandbox.fault_api import faults_of
from sandbox.store import Account

CONSOLE_DIR = Path(__file__).parent / "console"
ASSETS = ("console.css", "console.js", "funnel.js")
# The page loads only its own script and style: no inline code, no third-party host.
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'"


class AcceptBody(BaseModel):
    agentName: str = Field(min_length=1)


class AgentLineBody(BaseModel):
    text: str = Field(min_length=1)
    html: bool = False


class AgentTypingBody(BaseModel):
    typing: bool


class PushUrlBody(BaseModel):
    url: HttpUrl


class TransferBody(BaseModel):
    """To another agent (`agentName`), another skill (`skill`), or a skill of another account (`account` + `skill`)."""

    agentName: str | None = Field(None, min_length=1)
    skill: str | None = Field(None, min_length=1)
    account: str | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _one_target(self) -> TransferBody:
        if (self.agentName is None) == (self.skill is None):
            raise ValueError("name either agentName or skill")
        if self.account is not None and self.skill is None:
            raise ValueError("a transfer to another account names its skill")
        return self


def _chat(request: Request) -> tuple[Account, Chat]:
    account = store_of(request).account(request.path_params["acct"])
    chat = account.chats.get(request.path_params["chat_id"])
    if chat is None:
        raise Refusal(404, "Chat not found", NOT_FOUND)
    return account, chat


def _page(file_name: str) -> Callable[[Request], Awaitable[Response]]:
    """A page of the console, under its strict CSP."""

    async def serve(request: Request) -> Response:
        return FileResponse(CONSOLE_DIR / file_name, headers={"Content-Security-Policy": CSP})

    return serve


def _asset(file_name: str) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        return FileResponse(CONSOLE_DIR / file_name, headers={"Cache-Control": "no-cache"})

    return serve


async def list_chats(request: Request) -> JSONResponse:
    """Waiting and active chats of every account, oldest first."""
    chats = [chat for _, chat in store_of(request).chats() if chat.state != "ended"]
    return JSONResponse({"chats": [summary(chat) for chat in sorted(chats, key=lambda c: c.started_at)]})


async def chat_detail(request: Request) -> JSONResponse:
    account, chat = _chat(request)
    skills = [skill.name for skill in account.settings.skills]
    return JSONResponse(
        {**details(account, chat), "skills": skills, "faults": faults_of(request).views(account.account_id)}
    )


async def accept(request: Request) -> Response:
    account, chat = _chat(request)
    agent_actions.accept(account, chat, (await parse_body(request, AcceptBody)).agentName)
    return Response(status_code=204)


async def send_line(request: Request) -> Response:
    _, chat = _chat(request)
    line = await parse_body(request, AgentLineBody)
    chat.agent_line(line.text, html=line.html)
    return Response(status_code=204)


async def push_url(request: Request) -> Response:
    _, chat = _chat(request)
    chat.push_url(str((await parse_body(request, PushUrlBody)).url))
    return Response(status_code=204)


async def transfer(request: Request) -> Response:
    account, chat = _chat(request)
    target = await parse_body(request, TransferBody)
    if target.agentName is not None:
        agent_actions.transfer_to_agent(account, chat, target.agentName)
    elif target.account is not None and target.skill is not None:
        store = store_of(request)
        agent_actions.transfer_to_account(store, chat, target.account, target.skill, chat_api_origin(request))
    elif target.skill is not None:
        agent_actions.transfer_to_skill(account, chat, target.skill)
    return Response(status_code=204)


async def set_typing(request: Request) -> Response:
    _, chat = _chat(request)
    chat.set_agent_typing((await parse_body(request, AgentTypingBody)).typing)
    return Response(status_code=204)


async def end(request: Request) -> Response:
    _, chat = _chat(request)
    chat.end_by_agent()
    return Response(status_code=204)


_CHAT = "/console/api/accounts/{acct}/chats/{chat_id}"
routes = [
    Route("/console", _page("console.html"), methods=["GET"]),
    # The funnel of the account in `?account=`; its JSON is the control API's `…/funnel`.
    Route("/console/funnel", _page("funnel.html"), methods=["GET"]),
    Route("/console/api/chats", list_chats, methods=["GET"]),
    Route(_CHAT, chat_detail, methods=["GET"]),
    Route(_CHAT + "/accept", accept, methods=["POST"]),
    Route(_CHAT + "/lines", send_line, methods=["POST"]),
    Route(_CHAT + "/url", push_url, methods=["POST"]),
    Route(_CHAT + "/transfer", transfer, methods=["POST"]),
    Route(_CHAT + "/typing", set_typing, methods=["POST"]),
    Route(_CHAT + "/end", end, methods=["POST"]),
    # Its scripts and stylesheet one by one: the pages are served only above, under their policy.
    *(Route(f"/console/{name}", _asset(name), methods=["GET"]) for name in ASSETS),
]
