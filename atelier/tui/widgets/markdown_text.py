"""The workshop's Markdown texts (slides, explanations), drawn with plain ``Static`` blocks.

Textual's ``Markdown`` widget brings far more than the content guide promises (tables, code with
syntax highlighting, a table of contents, streaming), and on start-up it cost about as much as
everything else on the first screen: its module and Pygments to import, ~25 widget styles to
parse, a thread to parse each text, its blocks mounted after the first frame. ``MarkdownText``
parses with the same parser and draws what the guide promises — paragraphs, **bold**, *italic*,
headings, block quotes, bullet and numbered lists with nesting — block for block as ``Markdown``
does: same structure, margins, bullets and theme colours, so a page looks the same. A text with
a table or code is handed to Textual's ``Markdown`` (imported then).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content, Span
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Static

from atelier.tui.typography import french_spacing

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

BULLETS = ["• ", "▪ ", "‣ ", "⭑ ", "◦ "]
"""Textual's bullets, one per nesting level of bullet lists."""

DRAWN_BY_TEXTUAL = {"table_open", "fence", "code_block"}
"""Blocks beyond the content guide (the pitch round's summary is a table): a text that has one
is shown by Textual's own ``Markdown`` widget, inside this one."""

_WHITESPACE = re.compile(r"\s+")

_MAY_HOLD_A_LINK = re.compile(r"//|@|www\.|localhost|\w\.[a-z]{2}", re.IGNORECASE)
"""What a link linkify finds needs: a scheme's ``//`` (``mailto:`` has an ``@``), an e-mail
address, ``www.``, or a domain (a dot between a letter and two letters: « exemple.fr »). A
sentence's full stop or colon is followed by a space: no linkify pass for it."""


@cache
def _parser(linkify: bool = True) -> MarkdownIt:
    """The parser Textual's Markdown uses ("gfm-like": same blocks, same links). Without
    linkify for a text that cannot hold a link: its first use compiles a large regular
    expression (~10 ms), and the title page has no link."""
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like", {"linkify": linkify})


def parse(markdown: str) -> list[Token]:
    """``markdown``'s tokens (read-only: shared by every caller of the same text)."""
    return list(_parsed(markdown))


@lru_cache(maxsize=64)
def _parsed(markdown: str) -> tuple[Token, ...]:
    # A page is parsed up to three times as it is shown (its blocks counted, planned, built):
    # once is enough (linkify makes a parse 2 ms for a quiz reveal).
    return tuple(_parser(bool(_MAY_HOLD_A_LINK.search(markdown))).parse(markdown))


_MARKUP = r"\x00-\x1f\x7f#*_`\\\[\]<>&~|"
"""Characters that can start Markdown syntax (plus control characters): none of them in a line
of ``_PLAIN_LINE`` or ``_BOLD_LINE``."""
_PLAIN_LINE = re.compile(rf"[^\W\d_](?:[^{_MARKUP}]*[^\s{_MARKUP}])?")
"""A line of plain text: it starts with a letter (so no block starts there: no list, heading,
quote, fence…) and has no inline markup."""
_BOLD_LINE = re.compile(rf"\*\*([^\W_](?:[^{_MARKUP}]*[^\W_])?)\*\*")
"""A paragraph wholly in bold (``**Sous-titre**``), such as the title page's subtitle."""


def count_blocks(markdown: str) -> int:
    """How many blocks ``MarkdownText`` draws for ``markdown`` (paragraphs, lists, quotes…)."""
    if not markdown.strip():
        return 0
    if (paragraphs := plain_paragraphs(markdown)) is not None:
        return len(paragraphs)
    return sum(
        1
        for token in parse(markdown)
        if token.level == 0 and (token.nesting == 1 or token.type == "hr")
    )


def plain_paragraphs(markdown: str) -> list[Content] | None:
    """The paragraphs of a text without any markup but whole-paragraph bold, as markdown_it
    and ``inline_content`` give them (tests/tui/test_markdown_text.py checks it); None for any
    other text. The title page is such a text: the first frame is drawn without importing
    markdown_it (~30 ms of start-up)."""
    if _MAY_HOLD_A_LINK.search(markdown):
        return None
    paragraphs: list[Content] = []
    lines: list[str] = []
    for line in [*markdown.split("\n"), ""]:
        if line:
            lines.append(line)
            continue
        if not lines:
            continue
        if len(lines) == 1 and (bold := _BOLD_LINE.fullmatch(lines[0])):
            text = french_spacing(_WHITESPACE.sub(" ", bold[1]))
            paragraphs.append(Content(text, spans=[Span(0, len(text), "bold")]))
        elif all(_PLAIN_LINE.fullmatch(line) for line in lines):
            text = " ".join(_WHITESPACE.sub(" ", line) for line in lines)
            paragraphs.append(Content(french_spacing(text)))
        else:
            return None
        lines = []
    return paragraphs


