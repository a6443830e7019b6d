"""``MarkdownText`` draws the content guide's Markdown exactly as Textual's ``Markdown`` widget
did (cell for cell, colours included), and its shortcut for plain paragraphs gives what the
parser gives."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Markdown

from atelier.tui.themes import DARK_THEME, LIGHT_THEME, THEMES
from atelier.tui.widgets.markdown_text import (
    BlockBuilder,
    MarkdownText,
    TextBlock,
    parse,
    plain_paragraphs,
)

SAMPLES = {
    "inline": "Un **gras**, un *italique*, ***les deux***, ~~barré~~, `code` et _ceci_.\n\n"
    "Un saut de ligne  \ndur, et une ligne\ndouce.\n",
    "headings": "# Titre\n\nTexte\n\n## Carte\n\nTexte\n\n### Trois\n\n#### Quatre\n\nFin\n",
    "lists": "- un\n- deux **gras**\n  - sous-puce\n    - encore\n      - et encore\n- trois\n\n"
    "1. premier\n2. second\n   1. a\n   2. b\n      - puce\n\n"
    "7. sept\n8. huit\n9. neuf\n10. dix\n",
    "loose list": "- un\n\n- deux\n\n  second paragraphe\n\n- trois\n\nAprès.\n",
    "quotes": "> Une définition\n> sur deux lignes\n>\n> en deux paragraphes\n\n"
    "— *Source, 2020*\n\n> un\n>> deux\n>>> trois\n\n> - une liste\n> - citée\n",
    # (an address with « %20 »: MarkdownText shows it as written, Textual as a space; see
    # tests/tui/test_user_text.py)
    "rule and links": "Avant\n\n---\n\nVoir https://example.org/a-b, "
    "[un lien](https://example.com) et ![une image](img.png).\n",
    "slide": "*Séquence 1*\n\n# Titre\n\nTexte **important**.\n\n- a\n- b\n\n1. c\n2. d\n\n"
    "> ligne 1\n> ligne 2\n\n— *Source, 2019*\n\n## Carte\n\nTexte\n\n➔ **Conclusion**\n",
    "plain": "**Catalyseur d'Innovation Sociale**\n\n"
    "ATIS – Catalyseur d'Innovation Sociale · 19/05/2020\n",
    "table": "Avant\n\n| # | Projet | Pitch |\n|---|---|---|\n| 1 | **Épicerie** | 2:23 |\n\n"
    "Après\n",
}


class Shows(App[None]):
    def __init__(self, widget: Widget, theme: str) -> None:
        super().__init__()
        self.widget = widget
        for registered in THEMES:
            self.register_theme(registered)
        self.theme = theme

    def compose(self) -> ComposeResult:
        yield self.widget


def drawn(app: App[None]) -> str:
    """The screen as text with its colours and styles, cell for cell."""
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
    )
    console.print(app.screen._compositor.render_update(full=True, simplify=True))
    return console.export_text(styles=True)


async def screen_text(widget: Widget, theme: str) -> str:
    app = Shows(widget, theme)
    async with app.run_test(size=(70, 60)) as pilot:
        await pilot.pause()
        return drawn(app)


@pytest.mark.parametrize("theme", [DARK_THEME.name, LIGHT_THEME.name])
@pytest.mark.parametrize("name", SAMPLES)
async def test_draws_like_textuals_markdown(name: str, theme: str) -> None:
    markdown = SAMPLES[name]
    assert await screen_text(MarkdownText(markdown), theme) == await screen_text(
        Markdown(markdown), theme
    )


async def test_update_draws_what_a_new_one_draws() -> None:
    text = MarkdownText(SAMPLES["lists"])
    app = Shows(text, DARK_THEME.name)
    async with app.run_test(size=(70, 60)) as pilot:
        await text.update(SAMPLES["slide"])
        await pilot.pause()
        assert text.source == SAMPLES["slide"]
        updated = drawn(app)
    assert updated == await screen_text(MarkdownText(SAMPLES["slide"]), DARK_THEME.name)


async def test_a_link_opens_in_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    app = Shows(MarkdownText("Voir https://example.org/a%20b ici\n"), DARK_THEME.name)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.click(offset=(12, 0))
        await pilot.pause()
    assert opened == ["https://example.org/a b"]


# -- the shortcut for plain paragraphs --------------------------------------------------------


def parsed_paragraphs(markdown: str) -> list[tuple[str, list[object]]] | None:
    blocks = list(BlockBuilder(parse(markdown)).until(""))
    if not all(type(block) is TextBlock and block.classes == {"md-p"} for block in blocks):
        return None
    return [(block.render().plain, list(block.render().spans)) for block in blocks]


def shortcut(markdown: str) -> list[tuple[str, list[object]]] | None:
    paragraphs = plain_paragraphs(markdown)
    if paragraphs is None:
        return None
    return [(text.plain, list(text.spans)) for text in paragraphs]


def test_the_title_page_takes_the_shortcut() -> None:
    markdown = SAMPLES["plain"]
    assert shortcut(markdown) is not None
    assert shortcut(markdown) == parsed_paragraphs(markdown)


@pytest.mark.parametrize(
    "markdown",
    [
        "- liste",
        "1. liste",
        "# titre",
        "> citée",
        "a *b*",
        "a_b",
        "a `b`",
        "voir www.a.fr",
        "a  \nb",
        " a",
        "a\n===",
        "a | b\n--|--",
        "**a **",
        "a &amp; b",
        "a\\*",
    ],
)
def test_any_markup_goes_to_the_parser(markdown: str) -> None:
    assert shortcut(markdown) is None


_WORD = st.text(st.sampled_from("abcXYZéÀß"), min_size=1, max_size=5)
_OTHER = st.sampled_from(
    [*" *_-#>+=!()[]<>&~|`\\'\"\u00a0–·1/,;?%$^{}.:@", "**", "  ", "\t", "\u2028"]
)
_LINE = st.lists(st.one_of(_WORD, _OTHER), min_size=1, max_size=8).map("".join)
_LINES = st.one_of(_LINE, _LINE.map(lambda line: f"**{line}**"), _LINE.map(lambda line: f" {line}"))
_PARAGRAPH = st.lists(_LINES, min_size=1, max_size=3).map("\n".join)
_TEXT = st.builds(
    lambda paragraphs, gap, end: gap.join(paragraphs) + end,
    st.lists(_PARAGRAPH, min_size=1, max_size=3),
    st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\n"]),
    st.sampled_from(["", "\n"]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(_TEXT)
def test_the_shortcut_gives_what_the_parser_gives(markdown: str) -> None:
    if (paragraphs := shortcut(markdown)) is not None:
        assert paragraphs == parsed_paragraphs(markdown)
