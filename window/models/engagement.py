"""App Engagement [AE]: create-session request and reply, update-session request, and the launch data that hand an
engagement to the window (the tag's, in the monitored flow).

Engagement attributes (`models/attributes.py`) and funnel events (`models/funnel.py`) travel here as raw JSON, checked
by their own models beforehand, so the chat's start-up does not load those models.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, JsonValue

from window.models import Id, Payload

RawItems = list[dict[str, JsonValue]]


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
    engagement_attributes: RawItems | None = Field(default=None, alias="engagementAttributes")  # checked: attributes.py


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


class UpdateSessionRequest(Payload):
    """Attributes and/or funnel events for an existing session (reply: 200, empty)."""

    page_id: str = Field(alias="pageId")
    engagement_attributes: RawItems | None = Field(default=None, alias="engagementAttributes")  # checked: attributes.py
    imp_attributes: RawItems | None = Field(default=None, alias="impAttributes")  # checked: models/funnel.py


KEY = r"^[A-Za-z0-9._:-]{1,100}$"  # a visitor, session or page id as App Engagement issues them: a short token
Key = Annotated[str, Field(pattern=KEY)]
MAX_ID = 2**53 - 1  # the largest integer a JavaScript page can hand over exactly
MAX_ATTRIBUTES = 50  # assumed: LivePerson documents no limit; a brand's page sends a handful


def _launch_id(value: int | str) -> int | str:
    if isinstance(value, int) and not 0 <= value <= MAX_ID:
        raise ValueError(f"is not between 0 and {MAX_ID}")
    if isinstance(value, str) and not re.fullmatch(KEY, value):
        raise ValueError("is not a number or a short token of letters, digits and . _ : -")
    return value


LaunchId = Annotated[Id, AfterValidator(_launch_id)]
"""An engagement, campaign, context or connector id as a page hands it: the ids LivePerson issues, nothing else."""


class LaunchData(Payload):
    """An engagement handed to the window, in the short keys LivePerson's tag hands to a brand's method ([SAMPLE]):
    the window chats in that session instead of asking App Engagement for one. `pid`, `rev`, `validFor` and `conn`
    are this project's additions (assumed; the docs list no more keys): the page id funnel reports need, the
    engagement's revision, how long it holds, its authentication connector (`connectorId`: sign in first)."""

    svid: Key  # visitorId → LETagVisitorId
    ssid: Key  # sessionId → LETagSessionId
    scid: LaunchId  # contextId → LETagContextId
    eid: LaunchId  # engagementId
    cid: LaunchId  # campaignId
    lang: Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,4}$")] | None = None
    skill: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    pid: Key | None = None
    rev: LaunchId | None = None
    valid_for: Annotated[int, Field(ge=0, le=86400)] | None = Field(default=None, alias="validFor")
    # engagement attributes, each checked like setEngagementAttributes'
    attributes: Annotated[RawItems, Field(max_length=MAX_ATTRIBUTES)] | None = None
    conn: LaunchId | None = None

    def session(self) -> EngagementSession:
        """The engagement as App Engagement would have answered it."""
        details = {
            "campaignId": self.cid,
            "engagementId": self.eid,
            "contextId": self.scid,
            "language": self.lang,
            "skillName": self.skill,
            "engagementRevision": self.rev,
            "validForSeconds": self.valid_for,
            "connectorId": self.conn,
        }
        session = {"status": "Available", "sessionId": self.ssid, "visitorId": self.svid, "pageId": self.pid}
        return EngagementSession.model_validate(session | {"engagementDetails": details})
