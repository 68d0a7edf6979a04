"""The brand's look from its configuration (`theme`): each value set as one of the stylesheet's custom properties,
through the CSSOM (never as markup), if the browser takes it for what it is (a colour, a length, a font list); a value
it does not take is reported in the console and ignored. Then the colours that meet are checked for contrast (WCAG
AA), and a pair that fails is reported: the brand's choice stands, the site owner is told. Loaded only when a theme
is configured."""

from __future__ import annotations

import logging

import js

from window.config import Theme
from window.contrast import AA_TEXT, parse, ratio

log = logging.getLogger(__name__)

# Theme field → (custom property, what the browser must take it as).
PROPERTIES = {
    "accent": ("--chat-accent", "color"),
    "accent_text": ("--chat-accent-text", "color"),
    "background": ("--chat-bg", "color"),
    "text": ("--chat-text", "color"),
    "muted": ("--chat-muted", "color"),
    "agent_bubble": ("--chat-agent-bg", "color"),
    "visitor_bubble": ("--chat-visitor-bg", "color"),
    "border": ("--chat-border", "color"),
    "error": ("--chat-error", "color"),
    "focus": ("--chat-focus", "color"),
    "radius": ("--chat-radius", "border-radius"),
    "font": ("--chat-font", "font-family"),
}
# The colours text is read on: (text, background, where).
READ_ON = (
    ("--chat-accent-text", "--chat-accent", "buttons and the header"),
    ("--chat-text", "--chat-bg", "the window's text"),
    ("--chat-muted", "--chat-bg", "times and the status line"),
    ("--chat-error", "--chat-bg", "error messages"),
    ("--chat-text", "--chat-agent-bg", "the agent's lines"),
    ("--chat-text", "--chat-visitor-bg", "the consumer's lines"),
)


def apply(theme: Theme) -> None:
    style = js.document.documentElement.style
    for field, (prop, kind) in PROPERTIES.items():
        value = getattr(theme, field)
        if value is None:
            continue
        if js.CSS.supports(kind, value):
            style.setProperty(prop, value)
        else:
            log.warning("theme.%s: %r is not a CSS %s; the window's own is kept", field, value, kind)
    for text, background, where in READ_ON:
        fore, back = colour(text), colour(background)
        if fore is not None and back is not None and (contrast := ratio(fore, back)) < AA_TEXT:
            log.warning("theme: %s have a contrast of %.1f:1, under WCAG AA's %.1f:1", where, contrast, AA_TEXT)


def colour(prop: str) -> tuple[float, float, float] | None:
    """A custom property's colour as the browser resolves it (a canvas serialises any colour it takes)."""
    value = str(js.getComputedStyle(js.document.documentElement).getPropertyValue(prop)).strip()
    context = js.document.createElement("canvas").getContext("2d")
    context.fillStyle = value
    return parse(str(context.fillStyle))
