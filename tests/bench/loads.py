"""A page of its own loaded cold (a fresh profile) and then warm (reloaded in it): the window's, or the stock
PyScript page's. Interactive = the page marks itself ready (`html[data-ready=true]`: Python has taken over)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import CDPSession, Page, Playwright

from tests.bench.browsing import Profile, blocking, fresh_profile, new_page, probe

READY = "html[data-ready=true]"


@dataclass(frozen=True)
class Load:
    seconds: float  # from navigation to ready
    bytes: int  # on the wire (encodedDataLength: bodies as encoded, plus headers; 0 from the cache)
    requests: int  # answered from the network (a 304 counts, a cache hit does not)
    blocking_ms: float  # total blocking time until ready
    longest_ms: float  # the longest main-thread task until ready
    assets: dict[str, int]  # bytes on the wire by path


class Wire:
    """The bytes of every response of one page, by URL (the DevTools protocol's Network events)."""

    def __init__(self, cdp: CDPSession) -> None:
        self.urls: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        cdp.on(
            "Network.responseReceived",
            lambda event: self.urls.__setitem__(event["requestId"], event["response"]["url"]),
        )
        cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event: dict[str, Any]) -> None:
        if event["encodedDataLength"]:  # 0: from the cache
            self.bytes[event["requestId"]] = int(event["encodedDataLength"])

    def clear(self) -> None:
        self.urls.clear()
        self.bytes.clear()

    def by_path(self) -> dict[str, int]:
        paths: dict[str, int] = {}
        for request, count in self.bytes.items():
            path = urlsplit(self.urls.get(request, request)).path
            paths[path] = paths.get(path, 0) + count
        return paths


def measure(page: Page, wire: Wire, navigate: Callable[[], Any]) -> Load:
    wire.clear()
    navigate()
    page.wait_for_selector(READY, state="attached")
    recorded, origin = probe(page), page.evaluate("performance.timeOrigin")
    ready = recorded["readyAt"]
    total, longest = blocking(recorded["longTasks"], origin, ready)
    return Load(
        seconds=(ready - origin) / 1000,
        bytes=sum(wire.bytes.values()),
        requests=len(wire.bytes),
        blocking_ms=total,
        longest_ms=longest,
        assets=wire.by_path(),
    )


def cold_and_warm(playwright: Playwright, url: str, profile: Profile) -> tuple[Load, Load]:
    with fresh_profile(playwright, profile) as context:
        page, cdp = new_page(context, profile)
        wire = Wire(cdp)
        cold = measure(page, wire, lambda: page.goto(url, wait_until="commit"))
        warm = measure(page, wire, lambda: page.reload(wait_until="commit"))
    return cold, warm
