"""render_big: block letters that fit the box, readable on a projector (pure function)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atelier.tui.widgets.big_text import (
    ascii_only_from_env,
    missing_glyphs,
    render_big,
    render_big_wrapped,
)

# The timer gets roughly 60 % of the screen height (minus a caption line).
SMALL_BOX = (80, 13)  # 80×24 terminal
PROJECTOR_BOX = (160, 26)  # 160×45 terminal


def assert_well_formed(lines: list[str], width: int, height: int) -> None:
    assert lines, "something must be drawn"
    assert len({len(line) for line in lines}) == 1, "all lines have the same width"
    assert len(lines[0]) <= width
    assert len(lines) <= height


@pytest.mark.parametrize(("box", "min_rows"), [(SMALL_BOX, 5), (PROJECTOR_BOX, 9)])
@pytest.mark.parametrize("ascii_only", [False, True])
def test_timer_is_tall_enough(box: tuple[int, int], min_rows: int, ascii_only: bool) -> None:
    width, height = box
    lines = render_big("15:00", width, height, ascii_only=ascii_only)
    assert_well_formed(lines, width, height)
    assert len(lines) >= min_rows


@pytest.mark.parametrize("box", [SMALL_BOX, PROJECTOR_BOX])
def test_a_long_answer_is_still_drawn_in_block_letters(box: tuple[int, int]) -> None:
    width, height = box
    lines = render_big("PAS FORCÉMENT", width, height)
    assert_well_formed(lines, width, height)
    assert len(lines) >= 4  # 8-pixel letters, 4 rows tall at least (quadrant blocks)
    assert "█" in "".join(lines)


def test_every_label_of_a_running_timer_has_the_same_width() -> None:
    """Digits share one width, so the display does not jump sideways every second."""
    widths = {
        len(render_big(f"{m:02d}:{s:02d}", *PROJECTOR_BOX)[0]) for m in range(16) for s in range(60)
    }
    assert len(widths) == 1


def test_scale_is_the_largest_that_fits() -> None:
    small = render_big("15:00", 80, 13)
    large = render_big("15:00", 160, 26)
    assert len(large) > len(small)
    assert len(large[0]) > len(small[0])


def test_ascii_mode_uses_only_ascii() -> None:
    text = "PAS FORCÉMENT ✔ ≈ ⚠ ça « oui » +0:23"
    for box in [SMALL_BOX, PROJECTOR_BOX, (200, 60), (10, 1)]:
        lines = render_big(text, *box, ascii_only=True)
        assert all(line.isascii() for line in lines)
    assert "#" in "".join(render_big("15:00", *SMALL_BOX, ascii_only=True))


def test_unicode_mode_uses_block_characters_only() -> None:
    lines = render_big("OUI ✔ NON ✘", *PROJECTOR_BOX)
    assert set("".join(lines)) <= set(" █▀▄▘▝▖▗▚▞▙▛▜▟▌▐")


@pytest.mark.parametrize("text", ["⚠", "日本", "🙂 ok", "\t", "a\x00b", "ﬁ", "…", ""])
def test_unknown_or_odd_characters_do_not_crash(text: str) -> None:
    lines = render_big(text, *SMALL_BOX)
    assert len({len(line) for line in lines}) <= 1


def test_accented_letters_keep_their_accent() -> None:
    """« É » is not drawn as « E », nor « é » as « E »: mixed case, every accent."""
    for accented, plain in [("É", "E"), ("È", "E"), ("À", "A"), ("Ç", "C"), ("ê", "e"), ("ô", "o")]:
        assert render_big(accented, *SMALL_BOX) != render_big(plain, *SMALL_BOX)
    assert render_big("élevé", *SMALL_BOX) != render_big("ELEVE", *SMALL_BOX)
    assert render_big("élevé", *SMALL_BOX) != render_big("eleve", *SMALL_BOX)
    assert render_big("Œ", *SMALL_BOX) != render_big("OE", *SMALL_BOX)
    assert render_big("« »", *SMALL_BOX) != render_big('" "', *SMALL_BOX)
    assert render_big("&", *SMALL_BOX) != render_big("?", *SMALL_BOX)


def test_a_character_the_font_lacks_turns_the_text_to_plain_text() -> None:
    """Never another glyph in its place: the whole text, as it is, in ordinary letters."""
    assert missing_glyphs("Attention ⚠ ici") == {"⚠"}
    assert render_big("Attention ⚠", *PROJECTOR_BOX) == ["Attention ⚠".center(160)]
    assert render_big_wrapped("Attention ⚠ ici", *PROJECTOR_BOX) is None


def test_combining_accents_are_composed_first() -> None:
    assert render_big("e\u0301", *SMALL_BOX) == render_big("é", *SMALL_BOX)


def test_too_small_falls_back_to_plain_centred_text() -> None:
    assert render_big("15:00", 11, 2) == ["   15:00   "]
    assert render_big("15:00", 3, 1) == ["15…"]
    assert render_big("15:00", 3, 1, ascii_only=True) == ["15."]
    assert render_big("15:00", 20, 0) == []


def test_two_lines_of_text() -> None:
    one = render_big("OUI", 80, 30)
    two = render_big("OUI\nNON", 80, 30)
    assert len(two) > len(one) // 2
    assert_well_formed(two, 80, 30)


def test_ascii_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ATELIER_ASCII", raising=False)
    assert not ascii_only_from_env()
    monkeypatch.setenv("ATELIER_ASCII", "1")
    assert ascii_only_from_env()
    monkeypatch.setenv("ATELIER_ASCII", "0")
    assert not ascii_only_from_env()


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=20),
    width=st.integers(min_value=0, max_value=220),
    height=st.integers(min_value=0, max_value=70),
    ascii_only=st.booleans(),
)
def test_always_fits_the_box(text: str, width: int, height: int, ascii_only: bool) -> None:
    lines = render_big(text, width, height, ascii_only=ascii_only)
    assert len(lines) <= max(height, 0)
    assert len({len(line) for line in lines}) <= 1
    if lines:
        assert len(lines[0]) <= width or width == 0
