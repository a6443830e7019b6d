"""The block-letter font covers French and every character of the bundled workshops."""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier.tui import labels
from atelier.tui.widgets.big_text import FONT_FILE, font, missing_glyphs, render_big_wrapped

CONTENT = Path(__file__).resolve().parents[2] / "content"

FRENCH_PANGRAM = (
    "Dès Noël, où un zéphyr haï me vêt de glaçons würmiens, je dîne d’exquis rôtis de bœuf "
    "au kir, à l’aÿ d’âge mûr & cætera ! « Ça coûte 12,50 € – 100 % bio… » — ÉÈÊËÀÂÇÎÏÔÛÙÜŸŒÆ "
    "éèêëàâçîïôûùüÿœæ ; 0123456789 ? (oui) [non] : « » ’ ‘ “ ” + = / - _ # @ * ✔ ✘ ➔ → •"
)


def test_the_font_ships_with_the_package_and_its_licence() -> None:
    assert FONT_FILE.is_file()
    assert (FONT_FILE.parent / "LICENSE-unscii.txt").is_file()
    assert FONT_FILE.stat().st_size < 20_000, "a compact subset, not the whole font"


def test_a_french_pangram_is_drawn_whole() -> None:
    assert missing_glyphs(FRENCH_PANGRAM) == set()
    assert render_big_wrapped(FRENCH_PANGRAM, 240, 67) is not None


@pytest.mark.parametrize(
    "char", list("ÉÈÊÀÇÔÛÏŒéèêàçôûïœ«»’&…–—€%0123456789") + ["\u00a0", "\u202f"]
)
def test_every_french_sign_has_its_own_glyph(char: str) -> None:
    assert not missing_glyphs(char)
    glyphs = font()
    if char.isspace():
        return
    assert any("#" in row for row in glyphs[char]), f"{char!r} has ink"


def test_accented_capitals_differ_from_their_base_letter() -> None:
    glyphs = font()
    for accented, base in ["ÉE", "ÈE", "ÊE", "ÀA", "ÇC", "ÔO", "ÛU", "ÏI", "éé"[:1] + "e"]:
        assert glyphs[accented] != glyphs[base]


def test_every_character_of_the_bundled_content_has_a_glyph() -> None:
    files = [path for path in CONTENT.rglob("*") if path.suffix in {".yaml", ".md"}]
    assert files
    for path in files:
        missing = missing_glyphs(path.read_text("utf-8"))
        assert not missing, f"{path.name}: {sorted(missing)}"


def test_lowercase_is_drawn_as_lowercase() -> None:
    glyphs = font()
    assert glyphs["a"] != glyphs["A"]
    assert glyphs["œ"] != glyphs["Œ"]


def test_labels_in_block_letters_have_glyphs() -> None:
    """The verdicts and timer texts drawn big: « PAS FORCÉMENT », « ✔ TERMINÉ »."""
    for text in [labels.PITCH_PHASE_DONE, "VRAI", "FAUX", "PAS FORCÉMENT", "+0:23", "−1:00"]:
        assert not missing_glyphs(text), text


def test_ascii_mode_draws_french_in_hashes() -> None:
    """``ATELIER_ASCII=1``: the same letters, accents included, in ``#`` and spaces only."""
    art = render_big_wrapped("Économie & œuvre « ça » 12 €", 160, 45, ascii_only=True)
    assert art is not None
    assert set("".join(art)) <= {"#", " "}
    assert art != render_big_wrapped("Economie & oeuvre « ca » 12 €", 160, 45, ascii_only=True)
