"""The browsers the benchmark measures in: Debian's Chromium, headless, in a fresh on-disk profile (cold) that a
second page view then finds warm, as a desktop on this machine's loopback or as a mid-range phone."""

from __future__ import annotations

import runpy
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, CDPSession, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
LAUNCH_OPTIONS: dict[str, Any] = runpy.run_path(str(ROOT / "playwright.config.py"))["LAUNCH_OPTIONS"]
PROBE = (Path(__file__).parent / "probe.js").read_text()
TIMEOUT_MS = 180_000


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    # Network and CPU emulated through the DevTools protocol (Network.emulateNetworkConditions,
    # Emulation.setCPUThrottlingRate); None: this machine as it is, on its loopback.
    network: dict[str, Any] | None = None
    cpu_slowdown: float = 1
    # Android's Chrome isolates only some sites: a brand page's cross-site frame shares its process and main thread.
    site_isolation: bool = True

    def launch_options(self) -> dict[str, Any]:
        args = [*LAUNCH_OPTIONS["args"], *([] if self.site_isolation else ["--disable-site-isolation-trials"])]
        return {**LAUNCH_OPTIONS, "args": args}


LOCALHOST = Profile("localhost", "this machine, loopback")
MBIT = 1_000_000 / 8  # bytes per second
PHONE = Profile(
    "phone",
    "a mid-range phone: 20 Mbit/s, 40 ms RTT, 4x CPU slowdown, no site isolation",
    network={"offline": False, "latency": 40, "downloadThroughput": 20 * MBIT, "uploadThroughput": 20 * MBIT},
    cpu_slowdown=4,
    site_isolation=False,
)
PROFILES = {profile.name: profile for profile in (LOCALHOST, PHONE)}


@contextmanager
def fresh_profile(playwright: Playwright, profile: Profile) -> Iterator[BrowserContext]:
    """A browser on a new, empty on-disk profile (nothing cached): its first page view is cold, later ones warm."""
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
        context = playwright.chromium.launch_persistent_context(folder, **profile.launch_options())
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(PROBE)
        try:
            yield context
        finally:
            context.close()


def new_page(context: BrowserContext, profile: Profile) -> tuple[Page, CDPSession]:
    """A tab, with the profile's network and CPU, and the Network domain on (for the bytes on the wire)."""
    page = next((page for page in context.pages if page.url == "about:blank"), None) or context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if profile.network is not None:
        cdp.send("Network.emulateNetworkConditions", profile.network)
    if profile.cpu_slowdown != 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile.cpu_slowdown})
    return page, cdp


def probe(page_or_frame: Any) -> dict[str, Any]:
    """What the probe recorded in that document (probe.js)."""
    found: dict[str, Any] = page_or_frame.evaluate("window.__bench")
    return found


def blocking(tasks: list[list[float]], start: float, end: float) -> tuple[float, float]:
    """Total blocking time (each long task's time over 50 ms) and the longest task, among those that began in
    [start, end) (absolute ms, as the probe records them)."""
    inside = [duration for begin, duration in tasks if start <= begin < end]
    return sum(max(0.0, duration - 50) for duration in inside), max(inside, default=0.0)
