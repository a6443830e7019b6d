"""Writing a file so that a crash leaves the old or the new version, never a mix.

The one place atelier writes a file it cares about (session files, reports): a temp file
``.NAME.tmp-XXXX`` in the same folder is written, flushed and fsynced, takes the previous
file's permissions (``new_mode`` for a new file), the previous version is kept as ``NAME.bak``
(a hard link: no copy), then ``os.replace`` swaps it in (or a hard link, which cannot clobber,
when the caller must not replace anything) and the folder is fsynced. Leftover temp files are
swept by :func:`sweep_temp_files`.

Files inside a folder atelier does not fully trust (a session folder copied from elsewhere)
are opened with :func:`open_regular`: the last component is never followed when it is a
symbolic link, a FIFO never blocks the open, and anything but a regular file is refused with
:class:`UnsafeFile`, whose message names it.

Also here: the errno → French reasons every message about a system error uses
(:func:`failure_reason`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import time
from pathlib import Path

BACKUP_SUFFIX = ".bak"
TEMP_MARK = ".tmp-"  # temp files are ".<target name>.tmp-<random>"

NEW_FILE_MODE = 0o600
NEW_DIR_MODE = 0o700

_IS_POSIX = os.name == "posix"
# os.replace fails for a moment on Windows while an antivirus or indexer holds the file.
_REPLACE_ATTEMPTS = 1 if _IS_POSIX else 10
_REPLACE_RETRY_DELAY_S = 0.02
_TEMP_ATTEMPTS = 100

O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


# ---------------------------------------------------------------------------------------------
# errno → French
# ---------------------------------------------------------------------------------------------

_REASONS: dict[int, str] = {
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota disque dépassé",
    errno.EACCES: "permission refusée",
    errno.EPERM: "permission refusée",
    errno.ENOENT: "le dossier n'existe pas (supprimé, ou disque retiré ?)",
    errno.ENOTDIR: "le chemin passe par un fichier, pas un dossier",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.EROFS: "disque en lecture seule",
    errno.EIO: "erreur du disque (entrée-sortie)",
    errno.ENAMETOOLONG: "nom de fichier trop long (255 octets au plus)",
    errno.EMFILE: "trop de fichiers ouverts par atelier",
    errno.ENFILE: "trop de fichiers ouverts sur l'ordinateur",
    errno.EFBIG: "fichier trop gros (limite de taille de fichier atteinte)",
    errno.ELOOP: "lien symbolique refusé",
    errno.EEXIST: "le fichier existe déjà",
    errno.EBUSY: "fichier ou disque occupé",
    errno.ETXTBSY: "fichier occupé",
    errno.EXDEV: "déplacement entre deux disques impossible",
    errno.EMLINK: "trop de liens vers ce fichier",
    errno.ENOTEMPTY: "le dossier n'est pas vide",
    errno.EINVAL: "nom ou opération refusé par le système de fichiers",
    errno.ENXIO: "périphérique absent",
    errno.ENODEV: "périphérique absent",
    errno.ESTALE: "partage réseau perdu",
    errno.EAGAIN: "ressource momentanément indisponible",
    errno.ENOMEM: "mémoire insuffisante",
    errno.EILSEQ: "nom de fichier illisible (encodage)",
    errno.EADDRINUSE: "port déjà utilisé par un autre programme",
    errno.EADDRNOTAVAIL: "adresse réseau absente de cet ordinateur",
    errno.ENETUNREACH: "réseau inaccessible",
    errno.EHOSTUNREACH: "machine inaccessible sur le réseau",
    errno.ECONNREFUSED: "connexion refusée",
}
_OPTIONAL = (("ENOTCONN", "partage réseau déconnecté"), ("EOVERFLOW", "fichier trop gros"))
for _name, _reason in _OPTIONAL:
    if hasattr(errno, _name):
        _REASONS.setdefault(getattr(errno, _name), _reason)


def failure_reason(exc: OSError) -> str:
    """A short French reason for a failed file operation (« disque plein », « permission
    refusée » …). Never the system's English text: an unknown errno says its code."""
    if isinstance(exc, UnsafeFile):
        return exc.reason
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    if exc.errno:
        code = errno.errorcode.get(exc.errno, str(exc.errno))
        return f"erreur système {code}"
    return exc.strerror or "erreur système"


save_failure_reason = failure_reason  # the store's historical name


class UnsafeFile(OSError):
    """A path inside a session folder that is not a regular file (symbolic link, FIFO,
    device, folder): atelier neither reads nor writes through it."""

    def __init__(self, path: Path, what: str) -> None:
        self.short = (
            f"{what}, pas un fichier ordinaire : atelier refuse de l'ouvrir "
            "(remplacez-le par le vrai fichier, ou retirez-le)"
        )
        self.reason = f"{path} est {self.short}"
        super().__init__(errno.EPERM, self.reason, str(path))

    def __str__(self) -> str:
        return self.reason


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "un lien symbolique"
    if stat.S_ISDIR(mode):
        return "un dossier"
    if stat.S_ISFIFO(mode):
        return "un tube (FIFO)"
    if stat.S_ISSOCK(mode):
        return "une socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "un périphérique"
    return "un fichier spécial"


