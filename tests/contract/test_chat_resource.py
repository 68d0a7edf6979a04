"""Chat API, one chat: links, events and their ids, states, typing, visitor name, info, timeouts, quirks."""

from __future__ import annotations

import pytest

from tests.contract.lp_client import AUTH, LpClient, as_json_url
from tests.contract.test_chat_request import assert_wrapped_error

CHAT_RELS = [
    "self",
    "events",
    "info",
    "next",
    "transcript-request",
    "transcript-with-subject-request",
    "exit-survey",
    "custom-variables",
]


def test_chat_links_in_documented_order_and_bare(lp: LpClient) -> None:
    chat_url = lp.request_chat(lp.new_account())
    chat = lp.get_chat(chat_url)
    assert [link["@rel"] for link in chat["link"]] == CHAT_RELS
    hrefs = {link["@rel"]: link["@href"] for link in chat["link"]}
    assert hrefs["self"] == chat_url
    assert hrefs["events"] == chat_url + "/events"
    assert hrefs["next"] == chat_url + "?from=2"  # waiting state + routing line
    assert hrefs["exit-survey"] == chat_url + "/exitSurvey"
    assert all("?" not in href and ".json" not in href for rel, href in hrefs.items() if rel != "next")
    assert chat["events"]["link"] == [
        {"@href": chat_url + "/events", "@rel": "self"},
        {"@href": chat_url + "/events?from=2", "@rel": "next"},
    ]
    # Inside the chat resource the info block's links keep the "@" ([CAFEX-JS] reads chat.info.link[1]['@href']).
    info_links = chat["info"]["link"]
    assert [link["@rel"] for link in info_links] == ["self", "visitor-name", "visitor-typing", "agent-typing"]
    assert info_links[1] == {"@href": chat_url + "/info/visitorName", "@rel": "visitor-name"}
    assert chat["info"]["link"][1]["@href"] == chat_url + "/info/visitorName"


def test_the_separately_fetched_info_resource_has_links_without_the_at(lp: LpClient) -> None:
    chat_url = lp.request_chat(lp.new_account())
    info = lp.chat_call("GET", as_json_url(chat_url + "/info")).json()["info"]
    assert [link["rel"] for link in info["link"]] == ["self", "visitor-name", "visitor-typing", "agent-typing"]
    assert info["link"][0] == {"href": chat_url + "/info", "rel": "self"}


def test_event_ids_as_in_livepersons_example(lp: LpClient) -> None:
    """[SCA] retrieve-chat-resources: 0 waiting, 1 system line 4, 2 chatting, 3 system line 3 "You are now chatting
    with Natalie.", when the request carries no pre-chat lines."""
    chat_url = lp.request_chat(lp.new_account(agent_name="Natalie"))
    lp.wait_for(chat_url, lambda events: len(events) >= 4)
    events = lp.events(chat_url)
    shape = [
        {k: e[k] for k in ("@id", "@type", "state", "text", "by", "source", "systemMessageId") if k in e}
        for e in events[:4]
    ]
    assert shape == [
        {"@id": "0", "@type": "state", "state": "waiting"},
        {
            "@id": "1",
            "@type": "line",
            "text": "Thank you for choosing to chat with us.",
            "by": "info",
            "source": "system",
            "systemMessageId": 4,
        },
        {"@id": "2", "@type": "state", "state": "chatting"},
        {
            "@id": "3",
            "@type": "line",
            "text": "You are now chatting with Natalie.",
            "by": "info",
            "source": "system",
            "systemMessageId": 3,
        },
    ]
    assert all(e["subType"] == "REGULAR" and e["textType"] == "plain" for e in events[:4] if e["@type"] == "line")
    assert (events[4]["@id"], events[4]["by"], events[4]["source"]) == ("4", "Natalie", "agent")  # the greeting


def test_waiting_chat_events_and_info(lp: LpClient) -> None:
    chat_url = lp.request_chat(lp.new_account(accept_delay_seconds=30))
    chat = lp.get_chat(chat_url)
    waiting, routing = chat["events"]["event"]
    assert {k: waiting[k] for k in ("@id", "@type", "state")} == {"@id": "0", "@type": "state", "state": "waiting"}
    assert routing["@id"] == "1"
    assert (routing["by"], routing["source"], routing["systemMessageId"]) == ("info", "system", 4)
    assert (routing["textType"], routing["subType"]) == ("plain", "REGULAR")
    info = chat["info"]
    assert info["state"] == "waiting"
    assert "agentName" not in info and "agentId" not in info
    assert (info["skillName"], info["skillId"], info["visitorName"], info["chatTimeout"]) == ("sales", 1234, "You", 40)
    assert info["chatSessionKey"] == chat_url.rsplit("/", 1)[1]
    assert isinstance(info["visitorId"], int) and isinstance(info["rtSessionId"], int)


