"""The one rendering path for every string the window did not write itself (agent lines and names, system and
transfer lines, survey headers, labels and entries, pushed URLs, the brand's texts): in as text (`textContent`),
isolated (`dir="auto"`, `<bdi>`) so a right-to-left string cannot reorder what is around it, its bidirectional
overrides taken out (`bidi.py`); agent lines the API marks `html` go through DOMPurify with an allowlist and come in
as a DOM fragment. Nothing from a server is ever parsed as markup in the page.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import js
from pyodide.ffi import JsException, jsnull, to_js

from window.bidi import bare_name, bare_text
from window.strings import text

# Agent HTML keeps text formatting and links; no images, forms, styles or scripts (nothing that loads or runs), and
# no aria-* or data-* attribute (an agent must not hide its text from a screen reader, or label it otherwise).
ALLOWED_TAGS = ["a", "b", "strong", "i", "em", "u", "s", "br", "p", "div", "span", "ul", "ol", "li", "code", "pre"]
ALLOWED_ATTR = ["href", "title"]
LINKS = r"^(?:https?://|mailto:|tel:)"  # an agent's link: a web address, an email address or a phone number
WEB = ("http:", "https:")  # a pushed URL
SLOT = "\x00"  # where a name goes in a sentence of the catalog, while the sentence is cut around it


def found(node: Any) -> bool:
    """Whether a DOM query found something: a miss comes back as JavaScript null (`jsnull`), not None."""
    return node is not None and node is not jsnull


def element(tag: str, class_name: str = "", text: str | None = None, **attributes: str) -> Any:
    """A new element of the window's own; `text` goes in as text."""
    node = js.document.createElement(tag)
    if class_name:
        node.className = class_name
    for name, value in attributes.items():
        node.setAttribute(name.replace("_", "-"), value)
    if text is not None:
        node.textContent = text
    return node


def untrusted_text(tag: str, text: str, class_name: str = "") -> Any:
    """A server's text (a line, a label, an address) as text, in its own direction, without overrides."""
    node = element(tag, class_name, bare_text(text))
    node.setAttribute("dir", "auto")
    return node


def untrusted_name(tag: str, name: str, class_name: str = "") -> Any:
    """A server's name (an agent's, a line's label) as text, in its own direction, without any bidi control."""
    node = element(tag, class_name, bare_name(name))
    node.setAttribute("dir", "auto")
    return node


def put_name(node: Any, name: str) -> None:
    """A name as the whole content of `node` (the header's agent), isolated; the tooltip says it whole."""
    shown = bare_name(name)
    if node.textContent != shown:
        node.replaceChildren(*([untrusted_name("bdi", shown)] if shown else []))
        node.title = shown


def put_sentence(node: Any, key: str, agent: str, **values: str) -> None:
    """The catalog's sentence `key` as the content of `node`, the agent's name in a `<bdi>` of its own: whatever the
    name holds, the window's words stay where they are. Unchanged text is not rewritten (a live region would say it
    again)."""
    name = bare_name(agent) or text("agent")
    parts = text(key, agent=SLOT, **values).split(SLOT)
    if node.textContent == name.join(parts):
        return
    children: list[Any] = [parts[0]]
    for part in parts[1:]:
        children += [untrusted_name("bdi", name), part]
    node.replaceChildren(*children)


def sanitised_html(html: str) -> Any:
    """Agent HTML as a DOM fragment of allowed tags, made in this page (links open apart, see `app.py`); without
    the sanitiser (it failed to load) the markup stays text."""
    purify = purifier() if hasattr(js, "DOMPurify") else None
    if purify is None:
        return js.document.createTextNode(bare_text(html))
    clean = purify.sanitize(bare_text(html))  # null when nothing is left of the document (a <frameset> took it)
    return js.document.importNode(clean, True) if found(clean) else js.document.createDocumentFragment()


@cache
def purifier() -> Any | None:
    """DOMPurify, configured, parsing where nothing can run or report.

    In Chromium every document the page makes (DOMParser's, a template's, so DOMPurify's) is under the page's CSP,
    which reports an `on*=` attribute or a `<style>` as a violation as soon as it is parsed, though nothing runs:
    the site owner's CSP reports would fill with false alarms. The window of a frame taken out of the page has no
    execution context, so its parser checks no policy; DOMPurify takes the window it works in, and only the
    sanitised fragment comes into the page. A browser that cannot sanitise there (tried once) uses the page's."""
    frame = js.document.createElement("iframe")
    js.document.body.append(frame)
    detached = js.DOMPurify(frame.contentWindow)
    frame.remove()
    options = {
        "ALLOWED_TAGS": ALLOWED_TAGS,
        "ALLOWED_ATTR": ALLOWED_ATTR,
        "ALLOW_ARIA_ATTR": False,
        "ALLOW_DATA_ATTR": False,
        "ALLOWED_URI_REGEXP": js.RegExp.new(LINKS, "i"),
        "RETURN_DOM_FRAGMENT": True,
    }
    for purify in (detached, js.DOMPurify):
        if purify.isSupported:
            purify.setConfig(to_js(options, dict_converter=js.Object.fromEntries))
            if sanitises(purify):
                return purify
    return None


def sanitises(purify: Any) -> bool:
    """Whether `purify` works where it was made (a browser may not let a detached window parse)."""
    try:
        fragment = purify.sanitize("<b>ok</b>")
        return bool(fragment.childNodes.length == 1 and fragment.firstChild.nodeName == "B")
    except JsException:
        return False


def web_address(url: str) -> Any | None:
    """`url` as the browser reads it (so, exactly what a link to it opens), if it is an absolute http(s) address."""
    try:
        address = js.URL.new(url)
    except JsException:
        return None
    return address if address.protocol in WEB and address.hostname else None


def link_card(url: str, title: str) -> Any:
    """A pushed URL as a card: the site's host and the whole address as the browser reads them (an international
    host in its ASCII form, so no look-alike), opening in a new tab, never by itself; anything else is only text."""
    address = web_address(url)
    if address is None:
        return untrusted_text("span", url, "link-card link-card--refused")
    card = element("a", "link-card", href=address.href, target="_blank", rel="noopener noreferrer")
    card.append(element("span", "link-card__title", title))
    card.append(untrusted_text("span", address.host, "link-card__host"))
    card.append(untrusted_text("span", address.href, "link-card__url"))
    return card