def open_regular(path: Path, flags: int = os.O_RDONLY, mode: int = NEW_FILE_MODE) -> int:
    """``os.open`` for a file inside a session folder: the last component is not followed
    when it is a symbolic link (``O_NOFOLLOW``), a FIFO does not block (``O_NONBLOCK``, then
    cleared), and the opened file must be a regular file (``fstat``, after the open: no race).
    Raises :class:`UnsafeFile` otherwise, or the ``OSError`` of the open."""
    try:
        fd = os.open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_BINARY, mode)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK, errno.ENXIO):  # a link; ENXIO: a socket
            try:
                kind = _kind(os.lstat(path).st_mode)
            except OSError:
                raise exc from None
            raise UnsafeFile(path, kind) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(path, _kind(info.st_mode))
        if O_NONBLOCK and _IS_POSIX:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of ``path``, opened with :func:`open_regular`."""
    fd = open_regular(path)
    try:
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
            size += len(chunk)
            if limit is not None and size > limit:
                break
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_regular_or_absent(path: Path) -> int | None:
    """The permission bits of ``path`` when it is a regular file, None when it does not
    exist; :class:`UnsafeFile` when it is anything else (never followed)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile(path, _kind(info.st_mode))
    return stat.S_IMODE(info.st_mode)


def check_real_dir(path: Path) -> bool:
    """True when ``path`` is a folder (not a link to one), False when it does not exist;
    :class:`UnsafeFile` when it is anything else."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeFile(path, _kind(info.st_mode))
    return True


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new entry in ``folder`` durable (a no-op where folders can't be
    opened, i.e. Windows)."""
    if not _IS_POSIX:
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dir(path: Path) -> None:
    """Create ``path`` (not its parents) and make its entry durable."""
    path.mkdir(mode=NEW_DIR_MODE)
    fsync_dir(path.parent)


def _replace(source: Path, target: Path) -> None:
    for attempt in range(1, _REPLACE_ATTEMPTS + 1):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt >= _REPLACE_ATTEMPTS:
                raise
            time.sleep(_REPLACE_RETRY_DELAY_S * attempt)


def _link_new(temp: Path, path: Path) -> None:
    """Put ``temp`` at ``path`` only if nothing is there (FileExistsError otherwise)."""
    try:
        os.link(temp, path)  # never replaces: FileExistsError if someone wrote it meanwhile
    except FileExistsError as exc:
        exc.filename = str(path)
        raise
    except OSError:  # a file system without hard links (FAT, some shares)
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.replace(temp, path)


def _keep_backup(path: Path) -> None:
    """``path`` as it is now becomes ``path.bak``: a hard link (no copy) the replace below
    leaves pointing at the old content. Best effort: a backup never blocks a save. A backup
    that is not a regular file (a planted link) is left alone and no backup is made."""
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    try:
        check_regular_or_absent(backup)
    except OSError:
        return
    with contextlib.suppress(FileNotFoundError):
        backup.unlink()
    try:
        os.link(path, backup, follow_symlinks=False)
    except (OSError, NotImplementedError):
        with contextlib.suppress(OSError):
            _copy_regular(path, backup)


def _copy_regular(source: Path, target: Path) -> None:
    data = read_regular(source)
    fd = open_regular(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def _new_temp(folder: Path, name: str, mode: int) -> tuple[int, Path]:
    for _ in range(_TEMP_ATTEMPTS):
        temp = folder / f".{name}{TEMP_MARK}{secrets.token_hex(4)}"
        try:
            fd = os.open(
                temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_BINARY, mode
            )
        except FileExistsError:
            continue
        return fd, temp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def atomic_write(
    path: Path,
    data: bytes,
    *,
    keep_backup: bool = True,
    replace: bool = True,
    new_mode: int = NEW_FILE_MODE,
) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file.

    Temp file in the same folder → write → flush → fsync → previous mode (``new_mode``, under
    the umask, when new) → ``.bak`` of the previous version (``keep_backup``) → ``os.replace``
    (retried on Windows) → fsync the folder. With ``replace=False`` an existing ``path`` is
    never replaced (``FileExistsError``, even if it appears during the write). ``path`` must be
    a regular file or absent (:class:`UnsafeFile` otherwise: a link, a FIFO or a device is
    never replaced nor written through). Raises ``OSError``; the temp file is removed on
    failure."""
    folder = path.parent
    mode = check_regular_or_absent(path)
    if mode is not None and not replace:
        raise FileExistsError(errno.EEXIST, "exists", str(path))
    fd, temp = _new_temp(folder, path.name, new_mode if mode is None else mode)
    done = False
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None and _IS_POSIX:
                os.fchmod(handle.fileno(), mode)  # exactly the previous mode, umask or not
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if not replace:
            _link_new(temp, path)
        else:
            if mode is not None and keep_backup:
                _keep_backup(path)
            _replace(temp, path)
            done = True
    finally:
        if not done:
            with contextlib.suppress(OSError):
                temp.unlink()
    fsync_dir(folder)


def sweep_temp_files(folder: Path) -> list[Path]:
    """Remove the temp files an interrupted save left in ``folder`` (only call it while
    holding the session lock: another process's temp file may be in flight otherwise).
    Only regular files are removed (a link named like a temp file is left as it is)."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if (
            entry.name.startswith(".")
            and TEMP_MARK in entry.name
            and entry.is_file(follow_symlinks=False)
        ):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed
