"""App Engagement ([AE]): Create Session (POST) and Update Session (PUT) for the unmonitored flow."""

from __future__ import annotations

import secrets
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox import attributes, routing
from sandbox.bodies import parse_body
from sandbox.context import account_of, hosts_of, served_on
from sandbox.errors import ENGAGEMENT_BAD_REQUEST, ILLEGAL_VERSION, LOADING_ACCOUNT, Refusal
from sandbox.quirks import xmlish
from sandbox.store import Account, VisitorSession


class AppDetailsBody(BaseModel):
    os: Literal["WINDOWS", "MAC_OSX", "LINUX", "IOS", "ANDROID"] | None = None
    osVersion: str | None = None
    appVersion: str | None = None
    deviceFamily: Literal["DESKTOP", "TABLET", "MOBILE"] | None = None
    ipAddress: str | None = None


class ImpressionBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: Literal["impDisplay", "impAccept", "impExpanded", "impTimeout", "impClose"]
    campaign: int | str
    engId: int | str
    revision: int | str


class CreateSessionBody(BaseModel):
    appType: Literal["MSDK", "EXTERNAL"]
    appDetails: AppDetailsBody | None = None
    consumerSections: list[str] = []
    engagementAttributes: list[Any] = []  # each checked by its kind's model (sandbox.attributes)


class UpdateSessionBody(BaseModel):
    pageId: str
    engagementAttributes: list[Any] | None = None
    impAttributes: list[ImpressionBody] | None = None

    @model_validator(mode="after")
    def _has_content(self) -> UpdateSessionBody:
        if self.engagementAttributes is None and self.impAttributes is None:
            raise ValueError("engagementAttributes or impAttributes required")
        return self


def _dumps(items: list[ImpressionBody] | None) -> list[dict[str, Any]]:
    return [item.model_dump(exclude_none=True) for item in items or []]


def _check_version(request: Request) -> None:
    if request.query_params.get("v") != "1.0":
        raise Refusal(400, "Illegal Version", ILLEGAL_VERSION)


def _known_session(account: Account, visitor_id: str, sid: str | None) -> VisitorSession:
    if not sid:
        raise Refusal(400, "Missing sid", ENGAGEMENT_BAD_REQUEST)
    session = account.sessions.get(sid)
    if session is None or session.visitor_id != visitor_id:
        raise Refusal(401, "Unknown visitor or session", ENGAGEMENT_BAD_REQUEST)
    return session


def _engagement_details(account: Account) -> dict[str, Any]:
    s = account.settings
    skill = s.engaged_skill
    details: dict[str, Any] = {
        "campaignId": s.campaign_id,
        "engagementId": s.engagement_id,
        "contextId": s.context_id,
        "windowId": s.window_id,
        "language": s.language,
        "engagementRevision": s.engagement_revision,
        "validForSeconds": s.valid_for_seconds,
        "skillId": skill.id,
        "skillName": skill.name,
    }
    if s.authenticated_engagement:
        details["connectorId"] = s.connector_id
    return details


def _engagement_account(request: Request) -> Account:
    served_on(request, hosts_of(request).main, "msdkgw")
    account = account_of(request)
    _check_version(request)
    return account


def _loading_account(account: Account, visitor_id: str | None) -> None:
    """Quiet accounts first answer 500 "Loading account" (#94: "an expected response … call the API after waiting a
    bit"); the message names a visitor id, which the sandbox adopts like any other, so a retry may reuse it."""
    if account.loading_answers >= account.settings.loading_account_calls:
        return
    account.loading_answers += 1
    visitor_id = visitor_id or secrets.token_urlsafe(16)
    account.visitors.add(visitor_id)
    raise Refusal(500, f"Loading account: {account.account_id}, vid: {visitor_id}", LOADING_ACCOUNT)


async def create_session(request: Request) -> Response:
    account = _engagement_account(request)
    body = await parse_body(request, CreateSessionBody, ENGAGEMENT_BAD_REQUEST)
    received = attributes.check(body.engagementAttributes)
    visitor_id = request.path_params.get("visitor_id")
    _loading_account(account, visitor_id)
    sid = request.query_params.get("sid")
    if visitor_id is not None and sid:
        session = _known_session(account, visitor_id, sid)
    else:
        # assumed: a visitor id we never issued (e.g. from before a sandbox restart) is adopted, as LivePerson's
        # ids are opaque to the client; without both vid and sid a new session starts.
        visitor_id = visitor_id or secrets.token_urlsafe(16)
        account.visitors.add(visitor_id)
        session = VisitorSession(
            visitor_id,
            secrets.token_urlsafe(16),
            body.appType,
            body.appDetails.model_dump(exclude_none=True) if body.appDetails else None,
            body.consumerSections,
        )
        account.sessions[session.session_id] = session
    session.engagement_attributes.extend(received)
    page_id = str(secrets.randbelow(10**10))
    session.page_ids.append(page_id)
    available = routing.is_online(account, account.settings.engaged_skill)
    reply: dict[str, Any] = {
        "status": "Available" if available else "NotAvailable",
        "sessionId": session.session_id,
        "visitorId": session.visitor_id,
        "pageId": page_id,
    }
    if available:
        reply["engagementDetails"] = _engagement_details(account)
    return JSONResponse(xmlish(reply) if account.settings.quirks else reply)


async def update_session(request: Request) -> Response:
    account = _engagement_account(request)
    session = _known_session(account, request.path_params["visitor_id"], request.query_params.get("sid"))
    body = await parse_body(request, UpdateSessionBody, ENGAGEMENT_BAD_REQUEST)
    if body.pageId not in session.page_ids:
        raise Refusal(400, f"Unknown pageId {body.pageId}", ENGAGEMENT_BAD_REQUEST)
    session.engagement_attributes.extend(attributes.check(body.engagementAttributes or []))
    session.imp_attributes.extend(_dumps(body.impAttributes))
    return Response(status_code=200)


_PATH = "/api/account/{acct}/app/engagement/visitors"
routes = [
    Route(_PATH, create_session, methods=["POST"]),
    Route(_PATH + "/{visitor_id}", create_session, methods=["POST"]),
    Route(_PATH + "/{visitor_id}", update_session, methods=["PUT"]),
]
