"""The window's words, from gettext catalogs (`window/locales/<language>.po`, compiled to `.mo` by the build): the
code names a key, the catalog of the consumer's language says it, English stands in for anything a catalog lacks,
and a brand's own texts (configuration) win over both.

Which language: the configuration's or the launch data's, else the engagement's, else the browser's first one the
window speaks (`choose`). Hebrew and Arabic lay the window out right to left (`direction`).
"""

from __future__ import annotations

import gettext
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from string import Formatter
from typing import Literal

log = logging.getLogger(__name__)
CATALOGS = Path(__file__).parent / "locales"
LANGUAGES = ("en", "es", "de", "fr", "he", "ar")
DEFAULT = "en"
RIGHT_TO_LEFT = frozenset({"he", "ar"})

_active: gettext.NullTranslations | None = None
_language = DEFAULT
_own: dict[str, str] = {}  # the brand's texts for this language, by key


def _catalog(language: str) -> gettext.GNUTranslations:
    with (CATALOGS / f"{language}.mo").open("rb") as compiled:
        return gettext.GNUTranslations(compiled)


def use(language: str, own: Mapping[str, str] | None = None) -> None:
    """Speak `language` (one of LANGUAGES) from now on, with the brand's own texts for it."""
    global _active, _language, _own
    english = _catalog(DEFAULT)
    catalog = _catalog(language) if language != DEFAULT else english
    if catalog is not english:
        catalog.add_fallback(english)
    _active, _language, _own = catalog, language, {}
    _own = {key: value for key, value in (own or {}).items() if _fits(key, value, english)}


def _fits(key: str, value: str, english: gettext.GNUTranslations) -> bool:
    """A brand's text replaces one of the window's, with no placeholder the window does not fill in."""
    if key not in _keys(english):
        log.warning("texts: %r is not one of the window's texts (window/locales/en.po); ignored", key)
        return False
    try:
        names = {name for _, name, _, _ in Formatter().parse(value) if name}
    except ValueError:
        names = {"?"}
    if not names <= {name for _, name, _, _ in Formatter().parse(english.gettext(key)) if name}:
        log.warning("texts: %r has placeholders the window does not fill in (%s); ignored", key, ", ".join(names))
        return False
    return True


def _translations() -> gettext.NullTranslations:
    if _active is None:
        use(DEFAULT)
    assert _active is not None
    return _active


def language() -> str:
    return _language


def text(key: str, **values: str) -> str:
    return (_own.get(key) or _translations().gettext(key)).format(**values)


def plural(key: str, count: int, **values: str) -> str:
    """A string whose words follow a number (`{count}`, or a placeholder in `values`), by the language's rules."""
    return _translations().ngettext(key, f"{key}_plural", count).format(count=str(count), **values)


def keys() -> set[str]:
    """Every key the English catalog has (a brand's texts must use these)."""
    return _keys(_catalog(DEFAULT))


def _keys(catalog: gettext.GNUTranslations) -> set[str]:
    # gettext has no public way to list a catalog; its mapping is `_catalog` (msgid, or (msgid, form) for plurals).
    found = catalog._catalog  # type: ignore[attr-defined]
    return {key if isinstance(key, str) else key[0] for key in found if key and key != ("", 0)}


def choose(configured: str | None, engagement: str | None, browser: Iterable[str]) -> str:
    """The language to speak: the first of these the window has a catalog for (by primary subtag: `he-IL` → `he`)."""
    for tag in (configured, engagement, *browser):
        primary = (tag or "").replace("_", "-").split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT


def direction(language: str) -> Literal["rtl", "ltr"]:
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def wait_phrase(seconds: int) -> str:
    if seconds <= 0:
        return text("wait_now")
    if seconds < 60:
        return text("wait_minute")
    minutes = round(seconds / 60)
    return plural("wait_minutes", minutes, minutes=str(minutes))
