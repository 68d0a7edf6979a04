"""One rendering path: no code of the window parses a string as markup, and only window/render.py sanitises (the
e2e corpus, tests/e2e/test_xss.py, checks what that path does with hostile strings)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted((ROOT / "window").rglob("*.py")),
    *(ROOT / "static" / name for name in ("boot.js", "engage.js", "loader.js", "signin.js")),
]
# Every way a page turns a string into nodes or script.
MARKUP_SINKS = re.compile(
    r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|setHTMLUnsafe|parseHTMLUnsafe"
    r"|parseFromString|srcdoc|\beval\(|new Function|setTimeout\(\s*['\"`]"
)


def test_no_string_is_ever_parsed_as_markup() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in SOURCES
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if MARKUP_SINKS.search(line)
    ]
    assert found == []


def test_only_the_rendering_path_sanitises() -> None:
    users = {str(path.relative_to(ROOT)) for path in SOURCES if re.search(r"DOMPurify[.(]", path.read_text())}
    assert users == {"window/render.py"}
