"""The sandbox publishes an OpenAPI description of itself at /sandbox/openapi.json, for brand QA's own tools: valid
OpenAPI 3.1, every route of the app in it, each path on the host that serves it, bodies as the models read them.
(tests/contract/test_fuzzing.py holds the sandbox to it.)"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate
from starlette.routing import Route

from sandbox import SandboxConfig, SandboxHosts, create_app, openapi
from tests.contract.lp_client import LpClient
from tests.contract.test_chat_request import assert_wrapped_error


@pytest.fixture(scope="module")
def description(http: httpx.Client) -> dict[str, Any]:
    response = http.get(openapi.PATH)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def test_it_is_valid_openapi_3_1(description: dict[str, Any]) -> None:
    validate(description)  # raises, naming what is wrong
    assert description["openapi"] == "3.1.0"


def test_every_route_is_described_and_every_livepersons_path_in_full(description: dict[str, Any]) -> None:
    routes = [route for route in create_app(SandboxConfig()).routes if isinstance(route, Route)]
    api_routes = [route for route in routes if route.path.startswith(("/api/", "/csdr/", "/sandbox/", "/console/api/"))]
    described = {
        (method.upper(), path) for path, item in description["paths"].items() for method in item if method != "servers"
    }
    assert described == {
        (method, route.path) for route in api_routes for method in route.methods or () if method != "HEAD"
    }
    for path, item in description["paths"].items():
        for method, operation in item.items():
            if method != "servers" and path.startswith(("/api/", "/csdr/")):
                assert "not described" not in operation["summary"], f"{method} {path}"


def test_pages_for_people_are_left_out(description: dict[str, Any]) -> None:
    assert not [path for path in description["paths"] if path in ("/console", "/console/funnel")]


def test_each_path_names_the_host_that_serves_it(description: dict[str, Any], lp: LpClient) -> None:
    def hosts(path: str) -> list[str]:
        return [server["url"] for server in description["paths"][path]["servers"]]

    assert hosts("/api/account/{acct}/chat/request") == [lp.chat_base_url]
    assert hosts("/api/account/{acct}/app/engagement/visitors") == [lp.base_url]
    assert hosts("/api/account/{acct}/service/baseURI") == [lp.base_url, lp.chat_base_url]
    assert description["servers"] == [{"url": lp.base_url}]


def test_bodies_are_described_by_the_models_that_read_them(description: dict[str, Any]) -> None:
    operation = description["paths"]["/api/account/{acct}/chat/request"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ChatRequestEnvelope"}
    schemas = description["components"]["schemas"]
    assert schemas["ChatRequestEnvelope"]["required"] == ["request"]
    request = schemas["ChatRequestBody"]["properties"]
    # Lenient as the models are: a number may come as text, a lone pre-chat line as a string.
    assert "string" in request["maxWaitTime"]["anyOf"][0]["type"]
    assert {"type": "string"} in schemas["PreChatLinesBody"]["properties"]["line"]["anyOf"]
    assert operation["responses"]["201"]["headers"]["Location"]["required"] is True


def test_errors_come_in_the_shape_of_each_api(description: dict[str, Any]) -> None:
    paths = description["paths"]
    chat_error = paths["/api/account/{acct}/chat/request"]["post"]["responses"]["400"]
    engagement_error = paths["/api/account/{acct}/app/engagement/visitors"]["post"]["responses"]["400"]
    assert chat_error["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ChatApiError"}
    assert engagement_error["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/EngagementError"}
    assert "413" in paths["/api/account/{acct}/chat/request"]["post"]["responses"]


def test_a_page_of_another_origin_cannot_read_it(http: httpx.Client) -> None:
    assert_wrapped_error(http.get(openapi.PATH, headers={"Origin": "https://evil.example"}), 403)


def test_it_uses_the_scheme_and_hosts_it_is_asked_for() -> None:
    hosts = SandboxHosts(main="sandbox.test:443", chat="chat.sandbox.test:443")
    described = openapi.describe(create_app(SandboxConfig(hosts=hosts)).routes, "https", hosts)
    assert described["paths"]["/api/account/{acct}/chat/{chat_id}"]["servers"] == [
        {"url": "https://chat.sandbox.test:443"}
    ]
