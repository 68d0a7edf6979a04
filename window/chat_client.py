"""The Chat REST API [SCA]: each method builds one `Call`; `window.protocol.perform` sends it.

Resources are reached by the links the server returns (by rel); only the entry points are built from the account.
Hrefs arrive bare, so `api_url` completes them as every known client does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import quote, urlsplit

from window.http import HttpRequest, HttpResponse
from window.models import Payload
from window.models.chat import (
    AgentTyping,
    Availability,
    AvailableSlots,
    ChatEnvelope,
    ChatRequest,
    ChatResource,
    EstimatedWaitTime,
    Events,
    EventsEnvelope,
    Info,
    InfoEnvelope,
    NewLine,
    NewState,
    TranscriptRequest,
    VisitorName,
    VisitorTyping,
)
from window.protocol import Call, check_status, json_body, location, parse_model, with_query

if TYPE_CHECKING:  # loaded when first used, not with the chat (see the survey and authentication methods)
    from window.models.auth import AuthReply, AuthRequest
    from window.models.survey import OfflineSurveySubmission, Survey, SurveyAnswers

Query = dict[str, str | int | bool | None]
E = TypeVar("E", bound=Payload)
T = TypeVar("T")


def api_url(href: str, query: Query | None = None) -> str:
    """A bare href made callable: `.json` before the query (once), `v=1` and `NC=true` unless present, existing
    parameters (`from`) kept. Hrefs are not validated: some documented ones are malformed, and the server decides."""
    path, _, existing = href.partition("?")
    path = path.rstrip("/")
    if not path.endswith(".json"):
        path += ".json"
    names = {pair.partition("=")[0] for pair in existing.split("&") if pair}
    defaults: Query = {"v": "1" if "v" not in names else None, "NC": "true" if "NC" not in names else None}
    return with_query(f"{path}?{existing}" if existing else path, {**defaults, **(query or {})})


def event_id_of(event_url: str) -> int | None:
    """The id at the end of a new event's URL (`…/events/7` → 7), to match the line when a poll returns it."""
    last = urlsplit(event_url).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json")
    return int(last) if last.isdigit() else None


