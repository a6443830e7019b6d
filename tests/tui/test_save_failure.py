"""A disk that refuses to write never ends the workshop and never loses what was entered:
the banner says « NON ENREGISTRÉ », the data stays in memory, the next change retries."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from atelier.domain.content import Workshop
from atelier.store import session_store
from atelier.store.session_store import SessionStore
from atelier.tui.screens.quiz import QuizScreen
from atelier.tui.widgets.top_bar import TopBar
from tests.tui.factory import close, make_app, wait_for


async def test_full_disk_shows_banner_keeps_data_and_recovers(
    atis: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(atis, tmp_path)
    real_replace = os.replace

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        while screen.section != "items":
            await pilot.press("right")
        monkeypatch.setattr(session_store.os, "replace", disk_full)
        await pilot.press("v", "v")
        await wait_for(pilot, lambda: app.save_problem is not None)
        top_bar = screen.query_one(TopBar)
        await wait_for(pilot, lambda: top_bar.banner is not None)
        assert "NON ENREGISTRÉ" in (top_bar.banner or "")
        assert "NON ENREGISTRÉ" in "".join(s.text for s in top_bar.render_line(1))
        assert "disque plein" in (app.save_problem or "")
        assert app.is_running
        item_id = screen.run.item.id if screen.run else ""
        assert app.record.quiz[item_id].tally == {"vrai": 2}  # kept in memory

        monkeypatch.setattr(session_store.os, "replace", real_replace)
        await pilot.press("f")
        await wait_for(pilot, lambda: app.save_problem is None)
        await wait_for(pilot, lambda: top_bar.banner is None)
        assert top_bar.virtual_size.height == 1 and top_bar.size.height == 1
        saved = SessionStore(tmp_path).load("test")
        assert saved.quiz[item_id].tally == {"vrai": 2, "faux": 1}
    close(app)


async def test_save_elsewhere_moves_the_session(
    atis: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = tmp_path / "cle-usb"
    elsewhere = tmp_path / "secours"
    app = make_app(atis, sessions)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen.query("#folder"))
        field = app.screen.query_one("#folder")
        field.value = str(elsewhere)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: app.session is not None and elsewhere in app.session.path.parents
        )
    close(app)
    assert SessionStore(elsewhere).load("test").name == "test"
