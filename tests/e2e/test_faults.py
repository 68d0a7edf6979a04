"""Faults injected at the browser's network boundary, against the real window and sandbox: a hung request is
abandoned, a refused line can be sent again, and a refusal that is not the chat's end is said honestly."""

from __future__ import annotations

import json

from playwright.sync_api import Page, Request, Route, expect

from .conftest import Sandbox, WindowOpener

WAIT_MS = 15_000


def chatting(open_window: WindowOpener, sandbox: Sandbox, **config: object) -> Page:
    sandbox.configure(accept_delay_seconds=0.2, reply_delay_seconds=0.2)
    page = open_window(**config)
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("You are chatting with", timeout=WAIT_MS)
    return page


def is_poll(request: Request) -> bool:
    return request.method == "GET" and "/chat/" in request.url and "?from=" in request.url.replace(".json", "")


def test_a_hung_poll_is_abandoned_and_the_chat_goes_on(open_window: WindowOpener, sandbox: Sandbox) -> None:
    page = chatting(open_window, sandbox, request_timeout_seconds=2)
    hung: list[Route] = []

    def hang_once(route: Route) -> None:
        if not hung and is_poll(route.request):
            hung.append(route)  # never answered: only the window's own timeout can end this request
            return
        route.fallback()

    page.route("**/chat/**", hang_once)
    expect(page.get_by_role("status")).to_have_text("Connection lost. Reconnecting…", timeout=WAIT_MS)
    expect(page.get_by_role("status")).to_contain_text("You are chatting with", timeout=WAIT_MS)
    page.get_by_role("textbox", name="Message").fill("after the hang")
    page.keyboard.press("Enter")
    expect(page.get_by_role("log")).to_contain_text('You said: "after the hang"', timeout=WAIT_MS)
    assert len(hung) == 1


def test_a_line_refused_for_good_can_be_sent_again(open_window: WindowOpener, sandbox: Sandbox) -> None:
    page = chatting(open_window, sandbox)
    refused: list[str] = []

    def refuse_first(route: Route) -> None:
        body = route.request.post_data or ""
        if route.request.method == "POST" and "refuse me" in body and not refused:
            refused.append(body)
            error = {"error": {"time": "2026-11-29T12:00:00.000+00:00", "message": "Forbidden", "internalCode": 5}}
            route.fulfill(status=403, json=error, headers={"Access-Control-Allow-Origin": "*"})
            return
        route.fallback()

    page.route("**/events*", refuse_first)
    message = page.get_by_role("textbox", name="Message")
    message.fill("refuse me")
    message.press("Enter")
    failed = page.locator(".line--visitor", has_text="refuse me")
    expect(failed).to_contain_text("Not sent: the chat service refused this message.", timeout=WAIT_MS)
    message.fill("a later line still goes")
    message.press("Enter")
    log = page.get_by_role("log")
    expect(log).to_contain_text('You said: "a later line still goes"', timeout=WAIT_MS)
    failed.get_by_role("button", name="Send again").click()
    expect(log).to_contain_text('You said: "refuse me"', timeout=WAIT_MS)
    expect(failed.get_by_role("button", name="Send again")).to_have_count(0)
    visitor = [e["text"] for e in sandbox.state()["chats"][0]["events"] if e.get("source") == "visitor"]
    assert visitor == ["a later line still goes", "refuse me"]


def test_a_refusal_while_polling_is_not_called_the_end_of_the_chat(open_window: WindowOpener, sandbox: Sandbox) -> None:
    page = chatting(open_window, sandbox)

    def unauthorised(route: Route) -> None:
        if is_poll(route.request):
            error = {
                "error": {"time": "2026-11-29T12:00:00.000+00:00", "message": "Unknown app key", "internalCode": 5}
            }
            route.fulfill(status=401, body=json.dumps(error), headers={"Access-Control-Allow-Origin": "*"})
            return
        route.fallback()

    page.route("**/chat/**", unauthorised)
    expect(page.get_by_role("status")).to_have_text(
        "The chat was interrupted. Your messages are kept; start a new chat to send them.", timeout=WAIT_MS
    )
    expect(page.get_by_role("button", name="Chat now")).to_be_enabled()
    assert sandbox.state()["chats"][0]["state"] != "ended"
