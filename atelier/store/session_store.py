"""Session files: the record of a live workshop, saved so that nothing typed is ever lost.

The store is a small database whose storage is plain YAML that a person can read, diff and back
up by copying a folder.

Layout — one folder per session::

    sessions/                                (--sessions-dir, $ATELIER_SESSIONS_DIR, ./sessions)
      2020-05-19-atis-2020-05-19/            one session (its name)
        session.yaml                         everything but the projects, + `project_ids` (order)
        session.yaml.bak                     the version before the last save
        projects/
          epicerie-solidaire.yaml            one small file per project (scores, notes, pitch)
          epicerie-solidaire.yaml.bak
        deleted/                             projects removed during the workshop, kept anyway
        .lock                                who has the session open (pid, host, since when)

Why a folder and not one file: the facilitator's notes are saved a second or two after each
keystroke, and a save must take under 15 ms (p99). A 30-project session with 10 notes of ~200
characters each is 85–110 KB of YAML; rewriting all of it costs ~17–28 ms p50 and 40–55 ms p99
even with libyaml (``bench/bench_save.py`` prints both). A note belongs to one project, so a
change rewrites only that project's file (~3 KB): dump + write + two fsyncs, ~2 ms p50.
``session.yaml`` (steps, quiz, timers, project order) is rewritten only when those change. Each
project file carries its own ``updated_at``, so the session's last change is known without
rewriting ``session.yaml`` on every note.

Backing up a session = copying its folder (while atelier is closed, or any time: every file is
always complete). The ``.bak`` files are the previous version of each file.

Every file is written atomically: a temp file ``.NAME.tmp-XXXX`` in the same folder is written,
flushed and fsynced, takes the previous file's permissions (``0600`` for a new file), the
previous version is kept as ``NAME.bak`` (a hard link: no copy), then ``os.replace`` swaps it in
and the folder is fsynced. A crash at any instant leaves the old or the new file, never a mix;
leftover temp files are swept when the session is next opened. Adding a project writes its file
before ``session.yaml`` lists it; removing one rewrites ``session.yaml`` first, then moves the
file to ``deleted/``. A project file that ``session.yaml`` does not list is therefore never
dropped: it is loaded, appended, and reported.

One process at a time: ``open`` takes an exclusive ``flock`` on ``.lock`` (POSIX; ``msvcrt`` on
Windows, untested) and holds it until ``close``. The OS releases it when the process dies, even
by ``kill -9``; the pid left in the file then only serves to say « verrou périmé … repris ».

Reading never writes: a file that cannot be read (bad YAML, schema error, empty, written by a
newer atelier) is reported with ``file:line`` and left byte for byte as it is.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import re
import shutil
import socket
import stat
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from yaml.nodes import Node

from atelier.domain.clock import Clock, SystemClock
from atelier.domain.session import (
    SCHEMA_VERSION,
    Project,
    SessionRecord,
    check_session_name,
)
from atelier.errors import AtelierError, Problem, SaveError, SessionError, SessionLocked
from atelier.store.yaml_io import dump_yaml, node_at, pydantic_problems, read_yaml_file

SESSION_FILE = "session.yaml"
PROJECTS_DIR = "projects"
DELETED_DIR = "deleted"
LOCK_FILE = ".lock"
BACKUP_SUFFIX = ".bak"
TEMP_MARK = ".tmp-"  # temp files are ".<target name>.tmp-<random>"
PROJECT_ORDER_KEY = "project_ids"  # in session.yaml: the projects, in order
PROJECT_UPDATED_KEY = "updated_at"  # in a project file: when it was last saved

NEW_FILE_MODE = 0o600
NEW_DIR_MODE = 0o700

_PROJECT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
_IS_POSIX = os.name == "posix"
# os.replace fails for a moment on Windows while an antivirus or indexer holds the file.
_REPLACE_ATTEMPTS = 1 if _IS_POSIX else 10
_REPLACE_RETRY_DELAY_S = 0.02

_SNAPSHOT_ATTEMPTS = 5


@functools.cache
def _optional_datetime() -> TypeAdapter[datetime | None]:
    """Built on first use: building a validator at import would cost every start-up."""
    return TypeAdapter(datetime | None)


class SessionTooNew(SessionError):
    """The session was written by a newer atelier (a higher ``schema_version``)."""


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


# ---------------------------------------------------------------------------------------------
# Low-level file operations
# ---------------------------------------------------------------------------------------------

_REASONS: dict[int, str] = {
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota disque dépassé",
    errno.EACCES: "permission refusée",
    errno.EPERM: "permission refusée",
    errno.ENOENT: "dossier supprimé",
    errno.ENOTDIR: "dossier supprimé",
    errno.EROFS: "disque en lecture seule",
    errno.EIO: "erreur du disque (entrée-sortie)",
}


def save_failure_reason(exc: OSError) -> str:
    """A short French reason for a failed write (« disque plein », « permission refusée » …)."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return exc.strerror or str(exc)


