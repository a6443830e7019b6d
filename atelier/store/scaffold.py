"""``atelier new DOSSIER``: a new workshop folder to edit, valid from the start.

Either the small commented workshop shipped in ``atelier/scaffold/`` (every kind of step, two
answers, a 2 × 3 grid, one pitch round) or a copy of an existing workshop (``--from``). The
new folder gets its own ``atelier.schema.json`` and every YAML file points at it, so an
editor completes and checks as the author types. The workshop's ``id`` becomes the folder's
name (sessions are named after it)."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from atelier.domain.content import Workshop
from atelier.errors import BadInputError, ContentError
from atelier.store.content_loader import (
    find_workshops,
    load_workshop,
    resolve_content_dir,
    workshop_files,
)
from atelier.store.content_schema import modeline, write_schema, write_text_atomically
from atelier.store.yaml_problems import suggest_identifier

SCAFFOLD_DIR = Path(__file__).resolve().parent.parent / "scaffold"

_MODELINE = re.compile(r"^# yaml-language-server: \$schema=.*$", re.MULTILINE)
_TOP_LEVEL_ID = re.compile(r"^id:[ \t]*[^\n#]*", re.MULTILINE)


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise BadInputError(f"{target} : c'est un fichier ; donnez le nom d'un nouveau dossier.")
    if target.is_dir() and any(target.iterdir()):
        raise BadInputError(
            f"{target} : ce dossier n'est pas vide ; rien n'a été écrit. Donnez le nom d'un "
            "nouveau dossier (atelier new content/mon-atelier)."
        )


def _source_files(source: Path | None) -> list[Path]:
    if source is None:
        return sorted(SCAFFOLD_DIR.glob("*.yaml"))
    if not source.exists() and len(source.parts) == 1:
        # « --from atis-2020-05-19 »: a bundled workshop named by its id.
        with contextlib.suppress(ContentError):
            source = resolve_content_dir(None, source.name)
    folders = find_workshops(source)  # says clearly when it is not a workshop folder
    if len(folders) != 1 or folders[0] != source:
        raise BadInputError(
            f"{source} : ce dossier contient plusieurs ateliers ; donnez-en un seul "
            f"(par exemple {folders[0]})."
        )
    return workshop_files(source)


def _prepared(text: str, workshop_id: str) -> str:
    """The file's text with its schema line pointing next to it and, for the file that holds
    the top-level ``id:``, the new id."""
    line = modeline()
    text = _MODELINE.sub(line, text, count=1) if _MODELINE.search(text) else f"{line}\n{text}"
    return _TOP_LEVEL_ID.sub(f"id: {workshop_id}", text, count=1)


def create_workshop(target: Path, source: Path | None = None) -> Workshop:
    """Write a new workshop folder at ``target`` (absent or empty) and validate it."""
    _check_target(target)
    files = _source_files(source)
    workshop_id = suggest_identifier(target.resolve().name)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInputError(f"{target} : création impossible ({exc.strerror}).") from None
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInputError(f"{path} : lecture impossible ({exc}).") from None
        write_text_atomically(target / path.name, _prepared(text, workshop_id))
    write_schema(target)
    return load_workshop(target)
