"""Bidirectional controls in server strings: names lose all of them, texts lose the overrides only."""

from window.bidi import CONTROLS, OVERRIDES, bare_name, bare_text

RLO, PDF, RLE, RLI, PDI = "\u202e", "\u202c", "\u202b", "\u2067", "\u2069"


def test_the_controls_are_unicodes_embeddings_overrides_and_isolates() -> None:
    assert sorted(CONTROLS) == [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
    assert OVERRIDES == "\u202d\u202e"


def test_a_name_loses_every_bidi_control_and_keeps_its_letters() -> None:
    assert bare_name(f"Sam{RLO}nimda{PDF}") == "Samnimda"
    assert bare_name(f"{RLI}Sam{PDI} {RLE}Lee{PDF}") == "Sam Lee"
    assert bare_name("דנה Levi") == "דנה Levi"  # right-to-left letters are not controls
    assert bare_name(CONTROLS) == ""


def test_a_text_loses_the_overrides_that_reverse_letters_but_keeps_embeddings_and_isolates() -> None:
    assert bare_text(f"invoice_{RLO}fdp.exe") == "invoice_fdp.exe"
    assert bare_text("\u202dabc\u202c") == "abc\u202c"
    mixed = f"{RLE}שלום{PDF} and {RLI}עולם{PDI}"
    assert bare_text(mixed) == mixed
