"""Sessions remember their workshop: a session made with a workshop outside content/ is
reviewed, exported and resumed without --content; a moved folder gets a clear message and a
changed one a warning."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from atelier.cli import main
from atelier.cli_run import _content_for_run, open_or_create_session
from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.store.content_loader import content_hash, load_workshop
from atelier.store.session_store import SessionStore


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "ateliers" / "ailleurs"
    assert main(["new", str(folder)]) == 0
    return folder


@pytest.fixture
def sessions(tmp_path: Path, elsewhere: Path) -> Path:
    root = tmp_path / "sessions"
    workshop = load_workshop(elsewhere)
    session = open_or_create_session(SessionStore(root), workshop, "apres-midi", FakeClock())
    session.record.add_project("Épicerie « Le Panier » & co")
    session.save_all()
    session.close()
    return root


def test_a_new_session_records_its_workshop_folder_and_hash(
    sessions: Path, elsewhere: Path
) -> None:
    record = SessionStore(sessions).load("apres-midi")
    assert record.content_dir == str(elsewhere.resolve())
    assert record.content_hash == content_hash(load_workshop(elsewhere))
    assert "content_dir:" in (sessions / "apres-midi" / "session.yaml").read_text("utf-8")


def test_export_without_content_finds_the_workshop(
    sessions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code = main(["export", "apres-midi", "--sessions-dir", str(sessions), "-o", "-"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Mon atelier" in out and "Épicerie « Le Panier » & co" in out
    assert err == ""


def test_review_without_content_finds_the_workshop(
    sessions: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from atelier.tui.review import ReviewApp

    opened: list[Workshop] = []

    def fake_run(self: ReviewApp, *args: object, **kwargs: object) -> None:
        opened.append(self.workshop)

    monkeypatch.setattr(ReviewApp, "run", fake_run)
    assert main(["review", "apres-midi", "--sessions-dir", str(sessions)]) == 0
    assert [w.id for w in opened] == ["ailleurs"]


def test_resume_without_content_finds_the_workshop(sessions: Path, elsewhere: Path) -> None:
    args = argparse.Namespace(
        content=None, practice=False, session="apres-midi", sessions_dir=str(sessions)
    )
    assert _content_for_run(args) == elsewhere.resolve()
    args.session = "nouvelle"
    assert _content_for_run(args).name == "atis-2020-05-19"  # a new session: the default


def test_a_moved_workshop_gets_a_clear_message(
    sessions: Path, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = elsewhere.with_name("deplace")
    elsewhere.rename(moved)
    capsys.readouterr()
    code = main(["export", "apres-midi", "--sessions-dir", str(sessions), "-o", "-"])
    err = capsys.readouterr().err
    assert code == 2
    assert str(elsewhere.resolve()) in err and "introuvable" in err and "--content" in err
    assert "Traceback" not in err
    # --content still says where it went.
    args = ["export", "apres-midi", "--sessions-dir", str(sessions), "-o", "-"]
    assert main([*args, "--content", str(moved)]) == 0


def test_a_changed_workshop_is_reported(
    sessions: Path, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = elsewhere / "workshop.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('title: "Mon atelier"', 'title: "Mon atelier, revu"'), "utf-8")
    capsys.readouterr()
    code = main(["export", "apres-midi", "--sessions-dir", str(sessions), "-o", "-"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "a été modifié depuis la session" in err and "Mon atelier, revu" in out


def test_an_old_session_without_a_folder_uses_the_bundled_workshop(
    tmp_path: Path, atis: Workshop, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "old"
    session = open_or_create_session(SessionStore(root), atis, "ancienne", FakeClock())
    session.record.content_dir = None
    session.save_all()
    session.close()
    text = (root / "ancienne" / "session.yaml").read_text(encoding="utf-8")
    assert "content_dir" not in text
    assert main(["export", "ancienne", "--sessions-dir", str(root), "-o", "-"]) == 0
    assert "Etabli" in capsys.readouterr().out


def test_the_bundled_workshop_still_resolves_when_a_recorded_folder_is_gone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "atis-2020-05-19"
    from tests.conftest import ATIS_DIR

    shutil.copytree(ATIS_DIR, copy)
    root = tmp_path / "s"
    session = open_or_create_session(SessionStore(root), load_workshop(copy), "x", FakeClock())
    session.close()
    shutil.rmtree(copy)
    assert main(["export", "x", "--sessions-dir", str(root), "-o", "-"]) == 0


def test_resuming_with_a_moved_workshop_says_how(sessions: Path, elsewhere: Path) -> None:
    from atelier.errors import ContentError

    elsewhere.rename(elsewhere.with_name("deplace"))
    args = argparse.Namespace(
        content=None, practice=False, session="apres-midi", sessions_dir=str(sessions)
    )
    with pytest.raises(ContentError) as caught:
        _content_for_run(args)
    message = str(caught.value)
    assert "introuvable" in message
    assert "atelier run DOSSIER_ATELIER --session apres-midi" in message
