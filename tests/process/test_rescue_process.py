"""The real process, its session folder removed while it runs (a USB stick pulled), then
SIGTERM: the votes survive in a rescue copy, and the next run merges them (issue 15 item 1)."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from atelier.store.rescue import RESCUE_SUFFIX
from tests.process.test_app_process import NAME, AppProcess

pytestmark = pytest.mark.slow


def test_sigterm_with_the_folder_gone_writes_a_rescue_copy(tmp_path: Path) -> None:
    state = Path(os.environ["ATELIER_STATE_DIR"])
    app = AppProcess(tmp_path)
    app.wait_for_screen("Catalyseur")
    app.to_first_statement()
    shutil.rmtree(tmp_path / NAME)  # the stick is pulled
    app.send(b"vvf")
    app.wait_for_screen("NON ENREGISTR")
    app.process.send_signal(signal.SIGTERM)
    code = app.finish()
    output = app.output.decode("utf-8", "replace")
    assert code == 1
    assert "copie de secours" in output and "Traceback" not in output
    copies = list((state / "secours").glob(f"{NAME}-*{RESCUE_SUFFIX}"))
    assert len(copies) == 1
    text = copies[0].read_text(encoding="utf-8")
    assert "vrai: 2" in text and "faux: 1" in text
