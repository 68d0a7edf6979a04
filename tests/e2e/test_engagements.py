"""The engagements a brand's page shows, as a consumer meets them: the monitored flow (LivePerson's tag, here its
stand-in, hands the engagement over; iframe panel and popup), and in the unmonitored flow the launcher, a proactive
invitation and an engagement placed in the page, each following availability, by keyboard too; engagement
attributes checked by the window's models."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.servers import Servers

from .conftest import Sandbox, use_account
from .test_embedding import launcher_of

WAIT_MS = 20_000
TITLE = "Chat with Sandbox Brand"


@pytest.fixture
def context(browser: Browser, sandbox: Sandbox) -> Iterator[BrowserContext]:
    context = browser.new_context()
    use_account(context, sandbox.account_id)
    errors: list[str] = []
    context.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield context
    context.close()
    assert [error for error in errors if "Content Security Policy" in error or "Traceback" in error] == []


def brand_page(context: BrowserContext, servers: Servers, sandbox: Sandbox, path: str, query: str = "") -> Page:
    page = context.new_page()
    page.goto(f"{servers.sandbox_origin}/brand/{path}?account={sandbox.account_id}{query}")
    return page


def chat_requests(sandbox: Sandbox) -> list[dict[str, object]]:
    return [chat["request"] for chat in sandbox.state()["chats"]]


@pytest.mark.parametrize("mode", ["panel", "popup"])
def test_the_monitored_flow_chats_in_the_tags_session(
    context: BrowserContext, servers: Servers, sandbox: Sandbox, mode: str
) -> None:
    sandbox.configure(accept_delay_seconds=0.2, reply_delay_seconds=0.2)
    page = brand_page(context, servers, sandbox, "monitored/", f"&mode={mode}")
    engagement = page.get_by_role("button", name="Chat with an agent")
    expect(engagement).to_be_visible(timeout=WAIT_MS)
    engagement.focus()
    if mode == "popup":
        with page.expect_popup() as opened:
            page.keyboard.press("Enter")
        window = opened.value
        log = window.get_by_role("log")
    else:
        page.keyboard.press("Enter")
        log = page.frame_locator(f"iframe[title='{TITLE}']").get_by_role("log")
    expect(log).to_contain_text("Hi, I'm Alex", timeout=WAIT_MS)
    (session,) = sandbox.state()["engagementSessions"]  # the tag's: the window asked for no engagement of its own
    (request,) = chat_requests(sandbox)
    assert (request["LETagVisitorId"], request["LETagSessionId"]) == (session["visitor_id"], session["session_id"])
    assert (request["engagementId"], request["campaignId"], request["LETagContextId"]) == (27469613, 26948813, 2)
    # The funnel: the tag reported the engagement shown and clicked; the chat counts as the engagement's.
    funnel_counts(sandbox, impressions=1, clicks=1, chatsRequested=1, chatsStarted=1)


def test_the_launcher_an_invitation_and_an_engagement_in_the_page(
    context: BrowserContext, servers: Servers, sandbox: Sandbox
) -> None:
    sandbox.configure(accept_delay_seconds=0.2)
    page = brand_page(context, servers, sandbox, "", "&invite=1")
    card = page.locator("[data-lpcw-engagement]")
    expect(card.get_by_text("Questions about your order? Our team is here.")).to_be_visible(timeout=WAIT_MS)
    expect(card.get_by_role("button", name="Chat with us")).to_be_visible()
    expect(launcher_of(page)).to_be_visible()
    invitation = page.get_by_role("region", name="Chat invitation")
    expect(invitation).to_be_visible(timeout=WAIT_MS)
    expect(invitation).to_have_attribute("aria-live", "polite")  # announced, without taking the focus
    assert page.evaluate("() => document.activeElement === document.body")
    page.keyboard.press("Escape")
    expect(invitation).to_be_hidden()
    page.reload()  # closed once, not shown again in this session
    expect(card.get_by_role("button", name="Chat with us")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(1500)
    expect(invitation).to_be_hidden()
    card.get_by_role("button", name="Chat with us").focus()
    page.keyboard.press("Enter")
    log = page.frame_locator(f"iframe[title='{TITLE}']").get_by_role("log")
    expect(log).to_contain_text("Hi, I'm Alex", timeout=WAIT_MS)
    sessions = sandbox.state()["engagementSessions"]
    assert len(sessions) == 1  # one visitor for the tab: the reload and the chat reused it
    (request,) = chat_requests(sandbox)
    assert request["LETagVisitorId"] == sessions[0]["visitor_id"]


def test_an_invitation_is_accepted_by_keyboard(context: BrowserContext, servers: Servers, sandbox: Sandbox) -> None:
    sandbox.configure(accept_delay_seconds=0.2)
    page = brand_page(context, servers, sandbox, "", "&invite=0")
    accept = page.get_by_role("region", name="Chat invitation").get_by_role("button", name="Chat now")
    expect(accept).to_be_visible(timeout=WAIT_MS)
    accept.focus()
    page.keyboard.press("Enter")
    expect(page.frame_locator(f"iframe[title='{TITLE}']").get_by_role("log")).to_contain_text(
        "Hi, I'm Alex", timeout=WAIT_MS
    )
    expect(page.get_by_role("region", name="Chat invitation")).to_be_hidden()


def test_with_nobody_available_the_engagements_offer_a_message(
    context: BrowserContext, servers: Servers, sandbox: Sandbox
) -> None:
    sandbox.configure(available=False)
    page = brand_page(context, servers, sandbox, "", "&invite=0")
    card = page.locator("[data-lpcw-engagement]")
    expect(card.get_by_role("button", name="Leave us a message")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(500)
    expect(page.get_by_role("region", name="Chat invitation")).to_be_hidden()  # no invitation to nobody
    card.get_by_role("button", name="Leave us a message").click()
    window = page.frame_locator(f"iframe[title='{TITLE}']")
    expect(window.get_by_role("heading", name="Nobody is available right now")).to_be_visible(timeout=WAIT_MS)
    expect(window.get_by_role("button", name="Send message")).to_be_visible()


def test_engagement_attributes_are_checked_and_sent(
    context: BrowserContext, servers: Servers, sandbox: Sandbox
) -> None:
    warnings: list[str] = []
    context.on("console", lambda msg: warnings.append(msg.text) if msg.type == "warning" else None)
    page = brand_page(context, servers, sandbox, "")
    cart = {"type": "cart", "total": 11.7, "currency": "USD", "numItems": 2}
    broken = {"type": "cart", "total": "a lot", "secret": "<img src=x>"}
    page.evaluate("([items]) => window.LPChatWindow.push(['setEngagementAttributes', items])", [[cart, broken]])
    page.get_by_role("button", name="open()").click()
    window = page.frame_locator(f"iframe[title='{TITLE}']")
    expect(window.get_by_role("log")).to_contain_text("Hi, I'm Alex", timeout=WAIT_MS)
    (session,) = sandbox.state()["engagementSessions"]
    assert session["engagement_attributes"] == [cart]
    dropped = [w for w in warnings if "engagement attribute 2 (cart) dropped" in w]
    assert dropped and "total" in dropped[0] and "numItems" in dropped[0] and "<img" not in dropped[0]


def test_the_funnel_counts_each_occurrence_once(context: BrowserContext, servers: Servers, sandbox: Sandbox) -> None:
    """A visit (three engagements shown), the invitation declined, a reload (two shown: the invitation does not come
    back), the launcher clicked (a chat), the panel closed, the engagement in the page clicked (the same chat), the
    chat ended."""
    sandbox.configure(accept_delay_seconds=0.2, reply_delay_seconds=0.2)
    page = brand_page(context, servers, sandbox, "", "&invite=0")
    invitation = page.get_by_role("region", name="Chat invitation")
    expect(invitation).to_be_visible(timeout=WAIT_MS)
    invitation.get_by_role("button", name="No, thanks").click()
    funnel_counts(sandbox, closes=1)  # reported in the background: counted before the consumer leaves the page
    page.reload()
    card = page.locator("[data-lpcw-engagement]").get_by_role("button", name="Chat with us")
    expect(card).to_be_visible(timeout=WAIT_MS)
    launcher_of(page).click()
    window = page.frame_locator(f"iframe[title='{TITLE}']")
    expect(window.get_by_role("log")).to_contain_text("Hi, I'm Alex", timeout=WAIT_MS)
    page.get_by_role("button", name="Close chat").click()
    card.click()
    window.get_by_role("button", name="End chat").click()
    window.get_by_role("button", name="Yes, end the chat").click()
    expect(window.get_by_role("status")).to_have_text("The chat has ended.", timeout=WAIT_MS)
    expected = {
        "impressions": 5,
        "clicks": 2,
        "closes": 1,
        "expansions": 2,
        "timeouts": 0,
        "chatsRequested": 1,
        "chatsStarted": 1,
        "chatsEnded": 1,
    }
    funnel = funnel_counts(sandbox, **expected)
    assert funnel["engagementId"] == "27469613"


def test_a_funnel_report_that_fails_in_passing_is_sent_again(
    context: BrowserContext, servers: Servers, sandbox: Sandbox
) -> None:
    page = brand_page(context, servers, sandbox, "", "&invite=0")
    invitation = page.get_by_role("region", name="Chat invitation")
    expect(invitation).to_be_visible(timeout=WAIT_MS)
    funnel_counts(sandbox, impressions=3)
    sandbox.add_fault(kind="status", status=503, count=1)  # the account's next request: the report below
    assert len(sandbox.state()["faults"]) == 1
    invitation.get_by_role("button", name="No, thanks").click()
    funnel_counts(sandbox, closes=1)
    assert sandbox.state()["faults"] == []  # spent: the report met it (the page asks nothing else), then went again


def funnel_counts(sandbox: Sandbox, **expected: int) -> dict[str, Any]:
    """The engagement's funnel once it counts `expected` (the reports go out in the background, retried quietly)."""
    url = f"{sandbox.origin}/sandbox/accounts/{sandbox.account_id}/funnel"
    counted: dict[str, Any] = {}
    for _ in range(100):
        engagements = httpx.get(url, timeout=10).json()["engagements"]  # none until the first report arrives
        funnel = engagements[0] if engagements else {}
        counted = {key: funnel.get(key) for key in expected}
        if counted == expected:
            break
        time.sleep(0.1)
    assert counted == expected
    found: dict[str, Any] = funnel
    return found
