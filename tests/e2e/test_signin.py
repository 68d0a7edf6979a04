"""Signed-in consumers, end to end in Chromium against the development OpenID provider (panva's oidc-provider, started
by `OIDC=1` with the dev server): the window signs the consumer in at the provider (code flow and implicit, by a
redirect of its own page when standalone, in a popup when framed on a brand's page), hands the code or id_token to
conversation.json, where the sandbox checks it as LivePerson's connector does, and chats. Every way a sign-in goes
wrong ends in words the consumer can act on, and no chat is requested without a sign-in LivePerson accepted.

The windows are the dev server's `/signin/` site: its served configuration names the provider, so its CSP lets the
window read the provider's discovery document; each test points it at an account of its own."""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from playwright.sync_api import Browser, BrowserContext, Frame, FrameLocator, Page, Request, Route, expect

from sandbox.openid_provider import CONNECTOR_CLIENT_ID, CONNECTOR_CLIENT_SECRET, PUBLIC_CLIENT_ID
from tests.openid_consumer import Consumer
from tests.servers import Servers

from .conftest import READY_TIMEOUT_MS, Sandbox, WindowOpener, use_account, words
from .test_accessibility import PHONE, audit

SITE = "signin/"
WAIT_MS = 20_000
GREETING = "How can I help"  # the scripted agent's first line
DANA = "dana-1001"  # dana's `sub` at the provider (sandbox/oidc/users.json)


@pytest.fixture
def issuer(servers: Servers) -> str:
    return servers.url_of("OpenID provider")


def authenticated(sandbox: Sandbox, issuer: str, flow: str = "code", client_id: str = CONNECTOR_CLIENT_ID) -> None:
    """The test's account: its engagement names the authentication connector, registered at the provider."""
    connector = {"issuer": issuer, "client_id": client_id, "client_secret": CONNECTOR_CLIENT_SECRET, "flow": flow}
    sandbox.configure(authenticated_engagement=True, authentication_connector=connector)


def auth(issuer: str, client_id: str = CONNECTOR_CLIENT_ID, **more: object) -> dict[str, object]:
    """The window's `auth` configuration: the brand's provider, the client of LivePerson's connector."""
    return {"issuer": issuer, "client_id": client_id, **more}


def at_provider(page: Page, decision: str = "Allow") -> None:
    """The consumer on the provider's pages: signs in as dana, then answers the consent page."""
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=decision).click()


def start_signing_in(page: Page | FrameLocator) -> None:
    if isinstance(page, Page):  # standalone: the consumer starts the chat; a panel starts it when opened
        page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("heading", name="Sign in to chat")).to_be_visible(timeout=WAIT_MS)


def returned(page: Page) -> None:
    """Back on the window's page after the provider: the window starts again there."""
    page.wait_for_url(f"**/{SITE}**", timeout=WAIT_MS)
    page.wait_for_selector("html[data-ready=true]", timeout=READY_TIMEOUT_MS, state="attached")


def redirect_answer(page: Page, issuer: str, change: Callable[[str], str]) -> None:
    """The provider's answer (where it sends the consumer back) sent through `change` on its way. A route sees only
    the first request of a redirect chain: so this takes the consent form's post (the provider answers it by a
    redirect to its authorization endpoint, which redirects to the window's page) and follows the first redirect."""

    def handle(route: Route) -> None:
        resume = route.fetch(max_redirects=0)  # the context's cookies both ways, as the browser's own request
        answer = page.context.request.get(resume.headers["location"], max_redirects=0)
        route.fulfill(status=303, headers={"Location": change(answer.headers["location"])})

    page.route(re.compile(rf"^{re.escape(issuer)}/interaction/[^/]+/consent$"), handle)


def addresses(page: Page) -> list[str]:
    """Every address the tab showed (fragments too, which never reach a server)."""
    seen: list[str] = []
    page.on("framenavigated", lambda frame: seen.append(frame.url) if frame == page.main_frame else None)
    return seen


def authorization_requests(page: Page, issuer: str) -> list[dict[str, str]]:
    """The parameters of each authorization request the tab makes, as they come."""
    asked: list[dict[str, str]] = []

    def made(request: Request) -> None:
        if request.url.startswith(f"{issuer}/auth?"):
            asked.append(dict(parse_qsl(urlsplit(request.url).query)))

    page.on("request", made)
    return asked


def stored(page: Page | Frame) -> str:
    text: str = page.evaluate("() => JSON.stringify([{...sessionStorage}, {...localStorage}])")
    return text


def answer_in(urls: list[str]) -> dict[str, str]:
    for url in urls:
        parts = urlsplit(url)
        found = dict(parse_qsl(parts.query)) | dict(parse_qsl(parts.fragment))
        if "state" in found:
            return found
    raise AssertionError(f"no answer from the provider among {urls}")


def only_conversation(sandbox: Sandbox) -> dict[str, object]:
    conversations = sandbox.state()["conversations"]
    assert len(conversations) == 1
    conversation: dict[str, object] = conversations[0]
    return conversation


def consumer_keys(issuer: str) -> KeySet:
    return KeySet.import_key_set(httpx.get(f"{issuer}/jwks", timeout=5).json())


def hands_over(sso_key: str) -> str:
    """The brand page's method, as LivePerson's tag calls it: it has the consumer's sign-in from the brand's site."""
    return f"window.lpGetAuthenticationToken = (callback) => callback({json.dumps(sso_key)});"


def no_chat(sandbox: Sandbox) -> None:
    state = sandbox.state()
    assert state["chats"] == [] and state["conversations"] == []


@pytest.mark.parametrize("flow", ["code", "implicit"])
def test_standalone_the_consumer_signs_in_by_redirect_and_chats_as_themselves(
    open_window: WindowOpener, sandbox: Sandbox, issuer: str, flow: str
) -> None:
    authenticated(sandbox, issuer, flow)
    page = open_window(SITE, auth=auth(issuer, flow=flow))
    seen = addresses(page)
    start_signing_in(page)
    assert sandbox.state()["chats"] == []  # no chat before the sign-in
    page.get_by_role("button", name="Sign in").click()
    at_provider(page)
    returned(page)
    expect(page.get_by_role("log")).to_contain_text(GREETING, timeout=WAIT_MS)
    answer = answer_in(seen)
    key = answer["code" if flow == "code" else "id_token"]
    # The answer left the address bar at once, and nothing of it was kept (no token in any storage).
    assert urlsplit(page.url).query == "" and urlsplit(page.url).fragment == ""
    assert key not in stored(page) and answer["state"] not in stored(page)
    # LivePerson's part: the sign-in checked, the chat of a verified consumer.
    conversation = only_conversation(sandbox)
    claims = conversation["claims"]
    assert isinstance(claims, dict) and claims["sub"] == DANA
    chat = sandbox.state()["chats"][0]
    assert chat["participantId"] == conversation["participant_id"]
    page.get_by_role("textbox", name="Message").fill("Where is my order?")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("log")).to_contain_text("Where is my order?")


def brand_page(context: BrowserContext, servers: Servers, sandbox: Sandbox, **config: object) -> FrameLocator:
    """The demo brand page with the `/signin/` window in its panel, opened by the launcher."""
    use_account(context, sandbox.account_id, **config)
    page = context.new_page()
    page.goto(f"{servers.sandbox_origin}/brand/?window=signin")
    page.locator("body > div").get_by_role("button", name="Chat with us").click()
    return page.frame_locator("iframe[title='Chat with Sandbox Brand']")


@pytest.mark.parametrize("flow", ["code", "implicit"])
def test_embedded_the_consumer_signs_in_in_a_popup_and_chats(
    brand: tuple[BrowserContext, list[str]], servers: Servers, sandbox: Sandbox, issuer: str, flow: str
) -> None:
    context, _ = brand
    authenticated(sandbox, issuer, flow)
    frame = brand_page(context, servers, sandbox, auth=auth(issuer, flow=flow))
    start_signing_in(frame)
    with context.expect_page() as opened:
        frame.get_by_role("button", name="Sign in").click()
    popup = opened.value
    at_provider(popup)
    popup.wait_for_event("close", timeout=WAIT_MS)  # static/signin.html handed the answer over and closed
    expect(frame.get_by_role("log")).to_contain_text(GREETING, timeout=WAIT_MS)
    claims = only_conversation(sandbox)["claims"]
    assert isinstance(claims, dict) and claims["sub"] == DANA


def test_a_consumer_who_declines_is_told_and_no_chat_is_requested(
    open_window: WindowOpener, sandbox: Sandbox, issuer: str
) -> None:
    authenticated(sandbox, issuer)
    page = open_window(SITE, auth=auth(issuer, optional=True))
    start_signing_in(page)
    audit(page, "signin")
    page.get_by_role("button", name="Sign in").click()
    at_provider(page, decision="Deny")
    returned(page)
    expect(page.get_by_text("Sign-in was cancelled.")).to_be_visible()
    expect(page.get_by_role("button", name="Try signing in again")).to_be_visible()
    audit(page, "signin", "cancelled")
    assert urlsplit(page.url).query == ""
    no_chat(sandbox)


