"""Whatever an agent (or LivePerson's servers) sends, the window shows it inert, through its one rendering path
(window/render.py): an XSS corpus (xss_vectors.txt) goes through every path a server's string takes into the window,
end to end through the real sandbox, and the window runs nothing, keeps no dangerous node or attribute, and fetches
nothing from beyond its own origin and the sandbox's. Bidirectional controls reorder nothing outside their string.

The corpus runs in a context without the window's CSP (`bypass_csp`), so what stops a vector is the rendering path,
not the policy: anything that ran would call the trap. The same chat is then replayed (a reload, as a consumer's)
under the real CSP, where parsing it must not make the browser report a single violation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from tests.servers import Servers
from window.bidi import bare_name, bare_text

from .conftest import READY_TIMEOUT_MS, Sandbox, Traffic, check_pages, check_traffic, use_account

WAIT_MS = 20_000
CHARACTERS = {
    "TAB": "\t",
    "LF": "\n",
    "CR": "\r",
    "FF": "\f",
    "VT": "\v",
    "NUL": "\0",
    "SOH": "\x01",
    "ETX": "\x03",
    "NBSP": "\xa0",
    "LS": "\u2028",
    "PS": "\u2029",
    "ZWSP": "\u200b",
    "IDSP": "\u3000",
}


def load_corpus(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    vectors = [line for line in lines if line and not line.startswith("#")]
    return [re.sub(r"\{([A-Z]+)\}", lambda m: CHARACTERS.get(m[1], m[0]), vector) for vector in vectors]


VECTORS = load_corpus(Path(__file__).with_name("xss_vectors.txt"))
NAMES = 12  # the agent's names: the corpus in this many parts, one per transfer (each waits for the window)
CHAT_KEY = "lp-chat-window:chat"  # window/app.py: the chat a reload resumes
# The console pushes only http(s) pages (as LivePerson's does); the window must not trust LivePerson either, so the
# chat's replies are rewritten on their way to it, each marker becoming a vector, in every spelling.
MARKER = re.compile(r'"https://xss\.invalid/vector/(\d+)"')
CHAT_RESOURCE = re.compile(r"/api/account/[^/]+/chat/")

# Defined before any script of the page: what a vector would call if it ran. Also in the sanitiser's frame.
TRAP = """(() => {
  const calls = [];
  Object.defineProperty(window, "trapped", { value: calls });
  for (const name of ["trap", "alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { calls.push(`${name}(${args.join(", ")})`); };
  }
})();"""

# Every element that came after the window was ready, checked: (what, where) for each offence.
OFFENCES = """() => {
  const FORBIDDEN = new Set(["SCRIPT", "IFRAME", "FRAME", "FRAMESET", "OBJECT", "EMBED", "APPLET", "BASE", "META",
    "LINK", "STYLE", "TEMPLATE", "NOSCRIPT", "SVG", "MATH", "IMG", "IMAGE", "VIDEO", "AUDIO", "SOURCE", "PORTAL",
    "XMP", "NOEMBED", "NOFRAMES", "PLAINTEXT", "MARQUEE", "ISINDEX", "KEYGEN", "BGSOUND", "LISTING", "DETAILS"]);
  const CONTROLS = new Set(["FORM", "INPUT", "BUTTON", "SELECT", "OPTION", "OPTGROUP", "TEXTAREA", "FIELDSET",
    "LEGEND", "LABEL", "OUTPUT", "DATALIST"]);
  const FORMATTING = new Set(["A", "B", "STRONG", "I", "EM", "U", "S", "BR", "P", "DIV", "SPAN", "UL", "OL", "LI",
    "CODE", "PRE"]);
  const URLS = ["href", "src", "action", "formaction", "xlink:href", "poster", "background", "data", "codebase",
    "lowsrc", "dynsrc", "ping", "cite", "srcset"];
  const blank = /[\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u180e\\u2000-\\u2029\\u205f\\u3000]/g;
  const scripted = (value) => /^(javascript|data|vbscript):/i.test(value.replace(blank, ""));
  const offences = [];
  const offend = (what, el) => offences.push([what, el.outerHTML.slice(0, 160)]);
  for (const el of document.querySelectorAll("*")) {
    if (window.baseline.has(el)) continue;
    const tag = el.tagName.toUpperCase();
    if (FORBIDDEN.has(tag)) offend(`a ${tag} element`, el);
    for (const { name, value } of el.attributes) {
      if (/^on/i.test(name)) offend(`an ${name} attribute`, el);
      if (["style", "srcdoc", "formaction"].includes(name)) offend(`a ${name} attribute`, el);
      if (URLS.includes(name) && scripted(value)) offend(`a ${name} to run script`, el);
    }
    const agentHtml = el.parentElement?.closest(".line--agent .line__text:not(.line__text--card)");
    if (agentHtml) {  // below an agent's HTML line: formatting and links, nothing else
      if (!FORMATTING.has(tag)) offend(`a ${tag} in an agent's line`, el);
      for (const { name, value } of el.attributes) {
        if (!["href", "title"].includes(name)) offend(`a ${name} attribute in an agent's line`, el);
        if (name === "href" && !/^(https?:\\/\\/|mailto:|tel:)/i.test(value)) offend(`a link to ${value}`, el);
      }
    }
    const holder = el.parentElement?.closest("#agent, #status, #typing, .line__by, .link-card__host, " +
      ".link-card__url, .link-card--refused, .survey__header, option, .survey__choice label");
    if (holder && !(tag === "BDI" && el.children.length === 0)) offend(`a ${tag} inside a server's text`, el);
    const label = el.parentElement?.closest(".survey__label");
    if (label && !el.closest(".survey__required")) offend(`a ${tag} inside a survey's label`, el);
    if (CONTROLS.has(tag) && !el.closest("#panel, .line > .line__more, .line > .line__retry")) {
      offend(`a ${tag} outside the window's own forms`, el);
    }
    if (el.closest(".line") && (el.id || el.getAttribute("name"))) offend("an id or name in a line", el);
  }
  if (document.querySelector("base")) offences.push(["a base element", ""]);
  return offences;
}"""

# The characters of the window's own words in #status or #typing (its text nodes, not the name's <bdi>), with where
# each is drawn, and the box of each name: a bidi control that escaped its string would move them.
DRAWN = """(id) => {
  const box = (range) => { const r = range.getBoundingClientRect(); return [Math.round(r.top), r.left, r.right]; };
  const parts = [];
  for (const node of document.getElementById(id).childNodes) {
    const range = document.createRange();
    if (node.nodeType === Node.TEXT_NODE) {
      for (let i = 0; i < node.length; i++) {
        if (!node.data[i].trim()) continue;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        parts.push(["own", node.data[i], ...box(range)]);
      }
    } else {
      range.selectNodeContents(node);
      parts.push(["name", node.textContent, ...box(range)]);
    }
  }
  return parts;
}"""


class AgentConsole:
    """The agent, on this test's one chat, through the agent console's own API (one connection, one chat id)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._client = httpx.Client(timeout=10)
        self._sandbox = sandbox
        self._url = ""

    def __call__(self, action: str, **body: object) -> None:
        if not self._url:
            chat_id = self._sandbox.state()["chats"][0]["chatId"]
            self._url = f"{self._sandbox.origin}/console/api/accounts/{self._sandbox.account_id}/chats/{chat_id}"
        self._client.post(f"{self._url}/{action}", json=body).raise_for_status()

    def close(self) -> None:
        self._client.close()


@pytest.fixture
def agent(sandbox: Sandbox) -> Iterator[AgentConsole]:
    console = AgentConsole(sandbox)
    yield console
    console.close()


Opener = Callable[..., Page]


@pytest.fixture
def hostile_window(browser: Browser, servers: Servers, sandbox: Sandbox, traffic: Traffic) -> Iterator[Opener]:
    """Opens the window on this test's account, polling every 0.5 s, with the trap set, pushed URLs rewritten into
    vectors, and (`stored_chat`) a chat to resume; afterwards, as every e2e window: no Python error in the page, no
    request beyond the window's and the sandbox's origins, no CSP report."""
    contexts = []
    opened: list[str] = []

    def opener(*, bypass_csp: bool, stored_chat: str | None = None) -> Page:
        context = browser.new_context(bypass_csp=bypass_csp)
        contexts.append(context)
        context.add_init_script(TRAP)
        if stored_chat is not None:  # as if this tab had the chat already: a reload resumes it
            context.add_init_script(
                f"sessionStorage.getItem('{CHAT_KEY}') ?? "
                f"sessionStorage.setItem('{CHAT_KEY}', {json.dumps(stored_chat)});"
            )
        context.on("request", lambda request: traffic.requests.append(request.url))
        context.on("console", lambda msg: traffic.console_errors.append(msg.text) if msg.type == "error" else None)
        context.on("page", lambda page: opened.append(page.url))
        context.route(CHAT_RESOURCE, pushed_urls_as_vectors)
        use_account(context, sandbox.account_id, poll_interval_seconds=0.5)
        page = context.new_page()
        traffic.pages.append(page)
        page.goto(servers.window_url)
        page.wait_for_selector("html[data-ready=true]", timeout=READY_TIMEOUT_MS, state="attached")
        page.evaluate("() => { window.baseline = new WeakSet(document.querySelectorAll('*')); }")
        return page

    yield opener
    check_pages(traffic)
    for context in contexts:
        context.close()
    provider = servers.url_of("OpenID provider").rstrip("/")
    check_traffic(traffic, servers.origins - {provider})  # the window's origin and the sandbox's hosts only
    assert len(opened) == len(contexts), f"a page or popup was opened: {opened}"


def pushed_urls_as_vectors(route: Route) -> None:
    if route.request.method != "GET":
        route.fallback()
        return
    response = route.fetch()
    route.fulfill(response=response, body=MARKER.sub(lambda m: json.dumps(VECTORS[int(m[1])]), response.text()))


def corpus_survey(survey_id: int) -> dict[str, Any]:
    """A survey whose header, labels, entries and prefilled answers are the corpus (a question of each kind in turn,
    none mandatory, so it can be sent unanswered)."""
    kinds = ["Text Field", "Text Area", "Dropdown Box", "Radio Button", "Radio Button (side by side)", "Checkbox"]
    questions = []
    for index, vector in enumerate(VECTORS):
        kind = kinds[index % len(kinds)]
        question: dict[str, Any] = {
            "id": index + 1,
            "type": kind,
            "logicId": index + 1,
            "order": index,
            "label": vector,
        }
        if kind in ("Text Field", "Text Area"):
            question["lastKnownValue"] = vector[:1000]
        else:
            question["entry"] = [{"value": vector, "displayValue": vector}]
        questions.append(question)
    return {"id": survey_id, "header": "\n".join(VECTORS), "questions": questions}


def shows_corpus(form: Locator) -> None:
    """The survey says each vector as text, exactly (less its overrides), where the server put it."""
    expect(form.locator(".survey__header")).to_have_count(1, timeout=WAIT_MS)
    texts: dict[str, list[str]] = form.evaluate(
        """(form) => ({
             header: [form.querySelector(".survey__header").textContent],
             labels: [...form.querySelectorAll(".survey__label")].map((label) => label.textContent),
             entries: [...form.querySelectorAll("option:not([value='']), .survey__choice label")]
               .map((entry) => entry.textContent),
           })"""
    )
    assert texts["header"] == [bare_text("\n".join(VECTORS))]
    assert texts["labels"] == [bare_text(vector) for vector in VECTORS]
    selections = [bare_text(vector) for index, vector in enumerate(VECTORS) if index % 6 >= 2]
    assert texts["entries"] == selections


def inert(page: Page) -> None:
    assert page.evaluate("() => window.trapped") == [], "a vector ran"
    assert page.evaluate(OFFENCES) == []


def test_the_corpus_is_inert_on_every_path(hostile_window: Opener, sandbox: Sandbox, agent: AgentConsole) -> None:
    assert len(VECTORS) >= 100
    sandbox.configure(
        agent_mode="console",
        available=False,
        offline_survey=corpus_survey(1),
        prechat_survey=corpus_survey(2),
        exit_survey=corpus_survey(3),
    )
    page = hostile_window(bypass_csp=True)
    status = page.get_by_role("status")
    page.get_by_role("button", name="Chat now").click()  # nobody there: the offline survey
    shows_corpus(page.locator(".screen--offline form.survey"))
    sandbox.configure(available=True)
    page.get_by_role("button", name="Chat now").click()  # the pre-chat survey
    prechat = page.locator(".screen--prechat form.survey")
    shows_corpus(prechat)
    prechat.get_by_role("button", name="Start chat").click()
    expect(status).to_contain_text("Waiting for an agent", timeout=WAIT_MS)

    size = -(-len(VECTORS) // NAMES)
    parts = [list(enumerate(VECTORS))[start : start + size] for start in range(0, len(VECTORS), size)]
    for number, part in enumerate(parts):
        name = " ".join(vector for _, vector in part)  # in the header, the status, each label, the transfer line
        agent("accept" if number == 0 else "transfer", agentName=name)
        for index, vector in part:
            agent("lines", text=vector, html=True)
            agent("lines", text=vector, html=False)
            agent("url", url=f"https://xss.invalid/vector/{index}")
        agent("typing", typing=True)
        expect(page.locator("#agent")).to_have_attribute("title", bare_name(name), timeout=WAIT_MS)
        expect(page.locator("#typing")).to_be_visible(timeout=WAIT_MS)
        agent("typing", typing=False)
    agent("end")
    exit_survey = page.locator(".screen--postchat form.survey")
    shows_corpus(exit_survey)
    expect(page.locator(".line--agent")).to_have_count(3 * len(VECTORS))
    expect(page.locator(".line--system", has_text="transferred to")).to_have_count(len(parts) - 1)
    plain = page.locator(".line--agent .line__text").evaluate_all("(lines) => lines.map((line) => line.textContent)")
    assert plain[1::3] == [bare_text(vector) for vector in VECTORS]  # a plain line is its text, exactly
    cards = page.locator(".line--agent .line__text--card > *")
    assert cards.evaluate_all(
        "(cards) => cards.every((card) => card.matches('a.link-card[href^=\"http\"], span.link-card--refused'))"
    )
    inert(page)

    replay = hostile_window(bypass_csp=False, stored_chat=page.evaluate(f"() => sessionStorage.getItem('{CHAT_KEY}')"))
    expect(replay.locator(".line--agent")).to_have_count(3 * len(VECTORS), timeout=WAIT_MS)
    shows_corpus(replay.locator(".screen--postchat form.survey"))
    inert(replay)


def reads_in_order(page: Page, region: str) -> None:
    """The window's own characters in `region` are drawn in the order they are written (line by line, left to
    right), and each name sits between the words before and after it."""
    parts = page.evaluate(DRAWN, region)
    own = [(top, left) for kind, _, top, left, _ in parts if kind == "own"]
    assert own == sorted(own), parts
    for before, name, after in zip(parts, parts[1:], parts[2:], strict=False):
        if name[0] == "name" and before[2] == name[2] == after[2]:
            assert before[4] <= name[3] + 1 and name[4] <= after[3] + 1, parts


RLO, RLE, RLI, PDF = "\u202e", "\u202b", "\u2067", "\u202c"


def test_bidi_controls_reorder_nothing_outside_their_string(
    hostile_window: Opener, sandbox: Sandbox, agent: AgentConsole
) -> None:
    sandbox.configure(agent_mode="console")
    page = hostile_window(bypass_csp=False)
    page.get_by_role("button", name="Chat now").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting for an agent", timeout=WAIT_MS)
    agent("accept", agentName=f"{RLO}Sam{RLE}")
    agent("lines", text=f"Your file: invoice_{RLO}fdp.exe", html=False)
    agent("lines", text=f"<b>Your file</b>: invoice_{RLO}fdp.exe", html=True)
    agent("lines", text=f"Mixed: {RLE}שלום world{PDF} and {RLI}עולם", html=False)
    agent("typing", typing=True)
    status = page.get_by_role("status")
    expect(status).to_have_text("You are chatting with Sam.", timeout=WAIT_MS)
    expect(page.locator("#typing")).to_have_text("Sam is typing…", timeout=WAIT_MS)
    expect(page.locator("#agent")).to_have_text("Sam")
    reads_in_order(page, "status")
    reads_in_order(page, "typing")
    lines = page.locator(".line--agent")
    expect(lines).to_have_count(3, timeout=WAIT_MS)
    expect(lines.locator(".line__by")).to_have_text(["Sam"] * 3)
    expect(lines.nth(0).locator(".line__text")).to_have_text("Your file: invoice_fdp.exe")  # not "…exe.pdf"
    expect(lines.nth(1).locator(".line__text")).to_have_text("Your file: invoice_fdp.exe")
    assert lines.nth(2).locator(".line__text").text_content() == f"Mixed: {RLE}שלום world{PDF} and {RLI}עולם"
    for line in range(2):  # drawn as written: each letter right of the one before
        drawn = (
            lines.nth(line)
            .locator(".line__text")
            .evaluate(
                """(text) => {
                 const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
                 const lefts = [];
                 for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                   for (let i = 0; i < node.length; i++) {
                     const range = document.createRange();
                     range.setStart(node, i);
                     range.setEnd(node, i + 1);
                     if (node.data[i].trim()) lefts.push(range.getBoundingClientRect().left);
                   }
                 }
                 return lefts;
               }"""
            )
        )
        assert drawn == sorted(drawn)
    # The transfer line names the next agent as the server wrote it, less the override: the window's words stay put.
    agent("transfer", agentName=f"Lee{RLO}")
    expect(page.locator(".line--system .line__text").last).to_have_text(
        "The chat has been transferred to Lee.", timeout=WAIT_MS
    )
    expect(status).to_have_text("You are chatting with Lee.", timeout=WAIT_MS)
    reads_in_order(page, "status")
    inert(page)