def _save_error(exc: OSError, path: Path) -> SaveError:
    return SaveError(f"non enregistré : {save_failure_reason(exc)} ({path})")


def _fsync_dir(folder: Path) -> None:
    """Make a rename or a new entry in ``folder`` durable (a no-op where folders can't be
    opened, i.e. Windows)."""
    if not _IS_POSIX:
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(source: Path, target: Path) -> None:
    for attempt in range(1, _REPLACE_ATTEMPTS + 1):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt >= _REPLACE_ATTEMPTS:
                raise
            time.sleep(_REPLACE_RETRY_DELAY_S * attempt)


def _keep_backup(path: Path) -> None:
    """``path`` as it is now becomes ``path.bak``: a hard link (no copy) the replace below
    leaves pointing at the old content. Best effort: a backup never blocks a save."""
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    with contextlib.suppress(FileNotFoundError):
        backup.unlink()
    try:
        os.link(path, backup)
    except OSError:
        with contextlib.suppress(OSError):
            shutil.copy2(path, backup)


def atomic_write(path: Path, data: bytes, *, keep_backup: bool = True) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file.

    Temp file in the same folder → write → flush → fsync → previous mode (``0600`` when new) →
    ``.bak`` of the previous version → ``os.replace`` (retried on Windows) → fsync the folder.
    Raises ``OSError``; the temp file is removed on failure."""
    folder = path.parent
    try:
        mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", dir=folder)
    temp = Path(temp_name)
    done = False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None and mode != NEW_FILE_MODE:  # mkstemp already made it 0600
            os.chmod(temp, mode)
        if mode is not None and keep_backup:
            _keep_backup(path)
        _replace(temp, path)
        done = True
    finally:
        if not done:
            with contextlib.suppress(OSError):
                temp.unlink()
    _fsync_dir(folder)


def sweep_temp_files(folder: Path) -> list[Path]:
    """Remove the temp files an interrupted save left in ``folder`` (only call it while
    holding the session lock: another process's temp file may be in flight otherwise)."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if entry.name.startswith(".") and TEMP_MARK in entry.name and entry.is_file():
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _make_dir(path: Path) -> None:
    """Create ``path`` (not its parents) and make its entry durable."""
    path.mkdir(mode=NEW_DIR_MODE)
    _fsync_dir(path.parent)


# ---------------------------------------------------------------------------------------------
# The lock
# ---------------------------------------------------------------------------------------------


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
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags, NEW_FILE_MODE)
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
        raw = (folder / LOCK_FILE).read_bytes()
    except OSError:
        return None
    holder = LockHolder.parse(raw)
    if holder is None or holder.alive_here() is False:
        return None
    return holder


# ---------------------------------------------------------------------------------------------
# Reading a session folder
# ---------------------------------------------------------------------------------------------


def project_file_name(project_id: str) -> str:
    if not _PROJECT_ID.match(project_id):
        raise ValueError(project_id)
    return f"{project_id}.yaml"


