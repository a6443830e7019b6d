"""The session lock: one process at a time on a session folder.

``SessionLock.acquire`` takes an exclusive ``flock`` on ``<session>/.lock`` (POSIX; ``msvcrt``
on Windows, untested) and holds it until ``release``. The OS releases it when the process dies,
even by ``kill -9``; the holder info left in the file (pid, host, since) then only serves to say
« verrou périmé … repris ». The lock file is never renamed (a rename would give a new inode that
a second process could lock too).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from atelier.errors import SessionLocked
from atelier.store.atomic import NEW_FILE_MODE, open_regular, read_regular

LOCK_FILE = ".lock"

_IS_POSIX = os.name == "posix"


def _lock_fd(fd: int) -> bool:
    """Try to take the exclusive lock on ``fd`` without waiting; False when someone holds it."""
    if _IS_POSIX:
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        return True
    import msvcrt  # pragma: no cover - Windows

    os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)  # pragma: no cover
    try:  # pragma: no cover
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    except OSError:  # pragma: no cover
        return False
    return True  # pragma: no cover


def _unlock_fd(fd: int) -> None:
    if _IS_POSIX:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)
        return
    import msvcrt  # pragma: no cover - Windows

    os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)  # pragma: no cover
    msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]  # pragma: no cover


# Windows locks are mandatory: lock a byte far past the holder info so others can still read it.
_WINDOWS_LOCK_OFFSET = 1 << 20


def _read_fd(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks: list[bytes] = []
    while chunk := os.read(fd, 4096):
        chunks.append(chunk)
        if sum(map(len, chunks)) > 65536:
            break
    return b"".join(chunks)


@dataclass(frozen=True)
class LockHolder:
    pid: int | None
    host: str
    since: str  # ISO 8601

    @classmethod
    def parse(cls, raw: bytes) -> LockHolder | None:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
        if not isinstance(data, dict):
            return None
        pid = data.get("pid")
        return cls(
            pid=pid if isinstance(pid, int) else None,
            host=str(data.get("host", "?")),
            since=str(data.get("since", "?")),
        )

    def since_text(self) -> str:
        try:
            return datetime.fromisoformat(self.since).strftime("%d/%m/%Y à %H:%M")
        except ValueError:
            return self.since

    def describe(self) -> str:
        """« processus 1234 sur « salle-1 » depuis le 19/05/2020 à 09:40 »"""
        return f"processus {self.pid} sur « {self.host} » depuis le {self.since_text()}"

    def alive_here(self) -> bool | None:
        """Whether the holder still runs (None when we cannot tell: other host, Windows)."""
        if self.pid is None or self.host != socket.gethostname() or not _IS_POSIX:
            return None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


class SessionLock:
    """An exclusive lock on ``<session>/.lock``, held while the session is open.

    The file records the holder (pid, host, since) for the message a second process shows."""

    def __init__(self, path: Path, fd: int, notice: str | None) -> None:
        self.path = path
        self._fd: int | None = fd
        self.notice = notice  # « verrou périmé du processus 1234 … repris », or None

    @classmethod
    def acquire(cls, folder: Path, session_name: str, now: datetime) -> SessionLock:
        path = folder / LOCK_FILE
        # Never through a link (a planted `.lock -> victim` would be truncated), never a FIFO.
        fd = open_regular(path, os.O_RDWR | os.O_CREAT, NEW_FILE_MODE)
        try:
            if not _lock_fd(fd):
                raise SessionLocked(_locked_message(session_name, _holder_of(fd)))
            previous = LockHolder.parse(_read_fd(fd))
            notice = None
            if previous is not None and previous.pid is not None:
                notice = (
                    f"verrou périmé du processus {previous.pid} (« {previous.host} », "
                    f"depuis le {previous.since_text()}) repris"
                )
            holder = {"pid": os.getpid(), "host": socket.gethostname(), "since": now.isoformat()}
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, json.dumps(holder).encode("utf-8") + b"\n")
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd, notice)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Clear the holder info (so the next open sees no stale lock) and unlock."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            with contextlib.suppress(OSError):
                _unlock_fd(fd)
        finally:
            os.close(fd)


def _holder_of(fd: int) -> LockHolder | None:
    # The holder writes its info right after locking: give it a moment if it is not there yet.
    for _ in range(5):
        holder = LockHolder.parse(_read_fd(fd))
        if holder is not None:
            return holder
        time.sleep(0.01)
    return None


def _locked_message(session_name: str, holder: LockHolder | None) -> str:
    who = holder.describe() if holder is not None else "un autre processus"
    return (
        f"la session « {session_name} » est déjà ouverte par le {who} ; "
        "fermez l'autre atelier, ou ouvrez une autre session"
    )


def read_lock_holder(folder: Path) -> LockHolder | None:
    """Who has ``folder``'s session open right now, without taking any lock (for listings)."""
    try:
        raw = read_regular(folder / LOCK_FILE, limit=65536)
    except OSError:
        return None
    holder = LockHolder.parse(raw)
    if holder is None or holder.alive_here() is False:
        return None
    return holder
