"""Benchmarks of the countdown display in the real app, on the pitch screen, in real time.

``measure_timer_error_ms(seconds=60)`` → ``timer_error_ms`` (target ≤ 100 and no drift)
    The app runs in this process (``run_test``, headless, the real SystemClock) on the pitch
    step with a 15' exchange running. A *separate thread* samples every 50 ms the label the
    BigTimer shows and the countdown's true remaining time: the thread does not depend on the
    event loop, so a stalled loop (late or dropped ticks) shows up as a gap instead of
    delaying the measurement with it. The label rounds up to the second, so « 14:59 » is right
    while 14:58 < remaining ≤ 14:59; the gap is how far outside that second the true time is.
    The max over the first and the last 10 s shows whether it grows.

``measure_timer_idle_cpu_pct(seconds=20)`` → ``timer_idle_cpu_pct`` (target ≤ 2)
    ``atelier run`` is started as a separate process on a *real pty* (160×45), resumed on the
    pitch step, and F5 F6 are typed: the exchange clock runs and nobody types. Its CPU time
    (``/proc/PID/stat``, every thread) over ``seconds`` of wall time, in % of one core. A pty
    rather than a headless ``run_test``: the headless driver throws the output away, and
    writing the frames to a terminal is a real part of what a running clock costs. This
    process drains the pty so the app never blocks on a full buffer. Linux only.

Run this file to print both with their details (about 90 s).
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import pty
import select
import struct
import sys
import tempfile
import termios
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE_EVERY_S = 0.05
EDGE_S = 10.0
SIZE = (160, 45)
F5 = b"\x1b[15~"
F6 = b"\x1b[17~"
CTRL_Q = b"\x11"


def _pitch_session(sessions_dir: Path, name: str) -> None:
    """A saved session on the pitch step with one volunteer project (the app resumes it)."""
    from atelier.cli_run import open_or_create_session
    from atelier.domain.clock import SystemClock
    from atelier.domain.content_programme import StepKind
    from atelier.store.content_loader import load_workshop, resolve_content_dir
    from atelier.store.session_store import SessionStore

    clock = SystemClock()
    workshop = load_workshop(resolve_content_dir(None))
    session = open_or_create_session(SessionStore(sessions_dir), workshop, name, clock)
    project = session.record.add_project("Projet du banc d'essai", now=clock.now())
    project.pitch.volunteer = True
    project.pitch.order = 0
    step = next(s for s in workshop.programme if s.kind is StepKind.PITCH)
    session.record.enter_step(step.id, clock.now())
    session.save_all()
    session.close()


# -- timer_error_ms --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimerError:
    max_ms: float
    first_10s_ms: float
    last_10s_ms: float
    samples: int
    seconds: float


def _label_seconds(label: str) -> float:
    """« 14:59 » → 899, « 1:05:00 » → 3900, « +0:23 » → −23 (shown as overtime)."""
    sign = -1 if label.startswith("+") else 1
    total = 0
    for part in label.lstrip("+").split(":"):
        total = total * 60 + int(part)
    return sign * total


def _gap_s(label: str, remaining: float) -> float:
    """How far the true remaining time is outside the second the label stands for: the
    label rounds up before the deadline (« 14:59 » for 14:58 < r ≤ 14:59, « 00:00 » for
    −1 < r ≤ 0) and down after it (« +0:23 » for −24 < r ≤ −23): always (v − 1, v]."""
    shown = _label_seconds(label)
    return max(0.0, (shown - 1) - remaining, remaining - shown)


def measure_timer_error(seconds: float = 60) -> TimerError:
    from atelier.tui.screens.pitch import PitchScreen
    from atelier.tui.widgets.big_timer import BigTimer

    samples: list[tuple[float, float]] = []  # (seconds since start, gap ms)

    async def scenario(sessions: Path) -> None:
        from atelier.cli_run import open_or_create_session
        from atelier.domain.clock import SystemClock
        from atelier.store.content_loader import load_workshop, resolve_content_dir
        from atelier.store.session_store import SessionStore
        from atelier.store.settings import Settings
        from atelier.tui.app import AtelierApp

        clock = SystemClock()
        workshop = load_workshop(resolve_content_dir(None))
        session = open_or_create_session(SessionStore(sessions), workshop, "bench", clock)
        app = AtelierApp(workshop, session, session.record, clock, Settings())
        async with app.run_test(size=SIZE) as pilot:
            while not (isinstance(app.screen, PitchScreen) and app.screen.section == "round"):
                await pilot.pause(0.05)
            screen = app.screen
            await pilot.press("f5", "f6")
            countdown = screen.round.active_countdown
            timer = screen.query_one("#pitch-timer", BigTimer)
            assert countdown is not None and countdown.running
            stop = threading.Event()

            def sample() -> None:
                start = time.monotonic()
                next_at = start
                while not stop.is_set():
                    label = timer.text
                    remaining = countdown.remaining()
                    samples.append((time.monotonic() - start, _gap_s(label, remaining) * 1000))
                    next_at += SAMPLE_EVERY_S
                    time.sleep(max(0.0, next_at - time.monotonic()))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            await asyncio.sleep(seconds)  # the app runs; nobody types
            stop.set()
            sampler.join()
        session.close()

    with tempfile.TemporaryDirectory(prefix="atelier-bench-") as tmp:
        _pitch_session(Path(tmp), "bench")
        asyncio.run(scenario(Path(tmp)))
    gaps = [gap for _, gap in samples]
    first = [gap for t, gap in samples if t < EDGE_S]
    last = [gap for t, gap in samples if t > seconds - EDGE_S]
    return TimerError(
        max_ms=round(max(gaps), 1),
        first_10s_ms=round(max(first), 1),
        last_10s_ms=round(max(last), 1),
        samples=len(samples),
        seconds=seconds,
    )


def measure_timer_error_ms(seconds: float = 60) -> float:
    """``timer_error_ms`` for bench/run.py: max gap (ms) between shown and true remaining."""
    return measure_timer_error(seconds).max_ms


# -- timer_idle_cpu_pct ----------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process, all threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Pty:
    """A child process on a pty whose output is read (and mostly thrown away) by a thread."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.master, slave = pty.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        import subprocess

        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.output = bytearray()
        self.bytes_read = 0
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.bytes_read += len(chunk)
            self.output += chunk
            if len(self.output) > 1 << 20:
                del self.output[: len(self.output) - (1 << 16)]

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        needle = text.encode()
        while needle not in self.output:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"« {text} » never appeared on the pty")
            time.sleep(0.05)

    def close(self) -> None:
        if self.process.poll() is None:
            self.send(CTRL_Q)
            try:
                self.process.wait(timeout=10)
            except Exception:  # noqa: BLE001 - a bench must not leave a child behind
                self.process.kill()
                self.process.wait()
        self._stop.set()
        self._reader.join(timeout=1)
        os.close(self.master)


