"""Typed payloads of LivePerson's legacy chat APIs, and the leniency they all share.

The replies are JSON converted from XML: a one-element list arrives as a lone object, numbers and booleans as
strings, ids as numbers or strings. `Payload` and the types below absorb that once, so each model states only
its fields. Outgoing payloads serialise by their documented (wire) names, omitting what is unset.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict

T = TypeVar("T")


class Payload(BaseModel):
    model_config = ConfigDict(
        extra="ignore",  # LivePerson adds fields over time; unknown ones must not break parsing
        frozen=True,
        coerce_numbers_to_str=True,  # a text field may come as a number (ids flip between the two)
        validate_by_name=True,  # our code builds models by Python name …
        validate_by_alias=True,  # … the wire uses the documented names
        serialize_by_alias=True,
    )

    def wire(self) -> dict[str, Any]:
        """The documented JSON object, without unset optional fields."""
        return self.model_dump(mode="json", exclude_none=True)


def _as_list(value: object) -> object:
    if value is None or value == "":  # an empty XML element converts to null or ""
        return []
    return value if isinstance(value, list) else [value]


def _canonical_id(value: object) -> object:
    # "40216" and 40216 name the same id: keep it a number when it is one, so it goes back out as documented.
    if isinstance(value, str) and value.removeprefix("-").isdigit() and str(int(value)) == value:
        return int(value)
    return value


ListOrOne = Annotated[list[T], BeforeValidator(_as_list)]
"""A list that may arrive as a lone object (or be absent/empty)."""

Id = Annotated[int | str, BeforeValidator(_canonical_id)]
"""An id sent as a number or a string of digits (or, rarely, any other string)."""
