"""The sandbox app: every LivePerson service the window calls, each on its host, the agent console and the control
API."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware

from sandbox import (
    agent_console,
    app_engagement,
    brand_page,
    chat_api,
    chat_resource,
    chat_surveys,
    control,
    csds,
    fault_api,
    openapi,
    routing,
)
from sandbox.authentication_connector import OpenIdProviders
from sandbox.bodies import BodyLimit
from sandbox.config import SandboxConfig
from sandbox.errors import Refusal, handle_http_exception, handle_refusal
from sandbox.fault_injector import FaultInjector
from sandbox.faults import FaultBook
from sandbox.guards import Guards
from sandbox.request_normalizer import RequestNormalizer
from sandbox.scripted_agent import ScriptedAgents
from sandbox.store import Store


async def _sweep(store: Store, interval: float) -> None:
    """Chats nobody asks about still end on time: idle past interactionTimeout, or queued past maxWaitTime."""
    while True:
        await store.clock.sleep(interval)
        routing.sweep(store)


def create_app(settings: SandboxConfig) -> Starlette:
    store = Store(settings.account_defaults, settings.accounts, settings.clock)
    agents = ScriptedAgents(store)
    openid_providers = OpenIdProviders()
    faults = FaultBook(settings.clock)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sweeper = asyncio.create_task(_sweep(store, settings.sweep_interval_seconds))
        try:
            yield
        finally:
            sweeper.cancel()
            await agents.stop_all()
            await openid_providers.close()
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
            *fault_api.routes,
            *openapi.routes,
            # The demo brand page embeds the window the sandbox serves first (none when it runs without one).
            *(brand_page.routes(settings.window_origins) if settings.window_origins else []),
        ],
        middleware=[
            Middleware(Guards, hosts=settings.hosts.all, window_origins=settings.window_origins, clock=settings.clock),
            Middleware(BodyLimit, clock=settings.clock),
            Middleware(RequestNormalizer),
            Middleware(FaultInjector, book=faults),  # after the guards, so its answers get CORS like any other
        ],
        exception_handlers={Refusal: handle_refusal, HTTPException: handle_http_exception},
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.agents = agents
    app.state.openid_providers = openid_providers
    app.state.faults = faults
    app.state.hosts = settings.hosts
    return app
