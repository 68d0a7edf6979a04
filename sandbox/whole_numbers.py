"""Whole numbers written in a path, a query or a header (`from=`, an event id, `maxWaitTime`, `Content-Length`).

`str.isdigit` takes digits `int` refuses (`²`), and `int` takes what no client sends as a number (`١٢`, ` 5`, `1_0`,
`+5`) and refuses 4,300 digits and more (Python's int-string limit): only ASCII digits pass here, and few enough of
them for a Java `long` (assumed: LivePerson's servers read these as longs; its docs give no range).
"""

from __future__ import annotations

import re

MOST_DIGITS = 18  # every number of 18 digits fits in a signed 64-bit long
_DIGITS = re.compile(rf"[0-9]{{1,{MOST_DIGITS}}}")


def whole_number(text: str) -> int | None:
    """The number `text` writes in ASCII digits, or None for anything else."""
    return int(text) if _DIGITS.fullmatch(text) else None
