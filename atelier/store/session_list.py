"""The sessions of a folder as a list: one :class:`SessionSummary` per session folder, readable
or not (``SessionStore.list_sessions``: ``atelier sessions``, the « no such session » message).

Reading only: a folder that cannot be read is summarised as corrupt or too new, with why; one
that another atelier holds is said to be locked, and by whom.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from atelier.domain.session import check_session_name
from atelier.errors import AtelierError
from atelier.store.atomic import failure_reason
from atelier.store.lock import read_lock_holder
from atelier.store.session_format import SESSION_FILE, SessionTooNew, peek, read_session_folder


class SessionState(StrEnum):
    OK = "ok"
    CORRUPT = "corrompue"
    TOO_NEW = "version plus récente"
    LOCKED = "verrouillée"  # readable, and open in another atelier right now


@dataclass(frozen=True)
class SessionSummary:
    """One line of ``atelier sessions``. Built for every folder, readable or not."""

    name: str
    path: Path
    state: SessionState
    workshop_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    project_count: int | None = None
    problem: str | None = None  # why it is not "ok" (French), or who holds it

    def describe(self) -> str:
        """« atis-2020-05-19, 19/05/2020[, corrompue] » (French, for lists of sessions)."""
        details = [self.workshop_id or "?"]
        if self.created_at is not None:
            details.append(self.created_at.strftime("%d/%m/%Y"))
        if self.state != SessionState.OK:
            details.append(str(self.state))
        return ", ".join(details)


def summarize(folder: Path) -> SessionSummary:
    """The summary of one session folder, readable or not: why it is not ok is in ``problem``."""
    try:
        record = read_session_folder(folder).record
    except SessionTooNew as exc:
        return SessionSummary(
            name=folder.name,
            path=folder,
            state=SessionState.TOO_NEW,
            problem=_first_problem(exc),
            **peek(folder),
        )
    except (AtelierError, OSError) as exc:
        return SessionSummary(
            name=folder.name,
            path=folder,
            state=SessionState.CORRUPT,
            problem=_first_problem(exc),
            **peek(folder),
        )
    holder = read_lock_holder(folder)
    return SessionSummary(
        name=folder.name,
        path=folder,
        state=SessionState.LOCKED if holder is not None else SessionState.OK,
        workshop_id=record.workshop_id,
        created_at=record.created_at,
        updated_at=record.updated_at,
        project_count=len(record.projects),
        problem=f"ouverte par le {holder.describe()}" if holder is not None else None,
    )


def _first_problem(exc: BaseException) -> str:
    if isinstance(exc, AtelierError):
        if exc.problems:
            return str(exc.problems[0])
        return exc.message
    if isinstance(exc, OSError):
        return f"lecture impossible : {failure_reason(exc)}"
    return str(exc)


def latest_unfinished(
    root: Path, workshop_id: str, day: date, last_step_id: str | None = None
) -> str | None:
    """The name of the session to pick up when ``atelier`` runs again: of this workshop,
    created on ``day``, readable, not finished (not at the workshop's last step), the most
    recently saved one. None when there is none (a new session is then started)."""
    best: tuple[datetime, str] | None = None
    try:
        folders = sorted(p for p in root.iterdir() if p.is_dir())
    except (FileNotFoundError, NotADirectoryError):
        return None
    for folder in folders:
        if folder.name.startswith(".") or check_session_name(folder.name) is not None:
            continue
        try:  # cheap first: a folder not written since before ``day`` was not made that day
            written = datetime.fromtimestamp((folder / SESSION_FILE).stat().st_mtime)
        except OSError:
            continue
        if written.date() < day:
            continue
        try:
            record = read_session_folder(folder).record
        except (AtelierError, OSError):
            continue  # unreadable: « atelier sessions » says why; never resumed silently
        if record.workshop_id != workshop_id or record.practice:
            continue
        if record.created_at.date() != day:
            continue
        if last_step_id is not None and record.current_step_id == last_step_id:
            continue
        key = (record.updated_at, folder.name)
        if best is None or key > best:
            best = key
    return best[1] if best is not None else None
