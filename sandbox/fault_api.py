"""The control API's fault routes (docs/sandbox.md "Faults"): an account's faults, a restart that forgets its chats,
and the sandbox's clock, moved on when it is a `VirtualClock`."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox.bodies import parse_body
from sandbox.clock import VirtualClock, iso
from sandbox.context import store_of
from sandbox.errors import NOT_FOUND, Refusal
from sandbox.faults import FaultBook, FaultRequest


def faults_of(request: Request) -> FaultBook:
    book: FaultBook = request.app.state.faults
    return book


async def list_faults(request: Request) -> JSONResponse:
    return JSONResponse({"faults": faults_of(request).views(request.path_params["acct"])})


async def add_fault(request: Request) -> JSONResponse:
    book = faults_of(request)
    fault = book.add(request.path_params["acct"], (await parse_body(request, FaultRequest)).root)
    return JSONResponse(fault.view(book.clock.monotonic()), status_code=201)


async def remove_faults(request: Request) -> Response:
    faults_of(request).remove(request.path_params["acct"])
    return Response(status_code=204)


async def remove_fault(request: Request) -> Response:
    if not faults_of(request).remove(request.path_params["acct"], request.path_params["fault_id"]):
        raise Refusal(404, "No such fault", NOT_FOUND)
    return Response(status_code=204)


async def restart(request: Request) -> Response:
    """As if the sandbox had restarted: the account's chats, visitors, engagement sessions and authenticated
    conversations are forgotten (its settings and faults stay); a client asking for one of its chats gets 404."""
    account = store_of(request).account(request.path_params["acct"])
    for chat in account.chats.values():
        chat.agent_inbox.put_nowait(None)  # its scripted agent stops
    account.chats.clear()
    account.visitors.clear()
    account.sessions.clear()
    account.conversations.clear()
    return Response(status_code=204)


class ClockMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    advance: float = Field(gt=0, le=86400)  # seconds


def _clock_view(request: Request) -> dict[str, object]:
    clock = store_of(request).clock
    return {"virtual": isinstance(clock, VirtualClock), "now": iso(clock.now())}


async def get_clock(request: Request) -> JSONResponse:
    return JSONResponse(_clock_view(request))


async def move_clock(request: Request) -> JSONResponse:
    """Moves a `VirtualClock` on (a test or QA facility: `SANDBOX_CLOCK=virtual`); the system clock cannot be moved."""
    clock = store_of(request).clock
    if not isinstance(clock, VirtualClock):
        raise Refusal(409, "The sandbox runs on the system clock; start it with SANDBOX_CLOCK=virtual to move time")
    clock.advance((await parse_body(request, ClockMove)).advance)
    await asyncio.sleep(0)  # the tasks it woke (the sweeper, scripted agents) take their turn before the answer
    return JSONResponse(_clock_view(request))


_ACCOUNT = "/sandbox/accounts/{acct}"
routes = [
    Route(_ACCOUNT + "/faults", list_faults, methods=["GET"]),
    Route(_ACCOUNT + "/faults", add_fault, methods=["POST"]),
    Route(_ACCOUNT + "/faults", remove_faults, methods=["DELETE"]),
    Route(_ACCOUNT + "/faults/{fault_id}", remove_fault, methods=["DELETE"]),
    Route(_ACCOUNT + "/restart", restart, methods=["POST"]),
    Route("/sandbox/clock", get_clock, methods=["GET"]),
    Route("/sandbox/clock", move_clock, methods=["POST"]),
]
