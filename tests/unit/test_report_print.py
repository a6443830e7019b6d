"""The HTML report printed on A4 by headless Chromium, as a facilitator would print it.

Each report is printed to PDF (``--print-to-pdf``), then read back page by page: its text with
``pdftotext`` and its ink with ``pdftoppm`` (grey pixels, 30 dpi). Checked: the paper is A4;
no table is split across two pages (its caption and every row header on one page); a project
starts on a new page; no page is mostly blank (ink reaching under 40 % of the printable height),
except the last page of a section (the page before a new project, or the last page).

Skipped when Chromium or poppler-utils are not installed (``apt-get install chromium
poppler-utils``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from atelier.domain.content import Workshop
from atelier.report import render_html
from atelier.report.debrief import build_debrief
from atelier.report.debrief_render import render_debrief
from tests.data.sample_session import build_sample_record

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = all(shutil.which(tool) for tool in ("pdftoppm", "pdftotext", "pdfinfo"))

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or not POPPLER, reason="chromium or poppler-utils (pdftoppm) not installed"
)

MARGIN_MM = 15.0
A4_HEIGHT_MM = 297.0
MIN_FILL = 0.40
INK = 160  # a grey level under this (0 = black) is ink


def _words(text: str) -> str:
    """Letters and digits only, one space between words: what pdftotext gives back reliably
    (symbols such as ↗ come from fallback fonts and may move)."""
    return " ".join(re.findall(r"\w+", text))


@dataclass
class Table:
    caption: str
    row_headers: list[str]


class _Tables(HTMLParser):
    """Each table's caption and row headers (``<th scope="row">``), in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self._into: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(Table("", []))
        elif tag == "caption" or (tag == "th" and ("scope", "row") in attrs):
            self._into, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if self._into == tag:
            text = _words("".join(self._text))
            if tag == "caption":
                self.tables[-1].caption = text
            else:
                self.tables[-1].row_headers.append(text)
            self._into = None

    def handle_data(self, data: str) -> None:
        if self._into:
            self._text.append(data)


