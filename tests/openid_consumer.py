"""A consumer signing in at the development OpenID provider over plain HTTP, as a browser would: the authorization
request, then each page's form, filled in by its labels and sent with its buttons, until the provider sends the
consumer back to the window's page with a code or an id_token."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl

import httpx

WINDOW_PAGE = "http://127.0.0.1:8000/"  # the redirect URI the provider is started with (a page it never calls)


@dataclass
class Form:
    action: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # name → value, as the page sets them
    labels: dict[str, str] = field(default_factory=dict)  # a label's text → its field's name
    buttons: dict[str, tuple[str, str]] = field(default_factory=dict)  # a button's text → (name, value)


class _FormReader(HTMLParser):
    """The page's one form: what a person sees of it (labels, buttons) and what it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.form = Form()
        self._ids: dict[str, str] = {}  # an input's id → its name
        self._label_for: str | None = None
        self._labels: dict[str, str] = {}  # an input's id → its label's text
        self._button: tuple[str, str] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.form.action = attributes.get("action", "")
        elif tag == "input":
            self._ids[attributes.get("id", "")] = attributes["name"]
            self.form.fields[attributes["name"]] = attributes.get("value", "")
        elif tag == "label":
            self._label_for, self._text = attributes.get("for"), ""
        elif tag == "button":
            self._button, self._text = (attributes.get("name", ""), attributes.get("value", "")), ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label_for is not None:
            self._labels[self._label_for] = self._text.strip()
            self._label_for = None
        elif tag == "button" and self._button is not None:
            self.form.buttons[self._text.strip()] = self._button
            self._button = None

    def result(self) -> Form:
        self.form.labels = {text: self._ids[input_id] for input_id, text in self._labels.items()}
        return self.form


def read_form(page: str) -> Form:
    reader = _FormReader()
    reader.feed(page)
    return reader.result()


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def answer_of(url: httpx.URL) -> dict[str, str]:
    """The parameters the provider sent back: in the query (code flow, errors) or in the fragment (implicit)."""
    return dict(url.params) | dict(parse_qsl(url.fragment))


class Consumer:
    """One browser: its cookies are the provider's session with this consumer."""

    def __init__(self, issuer: str, window_page: str = WINDOW_PAGE) -> None:
        self.http = httpx.Client(base_url=issuer, timeout=5)
        self.window_page = window_page  # where the provider sends the consumer back
        self.metadata: dict[str, Any] = self.http.get("/.well-known/openid-configuration").json()

    def authorize(
        self, username: str = "dana", password: str = "password", consent: str = "Allow", **params: str
    ) -> dict[str, str]:
        """Sends the consumer to the authorization endpoint, signs in and answers the consent page (its button
        `consent`) on the provider's pages, and returns what the provider sent back to the window's page."""
        query = {"redirect_uri": self.window_page, "scope": "openid profile email phone", **params}
        response = self.http.get(self.metadata["authorization_endpoint"], params=query)
        for _ in range(10):
            if response.is_redirect:
                target = response.url.join(response.headers["location"])
                if str(target).startswith(self.window_page):
                    return answer_of(target)
                response = self.http.get(target)
                continue
            assert response.status_code == 200, response.text
            form = read_form(response.text)
            if "Username" in form.labels:
                response = self.submit(form, "Sign in", Username=username, Password=password)
            else:
                response = self.submit(form, consent)
        raise AssertionError("the provider never sent the consumer back")

    def submit(self, form: Form, button: str, **by_label: str) -> httpx.Response:
        data = {**form.fields, **{form.labels[label]: value for label, value in by_label.items()}}
        name, value = form.buttons[button]
        if name:
            data[name] = value
        return self.http.post(form.action, data=data)

    def redeem(self, code: str, auth: httpx.Auth | None = None, **form: str) -> httpx.Response:
        """The token endpoint, called as a client would (a public client authenticates with no secret)."""
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.window_page, **form}
        return self.http.post(self.metadata["token_endpoint"], data=data, auth=auth or httpx.Auth())

    def close(self) -> None:
        self.http.close()
