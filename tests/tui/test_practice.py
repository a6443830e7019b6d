"""Practice mode: one participant, right or wrong at once, a score, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier.cli_run import _new_record
from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.store.settings import Settings
from atelier.tui.app import AtelierApp
from atelier.tui.screens.practice import PracticeScreen
from tests.tui.factory import wait_for


async def test_practice_run_scores_and_writes_nothing(
    atis: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    clock = FakeClock()
    record = _new_record(atis, "entrainement", clock, practice=True)
    app = AtelierApp(atis, None, record, clock, Settings(), practice=True)
    assert atis.quiz is not None
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PracticeScreen))
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        for number, item in enumerate(atis.quiz.items):
            right = atis.quiz.answer(item.answer)
            wrong = next(a for a in atis.quiz.answers if a.id != item.answer)
            await pilot.press(right.key if number % 2 == 0 else wrong.key)
            result = str(screen.query_one("#practice-result").render())
            assert ("Bonne réponse" in result) == (number % 2 == 0)
            await pilot.press("right")
        assert screen.run is not None and screen.run.finished
        assert screen.run.score == 4  # statements 1, 3, 5, 7
        assert "4 / 7" in str(screen.query_one("#quiz-statement").render())
    assert list(tmp_path.iterdir()) == []  # no session folder, no file
