"""Types are part of the test suite: ``mypy --strict`` on the pure core (domain, store,
report), as ruff is for style. The TUI is left out: Textual's own typing makes strict mode
there mostly noise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("atelier/domain", "atelier/store", "atelier/report")


def test_pure_core_is_strictly_typed() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *CHECKED],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
