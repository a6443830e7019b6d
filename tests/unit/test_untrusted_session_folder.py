"""A session folder is untrusted input (issue 15, item 2): copied from a stick or a colleague,
it may hold symbolic links, FIFOs or devices where atelier expects its files. Nothing is
followed, nothing blocks, nothing outside the folder is written; the message names the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from atelier.cli import main
from atelier.domain.clock import FakeClock
from atelier.domain.session import SessionRecord
from atelier.errors import SaveError, SessionError
from atelier.store.atomic import UnsafeFile, atomic_write, open_regular, sweep_temp_files
from atelier.store.session_list import SessionState
from atelier.store.session_store import SessionStore
from tests.data.make_sample_session import SAMPLE_SESSION_NAME, copy_sample_session

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links and FIFOs: POSIX")

NAME = "atelier-partage"


def _new_session(root: Path) -> Path:
    clock = FakeClock()
    now = clock.now()
    record = SessionRecord(
        name=NAME, workshop_id="atis", content_hash="x", created_at=now, updated_at=now
    )
    record.add_project("Épicerie solidaire")
    store = SessionStore(root, clock)
    session = store.create(record)
    session.close()
    return root / NAME


def test_lock_symlink_does_not_destroy_its_target(tmp_path: Path) -> None:
    """The reported attack: `.lock` → victim.txt, open the session, quit: the victim was
    emptied. Now the open is refused, naming the link, and the victim is intact."""
    folder = _new_session(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("mes données précieuses\n")
    (folder / ".lock").unlink(missing_ok=True)
    (folder / ".lock").symlink_to(victim)
    with pytest.raises(SessionError) as excinfo:
        SessionStore(tmp_path, FakeClock()).open(NAME)
    assert ".lock est un lien symbolique, pas un fichier ordinaire" in str(excinfo.value)
    assert victim.read_text() == "mes données précieuses\n"


def test_dangling_lock_symlink_creates_nothing(tmp_path: Path) -> None:
    folder = _new_session(tmp_path)
    (folder / ".lock").unlink(missing_ok=True)
    (folder / ".lock").symlink_to(tmp_path / "created-by-atelier")
    with pytest.raises(SessionError, match="lien symbolique, pas un fichier ordinaire"):
        SessionStore(tmp_path, FakeClock()).open(NAME)
    assert not (tmp_path / "created-by-atelier").exists()


def test_session_yaml_symlink_is_refused_by_name(tmp_path: Path) -> None:
    folder = _new_session(tmp_path)
    elsewhere = tmp_path / "elsewhere.yaml"
    os.replace(folder / "session.yaml", elsewhere)
    (folder / "session.yaml").symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    with pytest.raises(SessionError) as excinfo:
        SessionStore(tmp_path, FakeClock()).open(NAME)
    assert "session.yaml" in str(excinfo.value)
    assert "c'est un lien symbolique, pas un fichier ordinaire" in str(excinfo.value)
    assert elsewhere.read_bytes() == before
    summary = SessionStore(tmp_path).list_sessions()[0]
    assert summary.state == SessionState.CORRUPT


def test_project_file_symlink_is_refused_by_name(tmp_path: Path) -> None:
    folder = _new_session(tmp_path)
    project = next((folder / "projects").glob("*.yaml"))
    secret = tmp_path / "secret.yaml"
    os.replace(project, secret)
    project.symlink_to(secret)
    with pytest.raises(SessionError) as excinfo:
        SessionStore(tmp_path).load(NAME)
    assert project.name in str(excinfo.value)


def test_projects_folder_symlink_is_refused(tmp_path: Path) -> None:
    folder = _new_session(tmp_path)
    outside = tmp_path / "outside"
    os.replace(folder / "projects", outside)
    (folder / "projects").symlink_to(outside, target_is_directory=True)
    with pytest.raises(SessionError, match="lien symbolique"):
        SessionStore(tmp_path).load(NAME)


def test_fifo_session_yaml_never_blocks(tmp_path: Path) -> None:
    folder = _new_session(tmp_path)
    (folder / "session.yaml").unlink()
    os.mkfifo(folder / "session.yaml")
    with pytest.raises(SessionError, match="tube"):  # returns at once: no reader hangs
        SessionStore(tmp_path).load(NAME)


def test_backup_symlink_is_neither_followed_nor_replaced(tmp_path: Path) -> None:
    target = tmp_path / "f.yaml"
    target.write_bytes(b"a: 1\n")
    victim = tmp_path / "victim.txt"
    victim.write_text("intact")
    (tmp_path / "f.yaml.bak").symlink_to(victim)
    atomic_write(target, b"a: 2\n")
    assert target.read_bytes() == b"a: 2\n"
    assert victim.read_text() == "intact"


def test_atomic_write_refuses_to_replace_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeFile):
        atomic_write(fifo, b"x")
    assert fifo.is_fifo()


def test_temp_sweep_leaves_links_alone(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep").write_text("x")
    link = tmp_path / ".session.yaml.tmp-dead"
    link.symlink_to(victim, target_is_directory=True)
    real = tmp_path / ".session.yaml.tmp-beef"
    real.write_text("partial")
    assert sweep_temp_files(tmp_path) == [real]
    assert link.is_symlink() and (victim / "keep").exists()


def test_open_regular_refuses_a_device() -> None:
    with pytest.raises(UnsafeFile, match="périphérique"):
        open_regular(Path("/dev/null"))


def test_save_refuses_a_symlinked_session_file(tmp_path: Path) -> None:
    store = SessionStore(tmp_path, FakeClock())
    folder = _new_session(tmp_path)
    session = store.open(NAME)
    elsewhere = tmp_path / "elsewhere.yaml"
    os.replace(folder / "session.yaml", elsewhere)
    (folder / "session.yaml").symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    with pytest.raises(SaveError, match="session.yaml"):
        session.save_meta()
    assert elsewhere.read_bytes() == before
    session.close()


@pytest.mark.parametrize("kind", ["fifo", "symlink"])
def test_export_force_replaces_only_a_regular_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    copy_sample_session(sessions)
    out = tmp_path / "rapport.md"
    victim = tmp_path / "victim.txt"
    victim.write_text("intact")
    if kind == "fifo":
        os.mkfifo(out)
    else:
        out.symlink_to(victim)
    code = main(
        ["export", SAMPLE_SESSION_NAME, "--sessions-dir", str(sessions), "-o", str(out), "--force"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert str(out) in err and "pas un fichier ordinaire" in err
    assert "Traceback" not in err
    assert out.is_fifo() if kind == "fifo" else out.is_symlink()
    assert victim.read_text() == "intact"
