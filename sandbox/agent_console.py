"""The agent console: a page at /console and the small JSON API under /console/api it polls."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from sandbox.bodies import parse_body
from sandbox.chat import Chat
from sandbox.context import store_of
from sandbox.errors import NOT_FOUND, Refusal

CONSOLE_DIR = Path(__file__).parent / "console"
# The page loads only its own script and style: no inline code, no third-party host.
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'"


class AcceptBody(BaseModel):
    agentName: str = Field(min_length=1)


class AgentLineBody(BaseModel):
    text: str = Field(min_length=1)
    html: bool = False


class AgentTypingBody(BaseModel):
    typing: bool


def _chat(request: Request) -> Chat:
    account = store_of(request).account(request.path_params["acct"])
    chat = account.chats.get(request.path_params["chat_id"])
    if chat is None:
        raise Refusal(404, "Chat not found", NOT_FOUND)
    return chat


async def page(request: Request) -> Response:
    return FileResponse(CONSOLE_DIR / "console.html", headers={"Content-Security-Policy": CSP})


async def list_chats(request: Request) -> JSONResponse:
    """Waiting and active chats of every account, oldest first."""
    chats = [chat for _, chat in store_of(request).chats() if chat.state != "ended"]
    return JSONResponse({"chats": [chat.summary() for chat in sorted(chats, key=lambda c: c.started_at)]})


async def chat_detail(request: Request) -> JSONResponse:
    chat = _chat(request)
    return JSONResponse({**chat.summary(), "events": chat.events})


async def accept(request: Request) -> Response:
    chat = _chat(request)
    account = store_of(request).account(chat.account_id)
    chat.accept((await parse_body(request, AcceptBody)).agentName, account.settings.agent_id)
    return Response(status_code=204)


async def send_line(request: Request) -> Response:
    chat = _chat(request)
    line = await parse_body(request, AgentLineBody)
    chat.agent_line(line.text, html=line.html)
    return Response(status_code=204)


async def set_typing(request: Request) -> Response:
    _chat(request).set_agent_typing((await parse_body(request, AgentTypingBody)).typing)
    return Response(status_code=204)


async def end(request: Request) -> Response:
    _chat(request).end_by_agent()
    return Response(status_code=204)


_CHAT = "/console/api/accounts/{acct}/chats/{chat_id}"
routes = [
    Route("/console", page, methods=["GET"]),
    Route("/console/api/chats", list_chats, methods=["GET"]),
    Route(_CHAT, chat_detail, methods=["GET"]),
    Route(_CHAT + "/accept", accept, methods=["POST"]),
    Route(_CHAT + "/lines", send_line, methods=["POST"]),
    Route(_CHAT + "/typing", set_typing, methods=["POST"]),
    Route(_CHAT + "/end", end, methods=["POST"]),
    Mount("/console", StaticFiles(directory=CONSOLE_DIR), name="console-static"),
]
