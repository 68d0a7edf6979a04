"""The message catalogs: every key the code names is in the English catalog; every language has every key, with the
same placeholders and as many plural forms as its grammar has; the language is chosen as the README says."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from window import strings
from window.state import ChatState, Phase, notice_for
from window.strings import LANGUAGES, choose, direction, plural, text, use, wait_phrase

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "window" / "locales"


def catalog(language: str) -> Catalog:
    with (CATALOGS / f"{language}.po").open("rb") as source:
        return read_po(source, locale=language)


def forms(string: object) -> list[str]:
    """A message's one string, or its plural forms."""
    return [str(form) for form in string] if isinstance(string, (tuple, list)) else [str(string or "")]


def placeholders(value: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(value) if name}


@pytest.fixture(autouse=True)
def english() -> None:
    use("en")


def test_wait_estimates_read_naturally() -> None:
    assert wait_phrase(0) == "any moment now"
    assert wait_phrase(45) == "less than a minute"
    assert wait_phrase(70) == "about 1 minute"
    assert wait_phrase(150) == "about 2 minutes"
    assert text("waiting_eta", wait=wait_phrase(150)).startswith("Waiting for an agent: about 2 minutes.")


def test_every_notice_the_window_can_show_is_in_the_catalog() -> None:
    code = "".join((ROOT / "window" / name).read_text() for name in ("state.py", "session.py", "app.py", "view.py"))
    literals = set(re.findall(r'notice="([a-z_]+)"', code)) | set(re.findall(r'Phase\.[A-Z]+, "([a-z_]+)"\)', code))
    literals |= set(re.findall(r'(?:show_fatal\(|return )"([a-z_]+)"', code))
    assert {
        "still_reconnecting",
        "gone",
        "reconnecting",
        "resuming",
        "error_config",
        "ended",
        "chatting",
        "waiting_eta",
    } <= literals
    assert literals <= strings.keys(), literals - strings.keys()
    notices = {notice_for(ChatState(phase=phase)) for phase in Phase}
    assert notices <= strings.keys(), notices - strings.keys()


def test_every_key_the_code_names_is_in_the_catalog() -> None:
    code = "".join(path.read_text() for path in (ROOT / "window").rglob("*.py"))
    named = set(re.findall(r'\btext\(\s*"([a-z_]+)"', code)) | set(re.findall(r'\bplural\(\s*"([a-z_]+)"', code))
    named |= set(re.findall(r'"((?:signin|line|field|form|wait)_[a-z]+(?:_[a-z]+)*)"', code))
    assert len(named) > 50
    assert named <= strings.keys(), named - strings.keys()


@pytest.mark.parametrize("language", [language for language in LANGUAGES if language != "en"])
def test_each_language_says_everything_english_does(language: str) -> None:
    source, translated = catalog("en"), catalog(language)
    assert translated.num_plurals == Catalog(locale=language).num_plurals  # the header has the language's rule
    for message in source:
        if not message.id:
            continue
        other = translated.get(message.id)
        assert other is not None, f"{language}: {message.id} is missing"
        assert not other.fuzzy, f"{language}: {message.id} is fuzzy"
        english = placeholders(forms(message.string)[-1])
        translations = forms(other.string)
        assert all(translations), f"{language}: {message.id} is not translated"
        if isinstance(message.id, tuple):  # each form may leave the number out (Arabic's "two minutes" has none)
            assert len(translations) == translated.num_plurals, f"{language}: {message.id} forms"
            assert all(placeholders(form) <= english for form in translations), f"{language}: {message.id}"
        else:
            assert placeholders(translations[0]) == english, f"{language}: {message.id} changes the placeholders"


def test_the_language_is_the_configurations_else_the_engagements_else_the_browsers() -> None:
    assert choose("de", "es-ES", ["fr-FR"]) == "de"
    assert choose(None, "es-ES", ["fr-FR"]) == "es"
    assert choose(None, None, ["it-IT", "he-IL", "fr"]) == "he"  # the browser's first the window speaks
    assert choose(None, "pt_BR", ["xx"]) == "en"
    assert (direction("he"), direction("ar"), direction("fr")) == ("rtl", "rtl", "ltr")


def test_plurals_follow_each_languages_rules() -> None:
    use("ar")
    forms = {count: plural("wait_minutes", count, minutes=str(count)) for count in (1, 2, 3, 11, 100)}
    assert len(set(forms.values())) == 5  # Arabic: one, two, few, many, other
    use("de")
    assert wait_phrase(150) != wait_phrase(70)


def test_a_missing_translation_falls_back_to_english_and_a_brands_text_wins() -> None:
    use("fr", {"ready": "Une question ? Écrivez-nous."})
    assert text("ready") == "Une question ? Écrivez-nous."
    assert text("send") != "Send"  # French
    use("fr")
    assert text("ready") != "Une question ? Écrivez-nous."


def test_a_brands_text_for_no_such_key_or_with_a_foreign_placeholder_is_ignored(
    caplog: pytest.LogCaptureFixture,
) -> None:
    use("en", {"no_such": "x", "chatting": "Chatting with {agent} about {secret}", "ready": "Hi, {agent}"})
    assert text("chatting", agent="Sam") == "You are chatting with Sam."
    assert text("ready") == "Have a question? Start a chat and an agent will answer you here."
    assert [record.getMessage().split(":")[1].split()[0] for record in caplog.records] == [
        "'no_such'",
        "'chatting'",
        "'ready'",
    ]
