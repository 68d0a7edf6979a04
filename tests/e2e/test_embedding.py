"""The window on a brand's page, as a brand puts it there: the one snippet on a page with a strict CSP, the launcher
by keyboard, the panel (or a popup), the host-page API with calls queued before anything is ready, the events the page
hears, messages of a wrong origin or shape ignored both ways, and nothing the consumer types lost."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import BrowserContext, FrameLocator, Locator, Page, expect

from tests.servers import Servers

from .conftest import Sandbox, use_account

WAIT_MS = 20_000


def open_brand_page(context: BrowserContext, servers: Servers, sandbox: Sandbox, query: str = "") -> Page:
    use_account(context, sandbox.account_id)  # the window's config.json, in the iframe or the popup
    page = context.new_page()
    page.goto(f"{servers.sandbox_origin}/brand/{query}")
    expect(launcher_of(page)).to_be_visible()
    return page


def launcher_of(page: Page) -> Locator:
    """The loader's launcher (the page also has engagements of its own with the same name, in its content)."""
    return page.locator("body > div").get_by_role("button", name="Chat with us")


def chat(page: Page) -> FrameLocator:
    return page.frame_locator("iframe[title='Chat with Sandbox Brand']")


FOCUSED = "document.activeElement?.shadowRoot?.activeElement?.className"


def focused_in_shadow(page: Page) -> str | None:
    """The class of what has the focus inside the loader's shadow root (the launcher, the close button), if anything."""
    found: str | None = page.evaluate(f"() => {FOCUSED}")
    return found


def wait_for_focus(page: Page, class_name: str) -> None:
    for _ in range(50):  # (wait_for_function would evaluate a string in the page, which its CSP rightly forbids)
        if focused_in_shadow(page) == class_name:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{class_name} never had the focus; {focused_in_shadow(page)} has it")


def events(page: Page) -> list[str]:
    return page.locator("#events li").all_inner_texts()


def test_the_snippet_the_launcher_and_the_panel(
    brand: tuple[BrowserContext, list[str]], servers: Servers, sandbox: Sandbox
) -> None:
    context, _ = brand
    sandbox.configure(accept_delay_seconds=0.3, reply_delay_seconds=0.2)
    page = open_brand_page(context, servers, sandbox)
    launcher = launcher_of(page)
    expect(launcher).to_have_attribute("aria-expanded", "false")
    for _ in range(10):  # the launcher comes after the page's own controls in the tab order
        page.keyboard.press("Tab")
        if focused_in_shadow(page) == "launcher":
            break
    assert focused_in_shadow(page) == "launcher"
    page.keyboard.press("Enter")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    window = chat(page)
    expect(window.get_by_role("status")).to_contain_text("You are chatting with Alex", timeout=WAIT_MS)
    expect(window.get_by_role("textbox", name="Message")).to_be_focused()  # the click started the chat
    assert [chat["state"] for chat in sandbox.state()["chats"]] == ["chatting"]
    window.get_by_role("textbox", name="Message").fill("from the panel")
    window.get_by_role("textbox", name="Message").press("Enter")
    expect(window.get_by_role("log")).to_contain_text('You said: "from the panel"', timeout=WAIT_MS)

    window.get_by_role("textbox", name="Message").press("Escape")  # Escape inside the window closes the panel
    expect(page.get_by_role("dialog", name="Chat with Sandbox Brand")).to_be_hidden()
    wait_for_focus(page, "launcher")  # focus returns where it was
    page.get_by_role("button", name="toggle()").click()
    expect(page.get_by_role("dialog", name="Chat with Sandbox Brand")).to_be_visible()
    page.get_by_role("button", name="Close chat").click()
    expect(page.get_by_role("dialog", name="Chat with Sandbox Brand")).to_be_hidden()
    page.get_by_role("link", name="Chat with us").click()  # the page's own link calls open()
    expect(page.get_by_role("dialog", name="Chat with Sandbox Brand")).to_be_visible()
    assert len(sandbox.state()["chats"]) == 1  # reopening never restarts a chat

    seen = events(page)
    assert seen[:2] == ["open", "ready"], seen
    for expected in ('state {"state":"chatting"}', '"text":"from the panel"', "close", "open"):
        assert any(expected in event for event in seen), (expected, seen)
    assert not any("<" in event for event in seen if event.startswith("line"))  # lines reach the page as text


