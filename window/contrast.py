"""WCAG 2 contrast between two colours, as the browser serialises them (`#rrggbb`, `rgb(…)`, `rgba(…)`): what the
window checks a brand's colours with at start-up (window/theme.py). Pure, so it is tested under CPython."""

from __future__ import annotations

import re

AA_TEXT = 4.5  # WCAG 2.x AA for normal text
RGB = tuple[float, float, float]
_FUNCTION = re.compile(r"^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$")


def parse(serialised: str) -> RGB | None:
    """An opaque colour's red, green, blue (0 to 255), or None: not one of these forms, or not opaque (its contrast
    depends on what is behind it)."""
    value = serialised.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{6}", value):
        return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))
    match = _FUNCTION.match(value)
    if match is None:
        return None
    alpha = match.group(4)
    if alpha is not None and float(alpha.rstrip("%")) < (100 if alpha.endswith("%") else 1):
        return None
    return (float(match.group(1)), float(match.group(2)), float(match.group(3)))


def luminance(colour: RGB) -> float:
    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(channel) for channel in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(one: RGB, other: RGB) -> float:
    """From 1 (no contrast) to 21 (black on white)."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
