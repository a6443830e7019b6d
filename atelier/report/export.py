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


def write_failure_reason(exc: OSError) -> str:
    from atelier.store.atomic import failure_reason

    return failure_reason(exc)


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
    if not _is_path(session):
        from atelier.domain.session import check_session_name

        if (why := check_session_name(str(session))) is not None:
            raise SessionError(f"nom de session « {session} » refusé : {why}")
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
    """Write ``data`` to ``path`` atomically (``store.atomic.atomic_write``): ``os.replace``
    over a regular file (``force``) or a hard link that fails if ``path`` appeared meanwhile.
    A link, a FIFO or a device at ``path`` is never replaced, even with ``force``. The file
    gets the usual permissions (umask), or keeps those of the file it replaces."""
    from atelier.store.atomic import UnsafeFile, atomic_write

    if os.path.lexists(path) and not force:
        raise BadInputError(ALREADY_EXISTS.format(path=path))
    try:
        atomic_write(path, data, keep_backup=False, replace=force, new_mode=0o666)
    except UnsafeFile as exc:
        raise BadInputError(f"rapport non écrit : {exc.reason}") from None
    except OSError as exc:
        if isinstance(exc, FileExistsError) and exc.filename == str(path):
            raise BadInputError(ALREADY_EXISTS.format(path=path)) from None
        if exc.errno == errno.ENAMETOOLONG:
            reason = write_failure_reason(exc)
            raise BadInputError(
                f"{NOT_WRITTEN.format(reason=reason, path=path)} ; choisissez un nom plus court"
            ) from None
        raise SaveError(NOT_WRITTEN.format(reason=write_failure_reason(exc), path=path)) from exc


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
    from atelier.store.content_loader import resolve_content_dir
    from atelier.store.paths import resolve_sessions_dir

    store = SessionStore(resolve_sessions_dir(args.sessions_dir))
    record = load_session(store, args.session)
    workshop = load_workshop_cached(resolve_content_dir(args.content, record.workshop_id))
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
