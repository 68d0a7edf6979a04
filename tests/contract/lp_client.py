"""A thin client for the sandbox over real HTTP, as a LivePerson client would call it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx

from sandbox import VirtualClock

APP_KEY = "sandbox-app-key"
AUTH = {"Authorization": f"LivePerson appKey={APP_KEY}"}
PUT = {"X-HTTP-Method-Override": "PUT"}
STEP_SECONDS = 0.25  # how far the sandbox's time moves between two looks while waiting for something


def as_json_url(href: str) -> str:
    """How every known client follows a bare href: `.json` before any query."""
    path, _, query = href.partition("?")
    return f"{path}.json" + (f"?{query}" if query else "")


class LpClient:
    def __init__(self, http: httpx.Client, chat_http: httpx.Client, clock: VirtualClock) -> None:
        self.http = http  # the main host: CSDS, App Engagement, console, control
        self.chat_http = chat_http  # the Chat API's host
        self.clock = clock

    @property
    def base_url(self) -> str:
        return str(self.http.base_url).rstrip("/")

    @property
    def chat_base_url(self) -> str:
        return str(self.chat_http.base_url).rstrip("/")

    # --- sandbox control ----------------------------------------------------------------------------------------
    def new_account(self, **settings: Any) -> str:
        """A fresh account id isolates a test; settings are switched before first use."""
        account = f"t{uuid.uuid4().hex[:12]}"
        if settings:
            self.settings(account, **settings)
        return account

    def settings(self, account: str, **settings: Any) -> None:
        response = self.http.put(f"/sandbox/accounts/{account}/settings", json=settings)
        assert response.status_code == 200, response.text

    def state(self, account: str) -> dict[str, Any]:
        response = self.http.get(f"/sandbox/accounts/{account}/state")
        assert response.status_code == 200
        result: dict[str, Any] = response.json()
        return result

    # --- App Engagement -----------------------------------------------------------------------------------------
    def create_session(self, account: str, **body: Any) -> httpx.Response:
        """Create Session of a new visitor ([AE]), as an EXTERNAL app unless the body says otherwise."""
        url = f"/api/account/{account}/app/engagement/visitors"
        return self.http.post(url, params={"v": "1.0"}, json={"appType": "EXTERNAL", **body})

    def update_session(self, account: str, session: dict[str, Any], **body: Any) -> httpx.Response:
        """Update Session ([AE]) of a session Create Session answered, on the page it gave."""
        url = f"/api/account/{account}/app/engagement/visitors/{session['visitorId']}"
        params = {"v": "1.0", "sid": session["sessionId"]}
        return self.http.put(url, params=params, json={"pageId": session["pageId"], **body})

    # --- chat API -----------------------------------------------------------------------------------------------
    def chat_call(self, method: str, url: str, body: Any = None, **params: str) -> httpx.Response:
        """A Chat API call (a path, or a link's absolute URL) with v=1 and the app key; PUT goes as POST + override,
        as browser clients send it."""
        headers = {**AUTH, "Accept": "application/json"}
        if method == "PUT":
            method, headers = "POST", {**headers, **PUT}
        full_url = httpx.URL(url).copy_merge_params({"v": "1", "NC": "true", **params})  # keeps a link's `from`
        return self.chat_http.request(method, full_url, json=body, headers=headers)

    def request_chat(self, account: str, **fields: Any) -> str:
        """Starts a chat; returns its (bare) URL from Location."""
        body = {"request": {"skill": "sales", "LETagVisitorId": "vis-1", "LETagSessionId": "ses-1", **fields}}
        response = self.chat_call("POST", f"/api/account/{account}/chat/request.json", body)
        assert response.status_code == 201, response.text
        return response.headers["location"]

    def get_chat(self, chat_url: str, **params: str) -> dict[str, Any]:
        response = self.chat_call("GET", as_json_url(chat_url), **params)
        assert response.status_code == 200, response.text
        chat: dict[str, Any] = response.json()["chat"]
        return chat

    def events(self, chat_url: str) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = self.get_chat(chat_url)["events"]["event"]
        return events

    def add_line(self, chat_url: str, text: str) -> httpx.Response:
        return self.chat_call("POST", as_json_url(chat_url + "/events"), {"event": {"@type": "line", "text": text}})

    def end_chat(self, chat_url: str) -> httpx.Response:
        return self.chat_call(
            "POST", as_json_url(chat_url + "/events"), {"event": {"@type": "state", "state": "ended"}}
        )

    def wait_for(self, chat_url: str, found: Callable[[list[dict[str, Any]]], bool], within: float = 30) -> None:
        """Polls the chat (as the window does) while the sandbox's time moves on, until its events satisfy `found`
        (within that many seconds of the sandbox's time)."""
        waited = 0.0
        while not found(events := self.events(chat_url)):
            assert waited < within, f"not within {within} s; events: {events}"
            self.clock.advance(STEP_SECONDS)
            waited += STEP_SECONDS

    def lines(self, chat_url: str) -> list[tuple[str, str]]:
        """(source, text) of every line so far."""
        return [(e["source"], e["text"]) for e in self.events(chat_url) if e["@type"] == "line"]

    # --- agent console ------------------------------------------------------------------------------------------
    def console(self, chat_url: str, action: str = "", body: Any = None) -> httpx.Response:
        """The agent console's API on this chat: GET its details, or POST an action (accept, lines, url, …)."""
        account, chat_id = chat_url.split("/api/account/")[1].split("/chat/")
        path = f"/console/api/accounts/{account}/chats/{chat_id}" + (f"/{action}" if action else "")
        return self.http.post(path, json=body) if action else self.http.get(path)

    def start_chatting(self, account: str, **fields: Any) -> str:
        """A chat the scripted agent has accepted."""
        chat_url = self.request_chat(account, **fields)
        self.wait_for(chat_url, lambda events: any(e.get("state") == "chatting" for e in events))
        return chat_url
