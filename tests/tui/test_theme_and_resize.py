"""The high-contrast light theme is one key away and remembered; resizing from a laptop
terminal to a projector and back never breaks a screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier.domain.content import Workshop
from atelier.store.settings import Settings
from atelier.tui.screens.base import StepScreen
from atelier.tui.screens.quiz import QuizScreen
from atelier.tui.themes import DARK_THEME, LIGHT_THEME
from tests.tui.factory import close, make_app, wait_for


async def test_contrast_key_switches_and_is_remembered(atis: Workshop, tmp_path: Path) -> None:
    app = make_app(atis, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        assert app.theme == DARK_THEME.name
        await pilot.press("t")
        assert app.theme == LIGHT_THEME.name
    close(app)
    assert Settings.load().theme == LIGHT_THEME.name

    again = make_app(atis, tmp_path, settings=Settings.load())
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, QuizScreen))
        assert again.theme == LIGHT_THEME.name
        await pilot.press("t")
        assert again.theme == DARK_THEME.name
    close(again)


def test_light_theme_has_no_mid_grey_text() -> None:
    assert LIGHT_THEME.background == "#FFFFFF" and LIGHT_THEME.foreground == "#000000"
    assert DARK_THEME.background == "#000000" and DARK_THEME.foreground == "#FFFFFF"


@pytest.mark.parametrize(
    "step_id", ["contexte", "caracterisation", "analyse-projet", "pause", "booster", "cloture"]
)
async def test_every_step_survives_resizing(atis: Workshop, tmp_path: Path, step_id: str) -> None:
    app = make_app(atis, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen))
        await app.go_to_step(step_id)
        await wait_for(
            pilot, lambda: isinstance(app.screen, StepScreen) and app.screen.step.id == step_id
        )
        for size in ((240, 67), (80, 24), (160, 45), (100, 30)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.screen.size.width == size[0]
            await pilot.press("right")  # the screen still answers its keys
            await pilot.pause()
        assert app.is_running
    close(app)


async def test_a_saved_light_theme_is_drawn_from_the_first_frame(
    atis: Workshop, tmp_path: Path
) -> None:
    app = make_app(atis, tmp_path, settings=Settings(theme=LIGHT_THEME.name))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        assert app.screen.styles.background.hex == LIGHT_THEME.background
        assert app.screen.styles.color.hex == LIGHT_THEME.foreground
        assert app.has_class("-light-mode", f"-theme-{LIGHT_THEME.name}")
        assert not app.has_class("-dark-mode")
    close(app)
