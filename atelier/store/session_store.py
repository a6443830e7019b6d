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

Nobody has to say what changed: ``OpenSession.save_changed`` compares each project, and the rest
of the record, with what it last wrote or read (store/fingerprint.py), and writes only the files
that differ. A change nobody marked is never lost; callers know nothing of the layout.

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
import os
import shutil
import threading
from datetime import date
from pathlib import Path
from types import TracebackType

from atelier.domain.clock import Clock, SystemClock
from atelier.domain.session import Project, SessionRecord, check_session_name
from atelier.errors import Problem, SaveError, SessionError
from atelier.store.atomic import (
    BACKUP_SUFFIX,
    TEMP_MARK,
    UnsafeFile,
    atomic_write,
    check_real_dir,
    failure_reason,
    fsync_dir,
    make_dir,
    sweep_temp_files,
)
from atelier.store.fingerprint import (
    Fingerprint,
    MetaFingerprint,
    meta_fingerprint,
    project_fingerprint,
)
from atelier.store.lock import LOCK_FILE, LockHolder, SessionLock
from atelier.store.session_format import (
    DELETED_DIR,
    PROJECT_ID,
    PROJECTS_DIR,
    SESSION_FILE,
    LoadedSession,
    SessionTooNew,
    project_file_name,
    project_files,
    project_yaml,
    read_or_explain,
    session_yaml,
)
from atelier.store.session_list import (
    SessionState,
    SessionSummary,
    latest_unfinished,
    summarize,
)

__all__ = [
    "BACKUP_SUFFIX",
    "LOCK_FILE",
    "SESSION_FILE",
    "TEMP_MARK",
    "LoadedSession",
    "LockHolder",
    "OpenSession",
    "SessionState",
    "SessionStore",
    "SessionSummary",
    "SessionTooNew",
]


