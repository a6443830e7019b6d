"""A test that fails half-way must not leave a real app running (it would keep a core busy
for the rest of the run): every app started through AppProcess is killed after its test."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pytest

from tests.process.test_app_process import LIVE


@pytest.fixture(autouse=True)
def _no_app_left_running() -> Iterator[None]:
    yield
    while LIVE:
        app = LIVE.pop()
        if app.process.poll() is None:
            app.process.kill()
            with contextlib.suppress(Exception):
                app.process.wait(timeout=10)
        if app.master >= 0:
            with contextlib.suppress(OSError):
                os.close(app.master)
            app.master = -1
