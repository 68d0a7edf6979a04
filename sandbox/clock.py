"""Wall-clock formats LivePerson uses, and a monotonic clock for timeouts."""

from __future__ import annotations

import time
from datetime import datetime


def iso_now() -> str:
    """Local time, ISO 8601 with milliseconds and offset, as in LivePerson's examples: 2017-02-27T06:24:15.424-05:00."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def epoch_ms() -> int:
    return int(time.time() * 1000)


def monotonic() -> float:
    return time.monotonic()
