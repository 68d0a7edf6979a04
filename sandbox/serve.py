"""Running apps under uvicorn on the loopback interface, saying where once every one of them listens."""

from __future__ import annotations

import asyncio
import sys

import uvicorn
from starlette.types import ASGIApp

HOST = "127.0.0.1"


async def serve_until_stopped(apps: dict[int, ASGIApp], announcements: list[str]) -> None:
    """Serves each app on its port; prints the announcements (one line each) once all listen, then runs until
    stopped. A port in use ends the process (uvicorn has said why on stderr)."""
    servers = [
        uvicorn.Server(uvicorn.Config(app, host=HOST, port=port, log_level="warning", lifespan="on"))
        for port, app in apps.items()
    ]
    tasks = [asyncio.create_task(server.serve()) for server in servers]
    while not all(server.started for server in servers):
        if any(task.done() for task in tasks):
            sys.exit(1)
        await asyncio.sleep(0.05)
    for line in announcements:
        print(line, flush=True)
    await asyncio.gather(*tasks)