def test_an_answer_with_a_tampered_state_is_refused_before_livePerson_sees_it(
    open_window: WindowOpener, sandbox: Sandbox, issuer: str, servers: Servers
) -> None:
    authenticated(sandbox, issuer)
    page = open_window(SITE)

    def tamper(answer: str) -> str:  # an attacker's hand in the answer: the state is not the window's
        parts = urlsplit(answer)
        return parts._replace(query=urlencode(dict(parse_qsl(parts.query)) | {"state": "forged"})).geturl()

    redirect_answer(page, issuer, tamper)
    start_signing_in(page)
    page.get_by_role("button", name="Sign in").click()
    at_provider(page)
    returned(page)
    expect(page.get_by_text("Your sign-in could not be verified. Please try again.")).to_be_visible(timeout=WAIT_MS)
    assert "code=" not in page.url
    no_chat(sandbox)


def test_a_replayed_code_is_refused_by_livePerson(
    browser: Browser, open_window: WindowOpener, sandbox: Sandbox, issuer: str, servers: Servers
) -> None:
    authenticated(sandbox, issuer)
    first = open_window(SITE)
    seen = addresses(first)
    start_signing_in(first)
    first.get_by_role("button", name="Sign in").click()
    at_provider(first)
    returned(first)
    expect(first.get_by_role("log")).to_contain_text(GREETING, timeout=WAIT_MS)
    used = answer_in(seen)
    # Another tab's sign-in under way; its answer replaced with the used code (the state is that sign-in's own).
    second = open_window(SITE)
    asked = authorization_requests(second, issuer)
    start_signing_in(second)
    second.get_by_role("button", name="Sign in").click()
    expect(second.get_by_label("Username")).to_be_visible()
    state = asked[0]["state"]
    second.goto(f"{servers.window_url}{SITE}?{urlencode({'code': used['code'], 'state': state, 'iss': issuer})}")
    second.wait_for_selector("html[data-ready=true]", timeout=READY_TIMEOUT_MS, state="attached")
    expect(second.get_by_text("Your sign-in was not accepted. Please try again.")).to_be_visible(timeout=WAIT_MS)
    assert len(sandbox.state()["chats"]) == 1  # the first consumer's only


def test_an_id_token_with_a_nonce_not_the_windows_is_refused(
    open_window: WindowOpener, sandbox: Sandbox, issuer: str
) -> None:
    authenticated(sandbox, issuer, "implicit")
    page = open_window(SITE, auth=auth(issuer, flow="implicit"))

    def other_nonce(route: Route) -> None:  # an id_token minted for another sign-in, injected into this one
        url = urlsplit(route.request.url)
        params = dict(parse_qsl(url.query)) | {"nonce": "someone-elses"}
        route.continue_(url=url._replace(query=urlencode(params)).geturl())

    page.route(f"{issuer}/auth?*", other_nonce)
    start_signing_in(page)
    page.get_by_role("button", name="Sign in").click()
    at_provider(page)
    returned(page)
    expect(page.get_by_text("Your sign-in could not be verified. Please try again.")).to_be_visible(timeout=WAIT_MS)
    no_chat(sandbox)


