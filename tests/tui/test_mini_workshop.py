"""The made-up mini workshop (two answers, three levels, other timings, an afternoon) runs in
the same app: nothing of the ATIS workshop is written in the code."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.content_programme import StepKind
from atelier.store.session_store import SessionStore
from atelier.tui.screens.assessment import AssessmentScreen
from atelier.tui.screens.base import StepScreen
from atelier.tui.screens.quiz import QuizScreen
from tests.tui.factory import close, make_app, wait_for


async def test_mini_workshop_runs_end_to_end(mini: Workshop, tmp_path: Path) -> None:
    clock = FakeClock(datetime(2024, 3, 14, 14, 0).astimezone())
    app = make_app(mini, tmp_path, clock)
    assert mini.quiz is not None and mini.grid is not None
    yes, no = mini.quiz.answers
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen))
        for step in mini.programme:
            await app.go_to_step(step.id)
            await wait_for(
                pilot,
                lambda s=step: isinstance(app.screen, StepScreen) and app.screen.step.id == s.id,
            )
            screen = app.screen
            if step.kind == StepKind.QUIZ:
                assert isinstance(screen, QuizScreen)
                while screen.section != "items":
                    await pilot.press("right")
                await pilot.press(yes.key, yes.key, no.key, "enter")
                assert screen.run is not None and screen.run.revealed
            elif step.kind == StepKind.ASSESSMENT:
                assert isinstance(screen, AssessmentScreen)
            clock.advance(60)
        first_item = mini.quiz.items[0].id
        assert app.record.quiz[first_item].tally == {yes.id: 2, no.id: 1}
    close(app)
    saved = SessionStore(tmp_path).load("test")
    assert [e.step_id for e in saved.step_log][-len(mini.programme) :] == [
        s.id for s in mini.programme
    ]
