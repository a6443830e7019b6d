"""A second atelier process for the crash-safety tests (run with ``sys.executable``).

    python session_child.py hold ROOT NAME       open the session, say « locked PID », wait
    python session_child.py zygote ROOT NAME     read commands on stdin:
        go        fork a child that opens the session and saves in a loop; answer its pid
                  (the child creates ROOT/.saved-PID once its first save is on disk)
        wait PID  reap that child; answer its wait status
    python session_child.py fail-once ROOT NAME  first save hits ENOSPC, the next one works

The zygote imports atelier once, so each of the hundred killed savers starts in milliseconds.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from atelier.errors import SaveError
from atelier.store.session_store import SessionStore

LINES_PER_NOTE = 80


def make_note(version: int) -> str:
    """Version ``version`` of a note: a first line naming it, then lines that depend on it."""
    body = "".join(
        f"ligne {n} de la version {version} : été 👍 no: 10:00\n" for n in range(LINES_PER_NOTE)
    )
    return f"v{version}\n{body}"


def version_of(text: str) -> int:
    first = text.split("\n", 1)[0]
    return int(first[1:]) if first.startswith("v") else 0


def save_forever(root: Path, name: str) -> None:
    session = SessionStore(root).open(name)
    record = session.record
    version = max(
        [version_of(record.facilitator_notes)]
        + [version_of(project.improvement_axes) for project in record.projects]
    )
    first_saved = root / saved_marker(os.getpid())
    while True:
        version += 1
        project = record.projects[version % len(record.projects)]
        project.improvement_axes = make_note(version)
        session.save_project(project.id)
        if version % 4 == 0:
            record.facilitator_notes = make_note(version)
            session.save_meta()
        if not first_saved.exists():
            first_saved.touch()


def saved_marker(pid: int) -> str:
    """The file a saver creates in the sessions folder once its first save is complete."""
    return f".saved-{pid}"


def zygote(root: Path, name: str) -> None:
    for command in sys.stdin:
        words = command.split()
        if words == ["go"]:
            pid = os.fork()
            if pid == 0:
                try:
                    save_forever(root, name)
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


def hold(root: Path, name: str) -> None:
    session = SessionStore(root).open(name)
    sys.stdout.write(f"locked {os.getpid()}\n")
    sys.stdout.flush()
    sys.stdin.read()  # until the parent closes stdin, or kills us
    session.close()


def fail_once(root: Path, name: str) -> None:
    from atelier.store import session_store

    session = SessionStore(root).open(name)
    project = session.record.projects[0]
    project.improvement_axes = "écrit pendant que le disque est plein\n"
    real_replace = os.replace

    def full_disk(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    session_store.os.replace = full_disk  # type: ignore[assignment]
    try:
        session.save_project(project.id)
    except SaveError as exc:
        sys.stdout.write(f"error {exc}\n")
    finally:
        session_store.os.replace = real_replace
    if not session.record.projects[0].improvement_axes.startswith("écrit pendant"):
        sys.exit("the record in memory changed after a failed save")
    session.save_project(project.id)
    sys.stdout.write("saved\n")
    session.close()


if __name__ == "__main__":
    mode, root_arg, name_arg = sys.argv[1:4]
    {"hold": hold, "zygote": zygote, "fail-once": fail_once}[mode](Path(root_arg), name_arg)
