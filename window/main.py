"""PyScript entry point (index.html loads it): start the window, and never show a traceback to a consumer.

Log records go to the browser's console only (for the site owner), never into the page: PyScript's error plugin,
which draws whatever reaches stderr as red blocks, is switched off in pyscript.toml (`plugins = ["!error"]`), and
the one log handler writes to `console`.
"""

import asyncio
import importlib
import logging

import js

from window.import_timing import install

install()  # first: every window module imported from here on is timed

# Start-up's heaviest imports, each in a main-thread task of its own (the browser gets a turn between them), so the
# shell keeps taking typing while they run: pydantic, then the chat's models (pydantic builds their validators), then
# the rest of the window.
IMPORT_STEPS = ("pydantic", "window.models.chat", "window.app")


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
        for module in IMPORT_STEPS:
            importlib.import_module(module)
            await asyncio.sleep(0)
        from window.app import start

        await start()
    except Exception:  # the last line of defence: log for the site owner, a plain message for the consumer
        logging.getLogger("window").exception("the chat window failed to start")
        from window.app import mark_ready
        from window.view import View

        View().show_fatal("error_service")
        mark_ready()


STARTUP = asyncio.ensure_future(run())  # noqa: RUF006  (held for the page's lifetime)
