"""The sandbox app: every LivePerson service the window calls, the agent console and the control API on one origin."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from sandbox import agent_console, app_engagement, chat_api, chat_resource, chat_surveys, control, csds
from sandbox.config import SandboxConfig
from sandbox.errors import Refusal, handle_http_exception, handle_refusal
from sandbox.request_normalizer import RequestNormalizer
from sandbox.scripted_agent import ScriptedAgents
from sandbox.store import Store

# Headers browser clients send (Decisions: CORS); Location and Retry-After must be readable by the window.
CORS_REQUEST_HEADERS = ["Authorization", "Content-Type", "X-HTTP-Method-Override", "Accept", "Pragma", "Cache-Control"]
CORS_EXPOSED_HEADERS = ["Location", "Retry-After"]


async def _end_idle_chats(store: Store, interval: float) -> None:
    """Chats nobody touches for their interactionTimeout end even if no request ever comes again."""
    while True:
        await store.clock.sleep(interval)
        store.end_idle_chats()


def create_app(settings: SandboxConfig) -> Starlette:
    store = Store(settings.account_defaults, settings.clock)
    agents = ScriptedAgents()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sweeper = asyncio.create_task(_end_idle_chats(store, settings.sweep_interval_seconds))
        try:
            yield
        finally:
            sweeper.cancel()
            await agents.stop_all()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper

    app = Starlette(
        # Account-level chat routes come before `chat/{chat_id}`, which would otherwise swallow `chat/request`.
        routes=[
            *csds.routes,
            *app_engagement.routes,
            *chat_api.routes,
            *chat_surveys.routes,
            *chat_resource.routes,
            *agent_console.routes,
            *control.routes,
        ],
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=settings.window_origins,
                allow_methods=["GET", "POST", "PUT", "DELETE"],
                allow_headers=CORS_REQUEST_HEADERS,
                expose_headers=CORS_EXPOSED_HEADERS,
            ),
            Middleware(RequestNormalizer),
        ],
        exception_handlers={Refusal: handle_refusal, HTTPException: handle_http_exception},
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.agents = agents
    return app
