"""``content/<workshop>/*.yaml`` → a validated, frozen :class:`Workshop`.

A workshop folder holds one or more YAML files; each is a mapping of top-level workshop fields
(``quiz:``, ``grid:`` …) and together they make the workshop, so an author can keep everything
in one file or split it by theme. Every mistake is reported at once, each as
``file:line:col`` with a French sentence saying how to fix it.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode

from atelier.domain.content import Workshop
from atelier.domain.content_base import Location
from atelier.domain.content_checks import check_references
from atelier.domain.content_programme import StepKind
from atelier.domain.wording import format_minutes_short
from atelier.errors import AtelierError, ContentError, MoreProblems, Problem, french_count
from atelier.store.yaml_problems import NodeIndex, describe_location, node_at, pydantic_problems
from atelier.store.yaml_read import read_yaml_file, surprising_numbers

MAX_CONTENT_FILE_BYTES = 2 * 1024 * 1024
"""A workshop file is a few dozen KB (the bundled ones: 8–60 KB). Past 2 MB it is certainly
not one (a log, an export, a generated file): refused at once rather than parsed for seconds."""


def _too_large(size: int) -> str:
    megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
    return (
        f"fichier de {megabytes} Mo : un fichier d'atelier fait quelques dizaines de Ko "
        "(2 Mo au plus) ; ce n'est sans doute pas un fichier d'atelier, retirez-le du dossier "
        "ou donnez-lui une autre extension que .yaml"
    )


if TYPE_CHECKING:
    from atelier.domain.session import SessionRecord

_TIME_KEYS = frozenset({"start", "end"})
"""Times of day: base 60 is explained by their own message (« 10:00 » read as 600)."""

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


def _not_a_file(path: Path) -> str | None:
    """Why a ``*.yaml`` entry cannot be part of a workshop (None when it is a readable file).
    Such an entry is reported, never skipped in silence nor opened (a FIFO would block)."""
    if path.is_file():
        return None
    if path.is_symlink() and not path.exists():
        what = f"{path.name} est un lien vers un fichier qui n'existe pas"
    elif path.is_dir():
        what = f"{path.name} est un dossier"
    else:
        what = f"{path.name} n'est ni un fichier ni un dossier (tube, périphérique…)"
    return (
        f"{what}, pas un fichier d'atelier : remplacez-le par le vrai fichier, ou retirez-le "
        "du dossier (ou donnez-lui un nom qui ne finit pas par .yaml)"
    )


def unusable_entries(folder: Path) -> list[Problem]:
    """The ``*.yaml`` / ``*.yml`` entries of ``folder`` that are not regular files."""
    problems = []
    for entry in sorted(folder.iterdir()):
        if entry.suffix in {".yaml", ".yml"} and not entry.name.startswith("."):
            why = _not_a_file(entry)
            if why is not None:
                problems.append(Problem(why, entry))
    return problems


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

    # Every file is read, validated and cross-checked even when another one is broken: one
    # run reports every mistake of the folder, in file order.
    problems: list[Problem] = unusable_entries(folder)
    merged: dict[str, Any] = {}
    owner: dict[str, tuple[Path, Node]] = {}  # top-level key → the file and root defining it
    pairs: list[tuple[Node, Node]] = []
    complete = True  # False when a file could not be read: its sections are unknown
    surprising: set[tuple[Path, int]] = set()
    for path in files:
        try:
            size = path.stat().st_size
        except OSError:
            size = 0  # read_yaml_file says why it cannot be read
        if size > MAX_CONTENT_FILE_BYTES:
            problems.append(Problem(_too_large(size), path, 1, 1))
            complete = False
            continue
        try:
            data, root = read_yaml_file(path, error_class=ContentError)
        except AtelierError as error:
            problems += error.problems or [Problem(error.message, path)]
            complete = False
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
            complete = False
            continue
        raw = None
        with contextlib.suppress(OSError):
            raw = path.read_bytes()
        for node, message in surprising_numbers(root, raw, skip_keys=_TIME_KEYS):
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
            surprising.add((path, line))
            problems.append(Problem(message, path, line, column))
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

    origin = Mark(str(main_file_of(folder, files)), 0, 0, 0, None, None)  # type: ignore[arg-type]
    merged_root = MappingNode("tag:yaml.org,2002:map", pairs, origin, origin)
    index = NodeIndex()
    main_file = main_file_of(folder, files)

    def locate(loc: Location) -> tuple[Path, int, int]:
        if loc and str(loc[0]) in owner:
            line, column = node_at(merged_root, loc, index)
            return owner[str(loc[0])][0], line, column
        return main_file, 1, 1

    checked = check_references(merged, complete=complete)
    checked_locs = {loc for loc, _message in checked}
    workshop: Workshop | None = None
    try:
        workshop = Workshop.model_validate(merged)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        found = pydantic_problems(
            exc, merged_root, None, model=Workshop, errors=errors, index=index
        )
        if found and isinstance(last := found[-1], MoreProblems):
            found.pop()
            problems.append(MoreProblems("", main_file, count=last.count))
        for pydantic_error, problem in zip(errors, found, strict=False):
            loc = tuple(pydantic_error.get("loc", ()))
            if loc in checked_locs or (loc[-1:] == ("[key]",) and loc[:-1] in checked_locs):
                continue  # the cross-check says it in the author's words
            if not complete and len(loc) == 1 and pydantic_error.get("type") == "missing":
                continue  # perhaps defined in the file that could not be read
            where, line, column = locate(loc)
            if (where, line) in surprising:
                continue  # already explained as a YAML 1.1 number
            problems.append(Problem(problem.message, where, line, column))

    for loc, message in checked:
        where, line, column = locate(loc)
        field = describe_location(loc, merged_root, index)
        problems.append(Problem(f"{field} : {message}" if field else message, where, line, column))
    if problems or workshop is None:
        raise _content_error(folder, problems)
    remember_content_folder(workshop, folder)
    return workshop


def main_file_of(folder: Path, files: list[Path]) -> Path:
    """Where a mistake that belongs to no section is reported: workshop.yaml if there is one."""
    return folder / "workshop.yaml" if (folder / "workshop.yaml").exists() else files[0]


def _content_error(folder: Path, problems: list[Problem]) -> ContentError:
    count = sum(p.count if isinstance(p, MoreProblems) else 1 for p in problems)
    plural = "problème" if count == 1 else "problèmes"
    return ContentError(
        f"L'atelier {folder} ne peut pas être utilisé tel quel : {french_count(count)} "
        f"{plural} à corriger "
        "(fichier:ligne:colonne). Le guide content/README.md décrit chaque champ.",
        problems=sorted(
            problems, key=lambda p: (p.path is not None, str(p.path), p.line or 0, p.column or 0)
        ),
    )


_content_folders: dict[int, tuple[Workshop, Path]] = {}
"""The folder each loaded workshop was read from, by workshop object."""


def remember_content_folder(workshop: Workshop, folder: Path) -> None:
    """Record where ``workshop`` was read from (a new session stores it)."""
    _content_folders[id(workshop)] = (workshop, folder.resolve())


def content_folder(workshop: Workshop) -> Path | None:
    """The absolute folder ``workshop`` was loaded from, if it was loaded from one."""
    known = _content_folders.get(id(workshop))
    return known[1] if known is not None and known[0] is workshop else None


def resolve_session_content(argument: str | None, record: SessionRecord) -> Path:
    """The workshop folder to open a saved session with: ``--content`` when given, else the
    folder the session recorded, else the bundled workshop of the same id."""
    if argument:
        return Path(argument)
    recorded = Path(record.content_dir) if record.content_dir else None
    if recorded is not None and recorded.is_dir():
        return recorded
    try:
        return resolve_content_dir(None, record.workshop_id)
    except ContentError:
        if recorded is None:
            raise
    raise ContentError(
        f"La session « {record.name} » a été faite avec l'atelier du dossier {recorded}, "
        "introuvable aujourd'hui (déplacé, renommé ou sur un disque débranché ?). Donnez son "
        "dossier actuel : --content DOSSIER_ATELIER pour review et export, "
        f"« atelier run DOSSIER_ATELIER --session {record.name} » pour la reprendre."
    )


def content_change_notice(workshop: Workshop, record: SessionRecord, folder: Path) -> str | None:
    """A French warning when the workshop changed since the session was made, else None."""
    if not record.content_hash or record.content_hash == content_hash(workshop):
        return None
    return (
        f"Attention : l'atelier {folder} a été modifié depuis la session « {record.name} » "
        "(son empreinte a changé) ; la session est montrée avec la version actuelle. Les "
        "étapes, critères ou questions retirés depuis n'y apparaissent plus."
    )


_content_hashes: dict[int, tuple[Workshop, str]] = {}
"""Fingerprints already computed (or read from the content cache), by workshop object."""


def content_hash(workshop: Workshop) -> str:
    """A short fingerprint of the content a session ran on (to notice later edits)."""
    known = _content_hashes.get(id(workshop))
    if known is not None and known[0] is workshop:
        return known[1]
    digest = hashlib.sha256(_hashed_dump(workshop).encode("utf-8")).hexdigest()
    fingerprint = f"sha256:{digest[:16]}"
    remember_content_hash(workshop, fingerprint)
    return fingerprint


_LABELS_ADDED_LATER = ("axes_heading", "progress_label", "pitch_prep_heading")


def _hashed_dump(workshop: Workshop) -> str:
    """The workshop as hashed: fields added after sessions were first saved are left out
    while they keep their default, so a workshop that does not use them keeps its hash."""
    assessment = workshop.assessment
    if assessment is None:
        return workshop.model_dump_json()
    fields = type(assessment).model_fields
    unchanged = {
        name for name in _LABELS_ADDED_LATER if getattr(assessment, name) == fields[name].default
    }
    return workshop.model_dump_json(exclude={"assessment": unchanged} if unchanged else None)


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
