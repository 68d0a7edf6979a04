"""Browser launch options shared by the end-to-end tests and the benchmark.

Debian's Chromium (`make chromium` installs it); never `playwright install`, which downloads a browser.
The flags keep a headless root run quiet on a machine with no network beyond localhost.
"""

import os

EXECUTABLE_PATH = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAUNCH_OPTIONS = {"executable_path": EXECUTABLE_PATH, "args": ARGS, "headless": True}
