"""PyScript entry point (index.html loads it): start the window, and never show a traceback to a consumer."""

import asyncio
import logging

from window.app import mark_ready, start
from window.view import View

logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")


async def run() -> None:
    try:
        await start()
    except Exception:  # the last line of defence: log for the site owner, a plain message for the consumer
        logging.getLogger("window").exception("the chat window failed to start")
        View(None).show_fatal("error_service")
        mark_ready()


STARTUP = asyncio.ensure_future(run())  # noqa: RUF006  (held for the page's lifetime)
