"""Unicode's bidirectional controls in strings the window did not write (pure, so CPython tests it).

An override reorders the characters it governs against their own direction: a right-to-left override (U+202E)
before "fdp.exe" shows "exe.pdf". Embeddings and isolates start a run of another direction. The view isolates every
such string (`dir="auto"`, `<bdi>`), so none of them reaches past it; inside it:

- a **name** (an agent's, a line's label) loses all of them (U+202A to U+202E, U+2066 to U+2069): a name is a few words
  that need none, and names are set inside the window's own sentences;
- a **text** (a line, a survey label, a pushed address) loses the two overrides (U+202D, U+202E), which no mixed
  right-to-left and left-to-right writing needs, and keeps embeddings and isolates (and their terminators), which
  such writing does use; they reorder whole runs of words, never the letters of one, and end with the text.
"""

from __future__ import annotations

OVERRIDES = "\u202d\u202e"  # left-to-right, right-to-left override
CONTROLS = "\u202a\u202b\u202c" + OVERRIDES + "\u2066\u2067\u2068\u2069"  # embeddings, pop, overrides, isolates
_NO_CONTROLS = str.maketrans(dict.fromkeys(CONTROLS))
_NO_OVERRIDES = str.maketrans(dict.fromkeys(OVERRIDES))


def bare_name(name: str) -> str:
    """A name without any bidirectional control."""
    return name.translate(_NO_CONTROLS)


def bare_text(text: str) -> str:
    """A text without overrides (embeddings and isolates kept)."""
    return text.translate(_NO_OVERRIDES)
