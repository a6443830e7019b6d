"""Start-up cost: atelier (content load, session, first screen) against a bare Textual app.

Both run as fresh interpreters, headless, from process start to the first frame and exit,
alternating so that machine noise hits both alike. Wall time is read per child with
``os.wait4``, peak RSS by the child itself (``PEAK``)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

PEAK = """
import sys
try:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                sys.stderr.write(f"peak_kib {line.split()[1]}\\n")
except OSError:
    pass
"""
"""The child's own peak resident memory, from Linux's ``VmHWM``: ``ru_maxrss`` from ``wait4``
also counts the pages the child shared with this process between fork and exec, so it read
the bench's own size (62 MiB once ``run.py`` had imported the other benches and run its
reference workload) instead of atelier's (52 MiB)."""

HELLO = (
    """
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Bonjour")

async def first_frame(pilot):
    await pilot.pause()
    pilot.app.exit()

Hello().run(headless=True, size=(120, 35), auto_pilot=first_frame)
"""
    + PEAK
)

ATELIER = (
    """
import gc
import sys
from atelier.cli import prepare_process
from atelier.cli_run import open_or_create_session
prepare_process()  # as atelier's main() does
gc.disable()  # as cli_run.run does, until the app's first frame
from atelier.domain.clock import SystemClock
from atelier.store.content_cache import load_workshop_cached
from atelier.store.content_loader import resolve_content_dir
from atelier.store.session_store import SessionStore
from atelier.store.settings import Settings
from atelier.tui.app import AtelierApp

clock = SystemClock()
workshop = load_workshop_cached(resolve_content_dir(None))
session = open_or_create_session(SessionStore(sys.argv[1]), workshop, None, clock)

async def first_frame(pilot):
    await pilot.pause()
    pilot.app.exit()

AtelierApp(workshop, session, session.record, clock, Settings()).run(
    headless=True, size=(120, 35), auto_pilot=first_frame
)
session.close()
"""
    + PEAK
)


def _child_env(cache: str | None = None) -> dict[str, str]:
    env = {**os.environ, "TEXTUAL_ANIMATIONS": "none"}
    if cache is not None:
        # atelier's validated-content cache, written by the warm-up run like the .pyc files.
        env["ATELIER_CACHE_DIR"] = cache
    # The warm-up runs must be able to write atelier's .pyc files, as pip does for an installed
    # atelier and did for Textual: with PYTHONDONTWRITEBYTECODE set, every measured atelier run
    # compiled its ~25 modules from source (~80 ms) while the hello-world compiled nothing.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run(code: str, *args: str, cache: str | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one child interpreter."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_child_env(cache),
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    errors = child.stderr.read().decode() if child.stderr else ""
    if child.stderr:
        child.stderr.close()
    if status != 0:
        raise RuntimeError(errors or "child failed")
    peak_kib = usage.ru_maxrss  # Linux reports KiB (see PEAK: an upper bound only)
    for line in errors.splitlines():
        if line.startswith("peak_kib "):
            peak_kib = int(line.split()[1])
    return elapsed, peak_kib / 1024


def measure_startup(runs: int = 7) -> dict[str, float]:
    hello_times, atelier_times, atelier_rss = [], [], []
    with tempfile.TemporaryDirectory() as sessions, tempfile.TemporaryDirectory() as cache:
        _run(HELLO)  # warm the file cache, the .pyc files and atelier's content cache
        _run(ATELIER, sessions, cache=cache)
        for _ in range(runs):
            hello_times.append(_run(HELLO)[0])
            wall, rss = _run(ATELIER, sessions, cache=cache)
            atelier_times.append(wall)
            atelier_rss.append(rss)
    hello, atelier = statistics.median(hello_times), statistics.median(atelier_times)
    return {
        "startup_hello_s": round(hello, 3),
        "startup_atelier_s": round(atelier, 3),
        "startup_ratio": round(atelier / hello, 2),
        "peak_rss_mib": round(max(atelier_rss), 1),
    }


if __name__ == "__main__":
    print(measure_startup())
