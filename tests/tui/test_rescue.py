"""A forced quit never loses typed text (issue 15 item 1): when the session folder refuses
writes, every way out (ctrl+q after a question, SIGTERM / SIGHUP through request_quit) ends
with a rescue copy in a second place, and the next run merges it."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from atelier import cli_run
from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.store import rescue
from atelier.store.rescue import MERGED_SUFFIX, RESCUE_SUFFIX, find_rescues, write_rescue
from atelier.store.session_store import SessionStore
from atelier.tui.app import AtelierApp
from atelier.tui.screens.projects import ConfirmDialog
from tests.tui.factory import make_app, wait_for

SIZE = (120, 40)
REAL_REPLACE = os.replace
REAL_LINK = os.link
NOTE = "Idée clé : « circuit court » & local"


def _break_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write into the sessions folder fails as on a full disk (the rescue copy, written
    elsewhere with the same code, must still get through)."""
    real_replace = os.replace
    real_link = os.link

    def full(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if "sessions" in str(dst):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    def full_link(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if "sessions" in str(dst):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_link(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", full)
    monkeypatch.setattr(os, "link", full_link)


def _app(atis: Workshop, tmp_path: Path) -> AtelierApp:
    return make_app(atis, tmp_path / "sessions", FakeClock())


async def _type_unsaved(pilot, app: AtelierApp, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    await wait_for(pilot, lambda: app.screen.__class__.__name__ != "Screen")
    _break_the_disk(monkeypatch)
    app.record.facilitator_notes = NOTE  # what the facilitator typed, in the record at once
    await app.persist()
    await wait_for(pilot, lambda: app.save_problem is not None)


async def test_ctrl_q_while_unsaved_asks_then_writes_a_rescue_copy_merged_next_run(
    atis: Workshop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = _app(atis, tmp_path)
    session = app.session
    assert session is not None
    async with app.run_test(size=SIZE) as pilot:
        await _type_unsaved(pilot, app, monkeypatch)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")  # stay
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmDialog))
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("o")  # a letter never says yes
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)
    # What `atelier run` does after the app ends (run_app): the last save fails, so…
    assert cli_run._final_save(session, "atelier run --session test") == 1
    err = capsys.readouterr().err
    state = Path(os.environ["ATELIER_STATE_DIR"]) / "secours"
    copies = list(state.glob(f"*{RESCUE_SUFFIX}"))
    assert len(copies) == 1 and str(copies[0]) in err
    assert NOTE in copies[0].read_text(encoding="utf-8")
    monkeypatch.undo()
    monkeypatch.setenv("ATELIER_STATE_DIR", str(state.parent))

    # The next run on that session takes it back.
    store = SessionStore(tmp_path / "sessions", FakeClock())
    assert store.load("test").facilitator_notes == ""  # the disk never got it
    again = cli_run.open_or_create_session(store, atis, "test", FakeClock())
    assert again.record.facilitator_notes == NOTE
    assert any("Copie de secours" in notice for notice in again.notices)
    again.close()
    assert store.load("test").facilitator_notes == NOTE  # saved at once
    assert not list(state.glob(f"*{RESCUE_SUFFIX}"))
    assert len(list(state.glob(f"*{MERGED_SUFFIX}"))) == 1  # kept, renamed: not merged twice


async def test_a_signal_quits_without_asking_and_leaves_a_rescue_copy(
    atis: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(atis, tmp_path)
    session = app.session
    assert session is not None
    async with app.run_test(size=SIZE) as pilot:
        await _type_unsaved(pilot, app, monkeypatch)
        app.request_quit()  # what SIGTERM / SIGHUP do (cli_run._quit_on_signals)
        await wait_for(pilot, lambda: not app.is_running)
    assert cli_run._final_save(session, "atelier run --session test") == 1
    assert [r.record.facilitator_notes for r in find_rescues(session.path)] == [NOTE]


def test_rescue_falls_back_next_to_the_session_then_to_temp(
    atis: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(atis, tmp_path)
    session = app.session
    assert session is not None
    app.record.facilitator_notes = NOTE
    blocked = tmp_path / "etat-impossible"
    blocked.write_text("un fichier, pas un dossier")
    monkeypatch.setenv("ATELIER_STATE_DIR", str(blocked))
    now = FakeClock().now()
    result = write_rescue(app.record, session.path, "disque plein", now)
    assert result.path is not None and result.path.parent == session.path.parent
    assert str(blocked) in result.failures[0]

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(rescue.tempfile, "gettempdir", lambda: str(temp))
    sessions = session.path.parent
    real_write = rescue.atomic_write

    def sessions_full(path: Path, data: bytes, **kwargs: object) -> None:
        if path.parent == sessions:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rescue, "atomic_write", sessions_full)
    result = write_rescue(app.record, session.path, "disque plein", now)
    assert "disque plein" in result.failures[1]
    assert result.path is not None and result.path.parent == temp
    assert len(find_rescues(session.path)) == 2
    session.close()


def test_state_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ATELIER_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert rescue.state_dir() == tmp_path / "atelier"
    monkeypatch.delenv("XDG_STATE_HOME")
    assert rescue.state_dir() == Path.home() / ".local" / "state" / "atelier"


async def test_a_failed_save_is_retried_without_a_keystroke(
    atis: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """« keeps retrying »: the disk frees up, nobody touches a key, the banner goes."""
    from atelier.tui import app as app_module

    monkeypatch.setattr(app_module, "SAVE_RETRY_S", 0.05)
    app = _app(atis, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _type_unsaved(pilot, app, monkeypatch)
        monkeypatch.setattr(os, "replace", REAL_REPLACE)
        monkeypatch.setattr(os, "link", REAL_LINK)
        await wait_for(pilot, lambda: app.save_problem is None)
    assert SessionStore(tmp_path / "sessions").load("test").facilitator_notes == NOTE
    assert app.session is not None
    app.session.close()


def test_a_rescue_of_a_same_named_session_elsewhere_is_not_merged(
    atis: Workshop, tmp_path: Path
) -> None:
    elsewhere = make_app(atis, tmp_path / "autre-dossier", FakeClock())
    assert elsewhere.session is not None
    elsewhere.record.facilitator_notes = "pas pour cette session"
    write_rescue(elsewhere.record, elsewhere.session.path, "disque plein", FakeClock().now())
    elsewhere.session.close()
    app = _app(atis, tmp_path)
    assert app.session is not None
    assert find_rescues(app.session.path) == []
    assert app.record.facilitator_notes == ""
    app.session.close()
