"""An in-memory chat service behind the session's port: a chat the test scripts, failures it injects per call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import JsonValue

from window.api import Engagement
from window.http import NetworkError
from window.models.auth import AuthReply, ProviderMetadata
from window.models.chat import TranscriptRequest
from window.models.engagement import EngagementSession
from window.models.survey import Survey, SurveyAnswers
from window.protocol import ApiError
from window.signin import SignedIn
from window.state import ChatSnapshot, ServerLine, ServerState

LINKS = {
    "events": "chat/events",
    "visitor-typing": "chat/info/visitorTyping",
    "visitor-name": "chat/info/visitorName",
    "transcript-request": "chat/transcriptRequest",
    "transcript-with-subject-request": "chat/transcriptWithSubjectRequest",
    "exit-survey": "chat/exitSurvey",
}


def engagement(available: bool = True, connector_id: int | None = None) -> Engagement:
    details = {"campaignId": 1, "engagementId": 2, "contextId": 3, "connectorId": connector_id} if available else None
    status = "Available" if available else "NotAvailable"
    session = EngagementSession.model_validate(
        {"status": status, "sessionId": "s", "visitorId": "v", "engagementDetails": details}
    )
    return Engagement(session, expires_at=float("inf"))


@dataclass
class FakeService:
    available: bool = True
    wait_seconds: int = 60
    agent_name: str | None = None
    prechat: Survey | None = None  # the account's surveys (None: it has none)
    offline: Survey | None = None
    exit: Survey | None = None
    links: dict[str, str] = field(default_factory=lambda: dict(LINKS))  # what the chat lists
    taken: list[tuple[str, object]] = field(default_factory=list)  # (what, payload) the server accepted, in order
    adopted: EngagementSession | None = None  # an engagement handed over (launch data)
    connector_id: int | None = None  # the engagement asks for a signed-in consumer
    good_keys: set[str] = field(default_factory=set)  # what conversation.json accepts as ssoKey
    events: list[ServerLine | ServerState] = field(default_factory=list)  # the chat; an event's id is its index
    calls: list[str] = field(default_factory=list)
    failures: dict[str, list[Exception]] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)  # calls that act, then lose their answer

    def fail(self, method: str, *errors: Exception) -> None:
        """The next calls of `method` fail with these errors, one each, before anything happens."""
        self.failures.setdefault(method, []).extend(errors)

    def lose(self, method: str, times: int = 1) -> None:
        """The next calls of `method` take effect on the server, but their answer never arrives."""
        self.lost[method] = self.lost.get(method, 0) + times

    def count(self, method: str) -> int:
        return self.calls.count(method)

    # -- the agent's side ---------------------------------------------------------------------------------------

    def add(self, event: ServerLine | ServerState) -> None:
        self.events.append(event)

    def set_state(self, state: str) -> None:
        self.add(ServerState(len(self.events), state))

    def agent_joins(self, name: str = "Alex") -> None:
        self.agent_name = name
        self.set_state("chatting")

    def agent_says(self, text: str) -> None:
        self.add(ServerLine(len(self.events), "agent", self.agent_name or "Agent", text))

    def server_state(self) -> str | None:
        return next((e.state for e in reversed(self.events) if isinstance(e, ServerState)), None)

    def visitor_lines(self) -> list[str]:
        return [event.text for event in self.events if isinstance(event, ServerLine) and event.source == "visitor"]

    # -- the port ---------------------------------------------------------------------------------------------

    async def engagement(self) -> Engagement:
        self._called("engagement")
        if self.adopted is not None:
            return Engagement(self.adopted, expires_at=float("inf"))
        return engagement(self.available, self.connector_id)

    def adopt(self, session: EngagementSession) -> None:
        self.adopted = session

    async def send_attributes(self, attributes: list[dict[str, JsonValue]]) -> None:
        self._called("send_attributes")
        self.taken.append(("send_attributes", attributes))

    async def is_available(self, offer: Engagement) -> bool:
        self._called("is_available")
        return self.available

    async def estimated_wait(self, offer: Engagement) -> int:
        self._called("estimated_wait")
        return self.wait_seconds

    async def prechat_survey(self, offer: Engagement) -> Survey | None:
        self._called("prechat_survey")
        return self.prechat

    async def request_chat(
        self, offer: Engagement, survey: SurveyAnswers | None = None, signed_in: AuthReply | None = None
    ) -> str:
        self._called("request_chat")
        self.taken.append(("request_chat", survey.wire() if survey else None))
        if signed_in is not None:
            self.taken.append(("signed_in", signed_in.participant_id))
        self.set_state("waiting")
        self._answer("request_chat")
        return "chat"

    async def poll(self, chat_url: str) -> ChatSnapshot:
        self._called("poll")
        cursor = int(chat_url.partition("from=")[2] or 0)
        return ChatSnapshot(
            events=tuple(self.events[cursor:]),
            agent_name=self.agent_name,
            agent_typing=False,
            next_url=f"chat?from={len(self.events)}",
            links=dict(self.links),
        )

    async def add_line(self, events_href: str, text: str) -> int | None:
        self._called("add_line")
        if self.server_state() != "chatting":
            raise ApiError(400, "Cannot add line while not in chat", 5)
        event_id = len(self.events)
        self.add(ServerLine(event_id, "visitor", "You", text, "plain"))
        self._answer("add_line")
        return event_id

    async def end_chat(self, events_href: str) -> None:
        self._called("end_chat")
        if not any(isinstance(e, ServerState) and e.state == "ended" for e in self.events):
            self.set_state("ended")
        self._answer("end_chat")

    async def set_visitor_typing(self, href: str, typing: bool) -> None:
        self._called("set_visitor_typing")

    async def provider_metadata(self, issuer: str) -> ProviderMetadata:
        self._called("provider_metadata")
        return ProviderMetadata(issuer=issuer, authorization_endpoint=f"{issuer}/auth")

    async def authenticate(self, offer: Engagement, signed: SignedIn) -> AuthReply:
        self._called("authenticate")
        if signed.sso_key not in self.good_keys:
            raise ApiError(401, "Authentication failed: invalid_grant", 5)
        self.taken.append(("authenticate", (signed.sso_key, signed.redirect_uri)))
        return AuthReply(participant_id="p-1", conversation_id="c-1")

    async def set_visitor_name(self, href: str, name: str) -> None:
        self._called("set_visitor_name")
        self.taken.append(("set_visitor_name", name))

    async def offline_survey(self, offer: Engagement | None) -> Survey | None:
        self._called("offline_survey")
        return self.offline

    async def submit_offline_survey(self, offer: Engagement | None, answers: SurveyAnswers) -> None:
        self._called("submit_offline_survey")
        self.taken.append(("submit_offline_survey", answers.wire()))

    async def exit_survey(self, href: str) -> Survey | None:
        self._called("exit_survey")
        return self.exit

    async def submit_exit_survey(self, href: str, answers: SurveyAnswers) -> None:
        self._called("submit_exit_survey")
        self.taken.append(("submit_exit_survey", answers.wire()))

    async def request_transcript(self, links: Mapping[str, str], request: TranscriptRequest) -> None:
        self._called("request_transcript")
        self.taken.append(("request_transcript", request.wire()))

    def _called(self, method: str) -> None:
        self.calls.append(method)
        queue = self.failures.get(method)
        if queue:
            raise queue.pop(0)

    def _answer(self, method: str) -> None:
        if self.lost.get(method):
            self.lost[method] -= 1
            raise NetworkError(f"injected: the answer to {method} was lost")
