"""The real ``atelier`` process in a pseudo-terminal: SIGTERM and SIGHUP save before
exiting, and a second process on the same session is refused before any screen opens."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from atelier.store.session_store import SessionStore

pytestmark = pytest.mark.slow

NAME = "atelier-test"
RIGHT = b"\x1b[C"
FIRST_STATEMENT = "pour révéler"  # the statement's key hint: « … · Entrée pour révéler »


LIVE: list[AppProcess] = []
"""Every app a test started: the autouse fixture in conftest.py kills what a failed test left."""


class AppProcess:
    """``python -m atelier run`` attached to a pty, as in a real terminal."""

    def __init__(self, sessions: Path, *args: str) -> None:
        LIVE.append(self)
        self.master, slave = pty.openpty()
        os.set_blocking(self.master, False)
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLUMNS": "100",
            "LINES": "30",
            "TEXTUAL_ANIMATIONS": "none",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "atelier",
                "run",
                *(() if args == ("run-default",) else args or ("--new", "--session", NAME)),
                "--sessions-dir",
                str(sessions),
            ],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""

    def drain(self, seconds: float = 0.1) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    return

    def wait_for_screen(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.output:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"{text!r} never shown; exit={self.process.poll()}")
            self.drain(0.1)

    def to_first_statement(self, presses: int = 30) -> None:
        """→ until the first quiz statement is up (long intro pages come in parts, so the
        number of pages is not the number of presses)."""
        for _ in range(presses):
            if FIRST_STATEMENT.encode() in self.output:
                return
            self.send(RIGHT)
            self.drain(0.2)
        self.wait_for_screen(FIRST_STATEMENT)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)
        self.drain(0.3)

    def finish(self, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError("the app did not exit")
            self.drain(0.1)
        os.close(self.master)
        self.master = -1  # closed: the conftest fixture must not close a reused number
        return self.process.returncode


def _session_folder(sessions: Path) -> Path:
    return sessions / NAME


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_signal_saves_and_exits_cleanly(tmp_path: Path, signum: int) -> None:
    app = AppProcess(tmp_path)
    app.wait_for_screen("Catalyseur")
    app.to_first_statement()
    app.send(b"vvf")
    app.wait_for_screen("2 main")
    app.process.send_signal(signum)
    assert app.finish() == 0
    record = SessionStore(tmp_path).load(NAME)
    first = record.quiz[record.current_quiz_item or ""]
    assert first.tally == {"vrai": 2, "faux": 1}
    lock = _session_folder(tmp_path) / ".lock"
    assert not lock.exists() or lock.read_text() == ""


def test_second_instance_is_refused_before_any_screen(tmp_path: Path) -> None:
    holder = AppProcess(tmp_path)
    try:
        holder.wait_for_screen("Catalyseur")
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "atelier",
                "run",
                "--session",
                NAME,
                "--sessions-dir",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
        assert second.returncode == 2
        assert str(holder.process.pid) in second.stderr
        assert "Traceback" not in second.stderr
        assert "\x1b[" not in second.stdout  # no screen was drawn
    finally:
        holder.process.send_signal(signal.SIGTERM)
        holder.finish()


def test_closing_the_terminal_saves_and_releases_the_session(tmp_path: Path) -> None:
    """The window is closed: the pty goes away, then SIGHUP. Textual cannot write any more;
    the process must still save, release the lock and end by itself."""
    app = AppProcess(tmp_path)
    app.wait_for_screen("Catalyseur")
    app.to_first_statement()
    app.send(b"vv")
    app.wait_for_screen("2 main")
    os.close(app.master)  # the terminal disappears
    app.process.send_signal(signal.SIGHUP)
    try:
        app.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        app.process.kill()
        raise AssertionError("the app stayed alive after its terminal was closed") from None
    record = SessionStore(tmp_path).load(NAME)
    assert record.quiz[record.current_quiz_item or ""].tally == {"vrai": 2}
    second = subprocess.run(
        [sys.executable, "-m", "atelier", "sessions", "--sessions-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert "verrouillée" not in second.stdout


def test_every_exit_prints_the_command_that_resumes(tmp_path: Path) -> None:
    app = AppProcess(tmp_path)
    app.wait_for_screen("Catalyseur")
    app.process.send_signal(signal.SIGTERM)
    assert app.finish() == 0
    shown = app.output.decode(errors="replace")
    assert f"Pour reprendre : atelier run --session {NAME} --sessions-dir {tmp_path}" in shown


def test_two_runs_the_same_day_leave_one_session(tmp_path: Path) -> None:
    """``atelier run`` twice, ctrl+q in between (nothing running: it quits at once): the
    second run resumes the first session and says so."""
    first = AppProcess(tmp_path, "run-default")
    first.wait_for_screen("Catalyseur")
    first.send(RIGHT)
    first.send(b"\x11")  # ctrl+q
    assert first.finish() == 0
    assert "Pour reprendre : atelier run --session" in first.output.decode(errors="replace")
    second = AppProcess(tmp_path, "run-default")
    second.wait_for_screen("Reprise de la session du jour")
    second.send(b"\x11")
    assert second.finish() == 0
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == 1
