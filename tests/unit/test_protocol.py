"""Calls, error parsing (both error shapes), malformed replies and the retry classification."""

from __future__ import annotations

import pytest

from window.http import HttpRequest, HttpResponse, NetworkError
from window.models.chat import Availability
from window.protocol import (
    ApiError,
    Call,
    MalformedReply,
    check_status,
    is_retryable,
    location,
    parse_model,
    perform,
    with_query,
)


def reply(status: int, body: str = "", **headers: str) -> HttpResponse:
    return HttpResponse(status, {name.replace("_", "-"): value for name, value in headers.items()}, body)


class RecordingTransport:
    """A real (in-memory) Transport: answers every request with one response and keeps what it was sent."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response
        self.sent: list[HttpRequest] = []

    async def send(self, request: HttpRequest) -> HttpResponse:
        self.sent.append(request)
        return self.response


async def test_perform_sends_the_request_and_parses_the_response() -> None:
    request = HttpRequest("GET", "https://h/availability")
    transport = RecordingTransport(reply(200, '{"availability": "true"}'))
    result = await perform(transport, Call(request, lambda r: parse_model(r, Availability).availability))
    assert result is True
    assert transport.sent == [request]


def test_chat_api_wrapped_error() -> None:
    body = '{"error": {"time": "2017-12-06T16:29:45.438-05:00", "message": "Bad captcha", "internalCode": 10}}'
    with pytest.raises(ApiError) as caught:
        check_status(reply(401, body))
    error = caught.value
    assert (error.status, error.message, error.internal_code, error.retry_after) == (401, "Bad captcha", 10, None)
    assert str(error) == "HTTP 401: Bad captcha (internalCode 10)"
    assert not error.retryable


def test_app_engagement_unwrapped_error() -> None:
    body = '{"time": 1469543282471, "message": "Illegal Version", "internalCode": 33}'
    with pytest.raises(ApiError) as caught:
        check_status(reply(400, body))
    assert (caught.value.message, caught.value.internal_code) == ("Illegal Version", 33)


def test_loading_account_is_retryable() -> None:
    body = '{"time": 1469543282471, "message": "Loading account: 123", "internalCode": "20"}'
    with pytest.raises(ApiError) as caught:
        check_status(reply(500, body))
    assert caught.value.internal_code == 20
    assert is_retryable(caught.value)


def test_error_without_json_body_gets_the_status_phrase() -> None:
    with pytest.raises(ApiError) as caught:
        check_status(reply(502, "<html>Bad Gateway</html>"))
    assert (caught.value.message, caught.value.internal_code) == ("Bad Gateway", None)
    with pytest.raises(ApiError) as empty:
        check_status(reply(404))
    assert empty.value.message == "Not Found"
    with pytest.raises(ApiError) as odd:
        check_status(reply(599, "{}"))
    assert odd.value.message == "HTTP error"


def test_oauth_style_error_string() -> None:
    with pytest.raises(ApiError) as caught:
        check_status(reply(400, '{"error": "invalid_code"}'))
    assert caught.value.message == "invalid_code"


def test_retry_after_in_seconds() -> None:
    with pytest.raises(ApiError) as caught:
        check_status(reply(429, "", retry_after="3"))
    assert caught.value.retry_after == 3.0
    assert caught.value.retryable
    with pytest.raises(ApiError) as dated:
        check_status(reply(429, "", retry_after="Wed, 21 Oct 2015 07:28:00 GMT"))
    assert dated.value.retry_after is None  # assumed: only delay-seconds are read


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (NetworkError("refused"), True),
        (ApiError(429, "Too Many Requests"), True),
        (ApiError(500, "Internal Server Error"), True),
        (ApiError(503, "Service Unavailable"), True),
        (ApiError(400, "Cannot add line while not in chat", 5), False),
        (ApiError(401, "Bad captcha", 10), False),
        (ApiError(404, "Not Found", 12), False),
        (MalformedReply("Availability: availability: Field required"), False),
        (ValueError("a bug"), False),
    ],
)
def test_retry_classification(error: Exception, retryable: bool) -> None:
    assert is_retryable(error) is retryable


def test_malformed_reply_is_short_and_names_the_field() -> None:
    with pytest.raises(MalformedReply) as caught:
        parse_model(reply(200, '{"availability": "perhaps"}'), Availability)
    assert str(caught.value) == "Availability: availability: Input should be a valid boolean, unable to interpret input"
    with pytest.raises(MalformedReply, match=r"^Availability: body: Invalid JSON"):
        parse_model(reply(200, "<html>"), Availability)
    with pytest.raises(MalformedReply, match=r"^Availability: body: Invalid JSON"):
        parse_model(reply(200, ""), Availability)


def test_errors_win_over_parsing() -> None:
    with pytest.raises(ApiError):
        parse_model(reply(503, "not json"), Availability)


def test_location_of_a_create_reply() -> None:
    assert location(reply(201, "", location="https://h/chat/K")) == "https://h/chat/K"
    assert location(reply(200, "{}", location="https://h/chat/K")) == "https://h/chat/K"  # any 2xx
    with pytest.raises(MalformedReply, match="Location"):
        location(reply(201))


def test_with_query_encodes_and_skips_unset() -> None:
    assert with_query("https://h/p", {"skill": "Sales Team", "maxWaitTime": 0, "x": None, "NC": True}) == (
        "https://h/p?skill=Sales%20Team&maxWaitTime=0&NC=true"
    )
    assert with_query("https://h/p?from=3", {"v": "1"}) == "https://h/p?from=3&v=1"
    assert with_query("https://h/p", {"x": None}) == "https://h/p"
