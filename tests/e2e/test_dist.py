"""`make dist` is what a brand deploys: its folder, served by a plain static server (Debian's nginx, with the
configuration `make dist` wrote), is a window a consumer chats through, with the exact headers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from devserver.dist import build
from tests.servers import Process, free_port, start_nginx, start_sandbox, stop_process

from .conftest import READY_TIMEOUT_MS

WAIT_MS = 20_000


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Process, Path, str]]:
    """The dist folder, for the sandbox's account, served by nginx; the sandbox answers it."""
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    sandbox = start_sandbox([site])
    work = tmp_path_factory.mktemp("dist")
    config = {"account_id": "12345678", "csds_url": sandbox.url, "app_key": "sandbox-app-key", "brand_name": "Dist"}
    digest = build(work / "dist", json.dumps(config).encode())
    nginx = start_nginx(work / "dist", port, work)
    yield nginx, work / "dist", digest
    stop_process(nginx)
    stop_process(sandbox)


def test_the_deployed_folder_is_a_window_a_consumer_chats_through(
    browser: Browser, deployed: tuple[Process, Path, str]
) -> None:
    nginx, _, _ = deployed
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(nginx.url)
    page.wait_for_selector("html[data-ready=true]", timeout=READY_TIMEOUT_MS, state="attached")
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("You are chatting with", timeout=WAIT_MS)
    page.get_by_role("textbox", name="Message").fill("served by nginx")
    page.keyboard.press("Enter")
    expect(page.get_by_role("log")).to_contain_text('You said: "served by nginx"', timeout=WAIT_MS)
    context.close()
    assert [error for error in errors if "Content Security Policy" in error] == []


def test_the_headers_a_brand_gets(deployed: tuple[Process, Path, str]) -> None:
    nginx, dist, digest = deployed
    with httpx.Client(base_url=nginx.url, headers={"accept-encoding": "br"}) as http:
        page = http.get("/")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-cache"
        policy = page.headers["content-security-policy"]
        assert "script-src 'self' 'wasm-unsafe-eval'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy  # this configuration names no brand page to embed it
        wasm = http.get(f"/a/{digest}/static/runtime/pyodide/pyodide.asm.wasm")
        assert wasm.headers["content-type"] == "application/wasm" and wasm.headers["content-encoding"] == "br"
        assert wasm.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert http.get("/static/loader.js").headers["cache-control"] == "public, max-age=300"
        assert http.get("/config.json").headers["cache-control"] == "no-cache"
        signin = http.get("/static/signin.html")  # a sign-in popup's answer page, at its registered address
        assert signin.status_code == 200 and signin.headers["content-security-policy"] == policy
        assert http.get("/static/signin.js").headers["cache-control"] == "public, max-age=300"
        preload = http.get("/static/preload.json").json()
        assert f"a/{digest}/static/runtime/pyodide/pyodide.asm.wasm" in preload
        for missing in ("/nginx.conf", "/Makefile", f"/a/{digest}/../nginx.conf", "/static/build_runtime.py"):
            assert http.get(missing).status_code == 404, missing
    assert not (dist / "a" / digest / "static" / "runtime" / "baseline").exists()  # nothing benchmark-only
