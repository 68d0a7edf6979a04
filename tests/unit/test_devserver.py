"""The dev server serves the window as a brand's site should: a strict CSP, exactly the files a brand deploys, its
config, the runtime brotli-compressed with conditional requests. A site of our own in tmp_path stands in for the
repository, so none of this needs the runtime built."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
import uvicorn
from starlette.testclient import TestClient

from devserver.__main__ import SANDBOX_ACCOUNT_ID, sandbox_window_config, window_config
from devserver.window_server import ROOT, create_window_app, python_files

SANDBOX = "http://127.0.0.1:8001"
WASM = bytes(range(256)) * 64  # 16 KiB that compress well
DEPLOYED = [
    "index.html",
    "pyscript.toml",
    "window/__init__.py",
    "window/main.py",
    "static/window.css",
    "static/boot.js",
    "static/loader.js",
    "static/icons/chat.svg",
    "static/runtime/pyodide/pyodide.asm.wasm",
    "static/runtime/pyscript/core.js",
]
NOT_DEPLOYED = [
    "window/transport_httpx.py",  # CPython only: not in pyscript.toml
    "static/build_runtime.py",
    "static/runtime.lock.json",
    "static/runtime/baseline/index.html",
    "sandbox/config.py",
    "Makefile",
    ".git/config",
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A repository in miniature: what a brand deploys and what it must not."""
    files = {path: f"/* {path} */\n" for path in [*DEPLOYED, *NOT_DEPLOYED]}
    files["index.html"] = '<html><body role="log"><script type="py" src="window/main.py"></script></body></html>'
    files["pyscript.toml"] = '[files]\n"./window/__init__.py" = "./window/__init__.py"\n'
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    wasm = tmp_path / "static/runtime/pyodide/pyodide.asm.wasm"
    wasm.write_bytes(WASM)
    Path(f"{wasm}.br").write_bytes(brotli.compress(WASM))
    return tmp_path


@pytest.fixture
def client(site: Path) -> TestClient:
    return TestClient(create_window_app(sandbox_window_config(SANDBOX), [SANDBOX], site))


