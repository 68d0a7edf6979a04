"""`python -m sandbox`: the window's dev server and the LivePerson sandbox, each on its own origin.

Prints the window's URL on the first line, then the agent console's. Ports: WINDOW_PORT (8000), SANDBOX_PORT (8001).
"""

from __future__ import annotations

import asyncio
import os
import sys

import uvicorn

from .config import SandboxConfig, SandboxHosts
from .service import create_app
from .window_server import create_window_app

HOST = "127.0.0.1"


def origins(port: int) -> list[str]:
    return [f"http://{HOST}:{port}", f"http://localhost:{port}"]


async def serve(window_port: int, sandbox_port: int) -> None:
    sandbox = create_app(SandboxConfig(hosts=SandboxHosts.loopback(sandbox_port), window_origins=origins(window_port)))
    window = create_window_app(origins(sandbox_port))
    servers = [
        uvicorn.Server(uvicorn.Config(app, host=HOST, port=port, log_level="warning", lifespan="on"))
        for app, port in ((window, window_port), (sandbox, sandbox_port))
    ]
    tasks = [asyncio.create_task(server.serve()) for server in servers]
    while not all(server.started for server in servers):
        if any(task.done() for task in tasks):  # a port in use: uvicorn has said why on stderr
            sys.exit(1)
        await asyncio.sleep(0.05)
    print(f"http://{HOST}:{window_port}/", flush=True)
    print(f"Agent console: http://{HOST}:{sandbox_port}/console", flush=True)
    await asyncio.gather(*tasks)


def main() -> None:
    asyncio.run(serve(int(os.environ.get("WINDOW_PORT", "8000")), int(os.environ.get("SANDBOX_PORT", "8001"))))


if __name__ == "__main__":
    main()
