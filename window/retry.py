"""When to try again: the retry policy of the start sequence, the polling loop and ending a chat, as pure functions.

Sources: LivePerson's retry recommendations ([RETRY] in docs/api-notes.md): never repeat a 4xx but a 429 (wait at
least a second, honour `Retry-After`); repeat a 5xx three times, after about 5, 10 and 15 s, then slowly. Its own
browser SDK ([OLDSDK]) declares a chat lost after more than 9 consecutive failed polls; this window only says it is
still trying then, and goes on polling at the backoff's ceiling: only the server can say a chat is gone (a 404).
"""

from __future__ import annotations

from http import HTTPStatus

from window.protocol import ApiError

START_RETRY_DELAYS = (5.0, 10.0, 15.0)  # then the start is given up and the consumer may try again
FAILURE_TOLERANCE = 9  # consecutive failed polls before "Reconnecting…" becomes "Still trying to reconnect"
MAX_BACKOFF_SECONDS = 15.0
MIN_RETRY_AFTER_SECONDS = 1.0


def start_delay(attempt: int, error: Exception) -> float | None:
    """Seconds before retrying a failed step of the start sequence after `attempt` failures, or None: give up."""
    if attempt > len(START_RETRY_DELAYS):
        return None
    return max(START_RETRY_DELAYS[attempt - 1], _server_asked(error))


def poll_delay(failures: int, poll_interval: float, jitter: float, error: Exception | None = None) -> float:
    """Seconds before the next poll after `failures` consecutive failures (0: the usual interval).

    One poll interval, then twice as long each time up to 15 s, with "equal jitter" (between half and all of it,
    `jitter` in [0, 1)), so many windows that lost the same server do not come back in step.
    """
    if failures == 0:
        return poll_interval
    ceiling = min(poll_interval * 2.0 ** (failures - 1), MAX_BACKOFF_SECONDS)
    return max(ceiling * (0.5 + jitter / 2), _server_asked(error))


def _server_asked(error: Exception | None) -> float:
    """What a 429 or a `Retry-After` asks for (at least a second after a 429), else nothing."""
    if not isinstance(error, ApiError):
        return 0.0
    floor = MIN_RETRY_AFTER_SECONDS if error.status == HTTPStatus.TOO_MANY_REQUESTS else 0.0
    return max(error.retry_after or 0.0, floor)
