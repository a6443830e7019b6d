"""No traceback on any command-line input (issue 15 items 6 and 8): names limited in bytes,
over-long output names, empty session names, system errors in French."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from atelier.cli import main
from atelier.domain.session import check_session_name
from atelier.store.atomic import failure_reason
from atelier.tui.app import _system_error_text
from tests.data.make_sample_session import SAMPLE_SESSION_NAME, copy_sample_session

EMOJI_NAME = "🎉" * 100  # 100 characters, 400 bytes: more than a folder name can hold


@pytest.fixture
def sessions(tmp_path: Path) -> Path:
    folder = tmp_path / "sessions"
    folder.mkdir()
    copy_sample_session(folder)
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_names_are_limited_in_bytes_as_the_file_system() -> None:
    assert check_session_name("é" * 120) is None  # 240 bytes
    why = check_session_name(EMOJI_NAME)
    assert why is not None and "400 octets" in why
    assert check_session_name("nom\udcff") is not None  # undecodable bytes from argv


@pytest.mark.parametrize("command", ["run", "review", "export"])
def test_emoji_session_name_is_refused_in_every_command(
    sessions: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    args = ["run", "--session", EMOJI_NAME] if command == "run" else [command, EMOJI_NAME]
    code, err = run(capsys, *args, "--sessions-dir", str(sessions))
    assert code == 2
    assert "octets" in err
    assert not any(p.name == EMOJI_NAME for p in sessions.iterdir())


def test_empty_session_name_is_refused(sessions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.name for p in sessions.iterdir())
    code, err = run(capsys, "run", "--session", "", "--sessions-dir", str(sessions))
    assert code == 2 and "--session" in err and "vide" in err
    assert sorted(p.name for p in sessions.iterdir()) == before  # no default session made


def test_export_to_a_300_character_file_name(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / ("r" * 300 + ".md")
    code, err = run(
        capsys, "export", SAMPLE_SESSION_NAME, "--sessions-dir", str(sessions), "-o", str(target)
    )
    assert code == 2
    assert "nom de fichier trop long" in err
    assert err.count("\n") == 1  # one paragraph


def test_sessions_dir_with_an_over_long_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(capsys, "sessions", "--sessions-dir", str(tmp_path / ("d" * 300)))
    assert code == 2 and "trop long" in err


def test_system_errors_are_told_in_french() -> None:
    too_many = OSError(errno.EMFILE, "Too many open files", "/s/session.yaml")
    assert "trop de fichiers ouverts" in _system_error_text(too_many)
    assert "Too many" not in _system_error_text(too_many)
    assert "limite de taille" in failure_reason(OSError(errno.EFBIG, "File too large"))
    assert "Errno" not in _system_error_text(RuntimeError("can't start new thread"))
