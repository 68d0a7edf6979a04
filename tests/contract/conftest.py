"""One sandbox server for the whole contract suite: uvicorn in a thread, on a loopback socket of its own.

Its time is a `VirtualClock` (the `sandbox_clock` fixture): it runs with real time, and a test moves it on with
`sandbox_clock.advance(seconds)` instead of sleeping through the scripted agent's delays, timeouts or retention.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from sandbox import SandboxConfig, SandboxHosts, VirtualClock, create_app
from sandbox.openid_provider import ProviderUnavailable, start_provider
from tests.contract.lp_client import LpClient
from tests.openid_consumer import WINDOW_PAGE

WINDOW_ORIGIN = "http://127.0.0.1:8000"


@pytest.fixture(scope="session")
def sandbox_clock() -> VirtualClock:
    return VirtualClock()


@contextlib.contextmanager
def loopback_socket() -> Iterator[socket.socket]:
    # Binding port 0 here (not in uvicorn) gives a free port no other test server can take. IPPROTO_TCP named, so
    # asyncio turns Nagle off on each connection (as when uvicorn binds): else every answer waits ~40 ms for an ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    try:
        yield sock
    finally:
        sock.close()


@contextlib.contextmanager
def running_sandbox(config: SandboxConfig, sock: socket.socket) -> Iterator[None]:
    """The sandbox served on `sock` by uvicorn in a thread, from when it has started until the block ends."""
    server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "sandbox did not start"
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@contextlib.contextmanager
def sandbox_of_its_own() -> Iterator[LpClient]:
    """A sandbox on a loopback socket and a clock of its own, for tests that move its time far on or fill it."""
    clock = VirtualClock()
    with loopback_socket() as sock:
        hosts = SandboxHosts.loopback(sock.getsockname()[1])
        with (
            running_sandbox(SandboxConfig(hosts=hosts, clock=clock), sock),
            httpx.Client(base_url=f"http://{hosts.main}", timeout=10) as http,
            httpx.Client(base_url=f"http://{hosts.chat}", timeout=10) as chat_http,
        ):
            yield LpClient(http, chat_http, clock)


@pytest.fixture(scope="session")
def listening_socket() -> Iterator[socket.socket]:
    with loopback_socket() as sock:
        yield sock


@pytest.fixture(scope="session")
def sandbox_hosts(listening_socket: socket.socket) -> SandboxHosts:
    """127.0.0.1:port for CSDS, App Engagement, console and control; localhost:port for the Chat API."""
    return SandboxHosts.loopback(listening_socket.getsockname()[1])


@pytest.fixture(scope="session")
def base_url(
    sandbox_clock: VirtualClock, sandbox_hosts: SandboxHosts, listening_socket: socket.socket
) -> Iterator[str]:
    """The sandbox's main origin: CSDS (a window's `csds_url`), App Engagement, the console and the control API."""
    config = SandboxConfig(
        hosts=sandbox_hosts, window_origins=[WINDOW_ORIGIN, "http://localhost:8000"], clock=sandbox_clock
    )
    with running_sandbox(config, listening_socket):
        yield f"http://{sandbox_hosts.main}"


@pytest.fixture(scope="session")
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=5) as client:
        yield client


@pytest.fixture(scope="session")
def chat_http(base_url: str, sandbox_hosts: SandboxHosts) -> Iterator[httpx.Client]:
    """A client of the Chat API's own host (what CSDS answers for conversationVep)."""
    with httpx.Client(base_url=f"http://{sandbox_hosts.chat}", timeout=5) as client:
        yield client


@pytest.fixture
def lp(http: httpx.Client, chat_http: httpx.Client, sandbox_clock: VirtualClock) -> LpClient:
    return LpClient(http, chat_http, sandbox_clock)


@pytest.fixture(scope="session")
def openid_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The development OpenID provider (sandbox/oidc/provider.mjs) on a free port, sending consumers back to
    WINDOW_PAGE; its issuer URL. Without Node or its package the tests that need it fail, saying why."""
    log = tmp_path_factory.mktemp("openid-provider") / "stderr.log"
    with log.open("wb") as stderr:
        try:
            provider = start_provider(0, [WINDOW_PAGE], stderr)
        except ProviderUnavailable as exc:
            pytest.fail(f"{exc}\n{log.read_text()}")
        yield provider.issuer
        provider.stop()