def _problem_at(path: Path, root: Node | None, loc: tuple[str | int, ...], message: str) -> Problem:
    if root is None:
        return Problem(message=message, path=path)
    line, column = node_at(root, loc)
    return Problem(message=message, path=path, line=line, column=column)


@dataclass
class LoadedSession:
    record: SessionRecord
    notices: list[str]  # French, for the facilitator
    listed: list[str]  # project ids as listed in session.yaml


def _read_project(path: Path, problems: list[Problem]) -> tuple[Project, datetime | None] | None:
    try:
        data, root = read_yaml_file(path, error_class=SessionError)
    except SessionError as exc:
        problems.extend(exc.problems or [Problem(message=exc.message, path=path)])
        return None
    if not isinstance(data, dict):
        problems.append(
            _problem_at(path, root, (), "le fichier doit contenir des champs « clé: valeur »")
        )
        return None
    raw_updated = data.pop(PROJECT_UPDATED_KEY, None)
    try:
        project = Project.model_validate(data)
    except ValidationError as exc:
        fields = [*Project.model_fields, PROJECT_UPDATED_KEY]
        problems.extend(pydantic_problems(exc, root, path, model=Project, top_level_fields=fields))
        return None
    expected_id = path.name.removesuffix(".yaml")
    if project.id != expected_id:
        problems.append(
            _problem_at(
                path,
                root,
                ("id",),
                f"id : « {project.id} » ne correspond pas au nom du fichier « {path.name} » ; "
                f"remettez « {expected_id} »",
            )
        )
        return None
    try:
        updated = _optional_datetime().validate_python(raw_updated)
    except ValidationError:
        problems.append(
            _problem_at(path, root, (PROJECT_UPDATED_KEY,), "updated_at : date et heure illisibles")
        )
        return None
    return project, updated


def _latest(first: datetime | None, second: datetime | None) -> datetime | None:
    if first is None or second is None:
        return first or second
    try:
        return max(first, second)
    except TypeError:  # one with a time zone, one without: keep the first
        return first