def inline_content(token: Token) -> Content:
    """The text of an ``inline`` token with its bold, italic, struck and linked spans (the
    same conversion as Textual's ``MarkdownBlock``)."""
    parts: list[str] = []
    spans: list[Span] = []
    open_styles: list[tuple[Style | str, int]] = []
    position = 0
    # A bare address's link (<https://...>, or found by linkify) shows the address as written:
    # markdown_it would show « %20 » as a space.
    address: str | None = None

    def add(text: str) -> None:
        nonlocal position
        parts.append(text)
        position += len(text)

    for child in token.children or ():
        kind = child.type
        if kind == "text" and address is not None:
            # the address as written when markdown_it only decoded it (« %20 » → « »)
            add(address if unquote(address) == child.content else child.content)
            address = None
        elif kind == "text":
            add(french_spacing(_WHITESPACE.sub(" ", child.content)))
        elif kind == "hardbreak":
            add("\n")
        elif kind == "softbreak":
            add(" ")
        elif kind == "code_inline":
            spans.append(Span(position, position + len(child.content), ".code_inline"))
            add(child.content)
        elif kind == "em_open":
            open_styles.append(("italic", position))
        elif kind == "strong_open":
            open_styles.append(("bold", position))
        elif kind == "s_open":
            open_styles.append(("strike", position))
        elif kind == "link_open":
            if child.markup in ("autolink", "linkify"):
                address = str(child.attrs.get("href", ""))
            action = f"link({str(child.attrs.get('href', ''))!r})"
            open_styles.append((Style.from_meta({"@click": action}), position))
        elif kind == "image":
            action = f"link({str(child.attrs.get('src', ''))!r})"
            start = position
            add("🖼  ")
            if alt := child.attrs.get("alt", ""):
                add(f"({alt})")
            for grandchild in child.children or ():
                add(grandchild.content)
            spans.append(Span(start, position, Style.from_meta({"@click": action})))
        elif kind.endswith("_close") and open_styles:
            style, start = open_styles.pop()
            spans.append(Span(start, position, style))
    return Content("".join(parts), spans=spans)


class TextBlock(Static):
    """A paragraph or a heading. Its links open in the browser, as in Textual's Markdown."""

    def action_link(self, href: str) -> None:
        self.app.open_url(unquote(href))


class ListBullet(Widget):
    """A list item's bullet or number, beside the item's blocks (as tall as the item)."""

    def __init__(self, symbol: str) -> None:
        super().__init__()
        self.symbol = symbol

    def render(self) -> Content:
        return Content(self.symbol)


class BlockGroup(Static):
    """A block made of blocks (a quote, a list): a ``Static`` as in Textual's Markdown, so the
    cells its children leave free look the same."""

    def __init__(self, *children: Widget, classes: str) -> None:
        super().__init__(expand=True, classes=classes)
        self._children = children

    def compose(self) -> ComposeResult:
        yield from self._children


