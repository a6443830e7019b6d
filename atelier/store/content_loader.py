"""``content/<workshop>/*.yaml`` → a validated, frozen :class:`Workshop`.

A workshop folder holds one or more YAML files; each is a mapping of top-level workshop fields
(``quiz:``, ``grid:`` …) and together they make the workshop, so an author can keep everything
in one file or split it by theme. Every mistake is reported at once, each as
``file:line:col`` with a French sentence saying how to fix it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode

from atelier.domain.content import Location, StepKind, Workshop
from atelier.domain.wording import format_minutes_short
from atelier.errors import AtelierError, ContentError, Problem
from atelier.store.yaml_io import node_at, pydantic_problems, read_yaml_file

BUNDLED_WORKSHOP_ID = "atis-2020-05-19"


def bundled_content_root() -> Path:
    """The folder of bundled workshops: package data once installed (``atelier/bundled``),
    the top-level ``content/`` in a clone or an editable install."""
    package_dir = Path(__file__).resolve().parent.parent
    installed = package_dir / "bundled"
    return installed if installed.is_dir() else package_dir.parent / "content"


def resolve_content_dir(argument: str | None, workshop_id: str | None = None) -> Path:
    """The workshop folder to use: the one given, else the bundled one for ``workshop_id``
    (the ATIS workshop by default)."""
    if argument:
        return Path(argument)
    wanted = workshop_id or BUNDLED_WORKSHOP_ID
    for root in (bundled_content_root(), Path("content")):
        if (root / wanted).is_dir():
            return root / wanted
    raise ContentError(
        f"Atelier « {wanted} » introuvable parmi les ateliers fournis "
        f"({bundled_content_root()}). Indiquez son dossier avec --content DOSSIER."
    )


def find_workshops(path: Path | None) -> list[Path]:
    """``path`` itself when it holds YAML files, else its sub-folders that do."""
    root = path if path is not None else resolve_content_dir(None)
    if not root.exists():
        raise ContentError(
            f"{root} : dossier introuvable. Donnez le chemin d'un dossier d'atelier "
            "(par exemple content/atis-2020-05-19)."
        )
    if root.is_file():
        raise ContentError(
            f"{root} : c'est un fichier ; donnez le dossier qui contient les fichiers YAML "
            f"de l'atelier ({root.parent})."
        )
    if workshop_files(root):
        return [root]
    folders = sorted(p for p in root.iterdir() if p.is_dir() and workshop_files(p))
    if not folders:
        raise ContentError(
            f"{root} : aucun fichier .yaml ici ni dans ses sous-dossiers. Un atelier est un "
            "dossier de fichiers YAML ; voir content/README.md."
        )
    return folders


def workshop_files(folder: Path) -> list[Path]:
    """The YAML files that make up a workshop folder, by name."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in {".yaml", ".yml"} and p.is_file() and not p.name.startswith(".")
    )


def load_workshop(folder: Path) -> Workshop:
    """Read, merge, validate and cross-check a workshop folder; ContentError lists every
    problem found."""
    if not folder.is_dir():
        raise ContentError(
            f"{folder} : dossier d'atelier introuvable. Vérifiez le chemin "
            "(les ateliers fournis sont dans content/)."
        )
    files = workshop_files(folder)
    if not files:
        raise ContentError(f"{folder} : aucun fichier .yaml dans ce dossier.")

    problems: list[Problem] = []
    merged: dict[str, Any] = {}
    owner: dict[str, tuple[Path, Node]] = {}  # top-level key → the file and root defining it
    pairs: list[tuple[Node, Node]] = []
    for path in files:
        try:
            data, root = read_yaml_file(path, error_class=ContentError)
        except AtelierError as error:
            problems += error.problems or [Problem(error.message, path)]
            continue
        if not isinstance(data, dict) or not isinstance(root, MappingNode):
            problems.append(
                Problem(
                    "le fichier doit être une liste de champs « nom: valeur » "
                    "(title:, programme:, quiz: …) ; voir content/README.md",
                    path,
                    1,
                    1,
                )
            )
            continue
        for key_node, value_node in root.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else str(key_node)
            if key in owner:
                first_path, first_root = owner[key]
                line, _ = node_at(first_root, (key,))
                problems.append(
                    Problem(
                        f"« {key}: » est déjà défini dans {first_path.name} (ligne {line}) ; "
                        "chaque section ne doit apparaître que dans un seul fichier",
                        path,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                    )
                )
                continue
            owner[key] = (path, root)
            pairs.append((key_node, value_node))
        for key, value in data.items():
            merged.setdefault(str(key), value)
    if problems:
        raise _content_error(folder, problems)

    merged_root = MappingNode("tag:yaml.org,2002:map", pairs)
    main_file = folder / "workshop.yaml" if (folder / "workshop.yaml").exists() else files[0]

    def file_of(loc: Location) -> Path:
        return owner[str(loc[0])][0] if loc and str(loc[0]) in owner else main_file

    try:
        workshop = Workshop.model_validate(merged)
    except ValidationError as exc:
        found = pydantic_problems(exc, merged_root, None, model=Workshop)
        for error, problem in zip(exc.errors(include_url=False), found, strict=True):
            loc = tuple(error.get("loc", ()))
            located = problem.path is None and problem.line is not None
            problems.append(
                Problem(
                    problem.message,
                    file_of(loc),
                    problem.line if located and loc and str(loc[0]) in owner else 1,
                    problem.column if located and loc and str(loc[0]) in owner else 1,
                )
            )
        raise _content_error(folder, problems) from None

    for loc, message in workshop.cross_check():
        line, column = node_at(merged_root, loc)
        where = file_of(loc)
        if not (loc and str(loc[0]) in owner):
            line = column = 1
        problems.append(Problem(message, where, line, column))
    if problems:
        raise _content_error(folder, problems)
    return workshop