def _save_error(exc: OSError, path: Path) -> SaveError:
    return SaveError(f"non enregistré : {failure_reason(exc)} ({path})")


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
        read: bool = False,
    ) -> None:
        """``read``: the record was just read from ``path`` (its files hold it as it is)."""
        self.record = record
        self.path = path
        self.notices = notices
        self._lock = lock
        self._clock = clock
        self._mutex = threading.RLock()
        self._listed: list[str] = list(listed)  # project ids as session.yaml lists them
        self._with_file: set[str] = set(with_file)  # project ids that have a file under path
        # What each file was last written (or read) from, for save_changed: the projects with a
        # file, and session.yaml (its project order and the rest of the record).
        self._written: dict[str, Fingerprint] = {
            project.id: project_fingerprint(project)
            for project in record.projects
            if project.id in self._with_file
        }
        self._written_meta: MetaFingerprint | None = (
            meta_fingerprint(record, listed) if read else None
        )

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

    def save_changed(self) -> bool:
        """Write the files whose content changed since this session last wrote or read them
        (the usual save; True if it wrote any): a changed project's file, a new project's file
        before ``session.yaml`` lists it, ``session.yaml`` when anything else changed (the
        project order included), then the files of removed projects retired to ``deleted/``.
        Nobody needs to mark a change: the record is compared with what was written."""
        with self._mutex:
            self._check_open()
            changed = [
                (project, fingerprint)
                for project in list(self.record.projects)
                if (fingerprint := project_fingerprint(project)) != self._written.get(project.id)
                or project.id not in self._with_file
            ]
            meta = meta_fingerprint(self.record)
            if not changed and meta == self._written_meta:
                return False
            self._stamp()
            for project, fingerprint in changed:
                self._write_project(self.path, project, fingerprint)
            if meta != self._written_meta:
                self._write_meta(self.path, meta)
                for project_id in sorted(self._with_file - set(meta[0])):
                    self._retire(self.path, project_id)
            return True

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
                make_dir(folder)
            except OSError as exc:
                raise _save_error(exc, new_root) from exc
            try:
                lock = SessionLock.acquire(folder, folder.name, self._clock.now())
            except OSError as exc:
                raise _save_error(exc, folder) from exc
            saved_state = (
                self.record.name,
                self._listed,
                self._with_file,
                self._written,
                self._written_meta,
            )
            try:
                self.record.name = folder.name
                self._listed, self._with_file = [], set()
                self._written, self._written_meta = {}, None
                self._stamp()
                self._write_all(folder)
            except BaseException:
                (
                    self.record.name,
                    self._listed,
                    self._with_file,
                    self._written,
                    self._written_meta,
                ) = saved_state
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

    def _write_project(
        self, folder: Path, project: Project, fingerprint: Fingerprint | None = None
    ) -> None:
        """Write a project's file. ``fingerprint`` is taken before the file's YAML, so what is
        remembered is never newer than what was written (a change meanwhile is seen next time)."""
        if fingerprint is None:
            fingerprint = project_fingerprint(project)
        try:
            file_name = project_file_name(project.id)
        except ValueError:
            raise SaveError(
                f"non enregistré : l'identifiant de projet « {project.id} » ne peut pas "
                "servir de nom de fichier"
            ) from None
        projects_dir = folder / PROJECTS_DIR
        try:
            if not check_real_dir(projects_dir):
                make_dir(projects_dir)
        except FileExistsError:
            pass
        except OSError as exc:
            raise _save_error(exc, projects_dir) from exc
        self._write(projects_dir / file_name, project_yaml(project, self.record.updated_at))
        self._with_file.add(project.id)
        self._written[project.id] = fingerprint

    def _write_meta(self, folder: Path, meta: MetaFingerprint | None = None) -> None:
        if meta is None:
            meta = meta_fingerprint(self.record)
        self._write(folder / SESSION_FILE, session_yaml(self.record))
        self._listed = list(meta[0])
        self._written_meta = meta

    def _sync_meta(self, folder: Path) -> None:
        """session.yaml lists exactly the record's projects, each with a file on disk: write
        the files of new projects first, then session.yaml, then retire removed ones."""
        meta = meta_fingerprint(self.record)
        for project in self.record.projects:
            if project.id not in self._with_file:
                self._write_project(folder, project)
        self._write_meta(folder, meta)
        for project_id in sorted(self._with_file - set(meta[0])):
            self._retire(folder, project_id)

    def _write_all(self, folder: Path) -> None:
        for project in self.record.projects:
            self._write_project(folder, project)
        self._sync_meta(folder)
        # A file session.yaml does not list (left by a crash, or put there by hand) is retired.
        ids = set(self._listed)
        try:
            strays = project_files(folder / PROJECTS_DIR)
        except OSError as exc:
            raise _save_error(exc, folder / PROJECTS_DIR) from exc
        for path in strays:
            if path.name.removesuffix(".yaml") not in ids:
                self._retire(folder, path.name.removesuffix(".yaml"))

    def _retire(self, folder: Path, project_id: str) -> None:
        """Move a removed project's file (and its .bak) to ``deleted/``; never erase it."""
        source = folder / PROJECTS_DIR / project_file_name(project_id)
        self._written.pop(project_id, None)
        if not os.path.lexists(source):
            self._with_file.discard(project_id)
            return
        deleted = folder / DELETED_DIR
        stamp = self._clock.now().strftime("%Y%m%d-%H%M%S")
        try:
            if not check_real_dir(deleted):
                make_dir(deleted)
            target = _unique_file(deleted, f"{project_id}-{stamp}", ".yaml")
            os.replace(source, target)
            backup = source.with_name(source.name + BACKUP_SUFFIX)
            if os.path.lexists(backup):
                os.replace(backup, target.with_name(target.name + BACKUP_SUFFIX))
            fsync_dir(deleted)
            fsync_dir(source.parent)
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
        return [summarize(folder) for folder in folders if not folder.name.startswith(".")]

    def exists(self, name: str) -> bool:
        return check_session_name(name) is None and (self.root / name).exists()

    def latest_unfinished(
        self, workshop_id: str, day: date, last_step_id: str | None = None
    ) -> str | None:
        """The session to pick up when ``atelier`` runs again (session_list.latest_unfinished)."""
        return latest_unfinished(self.root, workshop_id, day, last_step_id)

    def default_name(self, workshop_id: str, day: date) -> str:
        """« 2020-05-19-atis-2020-05-19 », then « …-2 », « …-3 » when taken."""
        base = f"{day.isoformat()}-{workshop_id}"
        if check_session_name(base) is not None:
            base = day.isoformat()
        return _unique_folder(self.root, base).name

    def find(self, name_or_path: str | Path) -> Path:
        """The folder of a session given by name (in this store) or by path (a session folder,
        or its session.yaml). Reads and writes nothing. An unknown name is a SessionError that
        lists the sessions there are (one problem line each); an unknown path says so."""
        text = str(name_or_path)
        if isinstance(name_or_path, Path) or "/" in text or os.sep in text:
            folder = Path(name_or_path)
            if folder.name == SESSION_FILE and folder.is_file():
                folder = folder.parent
            if not folder.is_dir():
                raise SessionError(
                    f"session introuvable : {folder} ; « atelier sessions » les liste toutes"
                )
            return folder
        self._check_name(text)
        folder = self.root / text
        if folder.is_dir():
            return folder
        known = [
            Problem(message=f"{summary.name} ({summary.describe()})")
            for summary in self.list_sessions()
        ]
        if known:
            message = f"aucune session « {text} » dans {self.root} ; sessions enregistrées :"
        else:
            message = (
                f"aucune session « {text} » dans {self.root}, qui n'en contient aucune ; "
                "--sessions-dir DOSSIER pour chercher ailleurs"
            )
        raise SessionError(message, problems=known)

    def load(self, name_or_path: str | Path) -> SessionRecord:
        """Read a session without locking it and without writing anything (review, export).

        Accepts a session name, or the path of a session folder (or of its session.yaml):
        see :meth:`find`."""
        return read_or_explain(self.find(name_or_path)).record

    # -- writing ----------------------------------------------------------------------------

    def create(self, record: SessionRecord) -> OpenSession:
        """Start a new session named ``record.name``: lock it and write all its files."""
        name = record.name
        self._check_name(name)
        for project in record.projects:
            if not PROJECT_ID.match(project.id):
                raise SessionError(f"identifiant de projet « {project.id} » invalide")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _save_error(exc, self.root) from exc
        folder = self.root / name
        try:
            make_dir(folder)
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
            where = "" if isinstance(exc, UnsafeFile) else f" ({folder / LOCK_FILE})"
            raise SessionError(
                f"impossible de verrouiller la session « {name} » : {failure_reason(exc)}{where}"
            ) from exc
        try:
            for sub in (folder, folder / PROJECTS_DIR):
                sweep_temp_files(sub)
            loaded = read_or_explain(folder)
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
            read=True,
        )

    # -- internals --------------------------------------------------------------------------

    @staticmethod
    def _check_name(name: str) -> None:
        why = check_session_name(name)
        if why is not None:
            raise SessionError(f"nom de session « {name} » refusé : {why}")
