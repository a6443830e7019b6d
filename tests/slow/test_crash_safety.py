"""Crash safety with real processes: kill -9 while saving, two processes on one session,
permissions, and a full disk."""

from __future__ import annotations

import errno
import os
import random
import signal
import socket
import stat
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from session_child import make_note, saved_marker, version_of

from atelier.domain.clock import FakeClock
from atelier.domain.session import SessionRecord
from atelier.errors import SaveError, SessionLocked
from atelier.store import session_store
from atelier.store.atomic import TEMP_MARK
from atelier.store.session_list import SessionState
from atelier.store.session_store import SessionStore

HELPER = Path(__file__).with_name("session_child.py")
NAME = "atelier-du-jour"
KILLS = 120
PROJECTS = 3


def make_session(root: Path) -> SessionStore:
    clock = FakeClock(datetime(2020, 5, 19, 9, 40).astimezone())
    store = SessionStore(root, clock)
    now = clock.now()
    record = SessionRecord(name=NAME, workshop_id="atis", created_at=now, updated_at=now)
    for n in range(PROJECTS):
        record.add_project(f"Projet {n}", "Léa", now)
    store.create(record).close()
    return store


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(".") and TEMP_MARK in p.name]


def spawn(mode: str, root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HELPER), mode, str(root), NAME],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def ask(process: subprocess.Popen[str], command: str) -> str:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(command + "\n")
    process.stdin.flush()
    reply = process.stdout.readline()
    assert reply, f"the helper process died (exit code {process.poll()})"
    return reply.strip()


@pytest.mark.slow
def test_kill_9_while_saving_leaves_the_old_or_the_new_version(tmp_path: Path) -> None:
    store = make_session(tmp_path)
    folder = tmp_path / NAME
    shared = folder / "projects" / "projet-0.yaml"
    shared.chmod(0o640)  # a mode the user chose must survive every save
    seen: dict[str, int] = {}
    rng = random.Random(1234)
    zygote = spawn("zygote", tmp_path)
    try:
        for _ in range(KILLS):
            pid = int(ask(zygote, "go"))
            # Kill it while it saves: after its first save is on disk (however slow the machine
            # is), at a random point of the saves that follow.
            first_saved = tmp_path / saved_marker(pid)
            deadline = time.monotonic() + 30
            while not first_saved.exists():
                assert time.monotonic() < deadline, "the saver never completed a save"
                time.sleep(0.001)
            time.sleep(rng.uniform(0.0, 0.030))
            os.kill(pid, signal.SIGKILL)
            status = int(ask(zygote, f"wait {pid}"))
            assert os.WIFSIGNALED(status), f"the saver stopped by itself (status {status})"
            assert os.WTERMSIG(status) == signal.SIGKILL

            loaded = store.load(NAME)  # must load, every time
            texts = {p.id: p.improvement_axes for p in loaded.projects}
            texts["facilitator_notes"] = loaded.facilitator_notes
            assert len(texts) == PROJECTS + 1
            progressed = False
            for key, text in texts.items():
                version = version_of(text)
                # a whole version, never a mix …
                assert text == (make_note(version) if version else ""), key
                # … and never older than what was on disk before this kill
                assert version >= seen.get(key, 0), key
                progressed |= version > seen.get(key, 0)
                seen[key] = version
            # … and what the killed saver completed (at least its first save) is still there.
            assert progressed, "a completed save was lost"

            for path in folder.rglob("*.yaml*"):
                if path.name.startswith("."):
                    continue
                expected = 0o640 if path.name.startswith("projet-0.yaml") else 0o600
                assert stat.S_IMODE(path.stat().st_mode) == expected, path
    finally:
        assert zygote.stdin is not None
        zygote.stdin.close()
        zygote.wait(timeout=10)

    assert sum(seen.values()) > 0
    # Temp files left by the kills (about one kill in three here) are swept by the next open.
    (folder / "projects" / f".projet-1.yaml{TEMP_MARK}reste").write_text("partiel")
    opened = store.open(NAME)
    assert opened.notice is not None and "verrou périmé" in opened.notice
    opened.close()
    assert temp_files(folder) == []


@pytest.mark.slow
def test_second_process_is_refused_until_the_holder_dies(tmp_path: Path) -> None:
    store = make_session(tmp_path)
    holder = spawn("hold", tmp_path)
    try:
        assert holder.stdout is not None
        line = holder.stdout.readline().split()
        assert line == ["locked", str(holder.pid)]

        with pytest.raises(SessionLocked) as excinfo:
            store.open(NAME)
        message = str(excinfo.value)
        assert f"processus {holder.pid} sur « {socket.gethostname()} »" in message
        assert "fermez l'autre atelier, ou ouvrez une autre session" in message
        (summary,) = store.list_sessions()
        assert summary.state is SessionState.LOCKED
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)

    session = store.open(NAME)
    assert session.notice is not None
    assert session.notice.startswith(f"verrou périmé du processus {holder.pid} ")
    assert session.notice.endswith(" repris")
    session.close()


@pytest.mark.slow
def test_holder_that_exits_cleanly_leaves_no_stale_lock(tmp_path: Path) -> None:
    store = make_session(tmp_path)
    holder = spawn("hold", tmp_path)
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().startswith("locked ")
    holder.stdin.close()
    assert holder.wait(timeout=10) == 0
    session = store.open(NAME)
    assert session.notice is None
    session.close()


@pytest.mark.slow
def test_full_disk_in_a_real_process_loses_nothing(tmp_path: Path) -> None:
    store = make_session(tmp_path)
    result = subprocess.run(
        [sys.executable, str(HELPER), "fail-once", str(tmp_path), NAME],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("error non enregistré : disque plein (")
    assert lines[1] == "saved"
    loaded = store.load(NAME)
    assert loaded.projects[0].improvement_axes == "écrit pendant que le disque est plein\n"
    assert temp_files(tmp_path / NAME) == []


def test_injected_enospc_keeps_memory_and_the_next_save_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_session(tmp_path)
    session = store.open(NAME)
    before = (tmp_path / NAME / "projects" / "projet-2.yaml").read_bytes()
    session.record.project("projet-2").pitch.free_notes = "à garder"

    def full_disk(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(session_store.os, "replace", full_disk)
    for _ in range(3):  # every retry fails the same way while the disk is full
        with pytest.raises(SaveError, match="disque plein"):
            session.save_project("projet-2")
    assert session.record.project("projet-2").pitch.free_notes == "à garder"
    assert (tmp_path / NAME / "projects" / "projet-2.yaml").read_bytes() == before
    monkeypatch.undo()
    session.save_project("projet-2")
    session.close()
    assert store.load(NAME).project("projet-2").pitch.free_notes == "à garder"
    assert temp_files(tmp_path / NAME) == []
