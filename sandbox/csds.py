"""CSDS domain lookup ([CSDS]): every service the window needs lives on the sandbox's own host."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sandbox.config import CSDS_SERVICES
from sandbox.context import account_of
from sandbox.errors import Refusal

ERROR_CODE = 1  # assumed: CSDS publishes no codes


def _base_uri(request: Request) -> str:
    """host:port as the client addressed us, so the lookup works behind any name (127.0.0.1, localhost, a proxy)."""
    return request.headers.get("host", f"{request.url.hostname}:{request.url.port}")


def _check_version(request: Request) -> None:
    if request.query_params.get("version") != "1.0":
        raise Refusal(400, "Missing or unsupported version (expected version=1.0)", ERROR_CODE)


async def one_service(request: Request) -> JSONResponse:
    account = account_of(request)
    _check_version(request)
    service = request.path_params["service"]
    if service not in CSDS_SERVICES:  # names are case-sensitive
        raise Refusal(404, f"Unknown service {service}", ERROR_CODE)
    return JSONResponse({"service": service, "account": account.account_id, "baseURI": _base_uri(request)})


async def all_services(request: Request) -> JSONResponse:
    account = account_of(request)
    _check_version(request)
    base_uri = _base_uri(request)
    return JSONResponse(
        {"baseURIs": [{"service": s, "account": account.account_id, "baseURI": base_uri} for s in CSDS_SERVICES]}
    )


routes = [
    route
    for prefix in ("/api/account", "/csdr/account")  # [PM] calls the /csdr/ form
    for route in (
        Route(prefix + "/{acct}/service/{service}/baseURI", one_service, methods=["GET"]),
        Route(prefix + "/{acct}/service/baseURI", all_services, methods=["GET"]),
    )
]
