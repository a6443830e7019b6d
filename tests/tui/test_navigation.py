"""Moving around the programme: next/previous step, the programme dialog, the command palette,
and a jump from a screen opened over a step."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandInput

from atelier.domain.content import Workshop
from atelier.tui import labels
from atelier.tui.screens.base import StepScreen
from atelier.tui.screens.grid_entry import GridEntryScreen
from atelier.tui.screens.info import InfoScreen
from atelier.tui.screens.pause import PauseScreen
from atelier.tui.screens.programme import ProgrammeScreen
from atelier.tui.screens.quiz import QuizScreen
from tests.tui.factory import close, make_app, wait_for


async def test_every_step_opens_in_order(atis: Workshop, tmp_path: Path) -> None:
    app = make_app(atis, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        seen = []
        for step in atis.programme:
            await wait_for(
                pilot,
                lambda s=step: isinstance(app.screen, StepScreen) and app.screen.step.id == s.id,
            )
            seen.append(app.record.current_step_id)
            await pilot.press("ctrl+d")  # next step, on every screen (> where nothing is typed)
        assert seen == [step.id for step in atis.programme]
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: app.record.current_step_id == atis.programme[-2].id)
        logged = [entry.step_id for entry in app.record.step_log]
        assert logged[: len(atis.programme)] == [step.id for step in atis.programme]
    close(app)


async def test_programme_dialog_jumps_to_a_step(atis: Workshop, tmp_path: Path) -> None:
    app = make_app(atis, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, ProgrammeScreen))
        await pilot.press("down", "down", "down", "enter")  # the 4th row: the pause
        await wait_for(pilot, lambda: isinstance(app.screen, PauseScreen))
        assert app.record.current_step_id == "pause"
    close(app)


async def test_palette_lists_the_steps(atis: Workshop, tmp_path: Path) -> None:
    app = make_app(atis, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: bool(app.screen.query(CommandInput)))
        assert app.screen.query_one(CommandInput).placeholder == labels.PALETTE_PLACEHOLDER
        await pilot.press(*"ecosyst")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.record.current_step_id == "ecosysteme")
        assert isinstance(app.screen, InfoScreen)
    close(app)


async def test_jump_from_a_screen_opened_over_the_step(atis: Workshop, tmp_path: Path) -> None:
    app = make_app(atis, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        await app.go_to_step("analyse-projet")
        project = app.record.add_project("Épicerie solidaire", "Léa", app.clock.now())
        await app.persist()
        await app.push_screen(GridEntryScreen(atis.step("analyse-projet"), project.id))
        await wait_for(pilot, lambda: isinstance(app.screen, GridEntryScreen))
        await app.go_to_step("pause")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseScreen))
        assert len(app.screen_stack) == 2
    close(app)