@dataclass(frozen=True)
class ChatClient:
    base_url: str  # e.g. https://{conversationVep host}
    account_id: str
    app_key: str

    # --- entry points (built from the account) ---

    def availability(self, skill: str | None = None, max_wait_time: int | None = None) -> Call[bool]:
        """`maxWaitTime=0`: true only if an agent can take a chat now; omitted: true while any agent is online."""
        request = self._get(self._chat_url("availability", {"skill": skill, "maxWaitTime": max_wait_time}))
        return Call(request, lambda response: parse_model(response, Availability).availability)

    def estimated_wait_time(self, skill: str | None = None) -> Call[int]:
        """Seconds; 0 = an agent is free now, -1 = nobody online, -2 = not enough data."""
        request = self._get(self._chat_url("estimatedWaitTime", {"skill": skill}))
        return Call(request, lambda response: parse_model(response, EstimatedWaitTime).estimated_wait_time)

    def available_slots(self, skill: str | None = None, max_wait_time: int | None = None) -> Call[int]:
        """-1 = unlimited."""
        request = self._get(self._chat_url("availableSlots", {"skill": skill, "maxWaitTime": max_wait_time}))
        return Call(request, lambda response: parse_model(response, AvailableSlots).available_slots)

    def pre_chat_survey(
        self,
        survey_api_id: str | None = None,
        survey_name: str | None = None,
        skill: str | None = None,
        visitor_id: str | None = None,
    ) -> Call[Survey | None]:
        """None when the account has none (a 404, as for the exit survey). `surveyName` overrides all; `surveyApiId`
        is the window config's `surveyPreChatId`. Answers go into the chat request's `survey`. assumed:
        `visitorIp`/`userAgent` are left to the server (it sees both)."""
        query: Query = {
            "surveyName": survey_name,
            "surveyApiId": survey_api_id,
            "skill": skill,
            "visitorId": visitor_id,
        }
        return Call(self._get(self._chat_url("preSurvey", query)), _survey_or_none)

    def offline_survey(
        self,
        skill: str | None = None,
        visitor_profile: str | None = None,
        visitor_id: str | None = None,
        survey_name: str | None = None,
    ) -> Call[Survey | None]:
        """None when the account has none (a 404, as for the exit survey)."""
        query: Query = {"skill": skill, "visitorProfile": visitor_profile, "visitorId": visitor_id}
        return Call(self._get(self._chat_url("offlineSurvey", query | {"surveyName": survey_name})), _survey_or_none)

    def submit_offline_survey(self, submission: OfflineSurveySubmission) -> Call[None]:
        return Call(self._put(self._chat_url("offlineSurvey"), {"survey": submission}), check_status)

    def request_chat(self, request: ChatRequest) -> Call[str]:
        """The new chat's URL (201, empty body, the chat in `Location`; any 2xx accepted)."""
        return Call(self._post(self._chat_url("request"), {"request": request}), location)

    def authenticate(self, request: AuthRequest) -> Call[AuthReply]:
        """`conversation.json`: trade the consumer's login for `participantId` + `conversationId` (200 or 201)."""
        from window.models.auth import AuthReply

        url = api_url(f"{self._account_url()}/conversation")
        return Call(self._post(url, request), lambda response: parse_model(response, AuthReply))

    # --- a chat, by the links it returned ---

    def get_chat(self, url: str) -> Call[ChatResource]:
        """The chat URL (`Location`) or its `next` href: events from the cursor on, and info, in one call."""
        return Call(self._get(api_url(url)), _unwrap(ChatEnvelope, lambda envelope: envelope.chat))

    def get_events(self, url: str) -> Call[Events]:
        return Call(self._get(api_url(url)), _unwrap(EventsEnvelope, lambda envelope: envelope.events))

    def get_info(self, url: str) -> Call[Info]:
        """The `info` link; also the documented keep-alive (every 30 s)."""
        return Call(self._get(api_url(url)), _unwrap(InfoEnvelope, lambda envelope: envelope.info))

    def add_line(self, events_url: str, text: str) -> Call[str | None]:
        """The new event's URL (201 + `Location`). assumed: a 2xx without `Location` still means the line was
        taken (None), so a missing header never makes the window send the line twice. 400 internalCode 5 while
        the chat is `waiting`."""
        request = self._post(api_url(events_url), {"event": NewLine(text=text)})
        return Call(request, _optional_location)

    def end_chat(self, events_url: str) -> Call[None]:
        return Call(self._post(api_url(events_url), {"event": NewState()}), check_status)

    def set_visitor_typing(self, visitor_typing_url: str, typing: bool) -> Call[None]:
        body = VisitorTyping(visitor_typing="typing" if typing else "not-typing")
        return Call(self._put(api_url(visitor_typing_url), body), check_status)

    def set_visitor_name(self, visitor_name_url: str, name: str) -> Call[None]:
        """200 (the docs' table says 201; a production client insists on 200); any 2xx accepted."""
        return Call(self._put(api_url(visitor_name_url), VisitorName(visitor_name=name)), check_status)

    def agent_typing(self, agent_typing_url: str) -> Call[bool]:
        """The small resource to poll between chat polls; "unknown" counts as not typing."""
        request = self._get(api_url(agent_typing_url))
        return Call(request, lambda response: parse_model(response, AgentTyping).agent_typing == "typing")

    def request_transcript(self, transcript_url: str, request: TranscriptRequest) -> Call[None]:
        """The `transcript-request` link takes the bare body: `{"email": …, "timezoneOffset"?: ms}`."""
        return Call(self._put(api_url(transcript_url), request), check_status)

    def request_transcript_with_subject(self, transcript_url: str, request: TranscriptRequest) -> Call[None]:
        """The `transcript-with-subject-request` link takes it wrapped: `{"transcriptRequest": {email, subject?,
        timezoneOffset?}}`, as LivePerson's own SDK sends it whenever the chat lists that link."""
        return Call(self._put(api_url(transcript_url), {"transcriptRequest": request}), check_status)

    def exit_survey(self, exit_survey_url: str, survey_name: str | None = None) -> Call[Survey | None]:
        """None when the account has none: a 404 (Decisions in docs/api-notes.md: the JS SDK's getExitSurvey has an
        error callback for "no survey received")."""
        request = self._get(api_url(exit_survey_url, {"surveyName": survey_name}))
        return Call(request, _survey_or_none)

    def submit_exit_survey(self, exit_survey_url: str, answers: SurveyAnswers) -> Call[None]:
        """Status undocumented: any 2xx accepted."""
        return Call(self._put(api_url(exit_survey_url), {"survey": answers}), check_status)

    # --- plumbing ---

    def _account_url(self) -> str:
        return f"{self.base_url.rstrip('/')}/api/account/{quote(self.account_id, safe='')}"

    def _chat_url(self, name: str, query: Query | None = None) -> str:
        return api_url(f"{self._account_url()}/chat/{name}", query)

    def _headers(self, override: str | None = None) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Authorization": f"LivePerson appKey={self.app_key}",
        }
        return headers | ({"X-HTTP-Method-Override": override} if override else {})

    def _get(self, url: str) -> HttpRequest:
        return HttpRequest("GET", url, self._headers())

    def _post(self, url: str, body: Payload | dict[str, Payload]) -> HttpRequest:
        return HttpRequest("POST", url, self._headers(), json_body(_wire(body)))

    def _put(self, url: str, body: Payload | dict[str, Payload]) -> HttpRequest:
        # As LivePerson's own clients do: POST with the override header (plain PUT is not documented).
        return HttpRequest("POST", url, self._headers("PUT"), json_body(_wire(body)))


def _wire(body: Payload | dict[str, Payload]) -> object:
    """A payload, or a payload in its documented wrapper (`{"request": …}`, `{"event": …}`, `{"survey": …}`)."""
    return body.wire() if isinstance(body, Payload) else {key: value.wire() for key, value in body.items()}


def _survey_or_none(response: HttpResponse) -> Survey | None:
    """A survey, or None for a 404: the account has none of that kind (Decisions in docs/api-notes.md)."""
    if response.status == HTTPStatus.NOT_FOUND:
        return None
    from window.models.survey import SurveyEnvelope  # loaded when a survey is about to be shown

    return parse_model(response, SurveyEnvelope).survey


def _unwrap(envelope: type[E], inner: Callable[[E], T]) -> Callable[[HttpResponse], T]:
    return lambda response: inner(parse_model(response, envelope))


def _optional_location(response: HttpResponse) -> str | None:
    check_status(response)
    return response.header("location") or None
