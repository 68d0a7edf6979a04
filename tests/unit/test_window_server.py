"""The dev server serves the window as a brand's site should: a strict CSP, only the window's files, its config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from sandbox.window_server import SANDBOX_ACCOUNT_ID, create_window_app

SANDBOX = "http://127.0.0.1:8001"


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_window_app([SANDBOX]))


def test_the_page_is_served_under_a_strict_policy(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and 'role="log"' in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval';" in policy
    assert "unsafe-inline" not in policy and "'unsafe-eval'" not in policy
    assert f"connect-src 'self' {SANDBOX};" in policy


def test_with_no_configuration_the_window_talks_to_the_sandbox(client: TestClient) -> None:
    config = client.get("/config.json").json()
    assert config["csds_url"] == SANDBOX and config["account_id"] == SANDBOX_ACCOUNT_ID


def test_a_configuration_file_is_served_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"account_id": "999"}))
    monkeypatch.setenv("WINDOW_CONFIG", str(path))
    assert TestClient(create_window_app([SANDBOX])).get("/config.json").json() == {"account_id": "999"}


@pytest.mark.parametrize("path", ["/sandbox/config.py", "/.git/config", "/Makefile", "/window/../Makefile"])
def test_nothing_but_the_window_is_served(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_window_code_is_revalidated_and_wasm_has_its_type(client: TestClient) -> None:
    assert client.get("/window/state.py").headers["cache-control"] == "no-cache"
    # The runtime is built by `make runtime`, which `make test` runs first.
    assert client.head("/static/runtime/pyodide/pyodide.asm.wasm").headers["content-type"] == "application/wasm"


def test_the_runtime_goes_out_brotli_compressed_to_browsers_that_accept_it(client: TestClient) -> None:
    wasm = "/static/runtime/pyodide/pyodide.asm.wasm"
    compressed = client.get(wasm, headers={"accept-encoding": "gzip, deflate, br"})
    assert compressed.headers["content-encoding"] == "br" and compressed.headers["content-type"] == "application/wasm"
    assert compressed.headers["vary"] == "Accept-Encoding"
    assert int(compressed.headers["content-length"]) < len(compressed.content) / 2  # decoded by the client here
    plain = client.get(wasm, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == compressed.content