class _Headings(HTMLParser):
    """The text of every heading (h2 to h4) and table caption."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._into: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3", "h4", "caption"):
            self._into, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if self._into == tag:
            self.texts.append(_words("".join(self._text)))
            self._into = None

    def handle_data(self, data: str) -> None:
        if self._into:
            self._text.append(data)


def _tables(page: str) -> list[Table]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


@dataclass
class Printed:
    pages: list[str]  # the text of each page, whitespace collapsed
    fills: list[float]  # how far down each page the ink reaches, 0..1 of the printable height
    size: str


def _print(html: str, folder: Path) -> Printed:
    source = folder / "rapport.html"
    source.write_text(html, encoding="utf-8")
    pdf = folder / "rapport.pdf"
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={pdf}",
            source.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    lines = info.stdout.splitlines()
    size = next(line for line in lines if line.startswith("Page size"))
    count = int(next(line for line in lines if line.startswith("Pages:")).split()[1])
    pages = []
    for number in range(1, count + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pages.append(_words(text))
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf), str(folder / "page")], check=True)
    fills = [_fill(path) for path in sorted(folder.glob("page-*.pgm"))]
    assert len(fills) == count
    return Printed(pages, fills, size)


def _fill(pgm: Path) -> float:
    """How far down the printable area the lowest ink of a page is (binary PGM, P5)."""
    magic, dims, _depth, pixels = pgm.read_bytes().split(b"\n", 3)
    assert magic == b"P5"
    width, height = map(int, dims.split())
    lowest = 0
    for y in range(height):
        if min(pixels[y * width : (y + 1) * width]) < INK:
            lowest = y
    top = height * MARGIN_MM / A4_HEIGHT_MM
    usable = height * (A4_HEIGHT_MM - 2 * MARGIN_MM) / A4_HEIGHT_MM
    return max(0.0, (lowest - top) / usable)


def _check_tables_whole(html: str, printed: Printed) -> int:
    """Every table on one page: its caption and all its row headers on the same page."""
    cursor = 0
    for table in _tables(html):
        assert table.caption, "a table without a caption"
        found = [n for n in range(cursor, len(printed.pages)) if table.caption in printed.pages[n]]
        assert found, f"caption « {table.caption} » not printed after page {cursor + 1}"
        page = found[0]
        words = set(printed.pages[page].split())
        for header in table.row_headers:
            # A long row header wraps in its cell, and pdftotext may read the next cell between
            # its lines: its first two words stay together, and all its words are on the page.
            first = " ".join(header.split()[:2])
            assert first in printed.pages[page] and set(header.split()) <= words, (
                f"« {table.caption} » split: row « {header} » is not on page {page + 1}"
            )
        cursor = page
    return cursor


def _check_no_mostly_blank_page(printed: Printed, section_starts: list[str]) -> None:
    for number, fill in enumerate(printed.fills[:-1]):
        following = printed.pages[number + 1]
        ends_a_section = any(following.startswith(start) for start in section_starts)
        assert ends_a_section or fill >= MIN_FILL, (
            f"page {number + 1} is {fill:.0%} full and does not end a section: "
            f"{printed.pages[number][-120:]!r}"
        )


@pytest.mark.parametrize("name", ["participants", "private", "one-project", "debrief"])
def test_a4_print_strands_no_heading_at_a_page_foot(
    printed_reports: dict[str, tuple[str, Printed]], name: str
) -> None:
    html, printed = printed_reports[name]
    parser = _Headings()
    parser.feed(html)
    headings = [text for text in parser.texts if text]
    assert headings
    for number, page in enumerate(printed.pages[:-1]):
        for heading in headings:
            assert not page.endswith(heading), f"page {number + 1} ends with « {heading} »"


@pytest.fixture(scope="module")
def printed_reports(
    atis: Workshop, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[str, Printed]]:
    record = build_sample_record(atis)
    reports = {
        "participants": render_html(atis, record),
        "private": render_html(atis, record, private=True),
        "one-project": render_html(atis, record, "rustine-et-cie"),
        "debrief": render_debrief(build_debrief(atis, [record], record), "html"),
    }
    return {
        name: (html, _print(html, tmp_path_factory.mktemp(name))) for name, html in reports.items()
    }


@pytest.mark.parametrize("name", ["participants", "private", "one-project", "debrief"])
def test_a4_print_has_no_table_split_across_pages(
    printed_reports: dict[str, tuple[str, Printed]], name: str
) -> None:
    html, printed = printed_reports[name]
    assert "(A4)" in printed.size
    _check_tables_whole(html, printed)


@pytest.mark.parametrize("name", ["participants", "private", "one-project", "debrief"])
def test_a4_print_has_no_mostly_blank_page(
    printed_reports: dict[str, tuple[str, Printed]], atis: Workshop, name: str
) -> None:
    _html, printed = printed_reports[name]
    record = build_sample_record(atis)
    starts = ["Projets", *(project.name for project in record.projects)]
    starts = [_words(start) for start in [*starts, "La salle, critère par critère"]]
    _check_no_mostly_blank_page(printed, starts)


def test_a4_print_starts_each_project_on_a_new_page(
    printed_reports: dict[str, tuple[str, Printed]], atis: Workshop
) -> None:
    _html, printed = printed_reports["participants"]
    record = build_sample_record(atis)
    for index, project in enumerate(record.projects):
        start = _words(("Projets " if index == 0 else "") + project.name)
        assert any(page.startswith(start) for page in printed.pages), project.name


def test_one_project_report_fits_without_a_blank_first_page(
    printed_reports: dict[str, tuple[str, Printed]],
) -> None:
    _html, printed = printed_reports["one-project"]
    assert printed.fills[0] >= 0.8  # the title, then the project straight away
