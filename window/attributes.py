"""Engagement attributes (SDEs) from the brand (its configuration, `setEngagementAttributes`, launch data), checked
by the models of every kind ([EAT] in docs/api-notes.md) before anything is sent: a bad one is reported in the
browser console with its position, kind, field and reason (never its value), dropped, and never breaks the chat.
Loaded on first use: a window without attributes never imports their models."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from pydantic import JsonValue, TypeAdapter, ValidationError

from window.models.attributes import EngagementAttribute

log = logging.getLogger(__name__)
ATTRIBUTE: TypeAdapter[EngagementAttribute] = TypeAdapter(EngagementAttribute)


def checked(items: Sequence[object], source: str) -> list[dict[str, JsonValue]]:
    """The attributes that fit their kind, as the API takes them; each one that does not is said and dropped."""
    kept: list[dict[str, JsonValue]] = []
    for position, item in enumerate(items, start=1):
        kind = item.get("type") if isinstance(item, dict) else None
        try:
            kept.append(ATTRIBUTE.validate_python(item).wire())
        except ValidationError as exc:
            reasons = "; ".join(
                f"{'.'.join(str(part) for part in error['loc'][1:]) or 'type'}: {error['msg']}"
                for error in exc.errors(include_url=False, include_input=False)
            )
            named = f" ({kind})" if isinstance(kind, str) and kind.isalpha() and len(kind) < 20 else ""
            log.warning("%s: engagement attribute %d%s dropped, not sent: %s", source, position, named, reasons)
    return kept