def test_no_lines_while_waiting(lp: LpClient) -> None:
    chat_url = lp.request_chat(lp.new_account(accept_delay_seconds=30))
    error = assert_wrapped_error(lp.add_line(chat_url, "hello?"), 400, 5)
    assert error["message"] == "Cannot add line while not in chat"


def test_event_ids_from_inclusive_and_next(lp: LpClient) -> None:
    chat_url = lp.start_chatting(lp.new_account(reply_delay_seconds=30))
    for text in ("one", "two"):
        assert lp.add_line(chat_url, text).status_code == 201
    events = lp.events(chat_url)
    assert [e["@id"] for e in events] == [str(n) for n in range(len(events))]
    later = lp.get_chat(chat_url, **{"from": "3"})["events"]
    assert [e["@id"] for e in later["event"]] == [str(n) for n in range(3, len(events))]
    assert later["link"][1]["@href"] == f"{chat_url}/events?from={len(events)}"
    events_resource = lp.chat_call("GET", as_json_url(f"{chat_url}/events?from={len(events)}")).json()["events"]
    assert events_resource["event"] == []
    assert events_resource["link"][1]["@href"] == f"{chat_url}/events?from={len(events)}"


def test_post_event_201_with_location_of_new_event(lp: LpClient) -> None:
    chat_url = lp.start_chatting(lp.new_account(reply_delay_seconds=30))
    response = lp.add_line(chat_url, "<b>not html</b>")
    assert response.status_code == 201
    event_id = response.headers["location"].rsplit("/", 1)[1]
    assert response.headers["location"] == f"{chat_url}/events/{event_id}"
    event = lp.chat_call("GET", as_json_url(response.headers["location"])).json()["event"]
    assert {k: event[k] for k in ("@id", "@type", "text", "textType", "source", "by")} == {
        "@id": event_id,
        "@type": "line",
        "text": "<b>not html</b>",
        "textType": "plain",
        "source": "visitor",
        "by": "You",
    }


@pytest.mark.parametrize(
    "body",
    [
        {"event": [{"@type": "line", "text": "a"}, {"@type": "line", "text": "b"}]},  # one event per POST
        {"event": {"@type": "url", "url": "https://x.example"}},
        {"event": {"@type": "state", "state": "chatting"}},
        {"event": {"@type": "line"}},
        {"line": "no wrapper"},
    ],
)
def test_bad_events_are_400(lp: LpClient, body: object) -> None:
    chat_url = lp.start_chatting(lp.new_account(reply_delay_seconds=30))
    assert_wrapped_error(lp.chat_call("POST", as_json_url(chat_url + "/events"), body), 400)


def test_end_chat_keeps_it_readable_then_gone(lp: LpClient) -> None:
    account = lp.new_account(retention_seconds=60)
    chat_url = lp.start_chatting(account)
    response = lp.end_chat(chat_url)
    assert response.status_code == 201
    chat = lp.get_chat(chat_url)
    assert chat["info"]["state"] == "ended"
    ended = chat["events"]["event"][-1]
    assert (ended["@type"], ended["state"]) == ("state", "ended")
    assert response.headers["location"] == f"{chat_url}/events/{ended['@id']}"
    assert_wrapped_error(lp.add_line(chat_url, "too late"), 400, 5)
    lp.clock.advance(59)
    assert lp.get_chat(chat_url)["info"]["state"] == "ended"
    lp.clock.advance(2)
    assert_wrapped_error(lp.chat_call("GET", as_json_url(chat_url)), 404, 12)


def test_idle_chat_is_disconnected(lp: LpClient) -> None:
    account = lp.new_account()
    chat_url = lp.start_chatting(account, interactionTimeout=60)
    lp.clock.advance(59)
    assert lp.state(account)["chats"][0]["state"] == "chatting"
    lp.clock.advance(61)  # the sweeper ends it even if nobody asks
    assert lp.state(account)["chats"][0]["state"] == "ended"
    disconnected, ended = lp.events(chat_url)[-2:]
    assert (disconnected["source"], disconnected["systemMessageId"]) == ("system", 6)
    assert ended["state"] == "ended"


