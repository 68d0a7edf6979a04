"""HttpxTransport against a tiny real HTTP server on a free loopback port."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.servers import free_port
from window.http import HttpRequest, NetworkError
from window.transport_httpx import HttpxTransport


class Echo(BaseHTTPRequestHandler):
    """`/echo`: 201 with what it received as JSON and a `Location`; `/slow`: answers after 1 s."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        received = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()), "body": body}
        payload = json.dumps(received).encode()
        self.send_response(201)
        self.send_header("Location", "https://h/chat/K/events/1")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(1)
        payload = b'{"error": {"message": "nope"}}'
        self.send_response(404)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):  # /slow: the client has rightly given up by now
            self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


async def test_sends_method_headers_and_body_and_lowercases_reply_headers(server: str) -> None:
    async with HttpxTransport() as transport:
        response = await transport.send(
            HttpRequest(
                "POST",
                f"{server}/echo?v=1&NC=true",
                {"X-HTTP-Method-Override": "PUT", "Content-Type": "application/json"},
                '{"visitorName":"Zoë"}',
            )
        )
    assert response.status == 201
    assert response.header("Location") == "https://h/chat/K/events/1"
    assert all(name == name.lower() for name in response.headers)
    received = json.loads(response.body)
    assert (received["method"], received["path"], received["body"]) == (
        "POST",
        "/echo?v=1&NC=true",
        '{"visitorName":"Zoë"}',
    )
    assert received["headers"]["X-HTTP-Method-Override"] == "PUT"


async def test_error_statuses_are_responses_not_exceptions(server: str) -> None:
    async with HttpxTransport() as transport:
        response = await transport.send(HttpRequest("GET", f"{server}/missing"))
    assert (response.status, response.body) == (404, '{"error": {"message": "nope"}}')


async def test_connection_refused_is_a_network_error() -> None:
    async with HttpxTransport() as transport:
        with pytest.raises(NetworkError, match="ConnectError"):
            await transport.send(HttpRequest("GET", f"http://127.0.0.1:{free_port()}/"))


async def test_timeout_is_a_network_error(server: str) -> None:
    async with HttpxTransport(timeout=0.2) as transport:
        with pytest.raises(NetworkError, match="ReadTimeout"):
            await transport.send(HttpRequest("GET", f"{server}/slow"))


async def test_a_given_client_is_used() -> None:
    client = httpx.AsyncClient(base_url="http://127.0.0.1:1")
    transport = HttpxTransport(client)
    await transport.aclose()
    assert client.is_closed
