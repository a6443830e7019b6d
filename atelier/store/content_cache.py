"""A workshop validated once is not validated again until its files change.

Reading the YAML and building pydantic's validators for the content model costs ~40 ms, a
fifth of what ``atelier`` adds to a bare Textual start. Like Python's own ``.pyc`` files, the
validated :class:`Workshop` is kept in a cache file, with the content fingerprint of the
session record, and used again when the key still matches:

* the bytes of every YAML file of the folder (names included), so any edit — a comment, a
  space — means a full read and validation, with all its error messages;
* the source of the content model (every ``atelier/domain/content*.py``: the models, their field
  types and the cross-checks), atelier's, pydantic's and Python's versions, so a new version of
  the code never reads an old object.

One file per workshop folder, in ``$ATELIER_CACHE_DIR`` or ``$XDG_CACHE_HOME/atelier``
(``~/.cache/atelier``). The cache is a convenience: a missing, unreadable, corrupt or stale
file is ignored and replaced, a failed write is ignored, and a workshop with mistakes is never
cached. ``atelier validate`` never reads it.

Unpickling runs code, so nothing is unpickled before it is checked: the cache folder and file
must belong to the user and be writable by nobody else, the file must be a regular file (no
link followed), and its first lines must carry the expected key; only then is the rest read.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path

import pydantic

import atelier
from atelier.domain import (
    content,
    content_base,
    content_checks,
    content_grid,
    content_pitch,
    content_programme,
    content_quiz,
)
from atelier.domain.content import Workshop
from atelier.store.content_loader import (
    content_hash,
    load_workshop,
    remember_content_folder,
    remember_content_hash,
    workshop_files,
)

CACHE_FORMAT = 2
_MAGIC = b"atelier-content-cache 2\n"  # then the key (hex) on its own line, then the pickle
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
CACHE_DIR_ENV = "ATELIER_CACHE_DIR"
CONTENT_MODEL_MODULES = (
    content_base,
    content_quiz,
    content_grid,
    content_pitch,
    content_programme,
    content_checks,
    content,
)
"""Every module that defines the content models or checks them: their source is in the key."""


def cache_dir() -> Path:
    if explicit := os.environ.get(CACHE_DIR_ENV):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "atelier"


def cache_file(folder: Path) -> Path:
    """The cache file of one workshop folder (named after its absolute path)."""
    where = hashlib.sha256(str(folder.resolve()).encode("utf-8", "surrogateescape"))
    return cache_dir() / "content" / f"{where.hexdigest()[:24]}.pickle"


def cache_key(folder: Path) -> str | None:
    """What the cached workshop was built from; None when the folder cannot be read (the
    uncached load then reports the problem)."""
    digest = hashlib.sha256()
    versions = (CACHE_FORMAT, atelier.__version__, pydantic.VERSION, sys.version)
    digest.update(repr(versions).encode())
    try:
        for module in CONTENT_MODEL_MODULES:
            digest.update(Path(module.__file__ or "").read_bytes())
        for path in workshop_files(folder):
            data = path.read_bytes()
            digest.update(f"\0{path.name}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
            digest.update(data)
    except OSError:
        return None
    return digest.hexdigest()


def load_workshop_cached(folder: Path) -> Workshop:
    """:func:`load_workshop`, skipped when the folder has not changed since the last time it
    was loaded successfully."""
    key = cache_key(folder)
    if key is None:
        return load_workshop(folder)
    path = cache_file(folder)
    cached = _read(path, key)
    if cached is not None:
        remember_content_folder(cached, folder)
        return cached
    workshop = load_workshop(folder)  # raises ContentError on any mistake: nothing is cached
    _write(path, key, workshop)
    return workshop


def _trusted(info: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (POSIX): a cache file someone else
    could have written is never unpickled (unpickling runs code)."""
    if os.name != "posix":
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(path: Path, key: str) -> Workshop | None:
    """The cached workshop, checked before a byte is unpickled: the folder and the file are
    ours and writable only by us, the file is a regular file (no link followed), and its
    header carries exactly ``key``. Anything else: None (a full load)."""
    try:
        if not _trusted(os.stat(path.parent)):
            return None
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode) or not _trusted(info):
                return None
            if file.readline(len(_MAGIC) + 1) != _MAGIC:
                return None
            if file.readline(len(key) + 2) != key.encode("ascii") + b"\n":
                return None
            entry = pickle.load(file)
        stored_key, workshop, fingerprint = entry
    except Exception:  # unreadable, truncated, from another version: rebuild it
        return None
    if stored_key != key or not isinstance(workshop, Workshop) or not isinstance(fingerprint, str):
        return None
    remember_content_hash(workshop, fingerprint)
    return workshop


def _write(path: Path, key: str, workshop: Workshop) -> None:
    entry = (key, workshop, content_hash(workshop))
    temporary: str | None = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(descriptor, "wb") as file:  # mkstemp: 0600, ours
            file.write(_MAGIC + key.encode("ascii") + b"\n")
            pickle.dump(entry, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        temporary = None
    except Exception:  # full disk, read-only folder, anything: the next start validates again
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