def test_the_page_is_served_under_a_strict_policy(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and 'role="log"' in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval';" in policy
    assert "unsafe-inline" not in policy and "'unsafe-eval'" not in policy
    assert f"connect-src 'self' {SANDBOX} http://localhost:8001;" in policy  # the sandbox answers both names
    assert f"frame-ancestors {SANDBOX}" in policy  # its demo brand page may embed the window


def test_with_no_configuration_the_window_talks_to_the_sandbox(client: TestClient) -> None:
    config = client.get("/config.json").json()
    assert config["csds_url"] == SANDBOX and config["account_id"] == SANDBOX_ACCOUNT_ID


def test_another_site_has_its_own_config(site: Path) -> None:
    demo = sandbox_window_config(SANDBOX, "87654321")
    client = TestClient(create_window_app(b"{}", [SANDBOX], site, more_sites={"/demo": demo}))
    assert client.get("/demo/config.json").json()["account_id"] == "87654321"
    assert client.get("/demo/window/main.py").status_code == 200
    assert client.get("/demo/Makefile").status_code == 404


@pytest.mark.parametrize("path", DEPLOYED)
def test_what_a_brand_deploys_is_served(client: TestClient, path: str) -> None:
    assert client.get(f"/{path}").status_code == 200


@pytest.mark.parametrize("path", [*NOT_DEPLOYED, "static/", "static/icons", "window/"])
def test_nothing_else_is_served(client: TestClient, path: str) -> None:
    assert client.get(f"/{path}").status_code == 404


def test_the_repositorys_own_window_files_are_those_pyscript_toml_and_index_html_load() -> None:
    files = python_files(ROOT)
    assert "window/main.py" in files and "window/api.py" in files and "window/transport_httpx.py" not in files
    client = TestClient(create_window_app(b"{}", [SANDBOX]))
    assert all(client.get(f"/{path}").status_code == 200 for path in files)
    for path in ("static/build_runtime.py", "static/runtime.lock.json", "static/runtime/baseline/index.html"):
        assert client.get(f"/{path}").status_code == 404


def test_window_code_is_revalidated_and_wasm_has_its_type(client: TestClient) -> None:
    assert client.get("/window/main.py").headers["cache-control"] == "no-cache"
    wasm = client.head("/static/runtime/pyodide/pyodide.asm.wasm")
    assert wasm.headers["content-type"] == "application/wasm"
    assert wasm.headers["cache-control"] == "public, max-age=86400"


def test_the_runtime_goes_out_brotli_compressed_to_browsers_that_accept_it(client: TestClient) -> None:
    wasm = "/static/runtime/pyodide/pyodide.asm.wasm"
    compressed = client.get(wasm, headers={"accept-encoding": "gzip, deflate, br"})
    assert compressed.headers["content-encoding"] == "br" and compressed.headers["content-type"] == "application/wasm"
    assert compressed.headers["vary"] == "Accept-Encoding"
    assert int(compressed.headers["content-length"]) < len(compressed.content) / 2  # decoded by the client here
    plain = client.get(wasm, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == compressed.content == WASM
    assert plain.headers["vary"] == "Accept-Encoding"  # a cache must not hand the br copy to this client
    assert plain.headers["etag"] != compressed.headers["etag"]


@pytest.mark.parametrize("encoding", ["br", "identity"])
def test_conditional_requests_answer_304_in_either_encoding(client: TestClient, encoding: str) -> None:
    wasm = "/static/runtime/pyodide/pyodide.asm.wasm"
    first = client.get(wasm, headers={"accept-encoding": encoding})
    again = client.get(wasm, headers={"accept-encoding": encoding, "if-none-match": first.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["vary"] == "Accept-Encoding" and again.headers["etag"] == first.headers["etag"]
    since = client.get(wasm, headers={"accept-encoding": encoding, "if-modified-since": first.headers["last-modified"]})
    assert since.status_code == 304


def test_window_code_answers_304_when_unchanged(client: TestClient) -> None:
    first = client.get("/window/main.py")
    assert client.get("/window/main.py", headers={"if-none-match": first.headers["etag"]}).status_code == 304


@pytest.fixture
def running(site: Path) -> Iterator[tuple[str, int]]:
    """The dev server listening on a socket of its own, for requests no HTTP client library would send."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    app = create_window_app(b"{}", [SANDBOX], site)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the dev server did not start"
        time.sleep(0.01)
    yield "127.0.0.1", sock.getsockname()[1]
    server.should_exit = True
    thread.join(timeout=5)
    sock.close()


def raw_get(address: tuple[str, int], target: str) -> bytes:
    """A GET with the request target exactly as given (clients normalise `..` away before sending)."""
    with socket.create_connection(address, timeout=5) as connection:
        connection.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    "target",
    [
        "/window/../Makefile",
        "/static/../Makefile",
        "/static/runtime/../../Makefile",
        "/static/runtime/../runtime.lock.json",
        "/static/runtime/baseline/../baseline/index.html",
        "/window/%2e%2e/Makefile",
        "/static/icons/..%2f..%2fMakefile",
        "/../../../../etc/passwd",
        "/window/..\\..\\Makefile",
    ],
)
def test_a_raw_dot_dot_path_reaches_nothing(running: tuple[str, int], target: str) -> None:
    assert raw_get(running, "/window/main.py").startswith(b"HTTP/1.1 200")  # the raw request itself works
    answer = raw_get(running, target)
    assert answer.split(b"\r\n", 1)[0] in (b"HTTP/1.1 404 Not Found", b"HTTP/1.1 400 Bad Request")
    assert b"Makefile */" not in answer and b"runtime.lock.json */" not in answer and b"root:" not in answer


def test_a_missing_window_config_is_one_clear_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    env = {**os.environ, "WINDOW_CONFIG": str(missing), "WINDOW_PORT": "9", "SANDBOX_PORT": "9"}
    run = subprocess.run(
        [sys.executable, "-m", "devserver"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode != 0 and run.stdout == ""
    assert run.stderr.strip() == f"devserver: WINDOW_CONFIG={missing} cannot be read: No such file or directory"


def test_a_configuration_file_is_served_as_given(tmp_path: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"account_id": "999"}))
    monkeypatch.setenv("WINDOW_CONFIG", str(path))
    client = TestClient(create_window_app(window_config(SANDBOX), [SANDBOX], site))
    assert client.get("/config.json").json() == {"account_id": "999"}
