"""The live quiz, driven by keys as the facilitator would, saved as it goes."""

from __future__ import annotations

from pathlib import Path

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.store.session_store import SessionStore
from atelier.tui.screens.quiz import QuizScreen
from atelier.tui.widgets.slide_view import Page
from tests.tui.factory import close, make_app, wait_for


async def _to_first_statement(pilot, app) -> QuizScreen:  # noqa: ANN001
    screen = app.screen
    assert isinstance(screen, QuizScreen)
    while screen.section != "items":
        await pilot.press("right")
    return screen


async def _through_explanation(pilot, screen: QuizScreen) -> None:  # noqa: ANN001
    """→ shows the explanation's next part first (long reveals are split, never scrolled)."""
    page = screen.query_one("#quiz-explanation", Page)
    await wait_for(pilot, lambda: page.laid_out)
    while page.part_index + 1 < page.part_count:
        await pilot.press("right")


async def test_walk_whole_quiz_with_tallies_and_reveals(atis: Workshop, tmp_path: Path) -> None:
    clock = FakeClock()
    app = make_app(atis, tmp_path, clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = await _to_first_statement(pilot, app)
        assert atis.quiz is not None
        for number, item in enumerate(atis.quiz.items):
            assert screen.run is not None and screen.run.item.id == item.id
            await pilot.press("v", "v", "f")
            await pilot.press("right")  # reveals
            assert app.record.quiz[item.id].revealed
            assert app.record.quiz[item.id].tally == {"vrai": 2, "faux": 1}
            await _through_explanation(pilot, screen)
            await pilot.press("right")  # next statement (or the summary after the last)
            if number < len(atis.quiz.items) - 1:
                assert screen.section == "items"
        assert screen.section == "after"
    close(app)
    saved = SessionStore(tmp_path).load("test")
    assert all(saved.quiz[item.id].revealed for item in atis.quiz.items)
    assert saved.quiz[atis.quiz.items[-1].id].tally == {"vrai": 2, "faux": 1}


async def test_quit_mid_quiz_and_resume_same_question(atis: Workshop, tmp_path: Path) -> None:
    app = make_app(atis, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = await _to_first_statement(pilot, app)
        await pilot.press("p", "right")  # 1 hand, reveal
        await _through_explanation(pilot, screen)
        await pilot.press("right")  # next
        await pilot.press("f", "f", "f")
        await pilot.press("ctrl+q")
    close(app)

    again = make_app(atis, tmp_path)
    async with again.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, QuizScreen))
        screen = again.screen
        assert isinstance(screen, QuizScreen)
        assert screen.section == "items"
        assert screen.run is not None and screen.run.index == 1
        assert screen.run.result is not None and screen.run.result.tally == {"faux": 3}
        assert again.record.quiz[atis.quiz.items[0].id].revealed  # type: ignore[union-attr]
    close(again)
