"""The project's main job as a user starts it (`python -m devserver` on free ports), for the e2e tests and the bench."""

from __future__ import annotations

import getpass
import os
import socket
import subprocess
import sys
import time
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
    more: list[str]  # the lines it printed after those two (`label: url`)

    def url_of(self, label: str) -> str:
        """The URL of the printed line that starts with `label`."""
        return next(line.split()[-1] for line in self.more if line.startswith(label))

    @property
    def sandbox_origin(self) -> str:
        parts = urlsplit(self.console_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def origins(self) -> set[str]:
        """The window's and every sandbox host's (each LivePerson service has its own, docs/sandbox.md)."""
        window, sandbox = urlsplit(self.window_url), urlsplit(self.console_url)
        hosts = SandboxHosts.loopback(sandbox.port or 80)
        provider = [line.split()[-1] for line in self.more if line.startswith("OpenID provider")]
        return {f"{window.scheme}://{window.netloc}", *provider} | {f"{sandbox.scheme}://{host}" for host in hosts.all}


def start_servers(env: dict[str, str] | None = None) -> Servers:
    """Runs the README's main job as a user would and reads the URLs it prints (with `OIDC` in `env`, the OpenID
    provider's too, on a port of its own)."""
    ports = {"WINDOW_PORT": str(free_port()), "SANDBOX_PORT": str(free_port()), "OIDC_PORT": str(free_port())}
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
    more = [process.stdout.readline().strip() for _ in range(4 if (env or {}).get("OIDC") else 2)]
    return Servers(window_url, console_line.split()[-1], process, more)


def stop(servers: Servers) -> None:
    stop_process(Process(servers.window_url, servers.process))


@dataclass
class Process:
    url: str
    process: subprocess.Popen[str]


def start_sandbox(window_origins: list[str]) -> Process:
    """The sandbox alone (`python -m sandbox`), answering CORS for these window origins; its URL is its csds_url."""
    env = {"SANDBOX_PORT": str(free_port()), "SANDBOX_WINDOW_ORIGINS": ",".join(window_origins)}
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox"], cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    first = process.stdout.readline().strip()  # "CSDS (the window's csds_url): http://…"
    if not first.startswith("CSDS"):
        process.kill()
        raise RuntimeError(f"python -m sandbox did not announce itself: {first!r}")
    return Process(first.split()[-1], process)


def start_nginx(dist: Path, port: int, work: Path) -> Process:
    """Debian's nginx serving a `make dist` folder with the configuration `make dist` wrote, changed only in where
    it listens, where the folder is, and where nginx keeps its own files and runs its workers (as this user, so a
    temporary folder only this user can read is fine)."""
    conf = (dist / "nginx.conf").read_text()
    conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{port};").replace("root /srv/chat-window;", f"root {dist};")
    own = f"user {getpass.getuser()};\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
    conf = conf.replace("events {}", f"{own}events {{}}")
    conf = conf.replace("http {", f"http {{\n    access_log off;\n    client_body_temp_path {work}/body;", 1)
    (work / "nginx.conf").write_text(conf)
    command = ["nginx", "-c", str(work / "nginx.conf"), "-p", str(work), "-g", "daemon off;"]
    process = subprocess.Popen(command, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return Process(url, process)
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"nginx did not listen; see {work}/error.log")


def stop_process(running: Process) -> None:
    running.process.terminate()
    try:
        running.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        running.process.kill()
