"""App Engagement [AE]: create-session request and reply, update-session request, impression (funnel) events."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from window.models import Id, Payload
from window.models.attributes import EngagementAttribute


class AppDetails(Payload):
    os: Literal["WINDOWS", "MAC_OSX", "LINUX", "IOS", "ANDROID"] | None = None
    os_version: str | None = Field(default=None, alias="osVersion")
    app_version: str | None = Field(default=None, alias="appVersion")
    device_family: Literal["DESKTOP", "TABLET", "MOBILE"] | None = Field(default=None, alias="deviceFamily")
    ip_address: str | None = Field(default=None, alias="ipAddress")


class CreateSessionRequest(Payload):
    app_type: Literal["EXTERNAL", "MSDK"] = Field(default="EXTERNAL", alias="appType")
    app_details: AppDetails | None = Field(default=None, alias="appDetails")
    consumer_sections: list[str] | None = Field(default=None, alias="consumerSections")  # the web tag's "section"
    engagement_attributes: list[EngagementAttribute] | None = Field(default=None, alias="engagementAttributes")


class EngagementDetails(Payload):
    campaign_id: Id = Field(alias="campaignId")
    engagement_id: Id = Field(alias="engagementId")
    context_id: Id = Field(alias="contextId")
    window_id: Id | None = Field(default=None, alias="windowId")
    language: str | None = None
    engagement_revision: Id | None = Field(default=None, alias="engagementRevision")
    valid_for_seconds: int | None = Field(default=None, alias="validForSeconds")
    skill_id: Id | None = Field(default=None, alias="skillId")
    skill_name: str | None = Field(default=None, alias="skillName")
    connector_id: Id | None = Field(default=None, alias="connectorId")  # authenticated engagements: authChatConnId


class EngagementSession(Payload):
    """Create-session reply; `engagement_details` only when `status` is "Available"."""

    status: str
    session_id: str = Field(alias="sessionId")
    visitor_id: str = Field(alias="visitorId")
    page_id: str | None = Field(default=None, alias="pageId")
    engagement_details: EngagementDetails | None = Field(default=None, alias="engagementDetails")

    @property
    def available(self) -> bool:
        # assumed: compare case-insensitively, and Available without details is of no use to start a chat
        return self.status.lower() == "available" and self.engagement_details is not None


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


class UpdateSessionRequest(Payload):
    """Attributes and/or funnel events for an existing session (reply: 200, empty)."""

    page_id: str = Field(alias="pageId")
    engagement_attributes: list[EngagementAttribute] | None = Field(default=None, alias="engagementAttributes")
    imp_attributes: list[Impression] | None = Field(default=None, alias="impAttributes")
