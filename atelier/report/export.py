"""``atelier export``: write a saved session's report to a file (or to standard output).

Reads the session through the store (``SessionStore.load`` never writes, never locks), renders
it, and writes the report **beside the session** by default (``<session>/rapport.md``,
``rapport.html``, ``rapport-<projet>.html`` with ``--project``). A file that exists is never
replaced without ``--force``; the report is written to a temp file in the same folder, fsynced,
then put in place with ``os.replace`` (or a hard link, which cannot clobber, without
``--force``), so a reader never sees half a report.

Errors are values until the CLI: an unknown session lists those that exist (exit 2), a corrupt
one says ``file:line`` (exit 2, from the store), an unwritable output says why (exit 1).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from atelier.errors import EXIT_OK, BadInputError, Problem, SaveError, SessionError
from atelier.store.session_store import SESSION_FILE, SessionState, SessionStore

if TYPE_CHECKING:
    from atelier.domain.content import Workshop
    from atelier.domain.session import SessionRecord

FORMATS = ("md", "html")
STDOUT = "-"
REPORT_STEM = "rapport"

# -- French messages ---------------------------------------------------------------------------

UNKNOWN_SESSION = "aucune session « {name} » dans {root} ; sessions enregistrées :"
UNKNOWN_SESSION_EMPTY = (
    "aucune session « {name} » dans {root}, qui n'en contient aucune ; "
    "--sessions-dir DOSSIER pour chercher ailleurs"
)
SESSION_LINE = "{name} ({details})"
WRONG_WORKSHOP = (
    "la session « {name} » a été faite avec l'atelier « {recorded} », pas « {given} » ; "
    "donnez le bon dossier avec --content, ou retirez --content"
)
ALREADY_EXISTS = (
    "{path} existe déjà ; ajoutez --force pour le remplacer, "
    "ou choisissez un autre fichier avec -o FICHIER"
)
NOT_WRITTEN = "rapport non écrit : {reason} ({path})"
WRITTEN = "Rapport écrit : {path}\n"
UNKNOWN_FORMAT = "format « {fmt} » inconnu ; formats : md, html"

_REASONS: dict[int, str] = {
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota disque dépassé",
    errno.EACCES: "permission refusée",
    errno.EPERM: "permission refusée",
    errno.ENOENT: "le dossier n'existe pas",
    errno.ENOTDIR: "le chemin passe par un fichier, pas un dossier",
    errno.EISDIR: "c'est un dossier",
    errno.EROFS: "disque en lecture seule",
    errno.EIO: "erreur du disque (entrée-sortie)",
    errno.ENAMETOOLONG: "nom de fichier trop long",
}


def write_failure_reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


# -- reading --------------------------------------------------------------------------------------


def _is_path(session: str | Path) -> bool:
    text = str(session)
    return isinstance(session, Path) or "/" in text or os.sep in text


def session_folder(store: SessionStore, session: str | Path) -> Path:
    """The folder of ``session`` (a name in the store, or the path of a session folder or of
    its ``session.yaml``), whether or not it exists."""
    if not _is_path(session):
        return store.root / str(session)
    folder = Path(session)
    if folder.name == SESSION_FILE and folder.is_file():
        folder = folder.parent
    return folder


def load_session(store: SessionStore, session: str | Path) -> SessionRecord:
    """``store.load(session)``, except that a session that does not exist is reported with the
    list of the sessions there are. Reads only."""
    folder = session_folder(store, session)
    if not _is_path(session) and not folder.is_dir():
        known = _known_sessions(store)
        template = UNKNOWN_SESSION if known else UNKNOWN_SESSION_EMPTY
        raise SessionError(template.format(name=session, root=store.root), problems=known)
    return store.load(session)


def _known_sessions(store: SessionStore) -> list[Problem]:
    """One line per session folder: « nom (atelier, date[, état]) »."""
    lines = []
    for summary in store.list_sessions():
        details = [summary.workshop_id or "?"]
        if summary.created_at is not None:
            details.append(summary.created_at.strftime("%d/%m/%Y"))
        if summary.state != SessionState.OK:
            details.append(str(summary.state))
        lines.append(
            Problem(message=SESSION_LINE.format(name=summary.name, details=", ".join(details)))
        )
    return lines


def check_request(workshop: Workshop, record: SessionRecord, project: str | None) -> str | None:
    """Check that ``workshop`` is the session's, and find ``project`` (an id or a name): its
    id, None for the whole session. BadInputError (listing the projects) otherwise."""
    if workshop.id != record.workshop_id:
        raise BadInputError(
            WRONG_WORKSHOP.format(name=record.name, recorded=record.workshop_id, given=workshop.id)
        )
    if project is None:
        return None
    from atelier.report.model import resolve_project

    return resolve_project(record, project).id


# -- rendering and writing ------------------------------------------------------------------------


def render(workshop: Workshop, record: SessionRecord, fmt: str, project: str | None) -> str:
    """The report text; ``project`` (id or name) for one project's report."""
    if fmt == "md":
        from atelier.report.markdown import render_markdown

        return render_markdown(workshop, record, project)
    if fmt == "html":
        from atelier.report.html import render_html

        return render_html(workshop, record, project)
    raise BadInputError(UNKNOWN_FORMAT.format(fmt=fmt))


