"""Funnel reporting [AE]: the impression events an Update Session carries (`impAttributes`).

In the page they are sent by static/engage.js (the window's runtime is not started when an engagement is shown);
these models describe them for clients that run the protocol core under CPython.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from window.models import Id, Payload


class EngagementContext(Payload):
    type: Literal["engagementContext"] = "engagementContext"
    id: Id


class _Impression(Payload):
    """Every funnel event names the engagement: `campaignId`, `engagementId`, `engagementRevision` of its details."""

    campaign: Id
    eng_id: Id = Field(alias="engId")
    revision: Id


class ImpDisplay(_Impression):
    """The engagement was shown."""

    type: Literal["impDisplay"] = "impDisplay"
    e_context: list[EngagementContext] = Field(alias="eContext")


class ImpAccept(_Impression):
    """The consumer clicked the engagement."""

    type: Literal["impAccept"] = "impAccept"
    e_context: list[EngagementContext] = Field(alias="eContext")


class ImpExpanded(_Impression):
    type: Literal["impExpanded"] = "impExpanded"
    expanded: bool
    user_init: bool = Field(alias="userInit")
    # assumed: `actionableItems` (null in LivePerson's example, otherwise undocumented) is left out.


class ImpTimeout(_Impression):
    type: Literal["impTimeout"] = "impTimeout"


class ImpClose(_Impression):
    type: Literal["impClose"] = "impClose"


Impression = Annotated[ImpDisplay | ImpAccept | ImpExpanded | ImpTimeout | ImpClose, Field(discriminator="type")]
