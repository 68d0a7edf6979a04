"""Input that once made the sandbox answer 500, or keep what it could not write back, now refused with a documented
4xx in the calling API's shape (docs/sandbox.md, Security): bodies that are not UTF-8, too deep, too large, or carry
what JSON cannot write back; numbers `int()` takes but no client writes; ids that are no Latin-1 header."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from sandbox.bodies import MAX_BODY_BYTES, MAX_DEPTH
from tests.contract.lp_client import AUTH, LpClient, as_json_url
from tests.contract.test_app_engagement import assert_unwrapped_error
from tests.contract.test_chat_request import assert_wrapped_error

JSON = {"Content-Type": "application/json"}


def chat_request(lp: LpClient, account: str, body: bytes | Iterator[bytes]) -> httpx.Response:
    url = f"/api/account/{account}/chat/request.json"
    return lp.chat_http.post(url, params={"v": "1"}, headers={**AUTH, **JSON}, content=body)


def nested(depth: int) -> bytes:
    """A chat request whose (ignored) extra field holds `depth` nested lists."""
    return b'{"request": {"skill": "sales", "extra": ' + b"[" * depth + b"]" * depth + b"}}"


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b'{"request": {"skill": "\xff"}}', "not UTF-8"),
        (b"\xfe\xff\x00{\x00}", "not UTF-8"),
        (b'{"request": {"visitorId": ' + b"1" * 5000 + b"}}", "Exceeds the limit (4300 digits)"),
        (b"[" * 100_000, f"nested more than {MAX_DEPTH} deep"),
        (nested(MAX_DEPTH - 1), f"nested more than {MAX_DEPTH} deep"),
        (b'{"request": {"interactionTimeout": NaN}}', "NaN is not JSON"),
        (b'{"request": {"extra": -Infinity}}', "-Infinity is not JSON"),
        (b'{"request": {"extra": 1e400}}', "1e400 is too large for a number"),
        (b'{"request": {"language": "\\ud800"}}', "a lone surrogate"),
    ],
)
def test_a_body_json_cannot_write_back_is_400(lp: LpClient, body: bytes, why: str) -> None:
    account = lp.new_account()
    error = assert_wrapped_error(chat_request(lp, account, body), 400, 5)
    assert error["message"].startswith("Malformed JSON: ") and why in error["message"]
    assert lp.state(account)["chats"] == []


def test_a_body_as_deep_as_allowed_is_kept_and_read_back(lp: LpClient) -> None:
    account = lp.new_account()
    depth = MAX_DEPTH - 2  # the body and its `request` are the first two levels
    assert chat_request(lp, account, nested(depth)).status_code == 201
    (chat,) = lp.state(account)["chats"]
    assert json.dumps(chat["request"]["extra"]) == "[" * depth + "]" * depth


def test_app_engagement_refuses_a_bad_body_in_its_own_shape(lp: LpClient) -> None:
    url = f"/api/account/{lp.new_account()}/app/engagement/visitors"
    response = lp.http.post(url, params={"v": "1.0"}, headers=JSON, content=b'{"appType": "EXTERNAL\xc3"}')
    assert assert_unwrapped_error(response, 400)["internalCode"] == 1


@pytest.mark.parametrize("first", ["²", "\N{ARABIC-INDIC DIGIT ONE}", "1_0", " 1", "+1", "1" * 19, "1" * 5000])
def test_from_takes_ascii_digits_only(lp: LpClient, first: str) -> None:
    """`²` passes str.isdigit but not int(); an Arabic-Indic one passes both; 19 digits overflow a Java long."""
    chat_url = lp.request_chat(lp.new_account())
    for path in ("", "/events"):
        response = lp.chat_call("GET", as_json_url(chat_url + path), **{"from": first})
        assert "Bad 'from'" in assert_wrapped_error(response, 400, 5)["message"]


def test_invalid_utf8_in_the_query_is_400(lp: LpClient) -> None:
    chat_url = lp.request_chat(lp.new_account())
    response = lp.chat_http.get(as_json_url(chat_url) + "?v=1&from=%FF", headers=AUTH)
    assert_wrapped_error(response, 400, 5)


def test_an_event_id_and_a_wait_in_other_digits_are_refused(lp: LpClient) -> None:
    chat_url = lp.request_chat(lp.new_account())
    assert_wrapped_error(lp.chat_call("GET", as_json_url(chat_url + "/events/²")), 404, 12)
    availability = f"/api/account/{lp.new_account()}/chat/availability.json"
    assert_wrapped_error(lp.chat_call("GET", availability, maxWaitTime="²"), 400, 5)


@pytest.mark.parametrize("value", ["Infinity", "1e999"])
def test_settings_refuse_what_json_cannot_write_back(lp: LpClient, value: str) -> None:
    """pydantic takes these strings as floats; stored, they made every later read of the settings a 500."""
    account = lp.new_account()
    response = lp.http.put(f"/sandbox/accounts/{account}/settings", json={"accept_delay_seconds": value})
    assert "accept_delay_seconds" in assert_wrapped_error(response, 400)["message"]
    assert lp.http.get(f"/sandbox/accounts/{account}/settings").json()["accept_delay_seconds"] == 2.0


def test_a_pushed_url_setting_stays_within_its_length_once_encoded(lp: LpClient) -> None:
    script = [{"action": "push_url", "url": "https://example.com/" + "é" * 1000}]  # 1020 sent, 6020 encoded
    response = lp.http.put(f"/sandbox/accounts/{lp.new_account()}/settings", json={"agent_script": script})
    assert "once percent-encoded" in assert_wrapped_error(response, 400)["message"]


def test_an_account_id_beyond_latin1_makes_a_percent_encoded_location(lp: LpClient) -> None:
    """A `Location` header takes Latin-1 only: the id goes percent-encoded, and the URL works."""
    response = chat_request(lp, "ŝ✓", b'{"request": {}}')
    assert response.status_code == 201, response.text
    location = response.headers["location"]
    assert "/api/account/%C5%9D%E2%9C%93/chat/" in location
    assert lp.get_chat(location)["info"]["state"] == "waiting"


# --- size -------------------------------------------------------------------------------------------------------
@pytest.fixture
def raw_connection(lp: LpClient) -> Iterator[socket.socket]:
    url = httpx.URL(lp.chat_base_url)
    with socket.create_connection((url.host, url.port or 80), timeout=5) as connection:
        yield connection


def whole_answer(connection: socket.socket) -> str:
    """An HTTP answer read whole: its head, then as many bytes as its Content-Length says (they may come apart)."""
    received = b""
    while b"\r\n\r\n" not in received and (chunk := connection.recv(65536)):
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")),
        0,
    )
    while len(body) < length and (chunk := connection.recv(65536)):
        body += chunk
    return (head + b"\r\n\r\n" + body).decode()


def test_a_body_declared_too_large_is_refused_before_it_is_sent(lp: LpClient, raw_connection: socket.socket) -> None:
    """Only the headers go: the 413 comes without the sandbox waiting for the 10 MB they announce."""
    host = httpx.URL(lp.chat_base_url).netloc.decode()
    head = (
        f"POST /api/account/{lp.new_account()}/chat/request?v=1 HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: {AUTH['Authorization']}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {10 * 1024 * 1024}\r\n\r\n"
    )
    raw_connection.sendall(head.encode())
    answer = whole_answer(raw_connection)
    assert answer.startswith("HTTP/1.1 413 ")
    assert f"Request body larger than {MAX_BODY_BYTES} bytes" in answer


def test_a_streamed_body_is_refused_once_it_passes_the_limit(lp: LpClient) -> None:
    """A chunked body declares no length: it is counted as it comes."""
    chunks = [b'{"request": {"extra": "', b"x" * MAX_BODY_BYTES, b'"}}']
    response = chat_request(lp, lp.new_account(), iter(chunks))
    assert "larger than" in assert_wrapped_error(response, 413, 5)["message"]


def test_a_body_at_the_limit_is_read(lp: LpClient) -> None:
    account = lp.new_account()
    prefix, suffix = b'{"request": {"extra": "', b'"}}'
    body = prefix + b"x" * (MAX_BODY_BYTES - len(prefix) - len(suffix)) + suffix
    assert chat_request(lp, account, body).status_code == 201
    assert len(lp.state(account)["chats"][0]["request"]["extra"]) > MAX_BODY_BYTES - 100


def test_app_engagement_refuses_a_large_body_in_its_own_shape(lp: LpClient) -> None:
    url = f"/api/account/{lp.new_account()}/app/engagement/visitors"
    response = lp.http.post(url, params={"v": "1.0"}, headers=JSON, content=b" " * (MAX_BODY_BYTES + 1))
    assert_unwrapped_error(response, 413)


# --- methods ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/sandbox/accounts/{acct}/settings", "GET, HEAD, PUT"),
        ("OPTIONS", "/api/account/{acct}/chat/request", "POST"),  # not the GET of chat/{chatId}
        ("GET", "/console/api/accounts/{acct}/chats/x/accept", "POST"),  # not the console's static files
    ],
)
def test_a_path_asked_with_another_method_names_all_it_takes(
    lp: LpClient, method: str, path: str, allowed: str
) -> None:
    client = lp.chat_http if path.startswith("/api/") else lp.http
    response = client.request(method, path.format(acct=lp.new_account()), headers=AUTH)
    assert_wrapped_error(response, 405)
    assert response.headers["allow"] == allowed
