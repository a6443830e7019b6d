"""Checks across fields of a workshop's content, the mistakes a schema cannot see: duplicate ids,
references to pages, answers or levels that do not exist, times out of order, a step without
its section. They return ``(location, message)`` pairs that the loader maps to
``file:line:col``.
"""

import unicodedata
from datetime import time
from typing import Any

from atelier.domain.content_base import Location, parse_clock_time
from atelier.domain.content_base import format_clock_time as _hhmm
from atelier.domain.content_quiz import RESERVED_ANSWER_KEYS

# ---------------------------------------------------------------------------------------------
# Checks across fields, on data that may not have validated: they run on the author's data as
# read, so a wrong descriptor in the grid is reported in the same run as a typo in the
# programme. Anything of the wrong type is skipped here (validation reports it).


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _fields(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _clock(value: Any) -> time | None:
    try:
        parsed = parse_clock_time(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, time) else None


def _fold(text: str) -> str:
    """Case and accents aside: « Pas forcément » and « PAS FORCEMENT » are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def check_references(data: dict[str, Any], *, complete: bool = True) -> list[tuple[Location, str]]:
    """Every cross-field mistake in a workshop's data: duplicate ids, references to pages,
    answers or levels that do not exist, times out of order, a step without its section.

    ``data`` is the merged content as read (or a validated workshop dumped). With
    ``complete=False`` (a file of the workshop could not be read), checks that need a section
    that may live in that file are left out."""
    problems: list[tuple[Location, str]] = []
    programme = [_fields(step) for step in _items(data.get("programme"))]
    slides = [_fields(slide) for slide in _items(data.get("slides"))]
    known_slides = {i for i in (_text(slide.get("id")) for slide in slides) if i}
    problems += _unique_ids([_text(s.get("id")) for s in programme], ("programme",), "étape")
    problems += _unique_ids([_text(s.get("id")) for s in slides], ("slides",), "page")

    def slide_refs(refs: Any, where: Location) -> list[tuple[Location, str]]:
        if not complete and not known_slides:
            return []
        return [
            (
                where + (index,),
                f"page « {ref} » introuvable ; pages définies : "
                f"{', '.join(sorted(known_slides)) or 'aucune'}",
            )
            for index, ref in enumerate(_items(refs))
            if isinstance(ref, str) and ref not in known_slides
        ]

    previous: time | None = None
    sections = {"quiz": "quiz", "assessment": "assessment", "pitch": "pitch"}
    for index, step in enumerate(programme):
        title = _text(step.get("title")) or _text(step.get("id")) or f"n° {index + 1}"
        start = _clock(step.get("start"))
        if start is not None:
            if previous is not None and start < previous:
                problems.append(
                    (
                        ("programme", index, "start"),
                        f"l'étape « {title} » commence à {_hhmm(start)}, avant "
                        f"l'étape précédente ({_hhmm(previous)}) ; remettez les horaires "
                        "dans l'ordre",
                    )
                )
            previous = start
        problems += slide_refs(step.get("intro"), ("programme", index, "intro"))
        problems += slide_refs(step.get("slides"), ("programme", index, "slides"))
        kind = step.get("kind")
        section = sections.get(str(kind)) if isinstance(kind, str) else None
        if complete and section and data.get(section) is None:
            problems.append(
                (
                    ("programme", index, "kind"),
                    f"l'étape « {title} » est de type {kind} mais le contenu n'a pas de "
                    f"section « {section}: » ; ajoutez-la ou changez le type",
                )
            )
        if complete and kind == "assessment" and data.get("grid") is None:
            problems.append(
                (
                    ("programme", index, "kind"),
                    "une étape assessment a besoin d'une grille (section « grid: »)",
                )
            )
    end = _clock(data.get("end"))
    if previous is not None and end is not None and end < previous:
        problems.append(
            (("end",), f"la fin ({_hhmm(end)}) est avant la dernière étape ({_hhmm(previous)})")
        )

    quiz = _fields(data.get("quiz"))
    if quiz:
        answers = [_fields(a) for a in _items(quiz.get("answers"))]
        answer_ids = [i for i in (_text(a.get("id")) for a in answers) if i]
        labels = {
            _text(a.get("id")) or "": _text(a.get("label")) or "" for a in answers if a.get("id")
        }
        shown = ", ".join(label for label in labels.values() if label)
        problems += _unique_ids(
            [_text(a.get("id")) for a in answers], ("quiz", "answers"), "réponse"
        )
        problems += _unique_ids(
            [_text(a.get("key")) for a in answers], ("quiz", "answers"), "touche", field="key"
        )
        items = [_fields(i) for i in _items(quiz.get("items"))]
        problems += _unique_ids([_text(i.get("id")) for i in items], ("quiz", "items"), "question")
        for index, answer in enumerate(answers):
            key = _text(answer.get("key"))
            if key in RESERVED_ANSWER_KEYS:
                problems.append(
                    (
                        ("quiz", "answers", index, "key"),
                        f"la touche « {key} » sert déjà à l'animateur ; choisissez "
                        "une autre lettre (réservées : "
                        f"{', '.join(sorted(RESERVED_ANSWER_KEYS))})",
                    )
                )
        for index, item in enumerate(items):
            written = _text(item.get("answer"))
            if written is not None and answer_ids and written not in answer_ids:
                problems.append(
                    (("quiz", "items", index, "answer"), _unknown_answer(written, labels, shown))
                )
            problems += slide_refs(item.get("slides"), ("quiz", "items", index, "slides"))

    grid = _fields(data.get("grid"))
    if grid:
        level_ids = [
            i for i in (_text(lv.get("id")) for lv in map(_fields, _items(grid.get("levels")))) if i
        ]
        problems += _unique_ids(
            [_text(_fields(lv).get("id")) for lv in _items(grid.get("levels"))],
            ("grid", "levels"),
            "niveau",
        )
        dimensions = [_fields(d) for d in _items(grid.get("dimensions"))]
        problems += _unique_ids(
            [_text(d.get("id")) for d in dimensions], ("grid", "dimensions"), "dimension"
        )
        level_labels = {
            _text(lv.get("id")) or "": _text(lv.get("label")) or ""
            for lv in map(_fields, _items(grid.get("levels")))
        }
        seen: set[str] = set()
        for d_index, dimension in enumerate(dimensions):
            for c_index, raw in enumerate(_items(dimension.get("criteria"))):
                criterion = _fields(raw)
                where: Location = ("grid", "dimensions", d_index, "criteria", c_index)
                criterion_id = _text(criterion.get("id"))
                name = _text(criterion.get("name")) or criterion_id or f"n° {c_index + 1}"
                if criterion_id in seen:
                    problems.append((where + ("id",), f"critère « {criterion_id} » en double"))
                if criterion_id:
                    seen.add(criterion_id)
                if not level_ids or not isinstance(criterion.get("descriptors"), dict):
                    continue
                descriptors = _fields(criterion.get("descriptors"))
                missing = [lv for lv in level_ids if lv not in descriptors]
                unknown = [lv for lv in descriptors if lv not in level_ids]
                if missing:
                    problems.append(
                        (
                            where + ("descriptors",),
                            f"le critère « {name} » n'a pas de descripteur pour "
                            f"{', '.join(missing)} ; il en faut un par niveau "
                            f"({', '.join(level_ids)})",
                        )
                    )
                for level_id in unknown:
                    problems.append(
                        (
                            where + ("descriptors", str(level_id)),
                            _unknown_level(str(level_id), level_labels, level_ids),
                        )
                    )

    assessment = _fields(data.get("assessment"))
    if assessment:
        problems += _unique_ids(
            [_text(_fields(p).get("id")) for p in _items(assessment.get("phases"))],
            ("assessment", "phases"),
            "phase",
        )
    pitch = _fields(data.get("pitch"))
    if pitch:
        problems += _unique_ids(
            [_text(_fields(c).get("id")) for c in _items(pitch.get("feedback_categories"))],
            ("pitch", "feedback_categories"),
            "catégorie",
        )
    return problems


def _unknown_level(written: str, labels: dict[str, str], level_ids: list[str]) -> str:
    """A descriptor for a level that does not exist, recognised when it is one written
    otherwise (its label, another case, accents)."""
    allowed = f"niveaux permis : {', '.join(level_ids)}"
    for level_id, label in labels.items():
        if level_id in level_ids and (
            _fold(written) == _fold(level_id) or (label and _fold(written) == _fold(label))
        ):
            return (
                f"niveau « {written} » : écrivez l'identifiant du niveau, « {level_id}: » "
                f"({allowed})"
            )
    return f"niveau « {written} » inconnu ; {allowed}"


def _unknown_answer(written: str, labels: dict[str, str], shown: str) -> str:
    """An answer that is not an answer id, recognised when it is one written otherwise."""
    allowed = f"valeurs permises : {', '.join(labels)} (affichées {shown})"
    for answer_id, label in labels.items():
        if written == label:
            return (
                f"« {written} » est le libellé affiché de la réponse « {answer_id} » ; "
                f"écrivez son identifiant : « answer: {answer_id} » ({allowed})"
            )
    for answer_id, label in labels.items():
        if _fold(written) == _fold(answer_id):
            return (
                f"réponse « {written} » : les identifiants s'écrivent en minuscules ; "
                f"écrivez « answer: {answer_id} » ({allowed})"
            )
        if label and _fold(written) == _fold(label):
            return (
                f"« {written} » est le libellé affiché de la réponse « {answer_id} » ; "
                f"écrivez son identifiant : « answer: {answer_id} » ({allowed})"
            )
    return f"réponse « {written} » inconnue ; {allowed}"


def _unique_ids(
    ids: list[str | None], where: Location, what: str, field: str = "id"
) -> list[tuple[Location, str]]:
    problems = []
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value is None:
            continue
        if value in seen:
            problems.append(
                (
                    where + (index, field),
                    f"{what} « {value} » en double ; chaque {field} est unique",
                )
            )
        seen.add(value)
    return problems
