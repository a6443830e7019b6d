"""What the command line prints: one place, so every sub-command writes the same way."""

from __future__ import annotations

import contextlib
import os
import sys


def say(text: str, *, err: bool = False) -> None:
    """Print, unless the terminal is gone (closed window): saving matters, the message not."""
    with contextlib.suppress(OSError, ValueError):
        (sys.stderr if err else sys.stdout).write(text)


def write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (« | head »): not an error; keep Python quiet at exit.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
