"""Block letters big enough to read from the back of the room.

Textual's ``Digits`` is always 3 rows tall; a projected timer or quiz statement needs far more.
``render_big`` draws text from a real bitmap font, unscii-8 (public domain, 8 × 8 pixels, every
French letter and sign: « É È Ç Œ « » ’ & … – — € »), scaled by the largest factor that fits the
box. A terminal cell holds 2 × 2 pixels: half blocks (``▀▄█``) when a pixel is a whole column
wide, quadrant blocks (``▘▝▖▗▚▞▙▛▜▟▌▐``) when it is half a column, which halves the width of a
letter and lets a whole sentence be drawn 4 columns × 4 rows a letter.

Nothing is ever drawn as another character: a text with a character the font lacks is shown as
plain text (``missing_glyphs`` says which). The font file is read the first time big letters are
drawn, not at import (start-up), and its glyphs are kept.
"""

from __future__ import annotations

import math
import os
import textwrap
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

FONT_FILE = Path(__file__).resolve().parent.parent / "fonts" / "unscii-8-fr.hex"
"""A subset of unscii-8 (tools/make_big_font.py builds it; fonts/LICENSE-unscii.txt)."""

GLYPH_ROWS = 8
LETTER_GAP = 1
"""Blank pixel columns between two glyphs (each glyph is cropped to its ink)."""
LINE_GAP = 1
"""Blank pixel rows between two lines of text."""
PARAGRAPH_GAP = 3
"""More blank pixel rows before a paragraph (or list item) of a text drawn big."""
SPACE_WIDTH = 4
"""Pixel width of a space (unscii's is 8, a whole letter: too wide once glyphs are cropped)."""

ASCII_ENV_VAR = "ATELIER_ASCII"

_INK = "#"
_BLANK = " "

Glyph = tuple[str, ...]
"""One string per pixel row, ``#`` for ink, all of the glyph's width."""


_BYTES = {
    f"{byte:02X}": format(byte, "08b").replace("1", _INK).replace("0", _BLANK)
    for byte in range(256)
}


def _decode(bitmap: str) -> list[str]:
    return [_BYTES[bitmap[i : i + 2]] for i in range(0, 16, 2)]


def _crop(rows: list[str], left: int, right: int) -> Glyph:
    return tuple(row[left:right] for row in rows)


@cache
def font() -> dict[str, Glyph]:
    """Every glyph of the font, cropped to its ink; digits share one width so a running timer
    does not jitter sideways. Read once, the first time big letters are drawn."""
    raw: dict[str, list[str]] = {}
    for line in FONT_FILE.read_text("ascii").splitlines():
        code, _, bitmap = line.partition(":")
        if len(bitmap) == 16:
            raw[chr(int(code, 16))] = _decode(bitmap)
    glyphs: dict[str, Glyph] = {}
    for char, rows in raw.items():
        ink = 0
        for row in rows:
            ink |= int(row.replace(_INK, "1").replace(_BLANK, "0"), 2)
        if not ink:
            glyphs[char] = tuple(_BLANK * SPACE_WIDTH for _ in rows)
        else:  # leftmost ink column = 8 - bit_length, rightmost = from the lowest set bit
            left = 8 - ink.bit_length()
            right = 8 - ((ink & -ink).bit_length() - 1)
            glyphs[char] = _crop(rows, left, right)
    digit_columns = [
        x for x in range(8) if any(raw[d][y][x] == _INK for d in "0123456789" for y in range(8))
    ]
    for digit in "0123456789":
        glyphs[digit] = _crop(raw[digit], digit_columns[0], digit_columns[-1] + 1)
    return glyphs


@lru_cache(maxsize=256)
def _prepare(text: str) -> str:
    """Composed characters (e + ◌́ → é), whitespace as spaces (a no-break space stays one:
    lines are never broken there), control characters dropped."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in "\u00a0\u202f":
            out.append("\u00a0")
        elif char == "\n" or not char.isspace():
            if char == "\n" or not unicodedata.category(char).startswith("C"):
                out.append(char)
        else:
            out.append(" ")
    return "".join(out)


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` the font cannot draw (they are never replaced by others:
    a text holding one is shown as plain text)."""
    glyphs = font()
    return {char for char in _prepare(text) if char != "\n" and char not in glyphs}


def can_draw(text: str) -> bool:
    return not missing_glyphs(text)


def _line_width(line: str, glyphs: dict[str, Glyph]) -> int:
    if not line:
        return 0
    return sum(len(glyphs[char][0]) for char in line) + LETTER_GAP * (len(line) - 1)


