"""Block letters big enough to read from the back of the room.

Textual's ``Digits`` is always 3 rows tall; a projected timer needs far more. ``render_big``
draws a small bitmap font (5 pixels tall) scaled by the largest integer factor that fits the
box, using half blocks (``▀▄█``) so the vertical scale can move in half-row steps.
"""

from __future__ import annotations

import math
import os
import textwrap
import unicodedata
from functools import lru_cache

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

GLYPH_ROWS = 5
LETTER_GAP = 1
"""Blank pixel columns between two glyphs."""
LINE_GAP = 1
"""Blank pixel rows between two lines of text."""

ASCII_ENV_VAR = "ATELIER_ASCII"

# One glyph per character: 5 rows, '#' = ink. Digits share one width so a running timer
# keeps the same width every second and does not jitter sideways.
_FONT_SOURCE: dict[str, tuple[str, ...]] = {
    "0": ("####", "#..#", "#..#", "#..#", "####"),
    "1": ("..#.", ".##.", "..#.", "..#.", ".###"),
    "2": ("####", "...#", "####", "#...", "####"),
    "3": ("####", "...#", ".###", "...#", "####"),
    "4": ("#..#", "#..#", "####", "...#", "...#"),
    "5": ("####", "#...", "####", "...#", "####"),
    "6": ("####", "#...", "####", "#..#", "####"),
    "7": ("####", "...#", "..#.", ".#..", ".#.."),
    "8": ("####", "#..#", "####", "#..#", "####"),
    "9": ("####", "#..#", "####", "...#", "####"),
    "A": (".##.", "#..#", "####", "#..#", "#..#"),
    "B": ("###.", "#..#", "###.", "#..#", "###."),
    "C": (".###", "#...", "#...", "#...", ".###"),
    "D": ("###.", "#..#", "#..#", "#..#", "###."),
    "E": ("####", "#...", "###.", "#...", "####"),
    "F": ("####", "#...", "###.", "#...", "#..."),
    "G": (".###", "#...", "#.##", "#..#", ".###"),
    "H": ("#..#", "#..#", "####", "#..#", "#..#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "J": ("..##", "...#", "...#", "#..#", ".##."),
    "K": ("#..#", "#.#.", "##..", "#.#.", "#..#"),
    "L": ("#...", "#...", "#...", "#...", "####"),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
    "N": ("#...#", "##..#", "#.#.#", "#..##", "#...#"),
    "O": (".##.", "#..#", "#..#", "#..#", ".##."),
    "P": ("###.", "#..#", "###.", "#...", "#..."),
    "Q": (".##.", "#..#", "#..#", "#.#.", ".#.#"),
    "R": ("###.", "#..#", "###.", "#.#.", "#..#"),
    "S": (".###", "#...", ".##.", "...#", "###."),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "U": ("#..#", "#..#", "#..#", "#..#", ".##."),
    "V": ("#...#", "#...#", "#...#", ".#.#.", "..#.."),
    "W": ("#...#", "#...#", "#.#.#", "##.##", "#...#"),
    "X": ("#...#", ".#.#.", "..#..", ".#.#.", "#...#"),
    "Y": ("#...#", ".#.#.", "..#..", "..#..", "..#.."),
    "Z": ("####", "...#", ".##.", "#...", "####"),
    " ": ("..", "..", "..", "..", ".."),
    ":": (".", "#", ".", "#", "."),
    ".": (".", ".", ".", ".", "#"),
    ",": ("..", "..", "..", ".#", "#."),
    "!": ("#", "#", "#", ".", "#"),
    "?": ("###", "..#", ".##", "...", ".#."),
    "+": ("...", ".#.", "###", ".#.", "..."),
    "-": ("...", "...", "###", "...", "..."),
    "=": ("...", "###", "...", "###", "..."),
    "/": ("..#", "..#", ".#.", "#..", "#.."),
    "'": ("#", "#", ".", ".", "."),
    '"': ("#.#", "#.#", "...", "...", "..."),
    "(": (".#", "#.", "#.", "#.", ".#"),
    ")": ("#.", ".#", ".#", ".#", "#."),
    "%": ("#...#", "...#.", "..#..", ".#...", "#...#"),
    "✔": ("....#", "...#.", "#.#..", ".#...", "....."),
    "✘": ("#...#", ".#.#.", "..#..", ".#.#.", "#...#"),
}

_FONT: dict[str, tuple[tuple[bool, ...], ...]] = {
    char: tuple(tuple(cell == "#" for cell in row) for row in rows)
    for char, rows in _FONT_SOURCE.items()
}

# Characters with no glyph of their own that read well as another one.
_ALIASES: dict[str, str] = {
    "≈": "=",
    "✓": "✔",
    "✗": "✘",
    "×": "X",
    "Œ": "OE",
    "Æ": "AE",
    "ß": "SS",
    "«": '"',
    "»": '"',
    "’": "'",
    "‘": "'",
    "–": "-",
    "—": "-",
    "−": "-",
    "\u00a0": " ",
    "\u202f": " ",
}
_UNKNOWN = "?"


def _normalise(text: str) -> str:
    """Upper-case, strip accents (É → E via NFKD) and map everything to font characters."""
    out: list[str] = []
    for char in text.upper():
        char = _ALIASES.get(char, char)
        if char in _FONT or len(char) > 1:
            out.append(char)
        elif char.isspace():
            out.append(" ")
        elif not unicodedata.category(char).startswith("C"):  # control, format: draw nothing
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            base = "".join(_ALIASES.get(c, c) for c in base.upper())
            if base:  # a lone combining accent has no base: nothing to draw
                out.append(base if all(c in _FONT for c in base) else _UNKNOWN)
    return "".join(out)


def _plain_fallback(text: str, width: int, ascii_only: bool) -> list[str]:
    """The text itself, centred on one line, for boxes too small for any block letter."""
    flat = "".join(c for c in " ".join(text.split()) if c.isprintable())
    if ascii_only:
        flat = "".join(
            c for c in unicodedata.normalize("NFKD", flat) if not unicodedata.combining(c)
        )
        flat = "".join(c if c.isascii() else "?" for c in flat)
    if width <= 0:
        return [""]
    if len(flat) > width:
        flat = flat[: width - 1] + ("." if ascii_only else "…")
    return [flat.center(width)]


def _bitmap(lines: list[str]) -> list[list[bool]]:
    """Unscaled pixels of every line, each line centred in the widest one."""
    rendered: list[list[list[bool]]] = []
    for line in lines:
        rows: list[list[bool]] = [[] for _ in range(GLYPH_ROWS)]
        for index, char in enumerate(line):
            glyph = _FONT[char]
            for row, pixels in zip(rows, glyph, strict=True):
                if index:
                    row.extend([False] * LETTER_GAP)
                row.extend(pixels)
        rendered.append(rows)
    width = max((len(rows[0]) for rows in rendered), default=0)
    bitmap: list[list[bool]] = []
    for number, rows in enumerate(rendered):
        if number:
            bitmap.extend([[False] * width for _ in range(LINE_GAP)])
        left = (width - len(rows[0])) // 2
        for row in rows:
            bitmap.append([False] * left + row + [False] * (width - left - len(row)))
    return bitmap


def _choose_scale(
    pixel_width: int, pixel_height: int, width: int, height: int, ascii_only: bool
) -> tuple[int, int] | None:
    """Largest (x cells, y half-rows) per pixel that fits, or None.

    A terminal cell is about twice as tall as wide, so a half-row is about one column: a pixel
    of ``sx`` columns by ``sy`` half-rows is square when ``sx == sy``. We allow pixels from
    square (``sx == sy``) to twice as tall as wide (``sx == ceil(sy / 2)``), pick the tallest
    ``sy`` that fits, then the widest ``sx``. ASCII mode has no half blocks: ``sy`` is even.
    """
    if pixel_width <= 0 or pixel_height <= 0 or width <= 0 or height <= 0:
        return None
    step = 2 if ascii_only else 1
    sy = (2 * height // pixel_height) // step * step
    while sy >= step:
        rows = math.ceil(pixel_height * sy / 2)
        sx_max = min(sy, width // pixel_width)
        if rows <= height and sx_max >= math.ceil(sy / 2):
            return sx_max, sy
        sy -= step
    return None


@lru_cache(maxsize=64)
def _render_cached(text: str, width: int, height: int, ascii_only: bool) -> tuple[str, ...]:
    lines = [_normalise(line) for line in text.split("\n")]
    bitmap = _bitmap(lines)
    pixel_height = len(bitmap)
    pixel_width = len(bitmap[0]) if bitmap else 0
    scale = _choose_scale(pixel_width, pixel_height, width, height, ascii_only)
    if scale is None:
        if height <= 0:
            return ()
        return tuple(_plain_fallback(text, width, ascii_only))
    sx, sy = scale
    # Expand to half-row resolution, then pair half-rows into cells.
    half_rows = [
        "".join(("#" if pixel else " ") * sx for pixel in row) for row in bitmap for _ in range(sy)
    ]
    if len(half_rows) % 2:
        half_rows.append(" " * len(half_rows[0]))
    if ascii_only:
        return tuple(half_rows[0::2])
    cells = {("#", "#"): "█", ("#", " "): "▀", (" ", "#"): "▄", (" ", " "): " "}
    return tuple(
        "".join(cells[pair] for pair in zip(top, bottom, strict=True))
        for top, bottom in zip(half_rows[0::2], half_rows[1::2], strict=True)
    )


def render_big(text: str, width: int, height: int, ascii_only: bool = False) -> list[str]:
    """Draw ``text`` in block letters as large as fits in ``width`` × ``height`` cells.

    Returns lines of equal width (the drawing's own width, not padded to ``width``); ``\\n``
    in ``text`` starts a new line of letters. When not even the smallest scale fits, returns
    the plain text centred on one line.
    """
    return list(_render_cached(text, max(0, width), max(0, height), ascii_only))


def render_big_wrapped(
    text: str, width: int, height: int, ascii_only: bool = False
) -> list[str] | None:
    """``text`` broken over as many lines of block letters as makes them largest, or None
    when it cannot be drawn in block letters at all (the caller shows plain text).

    A quiz statement of a hundred characters fits in three to six lines at a projector's
    160 × 45; at 80 × 24 it does not, and the screen falls back to ordinary bold text."""
    words = text.split()
    if not words:
        return []
    best: list[str] | None = None
    best_glyph_rows = 0.0
    longest_word = max(len(word) for word in words)
    for line_count in range(1, 9):
        chars_per_line = max(longest_word, math.ceil(len(text) / line_count))
        lines = textwrap.wrap(text, chars_per_line, break_long_words=False)
        art = render_big("\n".join(lines), width, height, ascii_only)
        if len(art) <= 1:  # the one-line plain fallback: block letters did not fit
            continue
        glyph_rows = len(art) / len(lines)
        if glyph_rows > best_glyph_rows:
            best, best_glyph_rows = art, glyph_rows
    return best


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
        if art is None:
            art = render_big(self.text, width, height, self.ascii_only)
            if self.wrap and len(art) == 1:  # too small for block letters: wrapped plain text
                art = textwrap.wrap(self.text, max(1, width)) or [""]
                art = [line.center(width) for line in art]
        art_width = len(art[0]) if art else 0
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
