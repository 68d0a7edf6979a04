"""PyScript entry point (index.html loads it): start the window, and never show a traceback to a consumer.

Log records go to the browser's console only (for the site owner), never into the page: PyScript's error plugin,
which draws whatever reaches stderr as red blocks, is switched off in pyscript.toml (`plugins = ["!error"]`), and
the one log handler writes to `console`.
"""

import asyncio
import logging

import js

from window.app import mark_ready, start
from window.view import View


class ConsoleHandler(logging.Handler):
    """Each record to the browser console method of its level (errors stay errors in the site owner's tools)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if record.levelno >= logging.ERROR:
                write = js.console.error
            elif record.levelno >= logging.WARNING:
                write = js.console.warn
            else:
                write = js.console.info
            write(self.format(record))
        except Exception:  # a failing log call must never take the window down
            self.handleError(record)


logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s", handlers=[ConsoleHandler()], force=True)
logging.raiseExceptions = False  # handleError stays silent: stderr would be the page's console anyway


async def run() -> None:
    try:
        await start()
    except Exception:  # the last line of defence: log for the site owner, a plain message for the consumer
        logging.getLogger("window").exception("the chat window failed to start")
        View().show_fatal("error_service")
        mark_ready()


STARTUP = asyncio.ensure_future(run())  # noqa: RUF006  (held for the page's lifetime)
