"""CSDS domain lookup ([CSDS]): which of the sandbox's hosts serves each service, as LivePerson answers its own.

The Chat API (`conversationVep`) has a host of its own; App Engagement (`msdkgw`, and `smt` as [PM] resolves it,
Decisions: service names) and the rest share the main host. Answered from configuration, never from the request's
`Host`, so nothing a client sends is reflected (DNS rebinding).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sandbox.config import SandboxHosts
from sandbox.context import account_of, hosts_of
from sandbox.errors import Refusal

ERROR_CODE = 1  # assumed: CSDS publishes no codes
CHAT_SERVICES = ("conversationVep",)
MAIN_SERVICES = ("msdkgw", "smt", "acCdnDomain", "agentVep")


def base_uris(hosts: SandboxHosts) -> dict[str, str]:
    return {service: hosts.chat for service in CHAT_SERVICES} | {service: hosts.main for service in MAIN_SERVICES}


def _check_version(request: Request) -> None:
    if request.query_params.get("version") != "1.0":
        raise Refusal(400, "Missing or unsupported version (expected version=1.0)", ERROR_CODE)


async def one_service(request: Request) -> JSONResponse:
    account = account_of(request)
    _check_version(request)
    service = request.path_params["service"]
    uris = base_uris(hosts_of(request))
    if service not in uris:  # names are case-sensitive
        raise Refusal(404, f"Unknown service {service}", ERROR_CODE)
    return JSONResponse({"service": service, "account": account.account_id, "baseURI": uris[service]})


async def all_services(request: Request) -> JSONResponse:
    account = account_of(request)
    _check_version(request)
    uris = base_uris(hosts_of(request))
    return JSONResponse(
        {"baseURIs": [{"service": s, "account": account.account_id, "baseURI": uri} for s, uri in uris.items()]}
    )


routes = [
    route
    for prefix in ("/api/account", "/csdr/account")  # [PM] calls the /csdr/ form
    for route in (
        Route(prefix + "/{acct}/service/{service}/baseURI", one_service, methods=["GET"]),
        Route(prefix + "/{acct}/service/baseURI", all_services, methods=["GET"]),
    )
]
