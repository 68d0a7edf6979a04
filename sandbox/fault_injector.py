"""Applies an account's faults (`sandbox.faults`) to its requests, between the sandbox's guards and its services.

A request of an account with no fault that matches it passes untouched. Otherwise, by the fault's kind: the
connection is closed or reset without an answer (the request never reaches the service), an error answer is sent
in its place, or the service answers and the answer is held back or spoilt on its way out.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Any

from starlette.responses import PlainTextResponse, Response
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.errors import Refusal, error_response
from sandbox.faults import Drop, ErrorStatus, Fault, FaultBook, Garbled, MangledEvents, Reset, SlowReply

LIVEPERSON_PREFIXES = ("/api/", "/csdr/")
# assumed: these come from a gateway in front of LivePerson's services, in its own words (plain text), not in the
# API's error shape; any other status is in the calling API's shape.
GATEWAY_STATUSES = frozenset({502, 503, 504})
NOT_JSON = b"<!doctype html><title>Service unavailable</title><p>The service is temporarily unavailable.</p>"


class FaultInjector:
    def __init__(self, app: ASGIApp, book: FaultBook) -> None:
        self.app = app
        self.book = book

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        matched = _route_of(scope) if scope["type"] == "http" else None
        fault = self.book.match(*matched) if matched else None
        if fault is None or matched is None:
            await self.app(scope, receive, send)
            return
        route = matched[1]
        spec = fault.spec
        if isinstance(spec, Drop | Reset):
            self.book.spend(fault, route)
            await _hang_up(receive, reset=isinstance(spec, Reset))
            return
        if isinstance(spec, ErrorStatus):
            self.book.spend(fault, route)
            await _error_answer(spec, scope["path"], self.book)(scope, receive, send)
            return
        answer = await _answer_of(self.app, scope, receive)
        changed = _spoilt(spec, answer)
        if changed is not None:
            self.book.spend(fault, route)
            if isinstance(spec, SlowReply):
                await self.book.clock.sleep(spec.delay_seconds)
        await (changed or answer).send_to(send)


def _route_of(scope: Scope) -> tuple[str, str] | None:
    """The account and the route ("GET /api/account/{acct}/chat/{chat_id}", as the state's request counts name it) of
    a call to one of LivePerson's APIs, matched as the router will match it."""
    if not scope["path"].startswith(LIVEPERSON_PREFIXES):
        return None
    for route in scope["app"].router.routes:
        if isinstance(route, Route):
            match, child = route.matches(scope)
            if match is Match.FULL and "acct" in child["path_params"]:
                return str(child["path_params"]["acct"]), f"{scope['method']} {route.path}"
    return None


def _connection() -> asyncio.Transport:
    """The TCP connection of the request being handled. ASGI offers no way to drop one, so it is found where uvicorn
    keeps it: each request runs as a task of its `RequestResponseCycle.run_asgi`, whose `transport` it is."""
    task = asyncio.current_task()
    frame = task.get_coro().cr_frame if task is not None else None  # type: ignore[union-attr]
    transport = getattr(frame.f_locals.get("self") if frame is not None else None, "transport", None)
    if not isinstance(transport, asyncio.Transport):
        raise RuntimeError("dropping a connection needs the sandbox to run under uvicorn")
    return transport


async def _hang_up(receive: Receive, reset: bool) -> None:
    """Closes the connection without an answer (a reset: RST instead of FIN), then waits until the server knows, so
    that it sends nothing in its place."""
    transport = _connection()
    if reset:
        transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    else:
        transport.close()
    while (await receive())["type"] != "http.disconnect":
        pass


def _error_answer(spec: ErrorStatus, path: str, book: FaultBook) -> Response:
    headers = {"Retry-After": str(spec.retry_after)} if spec.retry_after is not None else {}
    try:
        phrase = HTTPStatus(spec.status).phrase
    except ValueError:
        phrase = "Error"
    if spec.status in GATEWAY_STATUSES:
        return PlainTextResponse(f"{spec.status} {phrase}", spec.status, headers)
    return error_response(
        path, Refusal(spec.status, f"{phrase} (a fault injected by the sandbox)", headers=headers), book.clock
    )


@dataclass(frozen=True)
class Answer:
    """A service's whole answer, held before it goes out."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    def header(self, name: bytes) -> bytes | None:
        return next((value for key, value in self.headers if key.lower() == name), None)

    def json(self) -> Any:
        """The body as JSON, or None when it is none (no body, another type, or not readable)."""
        if not self.body or not (self.header(b"content-type") or b"").startswith(b"application/json"):
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def with_body(self, body: bytes, content_type: bytes | None = None) -> Answer:
        headers = [(k, v) for k, v in self.headers if k.lower() != b"content-length"]
        if content_type is not None:
            headers = [(k, content_type if k.lower() == b"content-type" else v) for k, v in headers]
        return replace(self, headers=(*headers, (b"content-length", str(len(body)).encode())), body=body)

    def with_json(self, payload: Any) -> Answer:
        return self.with_body(json.dumps(payload).encode())

    async def send_to(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": list(self.headers)})
        await send({"type": "http.response.body", "body": self.body})


async def _answer_of(app: ASGIApp, scope: Scope, receive: Receive) -> Answer:
    messages: list[Message] = []

    async def hold(message: Message) -> None:
        messages.append(message)

    await app(scope, receive, hold)
    start = next(message for message in messages if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in messages if message["type"] == "http.response.body")
    return Answer(start["status"], tuple(start.get("headers", [])), body)


def _spoilt(spec: Fault, answer: Answer) -> Answer | None:
    """The answer as the fault leaves it, or None when the fault has nothing to change in it (it is then not spent)."""
    if isinstance(spec, SlowReply):
        return answer
    if not 200 <= answer.status < 300:
        return None
    if isinstance(spec, MangledEvents):
        return _mangled(spec.mangle, answer)
    if isinstance(spec, Garbled):
        return _garbled(spec.body, answer)
    return None


def _mangled(mangle: str, answer: Answer) -> Answer | None:
    payload = answer.json()
    block = payload.get("chat", payload).get("events") if isinstance(payload, dict) else None
    events = block.get("event") if isinstance(block, dict) else None
    if isinstance(events, dict):  # quirks mode: a lone event is an object
        events = [events]
    if not isinstance(events, list) or len(events) < (2 if mangle == "reorder" else 1):
        return None
    assert isinstance(block, dict)
    if mangle == "duplicate":
        block["event"] = [event for event in events for _ in (0, 1)]
    elif mangle == "reorder":
        block["event"] = events[::-1]
    else:  # gap: `next` still points past the event left out
        block["event"] = events[1:]
    return answer.with_json(payload)


def _garbled(body: str, answer: Answer) -> Answer | None:
    payload = answer.json()
    if body == "not_json":
        return answer.with_body(NOT_JSON, b"text/html; charset=utf-8") if payload is not None else None
    if body == "truncated":
        return answer.with_body(answer.body[: len(answer.body) // 2]) if payload is not None else None
    if isinstance(payload, dict):  # missing_fields: each wrapper keeps only its links
        kept = {
            key: {"link": value["link"]} if isinstance(value, dict) and "link" in value else {}
            for key, value in payload.items()
        }
        return answer.with_json(kept)
    if payload is None and answer.header(b"location") is not None:
        return replace(answer, headers=tuple((k, v) for k, v in answer.headers if k.lower() != b"location"))
    return None
