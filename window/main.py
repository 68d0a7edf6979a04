"""PyScript entry point (index.html loads it): start the window, and never show a traceback to a consumer."""

import asyncio
import logging

import js

from window.app import start
from window.strings import text

logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")


async def run() -> None:
    try:
        await start()
    except Exception:  # the last line of defence: log for the site owner, a plain message for the consumer
        logging.getLogger("window").exception("the chat window failed to start")
        js.document.documentElement.dataset.state = "error"
        js.document.getElementById("status").textContent = text("error_service")
        js.document.documentElement.dataset.ready = "true"


STARTUP = asyncio.ensure_future(run())  # noqa: RUF006  (held for the page's lifetime)
