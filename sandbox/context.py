"""Per-request access to the app's shared objects, counting each request against its account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

from sandbox.config import SandboxHosts
from sandbox.errors import NOT_FOUND, Refusal
from sandbox.store import Account, Store

if TYPE_CHECKING:
    from sandbox.authentication_connector import OpenIdProviders
    from sandbox.scripted_agent import ScriptedAgents


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def agents_of(request: Request) -> ScriptedAgents:
    agents: ScriptedAgents = request.app.state.agents
    return agents


def openid_providers_of(request: Request) -> OpenIdProviders:
    providers: OpenIdProviders = request.app.state.openid_providers
    return providers


def hosts_of(request: Request) -> SandboxHosts:
    hosts: SandboxHosts = request.app.state.hosts
    return hosts


def chat_api_origin(request: Request) -> str:
    """Where the Chat API is served (what CSDS answers for conversationVep), in the scheme the client uses."""
    return f"{request.url.scheme}://{hosts_of(request).chat}"


def served_on(request: Request, host: str, service: str) -> None:
    """Each LivePerson service answers on its own host only, so a client that mixes them up fails here as there.
    assumed: another LivePerson host answers such a path with a 404 in the calling API's shape."""
    if request.headers.get("host", "").lower() != host.lower():
        raise Refusal(404, f"Not served on this host: ask the domain lookup (CSDS) where {service} is", NOT_FOUND)


def account_of(request: Request) -> Account:
    """The account named in the path; the request is counted by method and route, for tests to assert."""
    account = store_of(request).account(request.path_params["acct"])
    account.request_counts[f"{request.method} {request.scope['route'].path}"] += 1
    return account
