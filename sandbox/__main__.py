"""`python -m sandbox`: the LivePerson sandbox alone, for brand QA pointing their own window at it.

Port: SANDBOX_PORT (8001). The window origins allowed by CORS: SANDBOX_WINDOW_ORIGINS, comma-separated (default
http://127.0.0.1:8000,http://localhost:8000). SANDBOX_CLOCK=virtual: time the control API moves on (tests, QA).
Prints the window's `csds_url`, then the agent console's URL.
"""

from __future__ import annotations

import asyncio
import os
import sys

from sandbox.clock import clock_named
from sandbox.config import SandboxConfig, SandboxHosts
from sandbox.serve import serve_until_stopped
from sandbox.service import create_app

DEFAULT_WINDOW_ORIGINS = "http://127.0.0.1:8000,http://localhost:8000"


def main() -> None:
    port = int(os.environ.get("SANDBOX_PORT", "8001"))
    hosts = SandboxHosts.loopback(port)
    window_origins = [o.strip() for o in os.environ.get("SANDBOX_WINDOW_ORIGINS", DEFAULT_WINDOW_ORIGINS).split(",")]
    try:
        clock = clock_named(os.environ.get("SANDBOX_CLOCK", ""))
    except ValueError as exc:
        sys.exit(f"sandbox: {exc}")
    app = create_app(
        SandboxConfig(hosts=hosts, window_origins=[origin for origin in window_origins if origin], clock=clock)
    )
    announcements = [
        f"CSDS (the window's csds_url): http://{hosts.main}",
        f"Agent console: http://{hosts.main}/console",
    ]
    asyncio.run(serve_until_stopped({port: app}, announcements))


if __name__ == "__main__":
    main()