def test_calls_before_ready_are_replayed_in_order_and_lines_typed_early_arrive_once(
    brand: tuple[BrowserContext, list[str]], servers: Servers, sandbox: Sandbox
) -> None:
    context, _ = brand
    sandbox.configure(agent_mode="console")
    page = open_brand_page(context, servers, sandbox)
    page.get_by_role("button", name='setVisitor({name: "Dana"})').click()  # before the window is ready
    page.get_by_role("button", name="open()").click()
    window = chat(page)
    message = window.get_by_role("textbox", name="Message")
    message.fill("typed while the window starts")  # the shell takes it before Python is ready
    message.press("Enter")
    expect(window.get_by_role("status")).to_contain_text("Waiting for an agent", timeout=WAIT_MS)
    message.fill("typed while waiting")
    message.press("Enter")
    sandbox.play_agent("accept", agentName="Sam")
    log = window.get_by_role("log")
    expect(log.locator(".line--visitor")).to_have_count(2, timeout=WAIT_MS)
    expect(log.locator(".line--visitor .line__delivery").last).to_have_text("Sent", timeout=WAIT_MS)
    (state,) = sandbox.state()["chats"]
    visitor = [event["text"] for event in state["events"] if event.get("source") == "visitor"]
    assert visitor == ["typed while the window starts", "typed while waiting"]  # each once, in order
    assert state["visitorName"] == "Dana"


def test_a_frame_that_is_not_the_page_and_messages_of_a_wrong_shape_are_ignored_both_ways(
    brand: tuple[BrowserContext, list[str]], servers: Servers, sandbox: Sandbox
) -> None:
    """A frame of the brand's own origin that is not the page reaches into the loader's shadow root and renames the
    consumer; a frame of another origin tells the page a line the window never sent; the page itself sends a
    command of no known name, and a visitor that refers to itself."""
    context, _ = brand
    sandbox.configure(accept_delay_seconds=0.2, reply_delay_seconds=0.2)
    warnings: list[str] = []
    context.on("console", lambda msg: warnings.append(msg.text) if msg.type == "warning" else None)
    page = open_brand_page(context, servers, sandbox)
    page.get_by_role("button", name='setVisitor({name: "Dana"})').click()
    page.get_by_role("button", name="open()").click()
    window = chat(page)
    expect(window.get_by_role("log")).to_contain_text("Hi, I'm Alex", timeout=WAIT_MS)
    window_origin = servers.window_url.rstrip("/")
    stranger = window_origin.replace("127.0.0.1", "localhost")  # another origin, on the same machine
    page.evaluate(
        """([stranger]) => Promise.all(["about:blank", stranger + "/static/window.css"].map((src) =>
             new Promise((done) => {
               const frame = document.createElement("iframe");
               frame.src = src;
               frame.onload = done;
               document.body.append(frame);
             })))""",
        [stranger],
    )
    sibling, foreign = page.frames[-2], page.frames[-1]
    sibling.evaluate(  # same origin as the page, so it can reach the chat's iframe; but it is not the page
        """([origin]) => [...parent.document.querySelectorAll("body > div")].find((host) => host.shadowRoot)
             .shadowRoot.querySelector("iframe").contentWindow
             .postMessage({lpcw: 1, type: "command", name: "setVisitor", detail: {name: "Mallory"}}, origin)""",
        [window_origin],
    )
    foreign.evaluate("() => parent.postMessage({lpcw: 1, type: 'line', detail: {text: 'spoof'}}, '*')")
    page.evaluate(  # an unknown command, carrying what must not be echoed; a message that refers to itself
        """([origin]) => {
             const chat = [...document.querySelectorAll("body > div")].find((host) => host.shadowRoot)
               .shadowRoot.querySelector("iframe").contentWindow;
             chat.postMessage({lpcw: 1, type: "command", name: "format-disk", detail: {key: "SECRET-4711"}}, origin);
             const visitor = {name: "SECRET-4712"};
             visitor.self = visitor;
             chat.postMessage({lpcw: 1, type: "command", name: "setVisitor", detail: visitor}, origin);
           }""",
        [window_origin],
    )
    window.get_by_role("textbox", name="Message").fill("who am I?")
    window.get_by_role("textbox", name="Message").press("Enter")
    expect(window.get_by_role("log")).to_contain_text('You said: "who am I?"', timeout=WAIT_MS)
    (state,) = sandbox.state()["chats"]
    assert state["visitorName"] == "Dana"
    assert [event["by"] for event in state["events"] if event.get("source") == "visitor"] == ["Dana"]
    assert not any("spoof" in event for event in events(page))
    assert sum("ignored a message of an unknown shape" in warning for warning in warnings) == 2, warnings
    assert not any("SECRET" in warning for warning in warnings), warnings  # what a page sends is never echoed


