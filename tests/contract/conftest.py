"""One sandbox server for the whole contract suite: uvicorn in a thread, on a loopback socket of its own."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from sandbox import AccountSettings, SandboxConfig, create_app
from tests.contract.lp_client import LpClient

WINDOW_ORIGIN = "http://127.0.0.1:8000"


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    config = SandboxConfig(
        window_origins=[WINDOW_ORIGIN, "http://localhost:8000"],
        account_defaults=AccountSettings(accept_delay_seconds=0.2, reply_delay_seconds=0.1),
        sweep_interval_seconds=0.1,
    )
    # Binding port 0 here (not in uvicorn) gives a free port no other test server can take.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "sandbox did not start"
        time.sleep(0.02)
    yield url
    server.should_exit = True
    thread.join(timeout=5)
    sock.close()


@pytest.fixture(scope="session")
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=5) as client:
        yield client


@pytest.fixture
def lp(base_url: str, http: httpx.Client) -> LpClient:
    return LpClient(base_url, http)
