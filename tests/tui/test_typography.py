"""French punctuation never starts a line, in plain text (Textual, Rich) and in block letters."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.text import Text
from textual.content import Content

import atelier.tui  # noqa: F401  (installs the line breaking)
from atelier.tui import labels
from atelier.tui.typography import french_spacing, set_apart
from atelier.tui.widgets.big_text import layout_big
from atelier.tui.widgets.markdown_text import inline_content, parse

SENTENCE = "Voici la réponse : « innovation sociale » ; vraiment ? Oui ! Source : INSEE"


def test_spaces_before_and_inside_become_no_break() -> None:
    assert french_spacing("Source : INSEE") == "Source\u00a0: INSEE"
    assert french_spacing("« oui »") == "«\u00a0oui\u00a0»"
    assert french_spacing("Vrai ? Faux ! a ; b") == "Vrai\u00a0? Faux\u00a0! a\u00a0; b"
    assert french_spacing("https://x.fr/a:b") == "https://x.fr/a:b"


@pytest.mark.parametrize("width", range(13, 40))
def test_textual_never_starts_a_line_with_french_punctuation(width: int) -> None:
    for line in Content(french_spacing(SENTENCE)).wrap(width):
        text = line.plain.lstrip("\u00a0 ")
        assert text[:1] not in {":", ";", "?", "!", "»"}, (width, line.plain)
        assert not line.plain.rstrip().endswith("«"), (width, line.plain)


@pytest.mark.parametrize("width", range(13, 40))
def test_rich_never_starts_a_line_with_french_punctuation(width: int) -> None:
    console = Console(width=width, record=True, color_system=None)
    console.print(Text(french_spacing(SENTENCE)))
    for line in console.export_text().splitlines():
        assert line.lstrip("\u00a0 ")[:1] not in {":", ";", "?", "!", "»"}, (width, line)


def test_pages_and_labels_are_typeset() -> None:
    tokens = parse("Source : *INSEE* « ok »\n")
    assert inline_content(tokens[1]).plain == "Source\u00a0: INSEE «\u00a0ok\u00a0»"
    assert "\u00a0:" in labels.SESSION


@pytest.mark.parametrize("width", [60, 80, 120])
def test_block_letters_never_start_a_line_with_french_punctuation(width: int) -> None:
    layout = layout_big(french_spacing(SENTENCE), width, 200)
    assert layout is not None
    for line in layout.lines:
        assert line.text.lstrip("\u00a0 ")[:1] not in {":", ";", "?", "!", "»"}, line.text


def test_text_typed_after_a_word_is_set_apart_unless_punctuation_or_a_space_comes_first() -> None:
    assert set_apart("Clair", "très")
    assert set_apart("bien posée.", "«")
    assert not set_apart("Clair", ", très")  # a comma goes against the word
    assert not set_apart("Clair", ".")
    assert not set_apart("Clair", " très")  # the facilitator's own space
    assert not set_apart("Clair ", "très")
    assert not set_apart("Clair\n", "très")
    assert not set_apart("", "très")
