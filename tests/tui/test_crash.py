"""A bug in a screen ends the app (Textual's rule) but never shows a traceback: the facilitator
reads one French paragraph, the details go to a log file, and the session is saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier.domain.content import Workshop
from atelier.store.session_store import SessionStore
from atelier.tui.screens.quiz import QuizScreen
from tests.tui.factory import close, make_app, wait_for


async def test_unexpected_error_logs_and_explains(
    atis: Workshop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "config"
    monkeypatch.setenv("ATELIER_CONFIG_DIR", str(config))
    app = make_app(atis, tmp_path / "sessions")

    def broken(self: QuizScreen) -> None:
        raise RuntimeError("bogue de test")

    monkeypatch.setattr(QuizScreen, "action_page_next", broken)
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
            await pilot.press("right")
            await pilot.pause()
    assert app.return_code == 1
    shown = " ".join(capsys.readouterr().err.split())
    assert "atelier run --session test" in shown
    assert "Traceback" not in shown and "bogue de test" not in shown
    logs = list((config / "crash").glob("crash-*.log"))
    assert logs and "bogue de test" in logs[0].read_text(encoding="utf-8")
    close(app)
    assert SessionStore(tmp_path / "sessions").load("test").current_step_id is not None