def test_the_control_api_times_a_chat_out_without_the_wait(lp: LpClient) -> None:
    account = lp.new_account()
    chat_url = lp.start_chatting(account)
    chat_id = chat_url.rsplit("/", 1)[-1]
    assert lp.http.post(f"/sandbox/accounts/{account}/chats/{chat_id}/timeout").status_code == 204
    disconnected, ended = lp.events(chat_url)[-2:]
    assert (disconnected["systemMessageId"], ended["state"]) == (6, "ended")
    assert lp.http.post(f"/sandbox/accounts/{account}/chats/nope/timeout").status_code == 404


def test_last_update_moves_on_every_request(lp: LpClient) -> None:
    chat_url = lp.request_chat(lp.new_account())
    first = lp.get_chat(chat_url)["info"]["lastUpdate"]
    lp.clock.advance(1)
    assert lp.chat_call("GET", as_json_url(chat_url + "/info/agentTyping")).status_code == 200
    second = lp.chat_call("GET", as_json_url(chat_url + "/info")).json()["info"]["lastUpdate"]
    assert second > first


def test_visitor_typing_and_name(lp: LpClient) -> None:
    account = lp.new_account(reply_delay_seconds=30)
    chat_url = lp.start_chatting(account)
    typing_url = as_json_url(chat_url + "/info/visitorTyping")
    response = lp.chat_call("PUT", typing_url, {"visitorTyping": "typing"})
    assert (response.status_code, response.content) == (200, b"")
    assert lp.chat_call("GET", typing_url).json() == {"visitorTyping": "typing"}
    assert lp.state(account)["chats"][0]["visitorTyping"] == "typing"
    assert_wrapped_error(lp.chat_call("PUT", typing_url, {"visitorTyping": "maybe"}), 400)
    name_url = as_json_url(chat_url + "/info/visitorName")
    named = lp.chat_call("PUT", name_url, {"visitorName": "Dana"})
    assert (named.status_code, named.content) == (200, b"")  # [CAFEX-JS] ends the chat on anything but 200
    assert lp.chat_call("GET", name_url).json() == {"visitorName": "Dana"}
    assert lp.chat_call("GET", as_json_url(chat_url + "/info/agentTyping")).json() == {"agentTyping": "not-typing"}
    # A POST without the override on a PUT-only resource is refused.
    plain_post = lp.chat_http.post(name_url, params={"v": "1"}, json={"visitorName": "X"}, headers=AUTH)
    assert_wrapped_error(plain_post, 405)


def test_typing_after_end_is_400(lp: LpClient) -> None:
    chat_url = lp.start_chatting(lp.new_account())
    lp.end_chat(chat_url)
    response = lp.chat_call("PUT", as_json_url(chat_url + "/info/visitorTyping"), {"visitorTyping": "typing"})
    assert assert_wrapped_error(response, 400)["message"] == "Cannot set visitor's typing status. Chat was ended"


def test_polling_faster_than_allowed_is_429(lp: LpClient) -> None:
    chat_url = lp.request_chat(lp.new_account(min_poll_interval_seconds=2))
    assert lp.chat_call("GET", as_json_url(chat_url)).status_code == 200
    response = lp.chat_call("GET", as_json_url(chat_url))
    assert_wrapped_error(response, 429)
    assert response.headers["retry-after"] == "2"
    lp.clock.advance(2)
    assert lp.chat_call("GET", as_json_url(chat_url)).status_code == 200


def test_quirks_mode(lp: LpClient) -> None:
    account = lp.new_account(quirks=True)
    chat_url = lp.request_chat(account)
    chat = lp.get_chat(chat_url, **{"from": "1"})
    event = chat["events"]["event"]
    assert isinstance(event, dict)  # a lone event is an object
    assert (event["@id"], event["systemMessageId"]) == ("1", "4")
    assert chat["info"]["skillId"] == "1234"
    assert chat["info"]["chatTimeout"] == "40"
    engagement = lp.http.post(f"/api/account/{account}/app/engagement/visitors?v=1.0", json={"appType": "EXTERNAL"})
    assert engagement.json()["engagementDetails"]["engagementId"] == "27469613"