@dataclass(frozen=True)
class _Line:
    text: str
    indent: int = 0
    """Pixels before the text (the hanging indent of a list item's next lines)."""
    starts_paragraph: bool = False


def _bitmap(lines: list[_Line], align_left: bool) -> list[str]:
    """Unscaled pixel rows of every line, centred in the widest (or flush left)."""
    glyphs = font()
    gap = _BLANK * LETTER_GAP
    rendered: list[list[str]] = []
    for line in lines:
        rows = [
            _BLANK * line.indent + gap.join(glyphs[char][row] for char in line.text)
            for row in range(GLYPH_ROWS)
        ]
        rendered.append(rows)
    width = max((len(rows[0]) for rows in rendered), default=0)
    bitmap: list[str] = []
    for number, (line, rows) in enumerate(zip(lines, rendered, strict=True)):
        if number:
            gap = LINE_GAP + (PARAGRAPH_GAP if line.starts_paragraph else 0)
            bitmap.extend([_BLANK * width] * gap)
        left = 0 if align_left else (width - len(rows[0])) // 2
        bitmap.extend((_BLANK * left + row).ljust(width) for row in rows)
    return bitmap


def _choose_scale(
    pixel_width: int, pixel_height: int, width: int, height: int, ascii_only: bool
) -> tuple[int, int] | None:
    """Largest pixel that fits, as (half-columns, half-rows), or None.

    A cell is about twice as tall as wide and holds 2 × 2 sub-pixels (half a column by half a
    row), so a pixel of ``qx`` half-columns by ``qy`` half-rows is square when ``qx == 2 * qy``.
    Pixels from square to twice as tall as wide are allowed (``qy <= qx <= 2 * qy``); the
    tallest that fits wins, then the widest, preferring whole columns (half blocks, which every
    terminal font draws seamlessly) to half columns (quadrant blocks). ASCII mode draws one
    ``#`` a cell: whole columns and whole rows only.
    """
    if pixel_width <= 0 or pixel_height <= 0 or width <= 0 or height <= 0:
        return None
    step = 2 if ascii_only else 1
    qy = (2 * height // pixel_height) // step * step
    while qy >= step:
        if math.ceil(pixel_height * qy / 2) <= height:
            qx_max = min(2 * qy, 2 * width // pixel_width)
            even = qx_max // 2 * 2
            if even >= qy:
                return even, qy
            if not ascii_only and qx_max >= qy:
                return qx_max, qy
        qy -= step
    return None


_QUADRANTS = {
    "    ": " ",
    "#   ": "▘",
    " #  ": "▝",
    "##  ": "▀",
    "  # ": "▖",
    "# # ": "▌",
    " ## ": "▞",
    "### ": "▛",
    "   #": "▗",
    "#  #": "▚",
    " # #": "▐",
    "## #": "▜",
    "  ##": "▄",
    "# ##": "▙",
    " ###": "▟",
    "####": "█",
}
"""A cell's four sub-pixels (top left, top right, bottom left, bottom right) → its character."""


def _draw(bitmap: list[str], qx: int, qy: int, ascii_only: bool) -> tuple[str, ...]:
    rows = ["".join(pixel * qx for pixel in row) for row in bitmap for _ in range(qy)]
    if not rows:
        return ()
    if len(rows) % 2:
        rows.append(_BLANK * len(rows[0]))
    if len(rows[0]) % 2:
        rows = [row + _BLANK for row in rows]
    if ascii_only:  # whole cells: every 2 × 2 block is all ink or all blank
        return tuple(row[0::2] for row in rows[0::2])
    quadrants = _QUADRANTS
    return tuple(
        "".join(quadrants[top[x : x + 2] + bottom[x : x + 2]] for x in range(0, len(top), 2))
        for top, bottom in zip(rows[0::2], rows[1::2], strict=True)
    )


def _ascii_text(text: str) -> str:
    flat = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c if c.isascii() else "?" for c in flat)


def plain_lines(text: str, width: int, height: int, ascii_only: bool = False) -> list[str]:
    """The text itself, wrapped and centred, for boxes too small for any block letter or a
    text the font cannot draw. Cut (with « … ») only when even that does not fit."""
    if width <= 0 or height <= 0:
        return []
    paragraphs = [
        " ".join(word for word in paragraph.split(" ") if word)
        for paragraph in _prepare(text).split("\n")
    ]
    if ascii_only:
        paragraphs = [_ascii_text(paragraph) for paragraph in paragraphs]
    lines: list[str] = []
    for paragraph in paragraphs:  # a list item's next lines go under its text, not its bullet
        indent = " " * len(_hanging_marker(paragraph))
        lines += textwrap.wrap(paragraph, width, subsequent_indent=indent) or [""]
    if len(lines) > 1 and any(_hanging_marker(paragraph) for paragraph in paragraphs):
        # a list: one block, centred, its lines flush left (the bullets one above the other)
        widest = max(len(line) for line in lines)
        lines = [line.ljust(widest) for line in lines]
    if len(lines) > height:
        lines = lines[:height]
        last = lines[-1][: width - 1].rstrip()
        lines[-1] = last + ("." if ascii_only else "…")
    return [line.center(width) for line in lines]


@lru_cache(maxsize=64)
def _render_cached(text: str, width: int, height: int, ascii_only: bool) -> tuple[str, ...]:
    prepared = _prepare(text)
    if missing_glyphs(prepared):
        return tuple(plain_lines(text, width, height, ascii_only)[:1])
    bitmap = _bitmap([_Line(line) for line in prepared.split("\n")], align_left=False)
    scale = None
    if bitmap:
        scale = _choose_scale(len(bitmap[0]), len(bitmap), width, height, ascii_only)
    if scale is None:
        return tuple(plain_lines(text, width, height, ascii_only)[:1])
    return _draw(bitmap, *scale, ascii_only)


def render_big(text: str, width: int, height: int, ascii_only: bool = False) -> list[str]:
    """Draw ``text`` in block letters as large as fits in ``width`` × ``height`` cells.

    Returns lines of equal width (the drawing's own width, not padded to ``width``); ``\\n``
    in ``text`` starts a new line of letters. When not even the smallest scale fits, or the
    font lacks one of its characters, returns the plain text centred on one line.
    """
    return list(_render_cached(text, max(0, width), max(0, height), ascii_only))


_LIST_MARKER_CHARS = "•◦▪‣-–—➔→*"


def _hanging_marker(paragraph: str) -> str:
    """« • », « 1. », « ➔ » at the start of a list item (its next lines are indented by it)."""
    head, _, rest = paragraph.partition(" ")
    if rest and (
        (len(head) == 1 and head in _LIST_MARKER_CHARS)
        or (head[:-1].isdigit() and head[-1] in ".)")
    ):
        return head + " "
    return ""


def _wrap(paragraphs: list[str], chars: int, glyphs: dict[str, Glyph]) -> list[_Line]:
    lines: list[_Line] = []
    for paragraph in paragraphs:
        marker = _hanging_marker(paragraph)
        if not paragraph.strip():
            lines.append(_Line("", starts_paragraph=True))
            continue
        indent = _line_width(marker, glyphs) + LETTER_GAP if marker else 0
        wrapped = textwrap.wrap(paragraph, chars, break_long_words=False) or [""]
        if marker and len(wrapped) > 1:
            rest = " ".join(wrapped[1:])
            wrapped = [
                wrapped[0],
                *textwrap.wrap(rest, chars - len(marker), break_long_words=False),
            ]
        lines.extend(
            _Line(line, indent if number else 0, starts_paragraph=not number)
            for number, line in enumerate(wrapped)
        )
    return lines


def _pixel_height(lines: list[_Line]) -> int:
    gaps = sum(PARAGRAPH_GAP for line in lines[1:] if line.starts_paragraph)
    return len(lines) * (GLYPH_ROWS + LINE_GAP) - LINE_GAP + gaps


@dataclass(frozen=True)
class BigLayout:
    """How a text is drawn in block letters: its lines and the pixel size."""

    lines: tuple[_Line, ...]
    qx: int
    qy: int
    align_left: bool

    @property
    def rows(self) -> int:
        """Terminal rows the drawing takes."""
        return math.ceil(_pixel_height(list(self.lines)) * self.qy / 2)


@lru_cache(maxsize=256)
def layout_big(
    text: str, width: int, height: int, ascii_only: bool = False, min_qy: int = 1
) -> BigLayout | None:
    """The largest block-letter drawing of ``text`` in the box, its words wrapped over as many
    lines as makes the letters largest; each ``\\n`` starts a paragraph, and a paragraph that
    starts with a list marker (« • », « 1. ») keeps its text next to the marker, with the next
    lines indented under the text. None when the font lacks a character of the text, or when
    it fits only with pixels smaller than ``min_qy`` half-rows."""
    prepared = _prepare(text).strip("\n")
    if not prepared.replace("\u00a0", " ").strip() or width <= 0 or height <= 0:
        return None
    if missing_glyphs(prepared):
        return None
    glyphs = font()
    # split at breakable spaces only: a no-break space keeps « : » with its word
    paragraphs = [" ".join(word for word in p.split(" ") if word) for p in prepared.split("\n")]
    # Too long for the box even at the smallest pixel (half a column by half a row, 4 to a
    # cell): no need to try (a reveal of 2,000 characters at 160 × 45).
    ink = sum(_line_width(p, glyphs) for p in paragraphs)
    if ink * (GLYPH_ROWS + LINE_GAP) > 4 * width * height:
        return None
    align_left = any(_hanging_marker(p) for p in paragraphs)
    longest_word = max(len(word) for p in paragraphs for word in p.split(" ") if word)
    longest_paragraph = max(len(p) for p in paragraphs)
    candidates = {longest_paragraph}
    for line_count in range(1, 16):
        chars = max(longest_word + 3, math.ceil(longest_paragraph / line_count))
        candidates.update((chars, chars + 2))  # + 2: room for a list item's bullet
    best: BigLayout | None = None
    for chars in sorted(candidates, reverse=True):
        lines = _wrap(paragraphs, chars, glyphs)
        pixel_width = max(line.indent + _line_width(line.text, glyphs) for line in lines)
        pixel_height = _pixel_height(lines)
        scale = _choose_scale(pixel_width, pixel_height, width, height, ascii_only)
        if scale is None or scale[1] < min_qy:
            continue
        qx, qy = scale
        if best is None or (qy, qx) > (best.qy, best.qx):
            best = BigLayout(tuple(lines), qx, qy, align_left)
    return best


def draw_layout(layout: BigLayout, ascii_only: bool = False) -> list[str]:
    return list(_drawn(layout, ascii_only))


@lru_cache(maxsize=64)
def _drawn(layout: BigLayout, ascii_only: bool) -> tuple[str, ...]:
    """A layout's drawing, kept: a statement or title drawn again (going back a page, a
    repaint) costs nothing the second time."""
    return _draw(_bitmap(list(layout.lines), layout.align_left), layout.qx, layout.qy, ascii_only)


def render_big_wrapped(
    text: str, width: int, height: int, ascii_only: bool = False
) -> list[str] | None:
    """``text`` broken over as many lines of block letters as makes them largest, or None
    when it cannot be drawn in block letters at all (the caller shows plain text).

    A quiz statement of a hundred characters fits in a few lines at a projector's 160 × 45,
    in quadrant blocks at 80 × 24 when short enough, else the screen shows ordinary bold text."""
    layout = layout_big(text, max(0, width), max(0, height), ascii_only)
    if layout is None:
        return None
    return draw_layout(layout, ascii_only)


def ascii_only_from_env() -> bool:
    """``ATELIER_ASCII=1`` for projector fonts without block characters."""
    return os.environ.get(ASCII_ENV_VAR, "").strip().lower() in {"1", "true", "yes", "on"}


class BigText(Widget):
    """A string in block letters, re-scaled to the widget's size and centred."""

    DEFAULT_CSS = """
    BigText {
        width: 1fr;
        height: 1fr;
    }
    """

    text: reactive[str] = reactive("", layout=False)
    """Setting the same value again does not repaint (reactive compares)."""

    def __init__(
        self,
        text: str = "",
        *,
        ascii_only: bool | None = None,
        wrap: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.ascii_only = ascii_only_from_env() if ascii_only is None else ascii_only
        self.wrap = wrap
        self.set_reactive(BigText.text, text)

    def update(self, text: str) -> None:
        self.text = text

    def render_lines_for(self, width: int, height: int) -> list[str]:
        """The block lines centred in a ``width`` × ``height`` box (what ``render`` shows)."""
        art: list[str] | None = None
        if self.wrap:
            art = render_big_wrapped(self.text, width, height, self.ascii_only)
            if art is None:  # too small for block letters, or a glyph missing: plain text
                art = plain_lines(self.text, width, height, self.ascii_only)
        else:
            art = render_big(self.text, width, height, self.ascii_only)
        art_width = max((len(line) for line in art), default=0)
        left = max(0, (width - art_width) // 2)
        top = max(0, (height - len(art)) // 2)
        blank = " " * width
        lines = [blank] * top
        lines += [(" " * left + line).ljust(width)[:width] for line in art]
        lines += [blank] * max(0, height - len(lines))
        return lines[:height]

    def render(self) -> RenderResult:
        width, height = self.content_size
        # Content, not str: a str would be parsed as markup.
        return Content("\n".join(self.render_lines_for(width, height)))
