"""Every projected page of the bundled workshop fits its screen: nothing cut, nothing to scroll,
at 80×24, 160×45 and 240×67; long texts are split into parts that → walks through."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widget import Widget

import atelier.tui
from atelier.domain.content import Workshop
from atelier.domain.content_programme import StepKind
from atelier.tui.app import AtelierApp
from atelier.tui.screens.base import StepScreen
from atelier.tui.screens.quiz import QuizScreen, reveal_markdown
from atelier.tui.widgets.markdown_text import MarkdownText
from atelier.tui.widgets.slide_view import Page
from tests.tui.factory import close, make_app, wait_for

SIZES = [(80, 24), (160, 45), (240, 67)]
PAGED_KINDS = {StepKind.QUIZ, StepKind.INFO, StepKind.CLOSING, StepKind.PITCH, StepKind.ASSESSMENT}


def shown_pages(app: AtelierApp) -> list[Page]:
    """The pages on screen now (a page in a hidden branch of a switcher does not count)."""
    pages = []
    for page in app.screen.query(Page):
        if all(
            node.display for node in [page, *page.ancestors_with_self] if isinstance(node, Widget)
        ):
            pages.append(page)
    return pages


def used_rows(page: Page) -> int:
    """Rows the page's content takes (its children as laid out, margins included)."""
    rows = 0
    for child in page.children:
        if child.display:
            margin = child.styles.margin
            rows += child.outer_size.height + margin.top + margin.bottom
    return rows


def check_page(page: Page, size: tuple[int, int], where: str) -> None:
    assert page.laid_out, where
    assert page.max_scroll_y == 0, f"{where}: the page scrolls ({page.virtual_size} in {page.size})"
    assert used_rows(page) <= page.content_size.height, where
    for block in page.query_one(".page-text", MarkdownText).children:
        if block.display:  # a shown block is drawn whole inside the page
            assert block.region.bottom <= page.content_region.bottom, where
    if size == (160, 45) and page.part_index + 1 < page.part_count:
        # a part before the last uses most of the height
        assert used_rows(page) >= page.content_size.height * 0.6, where