def read_session_folder(folder: Path) -> LoadedSession:
    """Load the session stored in ``folder``. Reads only; raises ``SessionError`` listing
    every problem found (file:line), or ``SessionTooNew``."""
    name = folder.name
    meta_path = folder / SESSION_FILE
    if not meta_path.is_file():
        raise SessionError(
            f"la session « {name} » est incomplète : {meta_path} est introuvable",
            problems=[Problem(message=f"{SESSION_FILE} manquant", path=meta_path)],
        )
    try:
        data, root = read_yaml_file(meta_path, error_class=SessionError)
    except SessionError as exc:
        raise SessionError(_unreadable(name), problems=exc.problems) from None
    if not isinstance(data, dict):
        problem = _problem_at(
            meta_path, root, (), "le fichier doit contenir des champs « clé: valeur »"
        )
        raise SessionError(_unreadable(name), problems=[problem])

    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        problem = _problem_at(
            meta_path,
            root,
            ("schema_version",),
            f"schéma {version} ; cette version d'atelier lit le schéma {SCHEMA_VERSION}",
        )
        raise SessionTooNew(
            f"la session « {name} » a été créée par une version plus récente d'atelier ; "
            "mettez atelier à jour pour l'ouvrir (le fichier n'a pas été modifié)",
            problems=[problem],
        )

    problems: list[Problem] = []
    notices: list[str] = []
    if "projects" in data:
        problems.append(
            _problem_at(
                meta_path,
                root,
                ("projects",),
                "champ inconnu « projects » : les projets sont dans projects/<id>.yaml, "
                f"leur ordre dans « {PROJECT_ORDER_KEY} »",
            )
        )
        data.pop("projects")
    raw_ids = data.pop(PROJECT_ORDER_KEY, [])
    ids: list[str] = []
    if not isinstance(raw_ids, list):
        problems.append(
            _problem_at(
                meta_path,
                root,
                (PROJECT_ORDER_KEY,),
                f"{PROJECT_ORDER_KEY} : une liste d'identifiants de projets est attendue",
            )
        )
        raw_ids = []
    for index, project_id in enumerate(raw_ids):
        loc = (PROJECT_ORDER_KEY, index)
        if not isinstance(project_id, str) or not _PROJECT_ID.match(project_id):
            problems.append(
                _problem_at(
                    meta_path,
                    root,
                    loc,
                    f"{PROJECT_ORDER_KEY}[{index}] : identifiant de projet « {project_id} » "
                    "invalide (lettres minuscules, chiffres, - et _)",
                )
            )
        elif project_id in ids:
            problems.append(
                _problem_at(
                    meta_path,
                    root,
                    loc,
                    f"{PROJECT_ORDER_KEY}[{index}] : projet « {project_id} » listé deux fois",
                )
            )
        else:
            ids.append(project_id)

    projects_dir = folder / PROJECTS_DIR
    projects: list[Project] = []
    updated_at: datetime | None = None
    for project_id in ids:
        path = projects_dir / project_file_name(project_id)
        if not path.is_file():
            backup = path.with_name(path.name + BACKUP_SUFFIX)
            fix = (
                f" ; une version précédente existe : {backup}"
                if backup.is_file()
                else f" ; retirez-le de « {PROJECT_ORDER_KEY} » s'il a été supprimé exprès"
            )
            problems.append(
                _problem_at(
                    meta_path,
                    root,
                    (PROJECT_ORDER_KEY, raw_ids.index(project_id)),
                    f"le fichier du projet « {project_id} » est introuvable ({path}){fix}",
                )
            )
            continue
        loaded = _read_project(path, problems)
        if loaded is not None:
            projects.append(loaded[0])
            updated_at = _latest(updated_at, loaded[1])
    listed = set(ids)
    for path in _project_files(projects_dir):
        project_id = path.name.removesuffix(".yaml")
        if project_id in listed:
            continue
        loaded = _read_project(path, problems)
        if loaded is not None:
            projects.append(loaded[0])
            updated_at = _latest(updated_at, loaded[1])
            notices.append(
                f"projet « {loaded[0].name} » trouvé dans {PROJECTS_DIR}/ mais absent de "
                f"{SESSION_FILE} : ajouté à la fin de la liste"
            )

    record: SessionRecord | None = None
    try:
        record = SessionRecord.model_validate({**data, "projects": projects})
    except ValidationError as exc:
        fields = [f for f in SessionRecord.model_fields if f != "projects"]
        fields.insert(fields.index("facilitator_notes"), PROJECT_ORDER_KEY)
        problems[:0] = pydantic_problems(
            exc, root, meta_path, model=SessionRecord, top_level_fields=fields
        )
    if problems or record is None:
        raise SessionError(_unreadable(name), problems=problems)
    record.updated_at = _latest(record.updated_at, updated_at) or record.updated_at
    if record.name != name:
        record.name = name  # the folder is the name: a copied or renamed folder says so
    return LoadedSession(record=record, notices=notices, listed=ids)


def _read_or_explain(folder: Path) -> LoadedSession:
    """:func:`read_session_folder`, with an unreadable folder (permissions) as SessionError."""
    try:
        return read_session_folder(folder)
    except OSError as exc:
        where = exc.filename or folder
        raise SessionError(
            f"la session « {folder.name} » ne peut pas être lue : "
            f"{save_failure_reason(exc)} ({where}) ; aucun fichier n'a été modifié"
        ) from exc