def test_a_page_that_opens_the_window_in_a_brands_name_gets_nothing_and_is_not_obeyed(
    brand: tuple[BrowserContext, list[str]], servers: Servers, sandbox: Sandbox
) -> None:
    """Another origin opens the window as a popup, its address naming the brand's page as the host: the window
    neither tells it anything (every message names the brand's origin) nor does what it says."""
    context, _ = brand
    stranger = servers.window_url.rstrip("/").replace("127.0.0.1", "localhost")
    page = context.new_page()
    page.goto(f"{stranger}/static/window.css")
    page.evaluate("() => { window.heard = []; addEventListener('message', (e) => window.heard.push(e.data)); }")
    with page.expect_popup() as opened:
        page.evaluate(
            "([url]) => { window.chat = window.open(url, 'lp-chat-window', 'popup'); }",
            [f"{servers.window_url}?embed=popup&host={servers.sandbox_origin}"],
        )
    popup = opened.value
    popup.wait_for_selector("html[data-ready=true]", state="attached", timeout=WAIT_MS)
    page.evaluate(
        """() => {
             for (const name of ["start", "shown"]) window.chat.postMessage({lpcw: 1, type: "command", name}, "*");
           }"""
    )
    popup.wait_for_timeout(1500)
    assert page.evaluate("() => window.heard") == []
    expect(popup.locator("html")).to_have_attribute("data-state", "idle")
    assert sandbox.state()["chats"] == []


@pytest.mark.parametrize("host", ["*", "https://brand.invalid"])
def test_a_frame_whose_address_names_no_listed_origin_hears_nothing(
    brand: tuple[BrowserContext, list[str]], servers: Servers, sandbox: Sandbox, host: str
) -> None:
    """A page of an origin allowed to frame the window (the sandbox's, where the brand pages are) frames it with an
    address whose `host` is not one origin `embed_origins` lists (a message to "*" would reach any page): the dormant
    window neither tells the page anything (its engagement names the visitor and its session) nor asks App
    Engagement for a visitor, and says why in the console."""
    context, errors = brand
    use_account(context, sandbox.account_id)
    page = context.new_page()
    page.goto(f"{servers.sandbox_origin}/console/console.css")  # that origin, but no loader asking App Engagement
    page.evaluate(
        """([src]) => new Promise((loaded) => {
             window.heard = [];
             const frame = document.createElement("iframe");
             addEventListener("message", (e) => e.source === frame.contentWindow && window.heard.push(e.data));
             frame.onload = loaded;
             frame.src = src;
             document.body.append(frame);
           })""",
        [f"{servers.window_url}?embed=panel&host={quote(host, safe='')}"],
    )
    page.wait_for_timeout(2000)  # what the dormant window would do takes a config.json, CSDS and App Engagement
    assert page.evaluate("() => window.heard") == []
    assert sandbox.state()["engagementSessions"] == []
    assert any("not an origin" in error or "not in embed_origins" in error for error in errors), errors
    errors.clear()  # said on purpose: not a failure of the page


def test_the_popup_mode(brand: tuple[BrowserContext, list[str]], servers: Servers, sandbox: Sandbox) -> None:
    context, _ = brand
    page = open_brand_page(context, servers, sandbox, "?mode=popup")
    with page.expect_popup() as opened:
        launcher_of(page).click()
    popup = opened.value
    expect(popup.get_by_role("status")).to_contain_text("You are chatting with Alex", timeout=WAIT_MS)
    popup.get_by_role("textbox", name="Message").fill("from the popup")
    popup.keyboard.press("Enter")
    expect(popup.get_by_role("log")).to_contain_text('You said: "from the popup"', timeout=WAIT_MS)
    assert any('"text":"from the popup"' in event for event in events(page))


def test_the_snippet_adds_one_global_to_the_page(
    brand: tuple[BrowserContext, list[str]], servers: Servers, sandbox: Sandbox
) -> None:
    """The demo page without its own script (which makes the API's queue itself), once with the snippet and once
    with it blocked: after the launcher is drawn and the panel opened, the page's window has one name more,
    `LPChatWindow` (a frame's index is not a name)."""
    context, _ = brand
    context.route("**/brand/brand.js", lambda route: route.abort())

    def names(page: Page) -> set[str]:
        found: list[str] = page.evaluate("() => Object.getOwnPropertyNames(window)")
        return {name for name in found if not name.isdigit()}

    page = open_brand_page(context, servers, sandbox)
    launcher_of(page).click()
    expect(chat(page).get_by_role("log")).to_be_visible(timeout=WAIT_MS)
    with_snippet = names(page)
    page.close()
    context.route("**/static/loader.js", lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{servers.sandbox_origin}/brand/")
    expect(page.get_by_role("heading", name="Your order, our care")).to_be_visible()
    assert with_snippet - names(page) == {"LPChatWindow"}
