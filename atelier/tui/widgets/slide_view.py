"""Info pages as Markdown: a slide, the title page and the closing page.

Content authors write Markdown in their text fields (``**gras**``); these functions only
arrange the fields of a page in a fixed order so every workshop looks the same."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

from atelier.domain.content import Slide, Workshop
from atelier.tui import labels
from atelier.tui.safe_text import md, unescape_md, url
from atelier.tui.widgets.big_text import (
    BigText,
    ascii_only_from_env,
    layout_big,
    plain_lines,
)
from atelier.tui.widgets.markdown_text import MarkdownText, TextBlock


def slide_markdown(slide: Slide) -> str:
    parts: list[str] = []
    if slide.subtitle:
        parts.append(f"*{md(slide.subtitle)}*")
    parts.append(f"# {md(slide.title)}")
    if slide.text:
        parts.append(slide.text.strip())
    if slide.bullets:
        parts.append("\n".join(f"- {item}" for item in slide.bullets))
    if slide.numbered:
        parts.append("\n".join(f"{n}. {item}" for n, item in enumerate(slide.numbered, 1)))
    for definition in slide.definitions:
        block = []
        if definition.intro:
            block.append(definition.intro.strip())
        block.append("\n".join(f"> {line}" for line in definition.text.strip().splitlines()))
        source = definition.source + (f", {definition.year}" if definition.year else "")
        block.append(f"— *{md(source)}*")
        parts.append("\n\n".join(block))
    for card in slide.cards:
        title = md(card.title)
        parts.append(f"## {title}\n\n{card.text.strip()}" if card.text else f"## {title}")
    if slide.people:
        parts.append("\n".join(f"- **{md(person)}**" for person in slide.people))
    if slide.conclusion:
        parts.append(f"➔ **{slide.conclusion.strip()}**")
    if slide.source:
        parts.append(f"*— {md(slide.source)}*")
    return "\n\n".join(parts) + "\n"


def title_markdown(workshop: Workshop) -> str:
    parts = [f"# {md(workshop.title)}"]
    if workshop.subtitle:
        parts.append(f"**{md(workshop.subtitle)}**")
    line = md(workshop.organiser)
    if workshop.date:
        line += f" · {workshop.date:%d/%m/%Y}"
    parts.append(line)
    return "\n\n".join(parts) + "\n"


def closing_markdown(workshop: Workshop) -> str:
    parts = [f"# {md(workshop.title)}"]
    if workshop.contact:
        contact = workshop.contact
        who = contact.name + (f" – {contact.organisation}" if contact.organisation else "")
        lines = [f"## {labels.CONTACT}", f"**{md(who)}**"]
        if contact.email:
            lines.append(md(contact.email))
        parts.append("\n\n".join(lines))
    if workshop.resources:
        items = []
        for resource in workshop.resources:
            item = f"- {md(resource.title)}"
            if resource.note:
                item += f", {md(resource.note)}"
            if resource.url:
                item += f"  \n  {url(resource.url)}"
            items.append(item)
        parts.append(f"## {labels.RESOURCES}\n\n" + "\n".join(items))
    if workshop.licence:
        licence = workshop.licence
        text = f"## {labels.LICENCE}\n\n{md(licence.attribution)}\n\n{md(licence.name)}"
        if licence.url:
            text += f"  \n{url(licence.url)}"
        parts.append(text)
    return "\n\n".join(parts) + "\n"


def split_title(markdown: str) -> tuple[str | None, str]:
    """``(title, rest)``: the page's first ``# `` heading, and the page without it."""
    lines = markdown.strip("\n").splitlines()
    for index, line in enumerate(lines):
        if line.startswith("# "):
            rest = "\n".join(lines[:index] + lines[index + 1 :]).strip()
            return unescape_md(line[2:].strip()), rest + "\n" if rest else ""
    return None, markdown


