"""The command line: help, version, validate, sessions — exit codes and French messages,
never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from atelier import __version__
from atelier.cli import main
from atelier.domain.clock import FakeClock
from atelier.domain.session import SessionRecord
from atelier.store.session_store import SessionStore
from tests.conftest import MINI_DIR


def test_help_is_french(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "commandes" in out and "validate" in out and "Codes de sortie" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert __version__ in capsys.readouterr().out


def test_bad_argument_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["export"])
    assert done.value.code == 2
    assert "argument invalide" in capsys.readouterr().err


def test_validate_bundled(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "7 questions" in out and "12 critères × 4 niveaux" in out


def test_validate_broken_reports_every_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "w"
    shutil.copytree(MINI_DIR, folder)
    workshop = folder / "workshop.yaml"
    workshop.write_text(
        workshop.read_text(encoding="utf-8").replace("title:", "titre: x\ntitle:", 1),
        encoding="utf-8",
    )
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"{workshop}:" in err and "titre" in err and "Traceback" not in err


def test_sessions_lists_good_corrupt_and_newer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock()
    store = SessionStore(tmp_path, clock)
    now = clock.now()
    for name in ("bonne", "cassee", "future"):
        record = SessionRecord(name=name, workshop_id="atis", created_at=now, updated_at=now)
        record.add_project("Épicerie", "Léa", now)
        store.create(record).close()
    (tmp_path / "cassee" / "session.yaml").write_text("name: [", encoding="utf-8")
    future = tmp_path / "future" / "session.yaml"
    future.write_text(
        future.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 99"),
        encoding="utf-8",
    )
    assert main(["sessions", "--sessions-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "ok" in lines["bonne"] and " 1 " in lines["bonne"]
    assert "corrompue" in lines["cassee"] and "session.yaml:" in lines["cassee"]
    assert "version plus récente" in lines["future"]


def test_resume_with_another_workshop_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock()
    now = clock.now()
    record = SessionRecord(name="s", workshop_id="autre", created_at=now, updated_at=now)
    SessionStore(tmp_path, clock).create(record).close()
    code = main(["run", "--session", "s", "--sessions-dir", str(tmp_path)])
    assert code == 2
    assert "autre" in capsys.readouterr().err


def test_invalid_session_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--session", "../evasion", "--sessions-dir", str(tmp_path)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_validate_never_loads_textual() -> None:
    code = (
        "import sys\nfrom atelier.cli import main\nmain(['validate'])\n"
        "print('TEXTUAL' if 'textual' in sys.modules else 'PURE')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "est valide" in result.stdout and result.stdout.strip().endswith("PURE")


def test_a_new_session_is_on_disk_at_the_first_step(tmp_path: Path) -> None:
    from atelier.cli_run import open_or_create_session
    from atelier.store.content_loader import load_workshop

    workshop = load_workshop(MINI_DIR)
    clock = FakeClock()
    store = SessionStore(tmp_path)
    session = open_or_create_session(store, workshop, "neuve", clock)
    session.close()
    record = store.load("neuve")
    first = workshop.programme[0].id
    assert record.current_step_id == first
    assert [(e.step_id, e.started_at) for e in record.step_log] == [(first, clock.now())]


def test_pydantic_plugin_search_is_off_unless_the_user_chose(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    assert main(["validate", str(MINI_DIR)]) == 0
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "logfire")
    assert main(["validate", str(MINI_DIR)]) == 0
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "logfire"


# -- which session ``atelier run`` opens (issue 14) ----------------------------------------------


def _workshop():  # noqa: ANN202
    from atelier.store.content_loader import load_workshop

    return load_workshop(MINI_DIR)


def test_unknown_session_exits_2_lists_the_sessions_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from atelier.cli_run import create_session

    create_session(SessionStore(tmp_path), _workshop(), FakeClock(), "existante").close()
    before = sorted(p.name for p in tmp_path.iterdir())
    code = main(["run", str(MINI_DIR), "--session", "mal-tapee", "--sessions-dir", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert "mal-tapee" in err and "existante" in err
    assert "atelier run --new --session mal-tapee" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing created


def test_new_with_the_name_of_an_existing_session_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from atelier.cli_run import create_session

    create_session(SessionStore(tmp_path), _workshop(), FakeClock(), "prise").close()
    code = main(
        ["run", str(MINI_DIR), "--new", "--session", "prise", "--sessions-dir", str(tmp_path)]
    )
    assert code == 2
    assert "atelier run --session prise" in capsys.readouterr().err


def test_without_session_today_s_unfinished_session_is_resumed(tmp_path: Path) -> None:
    from atelier.cli_run import choose_session

    workshop = _workshop()
    clock = FakeClock()
    store = SessionStore(tmp_path, clock)
    first, notice = choose_session(store, workshop, clock, name=None, new=False)
    assert notice is None  # nothing to resume: a new one
    name = first.record.name
    first.close()
    clock.advance(3600)
    again, notice = choose_session(store, workshop, clock, name=None, new=False)
    assert again.record.name == name and notice is not None and name in notice
    again.close()
    fresh, _ = choose_session(store, workshop, clock, name=None, new=True)
    assert fresh.record.name != name  # --new: another one
    fresh.record.enter_step(workshop.programme[-1].id, clock.now())  # finished
    fresh.save_all()
    fresh.close()
    clock.advance(60)
    latest, _ = choose_session(store, workshop, clock, name=None, new=False)
    assert latest.record.name == name  # the finished one is not picked up
    latest.close()
    clock.advance(24 * 3600)  # the next day: a new session
    tomorrow, notice = choose_session(store, workshop, clock, name=None, new=False)
    assert notice is None and tomorrow.record.name not in (name, fresh.record.name)
    tomorrow.close()


def test_the_resume_command_names_the_content_folder_when_not_bundled() -> None:
    from atelier.cli_run import resume_command

    assert resume_command("2026-12-02-atis", None) == "atelier run --session 2026-12-02-atis"
    assert (
        resume_command("s", "content/mon atelier", "/tmp/x")
        == "atelier run 'content/mon atelier' --session s --sessions-dir /tmp/x"
    )


def test_session_given_as_a_path_is_that_folder(tmp_path: Path) -> None:
    """« atelier run --session sessions/x » (or a copied folder, or its session.yaml), as
    review and export take it: the session x in that folder."""
    import argparse

    from atelier.cli_run import _session_path_as_folder

    for given in (f"{tmp_path}/copie", f"{tmp_path}/copie/session.yaml", f"{tmp_path}/copie/"):
        args = argparse.Namespace(session=given, sessions_dir=None)
        _session_path_as_folder(args)
        assert (args.session, args.sessions_dir) == ("copie", str(tmp_path))
    args = argparse.Namespace(session="copie", sessions_dir=None)  # a name stays a name
    _session_path_as_folder(args)
    assert (args.session, args.sessions_dir) == ("copie", None)


def test_session_path_and_another_sessions_dir_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "ailleurs"
    code = main(
        ["run", str(MINI_DIR), "--session", f"{tmp_path}/x", "--sessions-dir", str(elsewhere)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "--sessions-dir" in err and "Traceback" not in err
    assert not elsewhere.exists()


def test_an_unknown_session_path_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(MINI_DIR), "--session", f"{tmp_path}/absente"]) == 2
    assert "absente" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
