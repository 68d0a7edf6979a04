"""What the benchmark measures, served as a brand would serve it: the folder `make dist` writes, by Debian's nginx
with the nginx.conf `make dist` wrote; the stock PyScript page by nginx the same way (its page and configuration
revalidated, everything else cached as immutable, brotli copies); and the sandbox, whose brand page embeds the window
from another origin of the same site (as https://www.brand.example and https://chat.brand.example): the window's page
asks for an origin-keyed agent cluster, so a desktop Chromium runs its frame in a process of its own."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from devserver.dist import HEADERS, build, static_site_conf
from tests.servers import Process, free_port, start_nginx, start_sandbox, stop_process

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "static" / "runtime" / "baseline"
APP_KEY = "sandbox-app-key"  # the sandbox takes any app key; this is the one its docs use
# The stock page's own files are revalidated; its runtime is cached as the window's immutable assets are.
BASELINE_LOCATIONS = f"""        location = / {{
            try_files /index.html =404;
            add_header Cache-Control "no-cache" always;
{HEADERS}        }}
        location ~ ^/(index\\.html|pyscript\\.toml)$ {{
            add_header Cache-Control "no-cache" always;
{HEADERS}        }}
        location / {{
            add_header Cache-Control "public, max-age=31536000, immutable" always;
{HEADERS}        }}
"""


@dataclass(frozen=True)
class Sites:
    window: str  # the deployed window's page
    baseline: str  # the stock PyScript page
    sandbox: str  # LivePerson's stand-in: the window's csds_url, its agent console, the brand page (/brand/)
    dist: Path  # what nginx serves for the window
    assets: str  # the immutable folder's name (a/<hash>)

    @property
    def brand_page(self) -> str:
        return f"{self.sandbox}/brand/"

    def account(self, account_id: str, **settings: object) -> None:
        """A sandbox account's settings (an agent in the console, surveys, a sign-in…)."""
        url = f"{self.sandbox}/sandbox/accounts/{account_id}/settings"
        httpx.put(url, json=settings, timeout=10).raise_for_status()


def window_config(sandbox: str, account_id: str) -> dict[str, object]:
    return {
        "account_id": account_id,
        "csds_url": sandbox,
        "app_key": APP_KEY,
        "brand_name": "Bench",
        "embed_origins": [sandbox],  # the sandbox's brand page embeds it
    }


@contextmanager
def sites(work: Path, account_id: str) -> Iterator[Sites]:
    window_port, baseline_port = free_port(), free_port()
    sandbox = start_sandbox([f"http://127.0.0.1:{window_port}"])
    running: list[Process] = [sandbox]
    try:
        digest = build(work / "dist", json.dumps(window_config(sandbox.url, account_id)).encode())
        (work / "window-nginx").mkdir()
        running.append(start_nginx(work / "dist", window_port, work / "window-nginx"))
        baseline = work / "baseline"
        shutil.copytree(BASELINE, baseline)
        (baseline / "nginx.conf").write_text(
            static_site_conf("The stock PyScript page (the bench's).", BASELINE_LOCATIONS)
        )
        (work / "baseline-nginx").mkdir()
        running.append(start_nginx(baseline, baseline_port, work / "baseline-nginx"))
        yield Sites(
            window=f"http://127.0.0.1:{window_port}/",
            baseline=f"http://127.0.0.1:{baseline_port}/",
            sandbox=sandbox.url,
            dist=work / "dist",
            assets=f"a/{digest}",
        )
    finally:
        for process in reversed(running):
            stop_process(process)
