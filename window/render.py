"""The one rendering path for every string the window did not write itself (agent lines and names, system lines,
survey labels and entries, pushed URLs, brand texts): in as text (`textContent`), isolated so a right-to-left string
cannot reorder what is around it, or, for agent lines the API marks `html`, through DOMPurify with an allowlist and
inserted as a DOM fragment, never as markup. Nothing from a server is ever given to `innerHTML`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import js
from pyodide.ffi import jsnull, to_js

# Agent HTML keeps text formatting and links; no images, forms, styles or scripts (nothing that loads or runs).
ALLOWED_TAGS = ["a", "b", "strong", "i", "em", "u", "s", "br", "p", "div", "span", "ul", "ol", "li", "code", "pre"]
ALLOWED_ATTR = ["href", "title"]
SAFE_SCHEMES = ("http", "https")


def found(node: Any) -> bool:
    """Whether a DOM query found something: a miss comes back as JavaScript null (`jsnull`), not None."""
    return node is not None and node is not jsnull


def element(tag: str, class_name: str = "", text: str | None = None, **attributes: str) -> Any:
    """A new element; `text` goes in as text, isolated (`dir="auto"`) when it is not the window's own."""
    node = js.document.createElement(tag)
    if class_name:
        node.className = class_name
    for name, value in attributes.items():
        node.setAttribute(name.replace("_", "-"), value)
    if text is not None:
        node.textContent = text
    return node


def untrusted_text(tag: str, text: str, class_name: str = "") -> Any:
    """A server's string as text, in its own direction: `<bdi>`-like isolation (`dir="auto"`)."""
    node = element(tag, class_name, text)
    node.setAttribute("dir", "auto")
    return node


def sanitised_html(html: str) -> Any:
    """Agent HTML as a DOM fragment of allowed tags; links open apart (see `app.py`). Without the sanitiser (it failed
    to load) the markup stays text."""
    if not hasattr(js, "DOMPurify"):
        return js.document.createTextNode(html)
    options = {"RETURN_DOM_FRAGMENT": True, "ALLOWED_TAGS": ALLOWED_TAGS, "ALLOWED_ATTR": ALLOWED_ATTR}
    return js.DOMPurify.sanitize(html, to_js(options, dict_converter=js.Object.fromEntries))


def safe_url(url: str) -> str | None:
    """The URL if it is an absolute http(s) one; anything else (javascript:, data:, relative) is never a link."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return parts.geturl() if parts.scheme.lower() in SAFE_SCHEMES and parts.netloc else None


def link_card(url: str, title: str) -> Any:
    """A pushed URL as a card: the site's host and the whole address, opening in a new tab, never by itself."""
    safe = safe_url(url)
    if safe is None:
        return untrusted_text("span", url, "link-card link-card--refused")
    card = element("a", "link-card", href=safe, target="_blank", rel="noopener noreferrer")
    card.append(element("span", "link-card__title", title))
    card.append(untrusted_text("span", urlsplit(safe).hostname or safe, "link-card__host"))
    card.append(untrusted_text("span", safe, "link-card__url"))
    return card