def default_file_name(fmt: str, project_id: str | None = None) -> str:
    """« rapport.md », « rapport.html », « rapport-<id du projet>.html »."""
    stem = REPORT_STEM if project_id is None else f"{REPORT_STEM}-{project_id}"
    return f"{stem}.{fmt}"


def write_new_file(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path`` atomically: temp file in the same folder, fsync, then
    ``os.replace`` (``force``) or a hard link that fails if ``path`` appeared meanwhile.
    The file gets the usual permissions (umask), or keeps those of the file it replaces."""
    if path.exists() and not force:
        raise BadInputError(ALREADY_EXISTS.format(path=path))
    folder = path.parent
    temp = folder / f".{path.name}.tmp-{secrets.token_hex(4)}"
    try:
        try:
            mode = path.stat().st_mode & 0o777 if force else 0o666
        except FileNotFoundError:
            mode = 0o666
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            _put_in_place(temp, path, force=force)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
    except OSError as exc:
        if isinstance(exc, FileExistsError) and exc.filename == str(path):
            raise BadInputError(ALREADY_EXISTS.format(path=path)) from None
        raise SaveError(NOT_WRITTEN.format(reason=write_failure_reason(exc), path=path)) from exc
    with contextlib.suppress(OSError):
        _fsync_dir(folder)


def _put_in_place(temp: Path, path: Path, *, force: bool) -> None:
    if force:
        os.replace(temp, path)
        return
    try:
        os.link(temp, path)  # never replaces: FileExistsError if someone wrote it meanwhile
    except FileExistsError as exc:
        exc.filename = str(path)
        raise
    except OSError:  # a file system without hard links (FAT, some shares)
        if path.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.replace(temp, path)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def output_path(
    store: SessionStore,
    session: str | Path,
    fmt: str,
    output: str | Path | None,
    project_id: str | None,
) -> Path:
    """Where the report goes: ``output`` (a file, or a folder that exists: the default name
    inside it), else beside the session."""
    name = default_file_name(fmt, project_id)
    if output is None:
        return session_folder(store, session) / name
    path = Path(output).expanduser()
    return path / name if path.is_dir() else path


def export_report(
    store: SessionStore,
    workshop: Workshop,
    session: str | Path,
    fmt: str,
    output: str | Path | None = None,
    project: str | None = None,
    force: bool = False,
    *,
    record: SessionRecord | None = None,
) -> Path:
    """Write the report of ``session`` and return the path written. ``record`` saves
    loading it again when the caller already has it. Never writes in the store's files."""
    if record is None:
        record = load_session(store, session)
    project_id = check_request(workshop, record, project)
    text = render(workshop, record, fmt, project_id)
    path = output_path(store, session, fmt, output, project_id)
    write_new_file(path, text.encode("utf-8"), force=force)
    return path


# -- the sub-command ------------------------------------------------------------------------------


def export_session(args: argparse.Namespace) -> int:
    """``atelier export SESSION [--format md|html] [-o FICHIER|-] [--project P] [--force]``.

    Raises AtelierError (the CLI prints it and exits with its code)."""
    from atelier.store.content_cache import load_workshop_cached
    from atelier.store.content_loader import content_change_notice, resolve_session_content
    from atelier.store.paths import resolve_sessions_dir

    store = SessionStore(resolve_sessions_dir(args.sessions_dir))
    record = load_session(store, args.session)
    folder = resolve_session_content(args.content, record)  # --content, else where it was made
    workshop = load_workshop_cached(folder)
    if notice := content_change_notice(workshop, record, folder):
        sys.stderr.write(notice + "\n")
    if args.output == STDOUT:
        project_id = check_request(workshop, record, args.project)
        _write_stdout(render(workshop, record, args.format, project_id))
        return EXIT_OK
    path = export_report(
        store,
        workshop,
        args.session,
        args.format,
        args.output,
        args.project,
        args.force,
        record=record,
    )
    sys.stdout.write(WRITTEN.format(path=path))
    return EXIT_OK


def _write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (« | head »): not an error; keep Python quiet at exit.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
