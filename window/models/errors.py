"""The two error bodies: App Engagement's unwrapped one and the Chat API's wrapped one."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from window.models import Payload


class AppEngagementError(Payload):
    """App Engagement (and CSDS): `{"time": 1469543282471, "message": "Illegal Version", "internalCode": 33}`."""

    time: int | None = None  # epoch milliseconds
    message: str
    internal_code: int | None = Field(default=None, alias="internalCode")


class ChatErrorDetail(Payload):
    time: datetime | None = None  # ISO 8601 with offset
    message: str
    internal_code: int | None = Field(default=None, alias="internalCode")


class ChatApiError(Payload):
    """Chat API, wrapped, `time` ISO 8601:
    `{"error": {"time": "2017-12-06T16:29:45.438-05:00", "message": "Bad captcha", "internalCode": 10}}`."""

    error: ChatErrorDetail
