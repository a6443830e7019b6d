"""The session folder format: reading it (``read_session_folder``) and writing its two kinds of
file (``session_yaml``, ``project_yaml``), side by side.

Layout — one folder per session::

    <session>/
      session.yaml              everything but the projects, + `project_ids` (order)
      session.yaml.bak          the version before the last save
      projects/<id>.yaml        one small file per project (scores, notes, pitch), + .bak
      deleted/                  projects removed during the workshop, kept anyway
      .lock                     who has the session open (store/lock.py)

Reading never writes: a file that cannot be read (bad YAML, schema error, empty, written by a
newer atelier, not a regular file) is reported with ``file:line`` and left byte for byte as it
is. A project file that ``session.yaml`` does not list is never dropped: it is loaded, appended,
and reported.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import secrets
import textwrap
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from yaml.nodes import Node

from atelier.domain.session import SCHEMA_VERSION, Project, SessionRecord
from atelier.errors import AtelierError, Problem, SessionError
from atelier.store.atomic import (
    BACKUP_SUFFIX,
    UnsafeFile,
    check_real_dir,
    failure_reason,
    read_regular,
)
from atelier.store.yaml_dump import dump_yaml
from atelier.store.yaml_problems import node_at, pydantic_problems
from atelier.store.yaml_read import decode_yaml_bytes, parse_yaml_text

SESSION_FILE = "session.yaml"
PROJECTS_DIR = "projects"
DELETED_DIR = "deleted"
PROJECT_ORDER_KEY = "project_ids"  # in session.yaml: the projects, in order
PROJECT_UPDATED_KEY = "updated_at"  # in a project file: when it was last saved

PROJECT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")

_SNAPSHOT_ATTEMPTS = 5


@functools.cache
def optional_datetime() -> TypeAdapter[datetime | None]:
    """Built on first use: building a validator at import would cost every start-up."""
    return TypeAdapter(datetime | None)


class SessionTooNew(SessionError):
    """The session was written by a newer atelier (a higher ``schema_version``)."""


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def read_session_file(path: Path) -> tuple[Any, Node]:
    """One YAML file of a session folder: opened without following a link, regular files only
    (a FIFO never blocks), decoded as strict UTF-8, parsed. ``SessionError`` naming it."""
    try:
        raw = read_regular(path)
    except OSError as exc:
        reason = failure_reason(exc)
        if exc.errno == errno.ENOENT:
            reason = "fichier introuvable"
        message = (
            f"c'est {exc.short}"
            if isinstance(exc, UnsafeFile)
            else f"lecture impossible : {reason}"
        )
        raise SessionError(message, problems=[Problem(message=message, path=path)]) from None
    text = decode_yaml_bytes(raw, path, error_class=SessionError)
    return parse_yaml_text(text, path, error_class=SessionError)


def project_file_name(project_id: str) -> str:
    if not PROJECT_ID.match(project_id):
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
        data, root = read_session_file(path)
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
        updated = optional_datetime().validate_python(raw_updated)
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
    meta_path = folder / SESSION_FILE
    data, root = _read_meta(folder.name, meta_path)
    _check_version(folder.name, meta_path, data, root)
    problems: list[Problem] = []
    reader = _MetaReader(meta_path, root, problems)
    ids, raw_ids = reader.project_order(data)
    projects: list[Project] = []
    notices: list[str] = []
    projects_dir = folder / PROJECTS_DIR
    listed_at = _read_listed_projects(projects_dir, ids, raw_ids, reader, projects)
    stray_at = _read_stray_projects(projects_dir, set(ids), problems, projects, notices)
    updated_at = _latest(listed_at, stray_at)
    record = _build_record(meta_path, root, data, projects, problems)
    if problems or record is None:
        raise SessionError(_unreadable(folder.name), problems=problems)
    record.updated_at = _latest(record.updated_at, updated_at) or record.updated_at
    if record.name != folder.name:
        record.name = folder.name  # the folder is the name: a copied or renamed folder says so
    return LoadedSession(record=record, notices=notices, listed=ids)


def _read_meta(name: str, meta_path: Path) -> tuple[dict[str, Any], Node | None]:
    """session.yaml as a mapping (and its node tree, for line numbers)."""
    if not os.path.lexists(meta_path):
        raise SessionError(
            f"la session « {name} » est incomplète : {meta_path} est introuvable",
            problems=[Problem(message=f"{SESSION_FILE} manquant", path=meta_path)],
        )
    try:
        data, root = read_session_file(meta_path)
    except SessionError as exc:
        raise SessionError(_unreadable(name), problems=exc.problems) from None
    if not isinstance(data, dict):
        problem = _problem_at(
            meta_path, root, (), "le fichier doit contenir des champs « clé: valeur »"
        )
        raise SessionError(_unreadable(name), problems=[problem])
    return data, root


def _check_version(name: str, meta_path: Path, data: dict[str, Any], root: Node | None) -> None:
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


@dataclass
class _MetaReader:
    """Problems found in session.yaml, located on its lines."""

    meta_path: Path
    root: Node | None
    problems: list[Problem]

    def add(self, loc: tuple[str | int, ...], message: str) -> None:
        self.problems.append(_problem_at(self.meta_path, self.root, loc, message))

    def project_order(self, data: dict[str, Any]) -> tuple[list[str], list[Any]]:
        """The valid, distinct project ids of ``project_ids`` (popped from ``data``), and the
        raw list (for the line of each)."""
        if "projects" in data:
            self.add(
                ("projects",),
                "champ inconnu « projects » : les projets sont dans projects/<id>.yaml, "
                f"leur ordre dans « {PROJECT_ORDER_KEY} »",
            )
            data.pop("projects")
        raw_ids = data.pop(PROJECT_ORDER_KEY, [])
        ids: list[str] = []
        if not isinstance(raw_ids, list):
            self.add(
                (PROJECT_ORDER_KEY,),
                f"{PROJECT_ORDER_KEY} : une liste d'identifiants de projets est attendue",
            )
            return ids, []
        seen: set[str] = set()
        for index, project_id in enumerate(raw_ids):
            loc = (PROJECT_ORDER_KEY, index)
            if not isinstance(project_id, str) or not PROJECT_ID.match(project_id):
                self.add(
                    loc,
                    f"{PROJECT_ORDER_KEY}[{index}] : identifiant de projet « {project_id} » "
                    "invalide (lettres minuscules, chiffres, - et _)",
                )
            elif project_id in seen:
                self.add(
                    loc, f"{PROJECT_ORDER_KEY}[{index}] : projet « {project_id} » listé deux fois"
                )
            else:
                seen.add(project_id)
                ids.append(project_id)
        return ids, raw_ids


def _read_listed_projects(
    projects_dir: Path,
    ids: list[str],
    raw_ids: list[Any],
    reader: _MetaReader,
    projects: list[Project],
) -> datetime | None:
    """Read the files of the projects session.yaml lists, in its order."""
    updated_at: datetime | None = None
    for project_id in ids:
        path = projects_dir / project_file_name(project_id)
        if not os.path.lexists(path):
            backup = path.with_name(path.name + BACKUP_SUFFIX)
            fix = (
                f" ; une version précédente existe : {backup}"
                if os.path.lexists(backup)
                else f" ; retirez-le de « {PROJECT_ORDER_KEY} » s'il a été supprimé exprès"
            )
            reader.add(
                (PROJECT_ORDER_KEY, raw_ids.index(project_id)),
                f"le fichier du projet « {project_id} » est introuvable ({path}){fix}",
            )
            continue
        loaded = _read_project(path, reader.problems)
        if loaded is not None:
            projects.append(loaded[0])
            updated_at = _latest(updated_at, loaded[1])
    return updated_at


def _read_stray_projects(
    projects_dir: Path,
    listed: set[str],
    problems: list[Problem],
    projects: list[Project],
    notices: list[str],
) -> datetime | None:
    """Project files session.yaml does not list (a crash between two writes, a copy by hand):
    loaded, appended, reported."""
    updated_at: datetime | None = None
    for path in project_files(projects_dir):
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
    return updated_at


def _build_record(
    meta_path: Path,
    root: Node | None,
    data: dict[str, Any],
    projects: list[Project],
    problems: list[Problem],
) -> SessionRecord | None:
    try:
        return SessionRecord.model_validate({**data, "projects": projects})
    except ValidationError as exc:
        fields = [f for f in SessionRecord.model_fields if f != "projects"]
        fields.insert(fields.index("facilitator_notes"), PROJECT_ORDER_KEY)
        problems[:0] = pydantic_problems(
            exc, root, meta_path, model=SessionRecord, top_level_fields=fields
        )
        return None


def read_or_explain(folder: Path) -> LoadedSession:
    """:func:`read_session_folder`, with an unreadable folder (permissions) as SessionError."""
    try:
        return read_session_folder(folder)
    except OSError as exc:
        where = exc.filename or folder
        raise SessionError(
            f"la session « {folder.name} » ne peut pas être lue : "
            f"{failure_reason(exc)} ({where}) ; aucun fichier n'a été modifié"
        ) from exc


def project_files(projects_dir: Path) -> list[Path]:
    """The ``<id>.yaml`` entries of ``projects/`` (a link or a FIFO among them is listed, and
    refused when read). ``UnsafeFile`` when ``projects/`` is a link or not a folder."""
    try:
        if not check_real_dir(projects_dir):
            return []
        entries = sorted(os.scandir(projects_dir), key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [
        Path(entry.path)
        for entry in entries
        if entry.name.endswith(".yaml")
        and not entry.name.startswith(".")
        and PROJECT_ID.match(entry.name.removesuffix(".yaml"))
        and not entry.is_dir(follow_symlinks=False)
    ]


def _unreadable(name: str) -> str:
    return (
        f"la session « {name} » ne peut pas être lue ; aucun fichier n'a été modifié. "
        "Corrigez le fichier indiqué, ou ouvrez une nouvelle session sous un autre nom"
    )


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def snapshot(model: BaseModel, exclude: set[str] | None = None) -> dict[str, Any]:
    """``model`` as plain data, taken again if another thread changed a dict mid-copy."""
    for _attempt in range(_SNAPSHOT_ATTEMPTS - 1):
        try:
            return model.model_dump(mode="json", exclude_none=True, exclude=exclude)
        except RuntimeError:  # "dictionary changed size during iteration"
            time.sleep(0)
    return model.model_dump(mode="json", exclude_none=True, exclude=exclude)


def session_yaml(record: SessionRecord) -> str:
    # The projects have their own files: dumping them here only to drop them would cost a
    # whole-session dump (tens of ms holding the GIL) on every save of session.yaml.
    taken = snapshot(record, exclude={"projects"})
    data: dict[str, Any] = {}
    for field in SessionRecord.model_fields:
        if field == "projects":
            data[PROJECT_ORDER_KEY] = [project.id for project in record.projects]
        elif field in taken:
            data[field] = taken[field]
    header = (
        f"# Session d'atelier « {record.name} » (atelier, schéma {SCHEMA_VERSION}).\n"
        f"# Les projets sont dans {PROJECTS_DIR}/<id>.yaml, dans l'ordre de {PROJECT_ORDER_KEY}.\n"
    )
    return header + dump_yaml(data)


def project_yaml(project: Project, updated_at: datetime) -> str:
    data = snapshot(project)
    data[PROJECT_UPDATED_KEY] = optional_datetime().dump_python(updated_at, mode="json")
    header = f"# Projet {project.id} (atelier) ; l'ordre des projets est dans ../{SESSION_FILE}.\n"
    pitch = data.get("pitch")
    cards = pitch.get(_CARDS_KEY) if isinstance(pitch, dict) else None
    if not cards:
        return header + dump_yaml(data)
    # The room's cards are most of a project's file during its pitch (300 cards: 15 ms of
    # pure-Python YAML representation per save, holding the GIL). A card, once written, is
    # written again unchanged at every save: its YAML is kept, and only the rest is dumped.
    assert isinstance(pitch, dict)
    marker = f"atelier-cartes-{secrets.token_hex(8)}"
    pitch[_CARDS_KEY] = marker
    text = dump_yaml(data)
    found = re.search(rf"^( *){_CARDS_KEY}: {marker}\n", text, re.MULTILINE)
    if found is None or text.count(marker) != 1:  # never seen: the plain way, to be sure
        pitch[_CARDS_KEY] = cards
        return header + dump_yaml(data)
    indent = found.group(1)
    body = "".join([_card_yaml(card, indent) for card in cards])
    return header + text[: found.start()] + f"{indent}{_CARDS_KEY}:\n" + body + text[found.end() :]


_CARDS_KEY = "room_cards"
_card_fragments: dict[tuple[str, tuple[tuple[str, Any], ...]], str] = {}
_CARD_FRAGMENTS_MAX = 20_000


def _card_yaml(card: dict[str, Any], indent: str) -> str:
    """One room card as a YAML sequence item (``- id: …``) indented by ``indent`` (every
    line but blank ones, so a ``|`` block keeps its place), from the cache when the card is
    unchanged (its fields are plain strings: the key is exact)."""
    key = (indent, tuple(card.items()))
    fragment = _card_fragments.get(key)
    if fragment is None:
        if len(_card_fragments) >= _CARD_FRAGMENTS_MAX:
            _card_fragments.clear()
        fragment = textwrap.indent(dump_yaml([card]), indent)
        _card_fragments[key] = fragment
    return fragment


def peek(folder: Path) -> dict[str, Any]:
    """What can still be said about an unreadable session (best effort, for the listing)."""
    try:
        data, _root = read_session_file(folder / SESSION_FILE)
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
            found[key] = optional_datetime().validate_python(data.get(key))
    ids = data.get(PROJECT_ORDER_KEY)
    if isinstance(ids, list):
        found["project_count"] = len(ids)
    return found
