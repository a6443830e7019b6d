"""``atelier export`` on the committed sample session (written by the real store): where the
report goes, what it refuses, what it never touches."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from atelier.cli import main
from atelier.domain.content import Workshop
from atelier.errors import BadInputError, SessionError
from atelier.report import render_html, render_markdown
from atelier.report.export import default_file_name
from atelier.store.report_files import write_report
from atelier.store.session_store import SessionStore
from tests.data.make_sample_session import (
    SAMPLE_SESSION_DIR,
    SAMPLE_SESSION_NAME,
    copy_sample_session,
)
from tests.data.sample_session import PROJECTS, SCRIPT_TAG

ROOT = Path(__file__).resolve().parents[2]
NAME = SAMPLE_SESSION_NAME


@pytest.fixture
def sessions(tmp_path: Path) -> Path:
    folder = tmp_path / "sessions"
    folder.mkdir()
    copy_sample_session(folder)
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (reports excepted) → sha256: the store's files, and any
    lock, temp or backup file that should not be there."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith("rapport")
    }


def export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["export", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _signature_absent(text: str, keep: str) -> None:
    for spec in PROJECTS:
        if spec["signature"] != keep:
            assert spec["signature"] not in text, spec["signature"]


# -- the sample -------------------------------------------------------------------------------


def test_sample_session_is_a_saved_session_with_the_traps(atis: Workshop) -> None:
    files = sorted(p.relative_to(SAMPLE_SESSION_DIR) for p in SAMPLE_SESSION_DIR.rglob("*"))
    assert Path("session.yaml") in files
    assert not [p for p in files if p.name == ".lock" or p.name.endswith(".bak")]
    record = SessionStore(SAMPLE_SESSION_DIR.parent).load(SAMPLE_SESSION_DIR)
    assert record.workshop_id == atis.id
    assert len(record.projects) == 4
    notes = "\n".join(p.pitch.free_notes + "".join(p.pitch.notes.values()) for p in record.projects)
    for trap in (SCRIPT_TAG, "&", "«", '"', "*gras*", "| pipe |"):
        assert trap in notes
    assert max(len(p.pitch.free_notes) for p in record.projects) > 3000  # the very long note


# -- where the report goes ----------------------------------------------------------------------


def test_markdown_beside_the_session_and_store_files_untouched(
    sessions: Path, atis: Workshop, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(sessions)
    code, out, err = export(capsys, NAME, "--sessions-dir", str(sessions))
    assert (code, err) == (0, "")
    written = sessions / NAME / "rapport.md"
    assert out == f"Rapport écrit : {written}\n"
    record = SessionStore(sessions).load(NAME)
    assert written.read_text(encoding="utf-8") == render_markdown(atis, record)
    assert snapshot(sessions) == before  # no lock, no temp file, no rewrite


def test_html_beside_the_session_is_escaped(
    sessions: Path, atis: Workshop, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(sessions)
    code, out, _ = export(capsys, NAME, "--sessions-dir", str(sessions), "--format", "html")
    assert code == 0
    written = sessions / NAME / "rapport.html"
    assert str(written) in out
    html = written.read_text(encoding="utf-8")
    assert html == render_html(atis, SessionStore(sessions).load(NAME))
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert snapshot(sessions) == before


def test_output_file_and_output_folder(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "envoi" / "compte-rendu.html"
    target.parent.mkdir()
    code, out, _ = export(
        capsys, NAME, "--sessions-dir", str(sessions), "--format", "html", "-o", str(target)
    )
    assert code == 0 and str(target) in out and target.is_file()
    assert not (sessions / NAME / "rapport.html").exists()
    # A folder that exists: the default name inside it.
    code, out, _ = export(capsys, NAME, "--sessions-dir", str(sessions), "-o", str(target.parent))
    assert code == 0 and (target.parent / "rapport.md").is_file()
    assert sorted(p.name for p in target.parent.iterdir()) == ["compte-rendu.html", "rapport.md"]


def test_one_project_by_name_or_id(sessions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = export(
        capsys,
        NAME,
        "--sessions-dir",
        str(sessions),
        "--format",
        "html",
        "--project",
        "atelier vélo rustine & cie",
    )
    assert code == 0
    written = sessions / NAME / "rapport-rustine-et-cie.html"
    assert str(written) in out
    html = written.read_text(encoding="utf-8")
    assert "Rustine" in html
    _signature_absent(html, "Rustine")
    code, _, _ = export(capsys, NAME, "--sessions-dir", str(sessions), "--project", "cote-cour")
    assert code == 0 and (sessions / NAME / "rapport-cote-cour.md").is_file()


def test_unknown_project_lists_the_projects(
    sessions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = export(capsys, NAME, "--sessions-dir", str(sessions), "--project", "vélo")
    assert code == 2 and out == ""
    assert "rustine-et-cie (Atelier vélo Rustine & Cie)" in err
    assert not list((sessions / NAME).glob("rapport*"))


def test_dash_writes_to_stdout_only(
    sessions: Path, atis: Workshop, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(sessions)
    code, out, err = export(capsys, NAME, "--sessions-dir", str(sessions), "-o", "-")
    assert (code, err) == (0, "")
    assert out == render_markdown(atis, SessionStore(sessions).load(NAME))
    assert not list((sessions / NAME).glob("rapport*"))
    assert snapshot(sessions) == before


# -- what it refuses ----------------------------------------------------------------------------


def test_never_overwrites_without_force(
    sessions: Path, atis: Workshop, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = sessions / NAME / "rapport.md"
    existing.write_text("mes corrections à la main\n", encoding="utf-8")
    code, out, err = export(capsys, NAME, "--sessions-dir", str(sessions))
    assert code == 2 and out == ""
    assert str(existing) in err and "--force" in err and "-o" in err
    assert existing.read_text(encoding="utf-8") == "mes corrections à la main\n"
    assert sorted(p.name for p in (sessions / NAME).iterdir()) == [
        "projects",
        "rapport.md",
        "session.yaml",
    ]  # no temp file left behind
    code, out, _ = export(capsys, NAME, "--sessions-dir", str(sessions), "--force")
    assert code == 0 and str(existing) in out
    assert existing.read_text(encoding="utf-8") == render_markdown(
        atis, SessionStore(sessions).load(NAME)
    )


def test_unknown_session_lists_those_there_are(
    sessions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_sample_session(sessions, "2020-06-02-atis")
    code, out, err = export(capsys, "atis-du-mardi", "--sessions-dir", str(sessions))
    assert code == 2 and out == ""
    assert "« atis-du-mardi »" in err
    assert f"{NAME} (atis-2020-05-19, 19/05/2020)" in err
    assert "2020-06-02-atis (atis-2020-05-19, 19/05/2020)" in err


def test_unknown_session_in_an_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = export(capsys, "rien", "--sessions-dir", str(tmp_path))
    assert code == 2 and "n'en contient aucune" in err


def test_corrupt_session_exit_2_with_file_and_line_and_file_left_as_is(
    sessions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = copy_sample_session(sessions, "cassee") / "projects" / "rustine-et-cie.yaml"
    lines = broken.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(3, "carriers: [pas fermé\n")  # line 4: a flow sequence never closed
    broken.write_text("".join(lines), encoding="utf-8")
    raw = broken.read_bytes()
    before = snapshot(sessions)
    code, out, err = export(capsys, "cassee", "--sessions-dir", str(sessions))
    assert code == 2 and out == ""
    assert f"{broken}:" in err
    line = int(err.split(f"{broken}:")[1].split(":")[0].split(" ")[0])
    assert 4 <= line <= len(lines)
    assert broken.read_bytes() == raw
    assert snapshot(sessions) == before
    assert not list(broken.parent.parent.glob("rapport*"))
    # The listing of an unknown name says this one is broken.
    code, _, err = export(capsys, "autre", "--sessions-dir", str(sessions))
    assert code == 2 and "cassee (" in err and "corrompue" in err


def test_unwritable_output_exit_1_with_the_reason(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "pas-un-dossier"
    a_file.write_text("x", encoding="utf-8")
    for target, reason in [
        (a_file / "rapport.md", "pas un dossier"),
        (tmp_path / "absent" / "rapport.md", "le dossier n'existe pas"),
    ]:
        code, out, err = export(capsys, NAME, "--sessions-dir", str(sessions), "-o", str(target))
        assert code == 1 and out == ""
        assert "rapport non écrit" in err and reason in err and str(target) in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_folder_exit_1(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "lecture-seule"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = export(capsys, NAME, "--sessions-dir", str(sessions), "-o", str(locked))
    finally:
        locked.chmod(0o700)
    assert code == 1 and "permission refusée" in err
    assert list(locked.iterdir()) == []


def test_content_of_another_workshop_is_refused(
    sessions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mini = ROOT / "tests" / "data" / "mini-workshop"
    code, _, err = export(capsys, NAME, "--sessions-dir", str(sessions), "--content", str(mini))
    assert code == 2 and "atis-2020-05-19" in err and "--content" in err


# -- the API behind it --------------------------------------------------------------------------


def test_store_finds_a_session_by_name_or_path(sessions: Path) -> None:
    store = SessionStore(sessions)
    folder = sessions / NAME
    assert store.find(NAME) == folder
    assert store.find(folder) == folder
    assert store.find(str(folder / "session.yaml")) == folder
    with pytest.raises(SessionError, match=NAME) as caught:
        store.find("inconnue")  # lists the sessions there are
    assert caught.value.exit_code == 2
    with pytest.raises(SessionError, match="introuvable"):
        store.find(sessions / "absente")


def test_report_file_writer_never_overwrites_without_force(tmp_path: Path) -> None:
    path = tmp_path / default_file_name("html", "ressourcerie-chartrons")
    assert path.name == "rapport-ressourcerie-chartrons.html"
    write_report(path, b"un")
    with pytest.raises(BadInputError, match="--force"):
        write_report(path, b"deux")
    assert path.read_bytes() == b"un"
    write_report(path, b"deux", force=True)
    assert path.read_bytes() == b"deux"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temp, no backup


def test_session_given_as_a_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "r.md"
    code, out, _ = export(capsys, str(SAMPLE_SESSION_DIR / "session.yaml"), "-o", str(target))
    assert code == 0 and target.is_file()
    assert "sample-session" in target.read_text(encoding="utf-8")  # the folder is the name


def test_real_subprocess(sessions: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ATELIER_SESSIONS_DIR", None)
    result = subprocess.run(
        [sys.executable, "-m", "atelier", "export", NAME, "--format", "html"],
        cwd=sessions.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    written = sessions / NAME / "rapport.html"
    assert result.stdout == f"Rapport écrit : {written}\n"
    assert written.read_text(encoding="utf-8").rstrip().endswith("</html>")
