"""The project's main job as a user starts it (`python -m devserver` on free ports), for the e2e tests and the bench."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sandbox import SandboxHosts

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Servers:
    window_url: str
    console_url: str
    process: subprocess.Popen[str]

    @property
    def sandbox_origin(self) -> str:
        parts = urlsplit(self.console_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def origins(self) -> set[str]:
        """The window's and every sandbox host's (each LivePerson service has its own, docs/sandbox.md)."""
        window, sandbox = urlsplit(self.window_url), urlsplit(self.console_url)
        hosts = SandboxHosts.loopback(sandbox.port or 80)
        return {f"{window.scheme}://{window.netloc}"} | {f"{sandbox.scheme}://{host}" for host in hosts.all}


def start_servers(env: dict[str, str] | None = None) -> Servers:
    """Runs the README's main job as a user would and reads the two URLs it prints."""
    ports = {"WINDOW_PORT": str(free_port()), "SANDBOX_PORT": str(free_port())}
    process = subprocess.Popen(
        [sys.executable, "-m", "devserver"],
        cwd=ROOT,
        env={**os.environ, **ports, **(env or {})},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    window_url = process.stdout.readline().strip()
    console_line = process.stdout.readline().strip()
    if not window_url.startswith("http"):
        process.kill()
        raise RuntimeError(f"python -m devserver did not print its URL first: {window_url!r}")
    return Servers(window_url, console_line.split()[-1], process)


def stop(servers: Servers) -> None:
    servers.process.terminate()
    try:
        servers.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        servers.process.kill()
