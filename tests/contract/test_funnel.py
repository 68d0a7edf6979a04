"""Funnel counts per engagement: impression events reported by Update Session ([AE] examples) and the chats requested
in the engagement, as the control API serves them and the console's funnel page shows them."""

from __future__ import annotations

from typing import Any

import httpx

from tests.contract.lp_client import LpClient
from tests.contract.test_agents import strict_page

ENGAGEMENT, OTHER_ENGAGEMENT = 27469613, 31415926


def impression(kind: str, engagement: int | str = ENGAGEMENT, **extra: Any) -> dict[str, Any]:
    """An impression event as LivePerson's examples give it: display and accept carry the engagement's context."""
    if kind in ("impDisplay", "impAccept"):
        extra["eContext"] = [{"type": "engagementContext", "id": "2"}]
    return {"type": kind, "campaign": 26948813, "engId": engagement, "revision": 3, **extra}


EXPANDED: dict[str, Any] = {"expanded": None, "userInit": None, "actionableItems": None}


def report(lp: LpClient, account: str, session: dict[str, Any], *events: dict[str, Any]) -> None:
    response = lp.update_session(account, session, impAttributes=list(events))
    assert response.status_code == 200, response.text


def ids_of(session: dict[str, Any]) -> dict[str, str]:
    return {"LETagVisitorId": session["visitorId"], "LETagSessionId": session["sessionId"]}


def funnel(http: httpx.Client, account: str) -> dict[str, Any]:
    response = http.get(f"/sandbox/accounts/{account}/funnel")
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


def test_funnel_counts_are_exact_per_engagement_and_kept_apart(lp: LpClient, http: httpx.Client) -> None:
    account = lp.new_account(reply_delay_seconds=0.5)
    first, second = lp.create_session(account).json(), lp.create_session(account).json()
    # One engagement: shown twice (two visitors), closed by one, expanded and clicked by the other, who chats with
    # the scripted agent and ends the chat.
    report(lp, account, first, impression("impDisplay"), impression("impExpanded", **EXPANDED))
    report(lp, account, second, impression("impDisplay", str(ENGAGEMENT)), impression("impClose"))
    report(lp, account, first, impression("impAccept"))
    chat_url = lp.start_chatting(account, engagementId=ENGAGEMENT, campaignId=26948813, **ids_of(first))
    lp.add_line(chat_url, "bye")
    lp.wait_for(chat_url, lambda events: events[-1].get("state") == "ended")
    # Another: shown once, timed out, clicked; two chats: one given up while waiting, one still going.
    report(lp, account, second, impression("impDisplay", OTHER_ENGAGEMENT), impression("impTimeout", OTHER_ENGAGEMENT))
    report(lp, account, second, impression("impAccept", OTHER_ENGAGEMENT))
    given_up = lp.request_chat(account, engagementId=str(OTHER_ENGAGEMENT), **ids_of(second))
    assert lp.end_chat(given_up).status_code == 201
    lp.start_chatting(account, engagementId=OTHER_ENGAGEMENT, **ids_of(second))
    lp.request_chat(account)  # names no engagement

    assert funnel(http, account) == {
        "account": account,
        "engagements": [
            {
                "engagementId": str(ENGAGEMENT),
                "impressions": 2,
                "clicks": 1,
                "closes": 1,
                "expansions": 1,
                "timeouts": 0,
                "chatsRequested": 1,
                "chatsStarted": 1,
                "chatsEnded": 1,
                "rates": {
                    "clicksPerImpression": 0.5,
                    "requestsPerClick": 1.0,
                    "startsPerRequest": 1.0,
                    "endsPerStart": 1.0,
                },
            },
            {
                "engagementId": str(OTHER_ENGAGEMENT),
                "impressions": 1,
                "clicks": 1,
                "closes": 0,
                "expansions": 0,
                "timeouts": 1,
                "chatsRequested": 2,
                "chatsStarted": 1,
                "chatsEnded": 0,
                "rates": {
                    "clicksPerImpression": 1.0,
                    "requestsPerClick": 2.0,
                    "startsPerRequest": 0.5,
                    "endsPerStart": 0.0,
                },
            },
        ],
        "chatsWithoutEngagement": 1,
    }


def test_an_account_starts_with_an_empty_funnel_and_accounts_are_kept_apart(lp: LpClient, http: httpx.Client) -> None:
    account, other = lp.new_account(), lp.new_account()
    report(lp, other, lp.create_session(other).json(), impression("impDisplay"))
    assert funnel(http, account) == {"account": account, "engagements": [], "chatsWithoutEngagement": 0}
    [only] = funnel(http, other)["engagements"]
    assert (only["impressions"], only["chatsRequested"]) == (1, 0)
    # 0 clicks of 1 impression; nothing before the later steps to divide by: null, not 0
    assert only["rates"] == {
        "clicksPerImpression": 0.0,
        "requestsPerClick": None,
        "startsPerRequest": None,
        "endsPerStart": None,
    }


def test_a_refused_update_counts_nothing(lp: LpClient, http: httpx.Client) -> None:
    account = lp.new_account()
    session = lp.create_session(account).json()
    response = lp.update_session(
        account, session, impAttributes=[impression("impDisplay")], engagementAttributes=[{"type": "cart"}]
    )
    assert response.status_code == 400
    assert funnel(http, account)["engagements"] == []


def test_the_funnel_page_is_linked_from_the_console_and_keeps_the_strict_csp(http: httpx.Client) -> None:
    html = strict_page(http, "/console/funnel", "/console/funnel.js", account="12345678")
    for needle in ('<label for="account">Account</label>', 'name="account"', ">Show funnel</button>",
                   'href="/console"'):  # fmt: skip
        assert needle in html
    script = http.get("/console/funnel.js")
    assert script.status_code == 200
    for step in ("Impressions", "Clicks", "Chats requested", "Chats started", "Chats ended"):
        assert f'"{step}"' in script.text
    assert 'href="/console/funnel"' in http.get("/console").text
    assert "/console/funnel?account=" in http.get("/console/console.js").text
