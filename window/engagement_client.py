"""App Engagement [AE]: ask whether to offer a chat (create session), report attributes and funnel events (update).

Each create call adds a visitor to the agents' list: call it once per window, never in a tight retry loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from window.http import HttpRequest
from window.models.engagement import CreateSessionRequest, EngagementSession, UpdateSessionRequest
from window.protocol import Call, check_status, json_body, parse_model, with_query

HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}
VERSION = "1.0"


@dataclass(frozen=True)
class EngagementClient:
    base_url: str  # e.g. https://{msdkgw host}
    account_id: str

    def create_session(
        self, request: CreateSessionRequest, visitor_id: str | None = None, session_id: str | None = None
    ) -> Call[EngagementSession]:
        """`POST …/visitors[/{visitorId}]?v=1.0[&sid=…]`; pass the ids a previous reply returned (e.g. on retrying
        500 internalCode 20 "Loading account"), so LivePerson does not count a new visitor."""
        url = with_query(self._visitors_url(visitor_id), {"v": VERSION, "sid": session_id})
        return Call(
            HttpRequest("POST", url, HEADERS, json_body(request.wire())),
            lambda response: parse_model(response, EngagementSession),
        )

    def update_session(self, visitor_id: str, session_id: str, request: UpdateSessionRequest) -> Call[None]:
        """`PUT …/visitors/{visitorId}?v=1.0&sid=…` with pageId and attributes/impressions; 200, empty body."""
        url = with_query(self._visitors_url(visitor_id), {"v": VERSION, "sid": session_id})
        return Call(HttpRequest("PUT", url, HEADERS, json_body(request.wire())), check_status)

    def _visitors_url(self, visitor_id: str | None) -> str:
        url = f"{self.base_url.rstrip('/')}/api/account/{quote(self.account_id, safe='')}/app/engagement/visitors"
        return f"{url}/{quote(visitor_id, safe='')}" if visitor_id else url
