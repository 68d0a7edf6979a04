"""DOM events into Python, guarded: a handler's bug is logged for the site owner, never shown to a consumer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from pyodide.ffi import create_proxy

log = logging.getLogger(__name__)
Handler = Callable[[Any], Coroutine[Any, Any, None] | None]
_proxies: list[Any] = []  # the JS proxies of our handlers, alive for the page's lifetime


def listen(node: Any, event: str, handler: Handler) -> None:
    """Call `handler` on `event`; a coroutine it returns is run (see `run`)."""

    def guarded(dom_event: Any) -> None:
        try:
            result = handler(dom_event)
            if result is not None:
                run(result)
        except Exception:
            log.exception("handler for %s failed", event)

    proxy = create_proxy(guarded)
    _proxies.append(proxy)
    node.addEventListener(event, proxy)


def run(command: Coroutine[Any, Any, None]) -> None:
    """Run a session command in the background; its failure is logged, never raised into the page."""
    asyncio.ensure_future(command).add_done_callback(_report)


def _report(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("command failed", exc_info=task.exception())