def _content_error(folder: Path, problems: list[Problem]) -> ContentError:
    count = len(problems)
    plural = "problème" if count == 1 else "problèmes"
    return ContentError(
        f"L'atelier {folder} ne peut pas être utilisé tel quel : {count} {plural} à corriger "
        "(fichier:ligne:colonne). Le guide content/README.md décrit chaque champ.",
        problems=sorted(problems, key=lambda p: (str(p.path), p.line or 0, p.column or 0)),
    )


_content_hashes: dict[int, tuple[Workshop, str]] = {}
"""Fingerprints already computed (or read from the content cache), by workshop object."""


def content_hash(workshop: Workshop) -> str:
    """A short fingerprint of the content a session ran on (to notice later edits)."""
    known = _content_hashes.get(id(workshop))
    if known is not None and known[0] is workshop:
        return known[1]
    digest = hashlib.sha256(workshop.model_dump_json().encode("utf-8")).hexdigest()
    fingerprint = f"sha256:{digest[:16]}"
    remember_content_hash(workshop, fingerprint)
    return fingerprint


def remember_content_hash(workshop: Workshop, fingerprint: str) -> None:
    """Record ``workshop``'s fingerprint, computed once (serializing the whole workshop builds
    pydantic's serializers: ~30 ms the first time)."""
    _content_hashes[id(workshop)] = (workshop, fingerprint)


def summarize(workshop: Workshop, folder: Path) -> str:
    """The few lines ``atelier validate`` prints for a valid workshop."""
    kinds = [step.kind for step in workshop.programme]
    lines = [
        f"✔ {folder} : « {workshop.title} » ({workshop.id}) est valide.",
        f"  Programme : {len(workshop.programme)} étapes"
        + (f", dont {kinds.count(StepKind.PAUSE)} pause(s)" if StepKind.PAUSE in kinds else "")
        + f", {_time(workshop.programme[0].start)} → {_time(workshop.end)}",
    ]
    if workshop.quiz:
        answers = " / ".join(a.label for a in workshop.quiz.answers)
        lines.append(f"  Quiz : {len(workshop.quiz.items)} questions ({answers})")
    if workshop.grid:
        grid = workshop.grid
        lines.append(
            f"  Grille : {len(grid.criteria)} critères × {len(grid.levels)} niveaux "
            f"({', '.join(d.name for d in grid.dimensions)})"
        )
    if workshop.assessment:
        phases = ", ".join(
            f"{p.name} {format_minutes_short(p.minutes)}" for p in workshop.assessment.phases
        )
        lines.append(f"  Auto-évaluation : {len(workshop.assessment.phases)} phases ({phases})")
    if workshop.pitch:
        pitch = workshop.pitch
        lines.append(
            f"  Pitchs : {format_minutes_short(pitch.pitch_minutes)} de pitch, "
            f"{format_minutes_short(pitch.exchange_minutes)} "
            f"d'échange, {len(pitch.feedback_categories)} catégories de retours"
        )
    lines.append(f"  Pages d'information : {len(workshop.slides)}")
    lines.append(f"  Ressources : {len(workshop.resources)}")
    return "\n".join(lines)


def _time(moment: Any) -> str:
    return f"{moment.hour}h{moment.minute:02d}"