def plain_paragraphs_of(markdown: str) -> list[str] | None:
    """The page's text without its markup, one string per paragraph, heading or list item
    (« • item », « 1. item »): what is drawn in block letters when a short page fits the
    screen that way. None for a text with a table or code."""
    from atelier.tui.widgets.markdown_text import (
        DRAWN_BY_TEXTUAL,
        inline_content,
        parse,
        plain_paragraphs,
    )

    if not markdown.strip():
        return []
    if (simple := plain_paragraphs(markdown)) is not None:  # no markdown_it on the title page
        return [paragraph.plain for paragraph in simple]  # (french_spacing done there)
    tokens = parse(markdown)
    if any(token.type in DRAWN_BY_TEXTUAL for token in tokens):
        return None
    paragraphs: list[str] = []
    markers: list[list[int] | None] = []  # per open list: next number, or None for bullets
    item_marker: str | None = None
    for token in tokens:
        kind = token.type
        if kind == "bullet_list_open":
            markers.append(None)
        elif kind == "ordered_list_open":
            markers.append([int(token.attrs.get("start", 1) or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            markers.pop()
        elif kind == "list_item_open" and markers:
            counter = markers[-1]
            if counter is None:
                item_marker = "•"
            else:
                item_marker = f"{counter[0]}."
                counter[0] += 1
        elif kind == "inline":
            text = " ".join(inline_content(token).plain.split())
            if item_marker is not None:
                text = f"{item_marker} {text}"
                item_marker = None
            if text:
                paragraphs.append(text)
    return paragraphs


HEADLINE_MAX_BODY = 240
"""A page whose text (besides its title) is at most this long may keep its title in block
letters when it is split into parts (the title page, the sequence dividers, the pause)."""


def split_headline(markdown: str) -> tuple[str | None, str]:
    """``(title, rest)`` when the page is short enough for a block-letter title, else
    ``(None, markdown)``."""
    title, rest = split_title(markdown)
    if title is not None and len(rest.strip()) <= HEADLINE_MAX_BODY:
        return title, rest or "\n"
    return None, markdown


COLUMN = 80
"""The plain text's measure, in cells (about 75 characters a line once lists are indented)."""


@dataclass
class _Part:
    units: list[Widget]


class Page(VerticalScroll):
    """One projected page of text, laid out for the screen it is on: the largest text that fits.

    1. The whole page in block letters (title larger than the text), when it fits.
    2. Else the title in block letters, as large as the room the text leaves, and the text in
       plain letters in a comfortable measure (about 75 characters a line), centred.
    3. Else the text is split into parts that each fit the screen (never a scroll bar), under
       a smaller title: ``next_part`` / ``previous_part`` move between them, and
       ``part_caption`` says where we are (« exemples 1–3 / 7 », « partie 1 / 2 »).

    The plain text is measured as Textual will lay it out (its own ``arrange`` of the text,
    before the frame), so a part ends where the screen really ends, and the page is drawn once,
    in its parts. A paragraph taller than the screen is cut between words; a single word
    taller than the screen still scrolls."""

    class Paginated(Message):
        """The page has been laid out again (new text, new size, another part). The screen's
        ``on_page_paginated`` gets it at once (not posted): its counter or hint changes in the
        same frame as the part it announces, one layout pass instead of two."""

        def __init__(self, page: Page) -> None:
            super().__init__()
            self.page = page

    def __init__(
        self,
        markdown: str,
        *,
        counted: tuple[int, int, str] | None = None,
        headline: bool = True,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._markdown = markdown
        self._headline = headline
        """Whether the first ``# `` heading is the page's title (drawn big, above every part);
        a quiz explanation keeps its headings where they are."""
        self._counted = counted
        """(index of the first counted block, how many, label): « exemples »."""
        self._parts: list[_Part] = []
        self._part = 0
        self._at_end = False
        self._planned_for: tuple[str, int, int] | None = None
        self._generation = 0
        self._laid_out = False
        self.ascii_only = ascii_only_from_env()

    @property
    def markdown(self) -> str:
        return self._markdown

    def compose(self) -> ComposeResult:
        yield BigText("", wrap=True, classes="page-headline")
        yield BigText("", wrap=True, classes="page-big-text")
        # the text's column: no container of its own (``_plan`` centres it), one layer less
        # for the compositor to draw under every line of the page
        yield MarkdownText("", classes="page-text")

    async def on_mount(self) -> None:
        await self._plan()

    async def on_resize(self) -> None:
        if self._planned_for != (self._markdown, *self.content_size):
            await self._plan()

    async def show(
        self,
        markdown: str,
        *,
        counted: tuple[int, int, str] | None = None,
        at_end: bool = False,
    ) -> None:
        """Show another text (on its last part with ``at_end``: coming back to it)."""
        self._markdown = markdown
        self._counted = counted
        self._at_end = at_end
        await self._plan()

    # -- parts ---------------------------------------------------------------------------------

    @property
    def laid_out(self) -> bool:
        """The page's parts are known for its text and size (when ``show`` returns, for a page
        on screen; a hidden page is laid out when it is shown)."""
        return self._laid_out

    @property
    def part_count(self) -> int:
        return max(1, len(self._parts))

    @property
    def part_index(self) -> int:
        return self._part

    def next_part(self) -> bool:
        """Show the next part; False on the last one (the caller moves on)."""
        if self._part + 1 >= len(self._parts):
            return False
        self._show_part(self._part + 1)
        return True

    def previous_part(self) -> bool:
        if self._part == 0:
            return False
        self._show_part(self._part - 1)
        return True

    def part_caption(self) -> str:
        """« exemples 1–3 / 7 » or « partie 1 / 2 »; empty for a page in one part."""
        if len(self._parts) <= 1:
            return ""
        if self._counted is not None:
            first, count, label = self._counted
            blocks = list(self.query_one(".page-text", MarkdownText).children)
            shown = [
                index - first + 1
                for index, block in enumerate(blocks)
                if first <= index < first + count and block.display
            ]
            if shown:
                span = f"{shown[0]}–{shown[-1]}" if len(shown) > 1 else f"{shown[0]}"
                return labels.PAGE_COUNTED.format(label=label, span=span, count=count)
        return labels.PAGE_PART.format(part=self._part + 1, parts=len(self._parts))

    def _announce(self) -> None:
        handler = getattr(self.screen, "on_page_paginated", None)
        if handler is not None:
            handler(self.Paginated(self))

    def _show_part(self, index: int) -> None:
        self._part = index
        shown = self._parts[index].units
        shown_ids = {id(unit) for unit in shown}
        units = [unit for part in self._parts for unit in part.units]
        unit_ids = {id(unit) for unit in units}
        text = self.query_one(".page-text", MarkdownText)
        with self.app.batch_update():
            for unit in units:
                visible = id(unit) in shown_ids
                if unit.display != visible:
                    unit.display = visible
            for block in text.children:
                if id(block) not in unit_ids:  # a list split over parts: shown with its rows
                    visible = any(block in unit.ancestors for unit in shown)
                    if block.display != visible:
                        block.display = visible
            self.scroll_home(animate=False)
            self._announce()

    # -- layout --------------------------------------------------------------------------------

    async def _plan(self) -> None:
        width, height = self.content_size
        if width <= 0 or height <= 0:
            # A hidden page (or one just shown, not yet laid out: a quiz's explanation as the
            # answer is revealed) has no parts, so → never pages through old ones, and shows
            # nothing of its previous text in the frame that gives it its size: the reveal of
            # statement 3 flashed statement 2's explanation for one frame. It is planned as
            # soon as it has a size (``on_resize``).
            self._generation += 1
            self._parts = []
            self._part = 0
            # laid out when it stays hidden (nothing to show); not yet when it is about to be
            # shown (its parts are known once it has a size)
            self._laid_out = not all(
                node.display for node in self.ancestors_with_self if isinstance(node, Widget)
            )
            self._planned_for = None
            with self.app.batch_update():
                for child in self.children:
                    child.display = False
            return
        self._generation += 1
        self._laid_out = False
        self._planned_for = (self._markdown, width, height)
        title, rest = split_title(self._markdown) if self._headline else (None, self._markdown)
        headline = self.query_one(".page-headline", BigText)
        big_text = self.query_one(".page-big-text", BigText)
        text = self.query_one(".page-text", MarkdownText)
        self._parts = []
        self._part = 0
        plan = _all_big(title, plain_paragraphs_of(rest), width, height, self.ascii_only)
        if plan is not None:  # 1. everything in block letters
            title_rows, body = plan
            with self.app.batch_update():
                headline.display = title is not None
                headline.text = title or ""
                headline.styles.height = title_rows
                big_text.display = bool(body)
                big_text.text = body
                room = height - title_rows - (1 if title else 0)
                drawn = layout_big(body, width, room, self.ascii_only) if body else None
                # the drawing's own height: the page centres title and text as one block
                big_text.styles.height = max(1, drawn.rows if drawn else room)
                text.display = False
                await text.update("")
            self._laid_out = True
            self._announce()
            return
        generation = self._generation
        with self.app.batch_update():  # nothing laid out or drawn half-way
            big_text.display = False
            big_text.text = ""
            headline.display = title is not None
            headline.text = title or ""
            headline.styles.height = 1
            text.display = True
            # a web address is never broken: the column widens to hold the longest one
            longest = max((len(word) for word in rest.split()), default=0)
            column = max(COLUMN, min(width, longest + 8)) if longest > 70 else COLUMN
            text.styles.max_width = column
            # centred by its left margin: the page's own ``align`` centres its children as one
            # group, and the block-letter title above is as wide as the page
            text.styles.margin = (0, 0, 0, max(0, width - column) // 2)
            await text.update(rest)
            if generation != self._generation:
                return
            for attempt in range(4):  # a paragraph taller than the screen: cut, measure again
                cut = await self._paginate(title, min(width, column), may_cut=attempt < 3)
                if not cut or generation != self._generation:
                    break

    async def _paginate(self, title: str | None, text_width: int, *, may_cut: bool) -> bool:
        """Measure the text as Textual will lay it out at ``text_width`` (the text's own
        ``arrange``: no layout of the screen, no frame), choose the title's size and the
        parts, and show the first (or last) part: the next frame draws the page once, in its
        parts. True when a paragraph taller than the screen was cut instead (measure again)."""
        width, height = self.content_size
        text = self.query_one(".page-text", MarkdownText)
        headline = self.query_one(".page-headline", BigText)
        measured = _measure(text, text_width, height)
        blocks = [block for block in text.children if block.display]
        total = sum(measured[block].height for block in blocks)
        title_rows = 0
        if title is not None:
            # 2. the title takes the room the text leaves (as large as it can be) …
            room = height - total - 1
            layout = layout_big(title, width, room, self.ascii_only) if room >= 4 else None
            if layout is not None:
                title_rows = layout.rows  # the drawing itself: title and text stay together
            else:  # 3. … or a smaller title above each part of the text
                title_rows = _title_rows(title, width, height, self.ascii_only)
        headline.styles.height = title_rows if title is not None else 0
        room = height - (title_rows + 1 if title is not None else 0)
        tall = [
            (unit, unit_height)
            for block in blocks
            for unit, unit_height in _units(block, room, measured)
            if unit_height > room and isinstance(unit, TextBlock)
        ]
        if tall and may_cut and await _cut_paragraphs(tall, room, measured):
            return True
        self._parts = _split(blocks, room, measured)
        index = len(self._parts) - 1 if self._at_end else 0
        self._at_end = False
        self._laid_out = True
        self._show_part(min(index, len(self._parts) - 1))
        return False


@dataclass(frozen=True)
class _Measured:
    height: int
    """Rows with the margins above and below."""
    width: int
    """Cells inside the padding and border: the width its text wraps at."""
    box_height: int
    """Rows without the margins."""


def _measure(text: Widget, width: int, height: int) -> dict[Widget, _Measured]:
    """The text's blocks, and the rows of a block made of rows (a list's items, a quote's
    paragraphs), measured as Textual lays them out at ``width``: its own ``arrange`` of the
    text, then of each such block (a paragraph wrapped once: its height is kept for the
    frame's layout)."""
    measured: dict[Widget, _Measured] = {}

    def add(container: Widget, size: Size) -> None:
        for placement in container.arrange(size).placements:
            widget, region, margin = placement.widget, placement.region, placement.margin
            inner = region.width - widget.styles.gutter.width
            measured[widget] = _Measured(
                region.height + margin.top + margin.bottom, inner, region.height
            )
            if container is text and widget.children:
                add(widget, Size(inner, height))

    add(text, Size(width - text.styles.gutter.width, height))
    return measured


async def _cut_paragraphs(
    paragraphs: list[tuple[Widget, int]], room: int, measured: dict[Widget, _Measured]
) -> bool:
    """Each paragraph taller than the room in pieces that fit, cut between words; False when
    none could be cut (a single word taller than the screen: the page scrolls)."""
    cut = False
    for paragraph, height in paragraphs:
        assert isinstance(paragraph, TextBlock)
        size = measured[paragraph]
        lines = max(1, room - (height - size.box_height))
        pieces = _cut(paragraph.visual, size.width, lines)
        if isinstance(paragraph.visual, Content) and len(pieces) > 1 and paragraph.parent:
            blocks = [
                TextBlock(piece, expand=True, classes=" ".join(paragraph.classes))
                for piece in pieces
            ]
            await paragraph.parent.mount_all(blocks, after=paragraph)
            await paragraph.remove()
            cut = True
    return cut


def _cut(content: object, width: int, lines: int) -> list[Content]:
    """A paragraph in pieces of at most ``lines`` lines at ``width``, cut between words."""
    if not isinstance(content, Content) or width <= 0:
        return []
    words = [match.start() for match in re.finditer(r"\S+", content.plain)]
    pieces: list[Content] = []
    start = 0
    while start < len(content.plain):
        end = len(content.plain)
        if len(content[start:end].wrap(width)) > lines:
            # the most words that fit: a binary search over the word starts after `start`
            candidates = [offset for offset in words if offset > start]
            low, high = 0, len(candidates) - 1
            while low < high:
                middle = (low + high + 1) // 2
                if len(content[start : candidates[middle]].wrap(width)) <= lines:
                    low = middle
                else:
                    high = middle - 1
            end = candidates[low] if candidates else end
        pieces.append(content[start:end].rstrip())
        start = end
    return pieces


def _units(block: Widget, room: int, measured: dict[Widget, _Measured]) -> list[tuple[Widget, int]]:
    """A block and its height, or its rows (list items, a quote's paragraphs) when it is
    taller than the room: a long list is split between two items."""
    height = measured[block].height
    rows = [row for row in block.children if row in measured]
    if height <= room or not rows:
        return [(block, height)]
    margin = block.styles.margin
    gutter = block.styles.gutter
    units: list[tuple[Widget, int]] = []
    for number, row in enumerate(rows):
        extra = margin.top + gutter.top if number == 0 else 0
        extra += margin.bottom + gutter.bottom if number == len(rows) - 1 else 0
        units.append((row, measured[row].height + extra))
    return units


def _split(blocks: list[Widget], room: int, measured: dict[Widget, _Measured]) -> list[_Part]:
    """Units in order, as many to a part as fit; a heading never ends a part (it goes over
    with the text it introduces)."""
    parts: list[_Part] = [_Part([])]
    heights: list[list[int]] = [[]]
    used = 0
    for block in blocks:
        for unit, height in _units(block, room, measured):
            if parts[-1].units and used + height > room:
                carried: list[Widget] = []
                carried_heights: list[int] = []
                while (
                    len(parts[-1].units) > 1
                    and parts[-1].units[-1].has_class("md-h")
                    and sum(carried_heights) + heights[-1][-1] + height <= room
                ):
                    carried.insert(0, parts[-1].units.pop())
                    carried_heights.insert(0, heights[-1].pop())
                parts.append(_Part(carried))
                heights.append(carried_heights)
                used = sum(carried_heights)
            parts[-1].units.append(unit)
            heights[-1].append(height)
            used += height
    return parts


def _title_rows(title: str, width: int, height: int, ascii_only: bool) -> int:
    """Rows for the title above a part of a long page: block letters about a fifth of the
    screen high when they fit, else the title in plain letters."""
    for rows in (max(4, height // 5), 4):
        layout = layout_big(title, width, rows, ascii_only)
        if layout is not None and layout.rows <= rows:
            return layout.rows
    return min(len(plain_lines(title, width, 3)), 3)


def _all_big(
    title: str | None, paragraphs: list[str] | None, width: int, height: int, ascii_only: bool
) -> tuple[int, str] | None:
    """``(title rows, text)`` when the whole page fits in block letters, the title at least as
    large as the text; None otherwise."""
    if paragraphs is None:
        return None
    body = "\n".join(paragraphs)
    if not body:
        return (height - 1, "") if title is not None else None  # - 1: the title's margin
    best: tuple[tuple[int, int, int, int], tuple[int, str]] | None = None
    if title is None:
        return (0, body) if layout_big(body, width, height, ascii_only) else None
    for share in (0.6, 0.5, 0.4, 0.3, 0.2, 0.1):
        title_layout = layout_big(title, width, max(4, int(height * share)), ascii_only)
        if title_layout is None:
            continue
        title_rows = title_layout.rows  # the drawing's own height: the text gets the rest
        text = layout_big(body, width, height - title_rows - 1, ascii_only)
        if text is None or (title_layout.qy, title_layout.qx) < (text.qy, text.qx):
            continue  # the title is never drawn smaller than the text
        if title_layout.qx < text.qx:
            continue
        key = (text.qy, text.qx, title_layout.qy, title_layout.qx)
        if best is None or key > best[0]:
            best = (key, (title_rows, body))
    return best[1] if best else None
