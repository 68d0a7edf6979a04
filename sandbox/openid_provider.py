"""Starting the development OpenID provider (`sandbox/oidc/provider.mjs`), for `make run` and the contract tests."""

from __future__ import annotations

import os
import selectors
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sandbox.config import AccountSettings, AuthenticationConnector

PROVIDER_DIR = Path(__file__).parent / "oidc"
PROVIDER_SCRIPT = PROVIDER_DIR / "provider.mjs"
STARTUP_SECONDS = 20.0

# The clients and users provider.mjs registers (sandbox/oidc/users.json has the users' claims).
CONNECTOR_CLIENT_ID = "lp-connector"
CONNECTOR_CLIENT_SECRET = "lp-connector-secret"
PUBLIC_CLIENT_ID = "pkce-public"


# The account `OIDC=1 make run` signs consumers in for (docs/authentication.md).
SIGNED_IN_ACCOUNT_ID = "11223344"


def signed_in_account(issuer: str) -> AccountSettings:
    """An account whose engagement is authenticated, its connector this provider's confidential client (code flow)."""
    connector = AuthenticationConnector(
        issuer=issuer, client_id=CONNECTOR_CLIENT_ID, client_secret=CONNECTOR_CLIENT_SECRET, flow="code"
    )
    return AccountSettings(authenticated_engagement=True, authentication_connector=connector)


class ProviderUnavailable(RuntimeError):
    """The provider could not be started: no Node, its package not installed, or it stopped before listening."""


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_provider(port: int, redirect_uris: list[str], stderr: IO[bytes] | None = None) -> RunningProvider:
    """Starts it on 127.0.0.1:`port` (0: a free port) and returns once it listens, with the issuer it printed."""
    node = shutil.which("node")
    if node is None:
        raise ProviderUnavailable("Node.js is not installed (the OpenID provider runs on it)")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        raise ProviderUnavailable(f"oidc-provider is not installed: run `npm ci` in {PROVIDER_DIR} (make does)")
    env = {**os.environ, "OIDC_PORT": str(port), "OIDC_REDIRECT_URIS": ",".join(redirect_uris)}
    # stdin is a pipe only this process holds: the provider stops when it closes, however this process ends.
    process = subprocess.Popen(
        [node, str(PROVIDER_SCRIPT)], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr
    )
    assert process.stdout is not None
    issuer = _first_line(process.stdout, STARTUP_SECONDS)
    if not issuer.startswith("http://"):
        process.kill()
        process.wait()
        raise ProviderUnavailable(f"the OpenID provider did not start (exit status {process.returncode})")
    return RunningProvider(issuer, process)


def _first_line(stream: IO[bytes], within: float) -> str:
    """The first line, or "" if the stream ends or stays silent that long."""
    deadline = time.monotonic() + within
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
            return ""
    return stream.readline().decode().strip()