async def settle(pilot, app: AtelierApp) -> None:  # noqa: ANN001
    await pilot.pause()
    try:
        await wait_for(pilot, lambda: all(page.laid_out for page in shown_pages(app)))
    except AssertionError:
        late = [(page.id, page.size, page.markdown[:50]) for page in shown_pages(app)]
        raise AssertionError(f"not laid out: {late}") from None


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_page_fits_without_scrolling(
    atis: Workshop, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(atis, tmp_path)
    checked = 0
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        for step in atis.programme:
            if step.kind not in PAGED_KINDS:
                continue
            await app.go_to_step(step.id)
            await wait_for(pilot, lambda s=step: getattr(app.screen, "step", None) == s)
            for press in range(80):
                await settle(pilot, app)
                for page in shown_pages(app):
                    where = f"{size} {step.id} after {press} →: {page.markdown[:60]!r}"
                    check_page(page, size, where)
                    checked += 1
                if step.kind == StepKind.PITCH and getattr(app.screen, "section", "") == "round":
                    break  # the round itself is a working screen, not a page
                await pilot.press("right")
                await pilot.pause()
                screen = app.screen
                if not isinstance(screen, StepScreen) or screen.step.id != step.id:
                    break
    close(app)
    assert checked > 20


async def test_a_reveal_with_seven_examples_is_split_into_parts(
    atis: Workshop, tmp_path: Path
) -> None:
    """Statement 3 has seven examples: never a scroll bar, → shows the next ones, ← goes back,
    and the hint says which examples are shown."""
    assert atis.quiz is not None
    item = atis.quiz.items[2]
    assert len(item.examples) == 7
    app = make_app(atis, tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        while not (screen.section == "items" and screen.run and screen.run.index == 2):
            await pilot.press("right")
            await settle(pilot, app)
            if screen.section == "items" and screen.run and screen.run.revealed:
                page = screen.query_one("#quiz-explanation", Page)
                while page.next_part():
                    await pilot.pause()
        await pilot.press("enter")  # reveal statement 3 (only Entrée reveals)
        page = screen.query_one("#quiz-explanation", Page)
        await settle(pilot, app)
        assert page.markdown == reveal_markdown(item, [])
        assert page.part_count >= 2
        hint = str(screen.query_one("#quiz-hint").render())
        assert "exemples 1–" in hint and "/ 7" in hint
        seen: list[str] = []
        for part in range(page.part_count):
            check_page(page, (160, 45), f"part {part}")
            text = page.query_one(".page-text", MarkdownText)
            seen += [str(block.render()) for block in text.children if block.display]
            if part + 1 < page.part_count:
                await pilot.press("right")
                await settle(pilot, app)
                assert screen.run is not None and screen.run.index == 2, "still statement 3"
        hint = str(screen.query_one("#quiz-hint").render())
        assert "– 7 / 7" in hint or "–7 / 7" in hint
        for example in item.examples:  # every example was shown, in one part or another
            assert any(example.initiatives[0].name in block for block in seen)
        await pilot.press("left")
        await settle(pilot, app)
        assert page.part_index == page.part_count - 2
        await pilot.press("right", "right")
        await wait_for(pilot, lambda: screen.run is not None and screen.run.index == 3)
    close(app)


async def test_at_80_columns_the_step_name_wins_over_the_session_name(
    atis: Workshop, tmp_path: Path
) -> None:
    app = make_app(atis, tmp_path, name="atelier-du-19-mai-salle-verte")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        await pilot.pause()
        top = app.screen._compositor.render_strips()[0].text
        assert atis.programme[0].title in top
        assert "…" not in top
        assert "salle-verte" not in top
    close(app)
    wide = make_app(atis, tmp_path, name="atelier-du-19-mai-salle-verte")
    async with wide.run_test(size=(200, 24)) as pilot:  # room for both: both are shown
        await wait_for(pilot, lambda: isinstance(wide.screen, QuizScreen))
        await pilot.pause()
        top = wide.screen._compositor.render_strips()[0].text
        assert atis.programme[0].title in top and "salle-verte" in top
    close(wide)


@pytest.mark.parametrize("width", [76, 100, 150])
def test_room_spread_headers_are_never_cut(atis: Workshop, width: int) -> None:
    from rich.console import Console

    from atelier.domain.assessment import room_spread
    from atelier.tui.screens.assessment_summary import room_table

    assert atis.grid is not None
    console = Console(width=width, color_system=None, record=True)
    console.print(room_table(atis.grid, room_spread(atis.grid, ()), 0), crop=True)
    header = console.export_text().splitlines()[0]
    assert "…" not in header
    labels = [f"{n} {level.label}" for n, level in enumerate(atis.grid.levels, 1)]
    full = all(label in header for label in labels)
    numbers = all(f" {n} " in f" {header} " for n in range(1, len(labels) + 1))
    assert full or numbers, header
    if width >= 150:
        assert full


@pytest.mark.parametrize("size", [(80, 24), (160, 45), (240, 67)])
async def test_a_verdict_without_explanation_fills_the_room(
    atis: Workshop, tmp_path: Path, size: tuple[int, int]
) -> None:
    """Statement 4 has no explanation: its verdict took a fifth of the screen above an empty
    page (at 240×67, 7 rows of block letters and 50 blank). It takes the room, and → goes on
    to statement 5 (no parts left from statement 3's examples)."""
    from atelier.tui.widgets.big_text import BigText

    assert atis.quiz is not None
    item = atis.quiz.items[3]
    assert not item.explanation and not item.examples and not item.slides
    app = make_app(atis, tmp_path)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        while not (screen.section == "items" and screen.run and screen.run.index == 3):
            if screen.section == "items" and screen.run and not screen.run.revealed:
                await pilot.press("enter")  # reveal, so that its parts are there to page
                await settle(pilot, app)
            await pilot.press("right")
            await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        verdict = screen.query_one("#quiz-verdict", BigText)
        explanation = screen.query_one("#quiz-explanation", Page)
        assert verdict.has_class("-alone") and not explanation.display
        answers = screen.query_one("#quiz-answers")
        below_answers = size[1] - (answers.region.y + answers.region.height)
        assert verdict.region.height >= below_answers - 4, (verdict.region, below_answers)
        await pilot.press("right")
        await wait_for(pilot, lambda: screen.run is not None and screen.run.index == 4)
        await pilot.press("enter")
        await settle(pilot, app)
        assert not verdict.has_class("-alone") and explanation.display
    close(app)


class _OnePage(App[None]):
    """A page alone on a screen, with atelier's styles."""

    CSS_PATH = Path(atelier.tui.__file__).with_name("atelier.tcss")

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield Page(self.markdown, id="page")


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_paragraph_taller_than_the_screen_is_cut_between_words(
    size: tuple[int, int],
) -> None:
    """One paragraph longer than the whole screen: cut into parts between words, each drawn
    whole, none scrolling, every word once and in order across the parts."""
    words = [f"mot{number}" for number in range(900)]
    app = _OnePage("# Un long texte\n\n" + " ".join(words) + "\n")
    async with app.run_test(size=size) as pilot:
        page = app.query_one(Page)
        await wait_for(pilot, lambda: page.laid_out)
        assert page.part_count > 1
        seen: list[str] = []
        for part in range(page.part_count):
            await pilot.pause()
            assert page.part_index == part
            check_page(page, size, f"partie {part + 1}")
            text = page.query_one(".page-text", MarkdownText)
            for block in text.children:
                if block.display:
                    seen.extend(str(block.render()).split())
            page.next_part()
        assert seen == words
