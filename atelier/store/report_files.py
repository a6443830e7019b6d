"""Writing exported reports: one file, or a folder of files (``atelier export``).

Every byte goes through the store's atomic writer (temp file in the same folder, fsync,
``os.replace``, fsync of the folder), so a reader never sees half a report. A file that exists
is never replaced without ``force``; for a folder of files, nothing is written unless all of
them can be. Failures are values until the CLI: an existing file is bad input (exit 2), a file
system that refuses is a SaveError (exit 1) that names the file and says why, in French.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from pathlib import Path

from atelier.errors import BadInputError, SaveError
from atelier.store.atomic import UnsafeFile, atomic_write, failure_reason

ALREADY_EXISTS = (
    "{path} existe déjà ; ajoutez --force pour le remplacer, "
    "ou choisissez un autre fichier avec -o FICHIER"
)
ALREADY_EXIST = (
    "{folder} contient déjà {names} ; ajoutez --force pour les remplacer, "
    "ou choisissez un autre dossier"
)
NOT_WRITTEN = "rapport non écrit : {reason} ({path})"
NO_FOLDER = "le dossier n'existe pas"
NOT_A_FOLDER = "le chemin passe par un fichier, pas un dossier"
IS_A_FOLDER = "c'est un dossier"


def output_path(default_folder: Path, name: str, output: str | Path | None) -> Path:
    """Where a report goes: ``output`` (a file, or a folder that exists: ``name`` inside it),
    else ``name`` in ``default_folder`` (the session's folder)."""
    if output is None:
        return default_folder / name
    path = Path(output).expanduser()
    return path / name if path.is_dir() else path


def _check_folder(folder: Path, path: Path) -> None:
    if not folder.exists():
        raise SaveError(NOT_WRITTEN.format(reason=NO_FOLDER, path=path))
    if not folder.is_dir():
        raise SaveError(NOT_WRITTEN.format(reason=NOT_A_FOLDER, path=path))


def _write(path: Path, data: bytes, *, force: bool) -> None:
    """Atomically; without ``force`` the final step cannot replace a file that appeared
    meanwhile. A link, a FIFO or a device at ``path`` is never replaced, even with ``force``.
    The file gets the usual permissions (umask), or keeps those of the file it replaces."""
    try:
        atomic_write(path, data, keep_backup=False, replace=force, new_mode=0o666)
    except UnsafeFile as exc:
        raise BadInputError(f"rapport non écrit : {exc.reason}") from None
    except OSError as exc:
        if isinstance(exc, FileExistsError) and exc.filename == str(path):
            raise BadInputError(ALREADY_EXISTS.format(path=path)) from None
        reason = failure_reason(exc)
        if exc.errno == errno.ENAMETOOLONG:
            raise BadInputError(
                f"{NOT_WRITTEN.format(reason=reason, path=path)} ; choisissez un nom plus court"
            ) from None
        raise SaveError(NOT_WRITTEN.format(reason=reason, path=path)) from exc


def write_report(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write one report file, atomically; never over an existing file without ``force``."""
    _check_folder(path.parent, path)
    if path.is_dir():
        raise SaveError(NOT_WRITTEN.format(reason=IS_A_FOLDER, path=path))
    if os.path.lexists(path) and not force:
        raise BadInputError(ALREADY_EXISTS.format(path=path))
    _write(path, data, force=force)


def write_report_folder(
    folder: Path, files: Sequence[tuple[str, bytes]], *, force: bool = False
) -> list[Path]:
    """Write ``files`` ((name, bytes) pairs) into ``folder`` (created if its parent exists).
    Nothing is written when one of them exists already and ``force`` is not given. Returns the
    paths written."""
    folder = folder.expanduser()
    if not folder.exists():
        _check_folder(folder.parent, folder)
        try:
            folder.mkdir()
        except OSError as exc:
            raise SaveError(NOT_WRITTEN.format(reason=failure_reason(exc), path=folder)) from exc
    _check_folder(folder, folder)
    paths = [folder / name for name, _data in files]
    taken = [path.name for path in paths if os.path.lexists(path)]
    if taken and not force:
        raise BadInputError(ALREADY_EXIST.format(folder=folder, names=", ".join(taken)))
    for path, (_name, data) in zip(paths, files, strict=True):
        if path.is_dir():
            raise SaveError(NOT_WRITTEN.format(reason=IS_A_FOLDER, path=path))
        _write(path, data, force=force)
    return paths
