"""The rescue copy: what was typed survives a quit while the session folder refuses writes.

When the last save fails (disk full, USB stick pulled, a file-size limit), atelier writes the
whole record held in memory to a second place before it exits, and says where:

1. the user's state folder: ``$ATELIER_STATE_DIR``, else ``$XDG_STATE_HOME/atelier``, else
   ``~/.local/state/atelier`` (``%LOCALAPPDATA%\\atelier`` on Windows), in ``secours/``;
2. if that fails too, next to the session folder (in the sessions folder);
3. then the system's temp folder.

The file, ``<session>-<date-heure>.secours.yaml``, is plain YAML a person can read: where the
session lives, when and why it was written, and the whole record. The next ``atelier run
--session <session>`` finds it (in any of the three places), and when it is newer than what is
on disk, takes it as the session's content, saves it, and renames the file ``….fusionnee.yaml``
(kept: a way back). An older rescue copy is left alone and reported.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from atelier.domain.session import SessionRecord
from atelier.errors import AtelierError, SaveError
from atelier.store.atomic import atomic_write, failure_reason, read_regular
from atelier.store.session_format import snapshot
from atelier.store.yaml_dump import dump_yaml
from atelier.store.yaml_read import decode_yaml_bytes, parse_yaml_text

if TYPE_CHECKING:
    from atelier.store.session_store import OpenSession

STATE_DIR_ENV = "ATELIER_STATE_DIR"
RESCUE_DIR = "secours"
RESCUE_SUFFIX = ".secours.yaml"
MERGED_SUFFIX = ".fusionnee.yaml"
RESCUE_KEY = "session"


def state_dir() -> Path:
    """atelier's state folder (XDG base directory convention; overridable for tests)."""
    if explicit := os.environ.get(STATE_DIR_ENV):
        return Path(explicit).expanduser()
    if os.name == "nt" and (local := os.environ.get("LOCALAPPDATA")):  # pragma: no cover
        return Path(local) / "atelier"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "atelier"


def rescue_places(session_path: Path) -> list[Path]:
    """Where a rescue copy of the session at ``session_path`` is written, in order of
    preference (and where the next run looks for one)."""
    places = [state_dir() / RESCUE_DIR, session_path.parent, Path(tempfile.gettempdir())]
    unique: list[Path] = []
    for place in places:
        if place not in unique:
            unique.append(place)
    return unique


def rescue_text(record: SessionRecord, session_path: Path, reason: str, now: datetime) -> str:
    header = (
        f"# Copie de secours de la session « {record.name} » (atelier).\n"
        f"# La session n'a pas pu être enregistrée dans {session_path} : {reason}.\n"
        f"# « atelier run --session {record.name} » la reprend et la fusionne.\n"
    )
    data: dict[str, Any] = {
        "session_path": str(session_path),
        "written_at": now.isoformat(),
        "reason": reason,
        RESCUE_KEY: snapshot(record),
    }
    return header + dump_yaml(data)


@dataclass(frozen=True)
class RescueResult:
    path: Path | None  # where the copy is, None when no place would take it
    failures: list[str]  # « <place> : <raison> » for each place that refused


def write_rescue(
    record: SessionRecord, session_path: Path, reason: str, now: datetime
) -> RescueResult:
    """Write the rescue copy to the first place that takes it. Never raises."""
    failures: list[str] = []
    try:
        data = rescue_text(record, session_path, reason, now).encode("utf-8")
    except Exception as error:  # noqa: BLE001 - the exit must go on
        return RescueResult(None, [f"copie impossible ({type(error).__name__})"])
    stamp = now.strftime("%Y%m%d-%H%M%S")
    for place in rescue_places(session_path):
        target = place / f"{record.name}-{stamp}{RESCUE_SUFFIX}"
        try:
            place.mkdir(mode=0o700, parents=True, exist_ok=True)
            n = 2
            while os.path.lexists(target):
                target = place / f"{record.name}-{stamp}-{n}{RESCUE_SUFFIX}"
                n += 1
            atomic_write(target, data, keep_backup=False, replace=False)
        except OSError as error:
            failures.append(f"{place} : {failure_reason(error)}")
            continue
        return RescueResult(target, failures)
    return RescueResult(None, failures)


@dataclass(frozen=True)
class Rescue:
    path: Path
    record: SessionRecord
    written_at: str
    session_path: str


def find_rescues(session_path: Path) -> list[Rescue]:
    """The rescue copies of the session at ``session_path`` not merged yet, oldest first.
    Unreadable files are skipped (they stay where they are, for a person to look at)."""
    found: list[Rescue] = []
    name = session_path.name
    for place in rescue_places(session_path):
        try:
            candidates = sorted(place.glob(f"{_glob_escape(name)}-*{RESCUE_SUFFIX}"))
        except OSError:
            continue
        for path in candidates:
            rescue = _read(path)
            if rescue is not None and _same_folder(rescue.session_path, session_path):
                found.append(rescue)  # a session of the same name elsewhere is not this one
    found.sort(key=lambda rescue: rescue.record.updated_at)
    return found


def _same_folder(recorded: str, session_path: Path) -> bool:
    if not recorded:
        return False
    try:
        return Path(recorded).resolve() == session_path.resolve()
    except OSError:
        return Path(recorded) == session_path


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _read(path: Path) -> Rescue | None:
    try:
        text = decode_yaml_bytes(read_regular(path), path)
        data, _root = parse_yaml_text(text, path)
        if not isinstance(data, dict):
            return None
        record = SessionRecord.model_validate(data.get(RESCUE_KEY))
    except (AtelierError, OSError, ValidationError):
        return None
    return Rescue(
        path=path,
        record=record,
        written_at=str(data.get("written_at", "?")),
        session_path=str(data.get("session_path", "")),
    )


def mark_merged(rescue: Rescue) -> Path:
    """Rename a merged rescue copy so it is not merged again (it is kept as a way back)."""
    target = rescue.path.with_name(rescue.path.name.removesuffix(RESCUE_SUFFIX) + MERGED_SUFFIX)
    with contextlib.suppress(OSError):
        os.replace(rescue.path, target)
        return target
    return rescue.path


MERGED = (
    "Copie de secours du {when} fusionnée dans la session : ce qui n'avait pas pu être "
    "enregistré est revenu. Le fichier est gardé : {path}"
)
MERGE_FAILED = (
    "Une copie de secours ({path}) attend d'être fusionnée, mais la session n'a pas pu être "
    "enregistrée : {reason}. Elle sera proposée au prochain lancement."
)
OLDER = (
    "Une copie de secours plus ancienne que la session existe ({path}) : elle n'a pas été "
    "fusionnée ; ouvrez-la pour comparer si besoin."
)


def _newer(first: datetime, second: datetime) -> bool:
    try:
        return first > second
    except TypeError:  # one with a time zone, one without
        return first.replace(tzinfo=None) > second.replace(tzinfo=None)


def merge_rescues(session: OpenSession) -> list[str]:
    """Take the newest rescue copy of ``session`` when it is newer than what is on disk:
    its record becomes the session's, saved at once; the notices (French) say what happened."""
    rescues = find_rescues(session.path)
    if not rescues:
        return []
    newest = rescues[-1]
    if not _newer(newest.record.updated_at, session.record.updated_at):
        return [OLDER.format(path=newest.path)]
    previous = session.record.model_copy(deep=True)
    for field in SessionRecord.model_fields:
        if field != "name":
            setattr(session.record, field, getattr(newest.record, field))
    try:
        session.save_all()
    except SaveError as error:
        for field in SessionRecord.model_fields:
            setattr(session.record, field, getattr(previous, field))
        return [MERGE_FAILED.format(path=newest.path, reason=error.message)]
    kept = newest.path
    for rescue in rescues:
        merged = mark_merged(rescue)
        if rescue is newest:
            kept = merged
    when = newest.record.updated_at.strftime("%d/%m/%Y à %H:%M:%S")
    return [MERGED.format(when=when, path=kept)]