class BlockBuilder:
    """Turns markdown_it's flat token stream into widgets, as Textual's Markdown nests them."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.bullet_depth = 0

    def until(self, closing: str) -> Iterator[Widget]:
        """The blocks up to the token ``closing`` (consumed); all of them when it is empty."""
        tokens = self.tokens
        while self.index < len(tokens):
            token = tokens[self.index]
            self.index += 1
            if token.type == closing:
                return
            block = self.block(token)
            if block is not None:
                yield block

    def inline(self) -> Content:
        """The inline token after an opening one, and its closing token."""
        token = self.tokens[self.index]
        self.index += 2
        return inline_content(token)

    def block(self, token: Token) -> Widget | None:
        kind = token.type
        if kind == "paragraph_open":
            return TextBlock(self.inline(), expand=True, classes="md-p")
        if kind == "heading_open":
            return TextBlock(self.inline(), expand=True, classes=f"md-h md-{token.tag}")
        if kind == "blockquote_open":
            return BlockGroup(*self.until("blockquote_close"), classes="md-quote")
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_block(token)
        if kind == "hr":
            return Static(classes="md-hr")
        return None  # raw HTML: Textual's Markdown does not show it either

    def list_block(self, token: Token) -> Widget:
        ordered = token.type == "ordered_list_open"
        closing = "ordered_list_close" if ordered else "bullet_list_close"
        if not ordered:
            self.bullet_depth += 1
        items: list[tuple[str, list[Widget]]] = []
        tokens = self.tokens
        while tokens[self.index].type != closing:
            item = tokens[self.index]  # list_item_open
            self.index += 1
            items.append((item.info, list(self.until("list_item_close"))))
        self.index += 1
        if ordered:
            try:
                start = int(items[0][0])
            except ValueError:
                start = 1
            numbers = [f"{number}. " for number in range(start, start + len(items))]
            width = max(len(number) for number in numbers) + 1
            symbols = [number.rjust(width) for number in numbers]
        else:
            symbols = [BULLETS[(self.bullet_depth - 1) % len(BULLETS)]] * len(items)
            self.bullet_depth -= 1
        rows = [
            Horizontal(ListBullet(symbol), Vertical(*blocks))
            for symbol, (_info, blocks) in zip(symbols, items, strict=True)
        ]
        return BlockGroup(*rows, classes="md-list")


class MarkdownText(Widget):
    """Markdown as Textual's ``Markdown`` widget shows it, for the subset the content guide
    promises (see the module's docstring). ``await update(markdown)`` replaces the text."""

    COMPONENT_CLASSES = {"code_inline"}

    DEFAULT_CSS = """
    MarkdownText {
        height: auto;
        padding: 0 2 0 2;
        layout: vertical;
        color: $foreground;
        overflow-y: hidden;

        &:dark > .code_inline {
            background: $warning 10%;
            color: $text-warning 95%;
        }
        &:light > .code_inline {
            background: $error 5%;
            color: $text-error 95%;
        }
        &:ansi > .code_inline {
            background: ansi_default;
        }
        Static {
            width: 1fr;
            height: auto;
        }
        & > .md-p {
            margin: 0 0 1 0;
        }
        .md-h {
            color: $text;
            margin: 2 0 1 0;
        }
        .md-h1 {
            content-align: center middle;
            color: $markdown-h1-color;
            background: $markdown-h1-background;
            text-style: $markdown-h1-text-style;
        }
        .md-h2 {
            color: $markdown-h2-color;
            background: $markdown-h2-background;
            text-style: $markdown-h2-text-style;
        }
        .md-h3 {
            color: $markdown-h3-color;
            background: $markdown-h3-background;
            text-style: $markdown-h3-text-style;
            margin: 1 0;
            width: auto;
        }
        .md-h4 {
            color: $markdown-h4-color;
            background: $markdown-h4-background;
            text-style: $markdown-h4-text-style;
            margin: 1 0;
        }
        .md-h5 {
            color: $markdown-h5-color;
            background: $markdown-h5-background;
            text-style: $markdown-h5-text-style;
            margin: 1 0;
        }
        .md-h6 {
            color: $markdown-h6-color;
            background: $markdown-h6-background;
            text-style: $markdown-h6-text-style;
            margin: 1 0;
        }
        .md-hr {
            border-bottom: solid $secondary;
            height: 1;
            padding-top: 1;
            margin-bottom: 1;
        }
        .md-quote {
            background: $boost;
            border-left: outer $text-primary 50%;
            margin: 1 0;
            padding: 0 1;
        }
        &:light .md-quote {
            border-left: outer $text-secondary;
        }
        .md-list {
            margin: 0 0 1 0;
            padding: 0 0;
            Horizontal, Vertical {
                width: 1fr;
                height: auto;
            }
        }
        .md-list .md-list {
            margin: 0;
            padding-top: 0;
        }
        ListBullet {
            width: auto;
            color: $text-primary;
        }
        &:light ListBullet {
            color: $text-secondary;
        }
        & > Markdown {
            padding: 0;
        }
    }
    """

    def __init__(
        self,
        markdown: str = "",
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._markdown = markdown

    @property
    def source(self) -> str:
        """The Markdown shown."""
        return self._markdown

    def compose(self) -> ComposeResult:
        yield from self._blocks(self._markdown)

    @staticmethod
    def _blocks(markdown: str) -> list[Widget]:
        if not markdown.strip():
            return []
        if (paragraphs := plain_paragraphs(markdown)) is not None:
            return [TextBlock(text, expand=True, classes="md-p") for text in paragraphs]
        tokens = parse(markdown)
        if any(token.type in DRAWN_BY_TEXTUAL for token in tokens):
            # imported here: only a table or code needs it, and no first screen has one
            from textual.widgets import Markdown

            return [Markdown(markdown)]
        return list(BlockBuilder(tokens).until(""))

    async def update(self, markdown: str) -> None:
        """Show ``markdown`` instead (in one refresh: no blank frame in between)."""
        self._markdown = markdown
        with self.app.batch_update():
            await self.remove_children()
            await self.mount_all(self._blocks(markdown))
