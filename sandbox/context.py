"""Per-request access to the app's shared objects, counting each request against its account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

from sandbox.store import Account, Store

if TYPE_CHECKING:
    from sandbox.scripted_agent import ScriptedAgents


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def agents_of(request: Request) -> ScriptedAgents:
    agents: ScriptedAgents = request.app.state.agents
    return agents


def account_of(request: Request) -> Account:
    """The account named in the path; the request is counted by method and route, for tests to assert."""
    account = store_of(request).account(request.path_params["acct"])
    account.request_counts[f"{request.method} {request.scope['route'].path}"] += 1
    return account
