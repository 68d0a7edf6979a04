"""`python -m devserver` (`make run`): the window's dev server and the LivePerson sandbox, each on its own origin, as
a brand's site and LivePerson are.

Prints the window's URL on the first line, then `Agent console: <url>`, then the demo brand page's and the demo
window's URLs. Ports: WINDOW_PORT (8000), SANDBOX_PORT (8001). WINDOW_CONFIG names a config.json to serve instead
of the sandbox's. SANDBOX_CLOCK=virtual runs the sandbox on a clock the control API moves on (tests, QA).

OIDC=1 also starts the development OpenID provider (OIDC_PORT, 8002) and gives the sandbox an account whose
engagement signs consumers in there, with a window of its own at /signin/ (both on later lines); OIDC_REDIRECT_URIS
(comma-separated) names the window's pages the provider may send consumers back to (default: each window's page and
its static/signin.html). See docs/authentication.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from devserver.window_server import create_window_app
from sandbox import SandboxConfig, SandboxHosts, create_app
from sandbox.clock import ServerClock, clock_named
from sandbox.config import DEMO_ACCOUNT, DEMO_ACCOUNT_ID
from sandbox.openid_provider import (
    CONNECTOR_CLIENT_ID,
    SIGNED_IN_ACCOUNT_ID,
    ProviderUnavailable,
    RunningProvider,
    signed_in_account,
    start_provider,
)
from sandbox.serve import HOST, serve_until_stopped

SANDBOX_ACCOUNT_ID = "12345678"
SANDBOX_APP_KEY = "sandbox-app-key"


def origins(port: int) -> list[str]:
    return [f"http://{host}" for host in sorted(SandboxHosts.loopback(port).all)]


def sandbox_window_config(csds_url: str, account_id: str = SANDBOX_ACCOUNT_ID, openid_issuer: str = "") -> bytes:
    """The window configuration used when none is given: the local sandbox and its scripted agent; the sandbox's demo
    brand page (on the sandbox's origin) may embed it. With an issuer, consumers sign in there (code flow)."""
    config: dict[str, object] = {
        "account_id": account_id,
        "csds_url": csds_url,
        "app_key": SANDBOX_APP_KEY,
        "brand_name": "Sandbox Brand",
        "embed_origins": [csds_url],
    }
    if openid_issuer:
        config["auth"] = {"issuer": openid_issuer, "client_id": CONNECTOR_CLIENT_ID}
    return json.dumps(config, indent=2).encode()


def window_config(csds_url: str) -> bytes:
    """`WINDOW_CONFIG` names a JSON file to serve as is (validation is the window's job); else the sandbox's."""
    path = os.environ.get("WINDOW_CONFIG")
    if not path:
        return sandbox_window_config(csds_url)
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        sys.exit(f"devserver: WINDOW_CONFIG={path} cannot be read: {exc.strerror}")


def sandbox_clock() -> ServerClock:
    try:
        return clock_named(os.environ.get("SANDBOX_CLOCK", ""))
    except ValueError as exc:
        sys.exit(f"devserver: {exc}")


SIGNED_IN_SITE = "/signin"  # with OIDC=1: the window of the account whose consumers sign in


def openid_provider_if_asked(window_url: str) -> RunningProvider | None:
    if not os.environ.get("OIDC"):
        return None
    # Each window's page (a redirect comes back there) and its static/signin.html (a popup's answer, when framed).
    pages = [window_url, f"{window_url.rstrip('/')}{SIGNED_IN_SITE}/"]
    default = ",".join(f"{page},{page}static/signin.html" for page in pages)
    redirect_uris = [uri for uri in os.environ.get("OIDC_REDIRECT_URIS", default).split(",") if uri]
    try:
        return start_provider(int(os.environ.get("OIDC_PORT", "8002")), redirect_uris)
    except ProviderUnavailable as exc:
        sys.exit(f"devserver: {exc}")


async def serve(window_port: int, sandbox_port: int, openid_issuer: str | None) -> None:
    hosts = SandboxHosts.loopback(sandbox_port)
    csds_url = f"http://{hosts.main}"
    more_sites = {"/demo": sandbox_window_config(csds_url, DEMO_ACCOUNT_ID)}
    if openid_issuer:
        more_sites[SIGNED_IN_SITE] = sandbox_window_config(csds_url, SIGNED_IN_ACCOUNT_ID, openid_issuer)
    window = create_window_app(window_config(csds_url), origins(sandbox_port), more_sites=more_sites)
    accounts = {DEMO_ACCOUNT_ID: DEMO_ACCOUNT}
    if openid_issuer:
        accounts[SIGNED_IN_ACCOUNT_ID] = signed_in_account(openid_issuer)
    sandbox = create_app(
        SandboxConfig(hosts=hosts, window_origins=origins(window_port), accounts=accounts, clock=sandbox_clock())
    )
    window_url = f"http://{HOST}:{window_port}/"
    signed_in = [
        f"Signed-in window (account {SIGNED_IN_ACCOUNT_ID}): {window_url}{SIGNED_IN_SITE.strip('/')}/",
        f'OpenID provider (users dana and lee, password "password"): {openid_issuer}',
    ]
    await serve_until_stopped(
        {window_port: window, sandbox_port: sandbox},
        [
            window_url,
            f"Agent console: http://{hosts.main}/console",
            f"Brand page (the window embedded with the one snippet): http://{hosts.main}/brand/",
            f"Demo window (account {DEMO_ACCOUNT_ID}: every survey, every agent action): {window_url}demo/",
            *(signed_in if openid_issuer else []),
        ],
    )


def main() -> None:
    window_port, sandbox_port = int(os.environ.get("WINDOW_PORT", "8000")), int(os.environ.get("SANDBOX_PORT", "8001"))
    provider = openid_provider_if_asked(f"http://{HOST}:{window_port}/")
    try:
        asyncio.run(serve(window_port, sandbox_port, provider.issuer if provider else None))
    finally:
        if provider:
            provider.stop()


if __name__ == "__main__":
    main()