def _project_files(projects_dir: Path) -> list[Path]:
    try:
        entries = sorted(projects_dir.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [
        path
        for path in entries
        if path.suffix == ".yaml"
        and not path.name.startswith(".")
        and _PROJECT_ID.match(path.name.removesuffix(".yaml"))
        and path.is_file()
    ]


def _unreadable(name: str) -> str:
    return (
        f"la session « {name} » ne peut pas être lue ; aucun fichier n'a été modifié. "
        "Corrigez le fichier indiqué, ou ouvrez une nouvelle session sous un autre nom"
    )


# ---------------------------------------------------------------------------------------------
# An open session
# ---------------------------------------------------------------------------------------------


class OpenSession:
    """A session held by this process: the record in memory, and the calls that save it.

    Each ``save_*`` writes what changed atomically and raises :class:`SaveError` when the disk
    refuses (the record in memory is untouched; call again to retry). Thread-safe: the saves
    of one session are serialised. A save may run in a worker thread while the UI thread edits
    the record: the record is copied (``model_dump``) at the start of the save, and a copy
    spoiled by a concurrent edit (« dictionary changed size ») is simply taken again."""

    def __init__(
        self,
        *,
        record: SessionRecord,
        path: Path,
        lock: SessionLock,
        clock: Clock,
        notices: list[str],
        listed: list[str],
        with_file: set[str],
    ) -> None:
        self.record = record
        self.path = path
        self.notices = notices
        self._lock = lock
        self._clock = clock
        self._mutex = threading.RLock()
        self._listed: list[str] = list(listed)  # project ids as session.yaml lists them
        self._with_file: set[str] = set(with_file)  # project ids that have a file under path

    # -- state ------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def notice(self) -> str | None:
        """What the app should tell the facilitator after opening (stale lock, stray project)."""
        return "\n".join(self.notices) if self.notices else None

    @property
    def closed(self) -> bool:
        return not self._lock.held

    def project_path(self, project_id: str) -> Path:
        return self.path / PROJECTS_DIR / project_file_name(project_id)

    # -- saving -----------------------------------------------------------------------------

    def save_meta(self) -> None:
        """Rewrite ``session.yaml`` (and create or retire project files whose id was added to
        or removed from the record since the last save)."""
        with self._mutex:
            self._check_open()
            self._stamp()
            self._sync_meta(self.path)

    def save_project(self, project_id: str) -> None:
        """Rewrite the file of one project (the usual save: a note changed). A project new to
        the session also updates ``session.yaml``; one no longer in the record is retired."""
        with self._mutex:
            self._check_open()
            self._stamp()
            try:
                project = self.record.project(project_id)
            except KeyError:
                self._sync_meta(self.path)
                return
            self._write_project(self.path, project)
            if project_id not in self._listed:
                self._sync_meta(self.path)

    def delete_project(self, project_id: str) -> None:
        """Remove a project from the record and from the session. Its file is moved to
        ``deleted/`` (nothing is ever erased)."""
        with self._mutex:
            self._check_open()
            if any(p.id == project_id for p in self.record.projects):
                self.record.remove_project(project_id)
            self._stamp()
            self._sync_meta(self.path)

    def save_all(self) -> None:
        """Rewrite every file of the session (at exit, after a failure, on demand)."""
        with self._mutex:
            self._check_open()
            self._stamp()
            self._write_all(self.path)

    def move_to(self, new_root: Path) -> None:
        """Save the whole session under ``new_root`` and carry on there (« enregistrer dans un
        autre dossier » after a save failure). The old folder is left as it is and unlocked.
        If ``new_root`` already holds a session of that name, ``-2``, ``-3`` … is added."""
        with self._mutex:
            self._check_open()
            new_root = Path(new_root)
            try:
                new_root.mkdir(parents=True, exist_ok=True)
                folder = _unique_folder(new_root, self.name)
                _make_dir(folder)
            except OSError as exc:
                raise _save_error(exc, new_root) from exc
            try:
                lock = SessionLock.acquire(folder, folder.name, self._clock.now())
            except OSError as exc:
                raise _save_error(exc, folder) from exc
            saved_state = (self.record.name, self._listed, self._with_file)
            try:
                self.record.name = folder.name
                self._listed, self._with_file = [], set()
                self._stamp()
                self._write_all(folder)
            except BaseException:
                self.record.name, self._listed, self._with_file = saved_state
                lock.release()
                raise
            old_lock, self._lock = self._lock, lock
            with contextlib.suppress(OSError):
                old_lock.release()
            self.path = folder

    def close(self) -> None:
        """Release the lock. Saves nothing: save first."""
        with self._mutex:
            self._lock.release()

    def __enter__(self) -> OpenSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------

    def _check_open(self) -> None:
        if not self._lock.held:
            raise SaveError(f"non enregistré : la session « {self.name} » est fermée")

    def _stamp(self) -> None:
        self.record.updated_at = self._clock.now()

    def _write(self, path: Path, text: str) -> None:
        try:
            atomic_write(path, text.encode("utf-8"))
        except OSError as exc:
            raise _save_error(exc, path) from exc

    def _write_project(self, folder: Path, project: Project) -> None:
        try:
            file_name = project_file_name(project.id)
        except ValueError:
            raise SaveError(
                f"non enregistré : l'identifiant de projet « {project.id} » ne peut pas "
                "servir de nom de fichier"
            ) from None
        projects_dir = folder / PROJECTS_DIR
        if not projects_dir.is_dir():
            try:
                _make_dir(projects_dir)
            except FileExistsError:
                pass
            except OSError as exc:
                raise _save_error(exc, projects_dir) from exc
        self._write(projects_dir / file_name, _project_yaml(project, self.record.updated_at))
        self._with_file.add(project.id)

    def _sync_meta(self, folder: Path) -> None:
        """session.yaml lists exactly the record's projects, each with a file on disk: write
        the files of new projects first, then session.yaml, then retire removed ones."""
        ids = [project.id for project in self.record.projects]
        for project in self.record.projects:
            if project.id not in self._with_file:
                self._write_project(folder, project)
        self._write(folder / SESSION_FILE, _session_yaml(self.record))
        self._listed = ids
        for project_id in sorted(self._with_file - set(ids)):
            self._retire(folder, project_id)

    def _write_all(self, folder: Path) -> None:
        for project in self.record.projects:
            self._write_project(folder, project)
        self._sync_meta(folder)
        # A file session.yaml does not list (left by a crash, or put there by hand) is retired.
        ids = set(self._listed)
        for path in _project_files(folder / PROJECTS_DIR):
            if path.name.removesuffix(".yaml") not in ids:
                self._retire(folder, path.name.removesuffix(".yaml"))

    def _retire(self, folder: Path, project_id: str) -> None:
        """Move a removed project's file (and its .bak) to ``deleted/``; never erase it."""
        source = folder / PROJECTS_DIR / project_file_name(project_id)
        if not source.exists():
            self._with_file.discard(project_id)
            return
        deleted = folder / DELETED_DIR
        stamp = self._clock.now().strftime("%Y%m%d-%H%M%S")
        try:
            if not deleted.is_dir():
                _make_dir(deleted)
            target = _unique_file(deleted, f"{project_id}-{stamp}", ".yaml")
            os.replace(source, target)
            backup = source.with_name(source.name + BACKUP_SUFFIX)
            if backup.exists():
                os.replace(backup, target.with_name(target.name + BACKUP_SUFFIX))
            _fsync_dir(deleted)
            _fsync_dir(source.parent)
        except OSError as exc:
            raise _save_error(exc, source) from exc
        self._with_file.discard(project_id)


def _unique_folder(root: Path, name: str) -> Path:
    candidate, n = root / name, 2
    while candidate.exists():
        candidate, n = root / f"{name}-{n}", n + 1
    return candidate


def _unique_file(folder: Path, stem: str, suffix: str) -> Path:
    candidate, n = folder / f"{stem}{suffix}", 2
    while candidate.exists():
        candidate, n = folder / f"{stem}-{n}{suffix}", n + 1
    return candidate


def _snapshot(model: BaseModel, exclude: set[str] | None = None) -> dict[str, Any]:
    """``model`` as plain data, taken again if another thread changed a dict mid-copy."""
    for _attempt in range(_SNAPSHOT_ATTEMPTS - 1):
        try:
            return model.model_dump(mode="json", exclude_none=True, exclude=exclude)
        except RuntimeError:  # "dictionary changed size during iteration"
            time.sleep(0)
    return model.model_dump(mode="json", exclude_none=True, exclude=exclude)


def _session_yaml(record: SessionRecord) -> str:
    # The projects have their own files: dumping them here only to drop them would cost a
    # whole-session dump (tens of ms holding the GIL) on every save of session.yaml.
    snapshot = _snapshot(record, exclude={"projects"})
    data: dict[str, Any] = {}
    for field in SessionRecord.model_fields:
        if field == "projects":
            data[PROJECT_ORDER_KEY] = [project.id for project in record.projects]
        elif field in snapshot:
            data[field] = snapshot[field]
    header = (
        f"# Session d'atelier « {record.name} » (atelier, schéma {SCHEMA_VERSION}).\n"
        f"# Les projets sont dans {PROJECTS_DIR}/<id>.yaml, dans l'ordre de {PROJECT_ORDER_KEY}.\n"
    )
    return header + dump_yaml(data)


def _project_yaml(project: Project, updated_at: datetime) -> str:
    data = _snapshot(project)
    data[PROJECT_UPDATED_KEY] = _optional_datetime().dump_python(updated_at, mode="json")
    header = f"# Projet {project.id} (atelier) ; l'ordre des projets est dans ../{SESSION_FILE}.\n"
    return header + dump_yaml(data)


# ---------------------------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------------------------


class SessionStore:
    """The sessions of one folder: list, create, open (locked) and load (read-only)."""

    def __init__(self, root: Path, clock: Clock | None = None) -> None:
        self.root = Path(root)
        self.clock: Clock = clock or SystemClock()

    # -- reading ----------------------------------------------------------------------------

    def list_sessions(self) -> list[SessionSummary]:
        """Every session folder under the root, readable or not (never raises for one)."""
        try:
            folders = sorted(p for p in self.root.iterdir() if p.is_dir())
        except (FileNotFoundError, NotADirectoryError):
            return []
        return [self._summary(folder) for folder in folders if not folder.name.startswith(".")]

    def exists(self, name: str) -> bool:
        return check_session_name(name) is None and (self.root / name).exists()

    def latest_unfinished(
        self, workshop_id: str, day: date, last_step_id: str | None = None
    ) -> str | None:
        """The name of the session to pick up when ``atelier`` runs again: of this workshop,
        created on ``day``, readable, not finished (not at the workshop's last step), the most
        recently saved one. None when there is none (a new session is then started)."""
        best: tuple[datetime, str] | None = None
        try:
            folders = sorted(p for p in self.root.iterdir() if p.is_dir())
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

    def default_name(self, workshop_id: str, day: date) -> str:
        """« 2020-05-19-atis-2020-05-19 », then « …-2 », « …-3 » when taken."""
        base = f"{day.isoformat()}-{workshop_id}"
        if check_session_name(base) is not None:
            base = day.isoformat()
        return _unique_folder(self.root, base).name

    def load(self, name_or_path: str | Path) -> SessionRecord:
        """Read a session without locking it and without writing anything (review, export).

        Accepts a session name, or the path of a session folder (or of its session.yaml)."""
        folder = self._folder_of(name_or_path)
        return _read_or_explain(folder).record

    # -- writing ----------------------------------------------------------------------------

    def create(self, record: SessionRecord) -> OpenSession:
        """Start a new session named ``record.name``: lock it and write all its files."""
        name = record.name
        self._check_name(name)
        for project in record.projects:
            if not _PROJECT_ID.match(project.id):
                raise SessionError(f"identifiant de projet « {project.id} » invalide")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _save_error(exc, self.root) from exc
        folder = self.root / name
        try:
            _make_dir(folder)
        except FileExistsError:
            raise SessionError(
                f"une session « {name} » existe déjà dans {self.root} ; "
                "ouvrez-la, ou choisissez un autre nom"
            ) from None
        except OSError as exc:
            raise _save_error(exc, folder) from exc
        try:
            lock = SessionLock.acquire(folder, name, self.clock.now())
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise _save_error(exc, folder) from exc
        session = OpenSession(
            record=record,
            path=folder,
            lock=lock,
            clock=self.clock,
            notices=[],
            listed=[],
            with_file=set(),
        )
        try:
            session.save_all()
        except BaseException:
            lock.release()
            shutil.rmtree(folder, ignore_errors=True)  # we made it a moment ago
            raise
        return session

    def open(self, name: str) -> OpenSession:
        """Lock an existing session, sweep leftover temp files, load it.

        ``SessionLocked`` when another process has it; ``SessionError`` (file:line) when a file
        is unreadable, in which case nothing is written."""
        self._check_name(name)
        folder = self.root / name
        if not folder.is_dir():
            raise SessionError(
                f"aucune session « {name} » dans {self.root} ; "
                "« atelier sessions » les liste toutes"
            )
        try:
            lock = SessionLock.acquire(folder, name, self.clock.now())
        except OSError as exc:
            raise SessionError(
                f"impossible de verrouiller la session « {name} » : "
                f"{save_failure_reason(exc)} ({folder / LOCK_FILE})"
            ) from exc
        try:
            for sub in (folder, folder / PROJECTS_DIR):
                sweep_temp_files(sub)
            loaded = _read_or_explain(folder)
        except BaseException:
            lock.release()
            raise
        notices = [lock.notice] if lock.notice else []
        notices.extend(loaded.notices)
        return OpenSession(
            record=loaded.record,
            path=folder,
            lock=lock,
            clock=self.clock,
            notices=notices,
            listed=loaded.listed,
            with_file={project.id for project in loaded.record.projects},
        )

    # -- internals --------------------------------------------------------------------------

    @staticmethod
    def _check_name(name: str) -> None:
        why = check_session_name(name)
        if why is not None:
            raise SessionError(f"nom de session « {name} » refusé : {why}")

    def _folder_of(self, name_or_path: str | Path) -> Path:
        text = str(name_or_path)
        if isinstance(name_or_path, Path) or "/" in text or os.sep in text:
            folder = Path(name_or_path)
            if folder.name == SESSION_FILE and folder.is_file():
                folder = folder.parent
        else:
            self._check_name(text)
            folder = self.root / text
        if not folder.is_dir():
            raise SessionError(
                f"session introuvable : {folder} ; « atelier sessions » les liste toutes"
            )
        return folder

    def _summary(self, folder: Path) -> SessionSummary:
        try:
            record = read_session_folder(folder).record
        except SessionTooNew as exc:
            return SessionSummary(
                name=folder.name,
                path=folder,
                state=SessionState.TOO_NEW,
                problem=_first_problem(exc),
                **_peek(folder),
            )
        except (AtelierError, OSError) as exc:
            return SessionSummary(
                name=folder.name,
                path=folder,
                state=SessionState.CORRUPT,
                problem=_first_problem(exc),
                **_peek(folder),
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
        return f"lecture impossible : {exc.strerror or exc}"
    return str(exc)


def _peek(folder: Path) -> dict[str, Any]:
    """What can still be said about an unreadable session (best effort, for the listing)."""
    try:
        data, _root = read_yaml_file(folder / SESSION_FILE, error_class=SessionError)
    except (AtelierError, OSError):
        return {}
    if not isinstance(data, dict):
        return {}
    found: dict[str, Any] = {}
    workshop_id = data.get("workshop_id")
    if isinstance(workshop_id, str):
        found["workshop_id"] = workshop_id
    for key in ("created_at", "updated_at"):
        with contextlib.suppress(ValidationError):
            found[key] = _optional_datetime().validate_python(data.get(key))
    ids = data.get(PROJECT_ORDER_KEY)
    if isinstance(ids, list):
        found["project_count"] = len(ids)
    return found
