"""Funnel events (impressions), as an Update Session carries them."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from window.models.funnel import (
    EngagementContext,
    ImpAccept,
    ImpClose,
    ImpDisplay,
    ImpExpanded,
    Impression,
    ImpTimeout,
)

IMPRESSIONS: TypeAdapter[list[Impression]] = TypeAdapter(list[Impression])


def test_every_impression_kind_serialises_as_documented() -> None:
    common = {"campaign": 26948813, "eng_id": 27469613, "revision": 13}
    context = [EngagementContext(id="1")]
    events = [
        ImpDisplay(**common, e_context=context),
        ImpAccept(**common, e_context=context),
        ImpExpanded(**common, expanded=True, user_init=True),
        ImpTimeout(**common),
        ImpClose(**common),
    ]
    ids = {"campaign": 26948813, "engId": 27469613, "revision": 13}
    e_context = [{"type": "engagementContext", "id": 1}]
    assert [event.wire() for event in events] == [
        {**ids, "type": "impDisplay", "eContext": e_context},
        {**ids, "type": "impAccept", "eContext": e_context},
        {**ids, "type": "impExpanded", "expanded": True, "userInit": True},
        {**ids, "type": "impTimeout"},
        {**ids, "type": "impClose"},
    ]


def test_impressions_parse_by_type() -> None:
    close, expanded = IMPRESSIONS.validate_python(
        [
            {"type": "impClose", "campaign": "1", "engId": "2", "revision": "3"},
            {"type": "impExpanded", "campaign": 1, "engId": 2, "revision": 3, "expanded": "true", "userInit": "0"},
        ]
    )
    assert isinstance(close, ImpClose)
    assert (close.campaign, close.eng_id, close.revision) == (1, 2, 3)
    assert isinstance(expanded, ImpExpanded)
    assert (expanded.expanded, expanded.user_init) == (True, False)


@pytest.mark.parametrize(
    "event",
    [
        {"type": "impWink", "campaign": 1, "engId": 2, "revision": 3},
        {"type": "impDisplay", "campaign": 1, "engId": 2, "revision": 3},  # impDisplay needs its engagement context
    ],
)
def test_unknown_or_incomplete_impressions_are_refused(event: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        IMPRESSIONS.validate_python([event])
