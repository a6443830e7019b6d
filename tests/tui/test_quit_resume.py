"""ctrl+q asks only when the room depends on the app (a timer runs, a project is on stage),
with staying as the default; both ways save first."""

from __future__ import annotations

from pathlib import Path

from atelier.domain.content import Workshop
from atelier.store.session_store import SessionStore
from atelier.tui.screens.dialogs import QuitDialog
from atelier.tui.screens.pause import PauseScreen
from atelier.tui.screens.quiz import QuizScreen
from tests.tui.factory import close, make_app, wait_for

SIZE = (100, 30)


async def test_ctrl_q_quits_at_once_when_nothing_runs(atis: Workshop, tmp_path: Path) -> None:
    app = make_app(atis, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        await pilot.press("right", "ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)
        assert not any(isinstance(s, QuitDialog) for s in app.screen_stack)
    close(app)


async def test_ctrl_q_asks_while_a_timer_runs_and_staying_is_the_default(
    atis: Workshop, tmp_path: Path
) -> None:
    app = make_app(atis, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.go_to_step("pause")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseScreen))
        screen = app.screen
        assert isinstance(screen, PauseScreen) and screen.countdown.running
        app.clock.advance(30)  # type: ignore[attr-defined]
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitDialog))
        # Saved before the question: the pause's elapsed time is on disk already.
        timer = SessionStore(tmp_path).load("test").pause_timer
        assert timer is not None and timer.elapsed_s == 30
        dialog = app.screen
        assert isinstance(dialog, QuitDialog) and dialog.reason == "Un minuteur tourne."
        await pilot.press("x", "space")  # other keys: nothing happens
        assert isinstance(app.screen, QuitDialog) and app.is_running
        await pilot.press("enter")  # the default: stay
        await wait_for(pilot, lambda: app.screen is screen)
        assert app.is_running and screen.countdown.running
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("space")  # paused: ctrl+q no longer asks
        assert not screen.countdown.running
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)
    close(app)


async def test_ctrl_q_twice_quits_and_the_dialog_says_how_to_resume(
    atis: Workshop, tmp_path: Path
) -> None:
    app = make_app(atis, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.go_to_step("pause")
        await wait_for(pilot, lambda: isinstance(app.screen, PauseScreen))
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitDialog))
        dialog = app.screen
        assert isinstance(dialog, QuitDialog)
        assert dialog.resume_command == "atelier run --session test"
        await pilot.press("o", "u", "i")  # no letter quits: a sentence cannot answer
        assert isinstance(app.screen, QuitDialog) and app.is_running
        await pilot.press("ctrl+q")  # ^Q again
        await wait_for(pilot, lambda: not app.is_running)
    close(app)
