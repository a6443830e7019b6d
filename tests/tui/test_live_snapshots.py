"""What the room sees during the live workshop, at a laptop size (80×24) and a projector size
(160×45): a page, a statement, its reveal, the quiz summary, the pause, the programme and the
help. The fake clock stands still, so every timer and the header clock are frozen.

Regenerate with ``pytest tests/tui/test_live_snapshots.py --snapshot-update`` and look at the
SVGs before committing them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.tui.app import AtelierApp
from atelier.tui.screens.help import HelpScreen
from atelier.tui.screens.info import InfoScreen
from atelier.tui.screens.pause import PauseScreen
from atelier.tui.screens.programme import ProgrammeScreen
from atelier.tui.screens.quiz import QuizScreen
from atelier.tui.widgets.slide_view import Page
from tests.tui.factory import make_app, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="160x45")]


def _app(workshop: Workshop, tmp_path: Path) -> AtelierApp:
    app = make_app(workshop, tmp_path, FakeClock())
    app.animation_level = "none"
    return app


async def _quiz(pilot: Pilot[Any]) -> QuizScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, QuizScreen))
    screen = pilot.app.screen
    assert isinstance(screen, QuizScreen)
    return screen


async def _first_statement(pilot: Pilot[Any]) -> QuizScreen:
    screen = await _quiz(pilot)
    while screen.section != "items":
        await pilot.press("right")
    await pilot.pause()
    return screen


async def _settled(pilot: Pilot[Any]) -> None:
    """Every page on screen knows its parts (they are measured one frame after a change)."""
    await pilot.pause()
    await wait_for(pilot, lambda: all(page.laid_out for page in pilot.app.screen.query(Page)))
    await pilot.pause()


async def _past_reveal(pilot: Pilot[Any], screen: QuizScreen) -> None:
    """From a revealed statement to the next one (→ shows the explanation's parts first)."""
    assert screen.run is not None
    index = screen.run.index
    await _settled(pilot)
    while screen.section == "items" and screen.run.index == index:
        await pilot.press("right")
        await _settled(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_title_page(snap_compare: Any, atis: Workshop, tmp_path: Path, size: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _quiz(pilot)
        await _settled(pilot)

    assert snap_compare(_app(atis, tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_intro_page_with_a_list(
    snap_compare: Any, atis: Workshop, tmp_path: Path, size: Any
) -> None:
    """« Objectifs de la séquence »: each bullet next to its text, in block letters when the
    page fits that way."""

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await _quiz(pilot)
        await screen._show_pages("before", 3)
        await _settled(pilot)

    assert snap_compare(_app(atis, tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_definitions_page(snap_compare: Any, atis: Workshop, tmp_path: Path, size: Any) -> None:
    """The CSESS definition: the title in block letters, the quote in a 75-column measure."""

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await _quiz(pilot)
        await screen._show_pages("after", 3)
        await _settled(pilot)

    assert snap_compare(_app(atis, tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_statement(snap_compare: Any, atis: Workshop, tmp_path: Path, size: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _first_statement(pilot)
        await pilot.press("v", "v", "v", "f")

    assert snap_compare(_app(atis, tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_reveal_with_examples(snap_compare: Any, atis: Workshop, tmp_path: Path, size: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await _first_statement(pilot)
        for _ in range(2):  # statements 1 and 2: reveal, next
            await pilot.press("enter")
            await _past_reveal(pilot, screen)
        await pilot.press("v", "v", "f", "p", "enter")  # statement 3 (examples), revealed
        assert screen.run is not None and screen.run.revealed
        await _settled(pilot)  # « exemples 1–… / 7 »

    assert snap_compare(_app(atis, tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_summary(snap_compare: Any, atis: Workshop, tmp_path: Path, size: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await _first_statement(pilot)
        await pilot.press("v", "v", "f", "enter")  # 1 counted and revealed
        await _past_reveal(pilot, screen)
        await pilot.press("p", "right")  # 2 counted, not revealed: → never reveals
        await pilot.press("home")
        await wait_for(pilot, lambda: screen.section == "after")
        await _settled(pilot)

    assert snap_compare(_app(atis, tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_pause(snap_compare: Any, atis: Workshop, tmp_path: Path, size: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _quiz(pilot)
        app = pilot.app
        assert isinstance(app, AtelierApp)
        await app.go_to_step("pause")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseScreen))

    assert snap_compare(_app(atis, tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_programme(snap_compare: Any, atis: Workshop, tmp_path: Path, size: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _quiz(pilot)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ProgrammeScreen))

    assert snap_compare(_app(atis, tmp_path), terminal_size=size, run_before=run_before)


def test_help(snap_compare: Any, atis: Workshop, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _first_statement(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))

    assert snap_compare(_app(atis, tmp_path), terminal_size=(80, 24), run_before=run_before)


def test_light_theme(snap_compare: Any, atis: Workshop, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _first_statement(pilot)
        await pilot.press("t")

    assert snap_compare(_app(atis, tmp_path), terminal_size=(160, 45), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_info_page(snap_compare: Any, atis: Workshop, tmp_path: Path, size: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _quiz(pilot)
        app = pilot.app
        assert isinstance(app, AtelierApp)
        await app.go_to_step("caracterisation")
        await wait_for(pilot, lambda: isinstance(app.screen, InfoScreen))
        screen = app.screen
        assert isinstance(screen, InfoScreen)
        await screen.show_page(3)  # the 7 key analysis questions
        await _settled(pilot)

    assert snap_compare(_app(atis, tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_closing_page(snap_compare: Any, atis: Workshop, tmp_path: Path, size: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _quiz(pilot)
        app = pilot.app
        assert isinstance(app, AtelierApp)
        await app.go_to_step("cloture")
        await wait_for(pilot, lambda: isinstance(app.screen, InfoScreen))
        await pilot.press("right")  # resources, contact, licence
        await _settled(pilot)

    assert snap_compare(_app(atis, tmp_path), terminal_size=size, run_before=run_before)
