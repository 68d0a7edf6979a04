"""Engagement attributes as an agent reads them: each SDE's kind (the docs' heading) and its fields, one value each.

Fields keep LivePerson's names, as paths below the kind's payload key (`customerId`, `lastPaymentDate`,
`products[0].product.name`); a date is written year-month-day, an enumeration as its number and name.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from sandbox.attributes import Sde, parsed

_DATE_PARTS = ("year", "month", "day")


def _date(value: dict[str, Any]) -> str | None:
    """A {day, month, year} object as 2014-10-15 (an Age object's `age` first: "34, born 1980-04-15")."""
    if not set(value) <= {*_DATE_PARTS, "age"}:
        return None
    date = "-".join(f"{value[part]:02d}" for part in _DATE_PARTS if part in value)
    if "age" not in value:
        return date
    return f"{value['age']}, born {date}" if date else str(value["age"])


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, IntEnum):
        return f"{value.value} ({value.name.replace('_', ' ')})"
    return str(value)


def _fields(value: Any, path: str) -> list[dict[str, str]]:
    if isinstance(value, dict):
        if path and (date := _date(value)) is not None:
            return [{"name": path, "value": date}]
        return [field for key, item in value.items() for field in _fields(item, f"{path}.{key}" if path else key)]
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            return [{"name": path, "value": ", ".join(_text(item) for item in value)}]
        return [field for index, item in enumerate(value) for field in _fields(item, f"{path}[{index}]")]
    return [{"name": path, "value": _text(value)}]


def readable(item: dict[str, Any]) -> dict[str, Any]:
    """`{"type", "kind", "fields": [{"name", "value"}]}` of an SDE the session accepted."""
    sde: Sde = parsed(item)
    payload = sde.model_dump(exclude_none=True, exclude={"type"})
    if sde.payload_key is not None:
        payload = payload.get(sde.payload_key, {})
    return {"type": item["type"], "kind": sde.kind, "fields": _fields(payload, "")}
