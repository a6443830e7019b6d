"""A typist for tests/slow/test_typing_kill.py (run with ``sys.executable``).

    python typing_child.py ROOT NAME LOG      read commands on stdin:
        go        fork a typist; answer its pid
        wait PID  reap it; answer its wait status

A typist opens the session, then types one character every 20 ms into the first project's
improvement axes, as the facilitator would, forever: each key goes into the record, is logged
(``index monotonic-time`` appended to LOG) and the autosave schedule of every text field
(:class:`atelier.domain.autosave.DebounceSchedule`, real clock) decides when the project is
saved. It never pauses, so only the schedule's maximum wait ever saves.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from atelier.domain.autosave import DebounceSchedule
from atelier.store.session_store import SessionStore

TEXT = "Le porteur « Épicerie & co » : été 👍, no: 10:00 ; "
KEY_INTERVAL_S = 0.02


def expected(length: int) -> str:
    return "".join(TEXT[i % len(TEXT)] for i in range(length))


def type_forever(root: Path, name: str, log_path: Path) -> None:
    session = SessionStore(root).open(name)
    project = session.record.projects[0]
    index = len(project.improvement_axes)
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    schedule = DebounceSchedule()
    while True:
        project.improvement_axes += TEXT[index % len(TEXT)]
        now = time.monotonic()
        os.write(log, f"{index} {now!r}\n".encode())
        index += 1
        if schedule.changed(now) == 0:
            schedule.saved()
            session.save_project(project.id)
        time.sleep(KEY_INTERVAL_S)


def zygote(root: Path, name: str, log_path: Path) -> None:
    for command in sys.stdin:
        words = command.split()
        if words == ["go"]:
            pid = os.fork()
            if pid == 0:
                try:
                    type_forever(root, name, log_path)
                finally:
                    os._exit(3)
            reply = str(pid)
        elif len(words) == 2 and words[0] == "wait":
            _pid, status = os.waitpid(int(words[1]), 0)
            reply = str(status)
        else:
            reply = "?"
        sys.stdout.write(reply + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    zygote(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
