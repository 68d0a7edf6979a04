"""Quirks mode: JSON as LivePerson's XML-to-JSON conversion produces it, so a window learns to cope.

A lone `event` or survey `question` becomes an object instead of a one-element list; numbers and booleans become
strings (as in the pre-chat and offline survey examples).
"""

from __future__ import annotations

from typing import Any

LONE_ITEM_KEYS = frozenset({"event", "question"})


def xmlish(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: xmlish(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [xmlish(item) for item in value]
        return items[0] if key in LONE_ITEM_KEYS and len(items) == 1 else items
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value
