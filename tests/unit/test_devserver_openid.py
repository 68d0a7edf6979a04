"""`OIDC=1 make run`: the dev server also starts the OpenID provider, says where on a later line, gives the sandbox an
account that signs consumers in there, and takes the provider down with it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx

from devserver.window_server import ROOT
from sandbox.openid_provider import SIGNED_IN_ACCOUNT_ID


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def provider_answers(issuer: str) -> bool:
    try:
        metadata = httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=2).json()
        return bool(metadata["issuer"] == issuer)
    except httpx.TransportError:
        return False


def test_oidc_starts_the_provider_and_an_account_signing_in_there() -> None:
    window, sandbox, oidc = free_ports(3)
    env = {**os.environ, "OIDC": "1", "WINDOW_PORT": str(window), "SANDBOX_PORT": str(sandbox), "OIDC_PORT": str(oidc)}
    server = subprocess.Popen(
        [sys.executable, "-m", "devserver"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert server.stdout is not None
    issuer = f"http://127.0.0.1:{oidc}"
    try:
        lines = [server.stdout.readline().decode().strip() for _ in range(6)]
        assert lines[0] == f"http://127.0.0.1:{window}/"  # the window's URL stays first, the console's second
        assert lines[1] == f"Agent console: http://127.0.0.1:{sandbox}/console"
        assert lines[4].startswith("Signed-in window") and lines[4].endswith(f": http://127.0.0.1:{window}/signin/")
        assert lines[5].startswith("OpenID provider") and lines[5].endswith(f": {issuer}")
        assert provider_answers(issuer)
        config = httpx.get(f"http://127.0.0.1:{window}/signin/config.json").json()
        assert (config["account_id"], config["auth"]["issuer"]) == (SIGNED_IN_ACCOUNT_ID, issuer)
        settings = httpx.get(f"http://127.0.0.1:{sandbox}/sandbox/accounts/{SIGNED_IN_ACCOUNT_ID}/settings").json()
        assert settings["authenticated_engagement"] is True
        assert settings["authentication_connector"]["issuer"] == issuer
    finally:
        server.terminate()
        server.wait(timeout=10)
    deadline = time.monotonic() + 5
    while provider_answers(issuer):  # it notices its parent is gone when its stdin closes
        assert time.monotonic() < deadline, "the provider outlived the dev server"
        time.sleep(0.05)