def test_pkce_the_windows_challenge_holds_at_the_provider(
    open_window: WindowOpener, sandbox: Sandbox, issuer: str, servers: Servers
) -> None:
    """With `pkce` on, for the public client the provider requires it from: the provider takes the window's S256
    challenge, and the code it gives is redeemed with the window's verifier, not with another. (The legacy API cannot
    carry a verifier to LivePerson, so PKCE stays off for a chat; the README says so.)"""
    authenticated(sandbox, issuer)
    page = open_window(SITE, auth=auth(issuer, client_id=PUBLIC_CLIENT_ID, pkce=True))
    asked = authorization_requests(page, issuer)
    start_signing_in(page)
    page.get_by_role("button", name="Sign in").click()
    # The answer kept from the window (the code unused), the tab sent to another page of the window's origin, where
    # what the window keeps for the answer (this tab's sessionStorage) is readable.
    answers: list[str] = []

    def held(answer: str) -> str:
        answers.append(answer)
        return f"{servers.window_url}{SITE}config.json"

    redirect_answer(page, issuer, held)
    at_provider(page)
    page.wait_for_url("**/config.json")
    kept = json.loads(json.loads(page.evaluate("() => sessionStorage.getItem('lp-chat-window:signin')"))["pending"])
    code = dict(parse_qsl(urlsplit(answers[0]).query))["code"]
    assert asked[0]["code_challenge_method"] == "S256" and asked[0]["code_challenge"] != kept["verifier"]
    consumer = Consumer(issuer, f"{servers.window_url}{SITE}")
    try:
        wrong = consumer.redeem(code, client_id=PUBLIC_CLIENT_ID, code_verifier=secrets.token_urlsafe(48))
        right = consumer.redeem(code, client_id=PUBLIC_CLIENT_ID, code_verifier=kept["verifier"])
    finally:
        consumer.close()
    assert (wrong.status_code, wrong.json()["error"]) == (400, "invalid_grant")
    assert right.status_code == 200
    claims = jwt.decode(right.json()["id_token"], consumer_keys(issuer)).claims
    assert (claims["sub"], claims["nonce"]) == (DANA, kept["nonce"])


def test_the_brands_page_hands_over_its_consumers_sign_in(
    brand: tuple[BrowserContext, list[str]], servers: Servers, sandbox: Sandbox, issuer: str
) -> None:
    """The page's `lpGetAuthenticationToken` (as LivePerson's tag calls it) has a sign-in from the brand's own site:
    the consumer chats as themselves without being asked again."""
    authenticated(sandbox, issuer, "implicit")
    consumer = Consumer(issuer, servers.window_url)
    try:
        answer = consumer.authorize(
            client_id=CONNECTOR_CLIENT_ID, response_type="id_token", nonce=secrets.token_urlsafe(), state="s"
        )
    finally:
        consumer.close()
    context, _ = brand
    context.add_init_script(hands_over(answer["id_token"]))
    frame = brand_page(context, servers, sandbox, auth=auth(issuer))
    expect(frame.get_by_role("log")).to_contain_text(GREETING, timeout=WAIT_MS)
    assert len(context.pages) == 1  # no popup: the consumer was not asked
    claims = only_conversation(sandbox)["claims"]
    assert isinstance(claims, dict) and claims["sub"] == DANA


def test_an_id_token_not_signed_by_the_brands_provider_is_refused_and_the_consumer_may_sign_in(
    brand: tuple[BrowserContext, list[str]], servers: Servers, sandbox: Sandbox, issuer: str
) -> None:
    context, _ = brand
    authenticated(sandbox, issuer, "implicit")
    now = int(time.time())
    claims = {"iss": issuer, "aud": CONNECTOR_CLIENT_ID, "sub": DANA, "iat": now, "exp": now + 600}
    forged = jwt.encode({"alg": "RS256"}, claims, RSAKey.generate_key(2048))
    context.add_init_script(hands_over(forged))
    frame = brand_page(context, servers, sandbox, auth=auth(issuer))
    expect(frame.get_by_text("Your sign-in was not accepted. Please try again.")).to_be_visible(timeout=WAIT_MS)
    no_chat(sandbox)
    frame.get_by_role("button", name="Try signing in again").click()
    expect(frame.get_by_role("button", name="Sign in")).to_be_enabled()


def test_a_provider_that_cannot_be_reached_is_said_and_can_be_tried_again(
    open_window: WindowOpener, sandbox: Sandbox, issuer: str
) -> None:
    authenticated(sandbox, issuer)
    page = open_window(SITE)
    page.route(f"{issuer}/**", lambda route: route.abort("connectionrefused"))
    start_signing_in(page)
    expect(page.get_by_text("The sign-in service could not be reached.")).to_be_visible(timeout=WAIT_MS)
    page.unroute(f"{issuer}/**")
    page.get_by_role("button", name="Try signing in again").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_enabled()
    no_chat(sandbox)


def test_the_sign_in_screen_is_axe_clean_right_to_left_on_a_phone(
    open_window: WindowOpener, sandbox: Sandbox, issuer: str
) -> None:
    he = words("he")
    authenticated(sandbox, issuer)
    sandbox.configure(language="he-IL")
    page = open_window(SITE, {"locale": "he-IL", **PHONE}, auth=auth(issuer, optional=True))
    page.get_by_role("button", name=he["chat_now"]).click()
    expect(page.get_by_role("heading", name=he["signin_title"])).to_be_visible(timeout=WAIT_MS)
    audit(page, "signin", "Hebrew, 320 px")