@dataclass(frozen=True)
class TimerCpu:
    cpu_pct: float
    seconds: float
    output_kib: float


def measure_timer_idle_cpu(seconds: float = 20) -> TimerCpu:
    with tempfile.TemporaryDirectory(prefix="atelier-bench-") as tmp:
        sessions = Path(tmp)
        _pitch_session(sessions, "bench")
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "TEXTUAL_ANIMATIONS": "none",
            "ATELIER_CONFIG_DIR": str(sessions / "config"),
        }
        argv = [
            sys.executable,
            "-m",
            "atelier",
            "run",
            "--session",
            "bench",
            "--sessions-dir",
            str(sessions),
        ]
        child = _Pty(argv, env, SIZE)
        try:
            child.wait_for("Ordre de passage", timeout=60)
            child.send(F5)
            time.sleep(0.5)
            child.send(F6)
            time.sleep(2.0)  # let start-up work and the first saves finish
            cpu_start, wall_start, out_start = (
                _cpu_seconds(child.process.pid),
                time.monotonic(),
                child.bytes_read,
            )
            time.sleep(seconds)
            cpu = _cpu_seconds(child.process.pid) - cpu_start
            wall = time.monotonic() - wall_start
            output = child.bytes_read - out_start
        finally:
            child.close()
    return TimerCpu(
        cpu_pct=round(100 * cpu / wall, 2),
        seconds=round(wall, 1),
        output_kib=round(output / 1024, 1),
    )


def measure_timer_idle_cpu_pct(seconds: float = 20) -> float:
    """``timer_idle_cpu_pct`` for bench/run.py: CPU of the app, % of one core."""
    return measure_timer_idle_cpu(seconds).cpu_pct


if __name__ == "__main__":
    error = measure_timer_error()
    sys.stdout.write(json.dumps({"timer_error_ms": error.max_ms, **asdict(error)}) + "\n")
    cpu = measure_timer_idle_cpu()
    sys.stdout.write(json.dumps({"timer_idle_cpu_pct": cpu.cpu_pct, **asdict(cpu)}) + "\n")
