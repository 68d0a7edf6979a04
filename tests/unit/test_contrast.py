"""WCAG 2 contrast, on the serialisations a browser gives for a colour."""

import pytest

from window.contrast import AA_TEXT, parse, ratio


def test_black_on_white_is_21_and_a_colour_on_itself_is_1() -> None:
    black, white = parse("#000000"), parse("rgb(255, 255, 255)")
    assert black is not None and white is not None
    assert ratio(black, white) == pytest.approx(21) and ratio(white, black) == pytest.approx(21)
    assert ratio(white, white) == pytest.approx(1)


def test_the_windows_own_colours_pass_aa_and_a_pale_pair_does_not() -> None:
    accent, white, yellow = parse("#0b5cad"), parse("#ffffff"), parse("rgba(255, 204, 0, 1)")
    assert accent is not None and white is not None and yellow is not None
    assert ratio(accent, white) >= AA_TEXT
    assert ratio(yellow, white) < AA_TEXT


@pytest.mark.parametrize("serialised", ["rgba(0, 0, 0, 0.5)", "transparent", "oklch(0.5 0.1 200)", "#fff", ""])
def test_what_cannot_be_judged_alone_is_not_judged(serialised: str) -> None:
    assert parse(serialised) is None
