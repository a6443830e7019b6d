"""The workshop as data: what the facilitator wrote in ``content/``, frozen once loaded.

Nothing here knows about YAML or files. :func:`Workshop.cross_check` finds the mistakes a schema
cannot see (a reference to a slide that does not exist, an answer outside the answer set, …) and
returns them as ``(location, message)`` pairs that the loader maps to ``file:line:col``.
"""

# No « from __future__ import annotations » here: pydantic would then compile and evaluate
# every annotation string when the models are created, ~4 ms more on each start.

import datetime as dt
import re
import unicodedata
from datetime import time
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    WithJsonSchema,
)

Location = tuple[str | int, ...]

RESERVED_ANSWER_KEYS = frozenset("ghjkrstw0")
"""Keys the facilitator's screens already use: an answer key must be another one."""
_RESERVED_KEYS_JSON: list[JsonValue] = [*sorted(RESERVED_ANSWER_KEYS)]

_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
TIME_RULE = 'heures 0–23, minutes 00–59, écrites "14h15"'
_TIME_PATTERN = re.compile(r"^\s*(\d{1,2})\s*(?:h|:)\s*(\d{2})?\s*$", re.IGNORECASE)


def _parse_clock_time(value: Any) -> Any:
    """Accept « 9h40 », « 09:40 », « 11h » (strings only: YAML reads 10:00 as 600)."""
    if isinstance(value, time):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError('une heure s\'écrit entre guillemets, comme « "9h40" »')
    if isinstance(value, int):
        # YAML 1.1 reads 10:00 as the sexagesimal number 600: give the author's text back.
        hours, minutes = divmod(value, 60)
        raise ValueError(
            f"YAML a lu {hours}:{minutes:02d} comme le nombre {value} ; mettez la valeur entre "
            f'guillemets : « "{hours}h{minutes:02d}" »'
        )
    match = _TIME_PATTERN.match(value)
    if not match:
        raise ValueError(
            f"heure « {value} » illisible : {TIME_RULE}, ou « 09:40 » ; entre guillemets"
        )
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"heure « {value} » impossible : {TIME_RULE}")
    return time(hours, minutes)


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("ce texte est vide")
    return value


Identifier = Annotated[
    str,
    Field(
        pattern=_ID_PATTERN,
        description="identifiant court : lettres minuscules sans accent, chiffres, - et _, "
        "sans espace (ex. « quiz-1 »)",
        examples=["quiz-1"],
    ),
]
Text = Annotated[str, AfterValidator(_non_blank), Field(min_length=1)]
ClockTime = Annotated[
    time,
    BeforeValidator(_parse_clock_time),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*([01]?\d|2[0-3])\s*[hH:]\s*([0-5]\d)?\s*$",
            "description": "heure de la journée entre guillemets : heures 0–23, minutes 00–59, "
            "écrites « 14h15 » ou « 14:15 »",
            "examples": ["9h40", "14:15"],
        }
    ),
]
Minutes = Annotated[
    float,
    Field(
        gt=0,
        le=24 * 60,
        description="durée en minutes, plus que 0 (2.5 = 2 min 30)",
        examples=[10],
    ),
]


def _doc(text: str) -> ConfigDict:
    """The settings of every content model, with the French description of the schema."""
    return ConfigDict(
        extra="forbid",
        frozen=True,
        strict=False,
        defer_build=True,
        json_schema_extra={"description": text},
    )


class ContentModel(BaseModel):
    model_config = _doc("")


# ---------------------------------------------------------------------------------------------
# Slides: everything the room reads that is not a quiz item or the grid.


class Definition(ContentModel):
    """A quoted definition with where it comes from."""

    model_config = _doc("Une définition citée, avec sa source.")

    text: Text = Field(description="la définition (Markdown)")
    source: Text = Field(description="d'où vient la définition", examples=["Loi ESS"])
    year: int | None = Field(None, description="année de la source", examples=[2014])
    intro: str | None = Field(None, description="phrase affichée avant la définition")


class Card(ContentModel):
    """A titled box, e.g. one cell of the innovation dimensions table."""

    model_config = _doc("Un encadré titré (par exemple une case d'un tableau).")

    title: Text = Field(description="titre de l'encadré")
    text: str = Field("", description="texte de l'encadré (Markdown)")


class Slide(ContentModel):
    """One info page. Every field but ``id`` and ``title`` is optional; they show in this order:
    ``text``, ``bullets``, ``numbered``, ``definitions``, ``cards``, ``people``, ``conclusion``,
    ``source``."""

    model_config = _doc(
        "Une page d'information. Ses champs s'affichent dans cet ordre : text, bullets, "
        "numbered, definitions, cards, people, conclusion, source."
    )

    id: Identifier
    title: Text = Field(description="titre de la page", examples=["Bienvenue"])
    subtitle: str | None = Field(None, description="sous-titre")
    text: str | None = Field(None, description="texte (Markdown)")
    bullets: tuple[Text, ...] = Field((), description="liste à puces")
    numbered: tuple[Text, ...] = Field((), description="liste numérotée")
    definitions: tuple[Definition, ...] = Field((), description="définitions citées")
    cards: tuple[Card, ...] = Field((), description="encadrés titrés")
    people: tuple[Text, ...] = Field((), description="personnes (une par ligne)")
    conclusion: str | None = Field(None, description="phrase de conclusion, en bas de page")
    source: str | None = Field(None, description="source, en petit en bas de page")


# ---------------------------------------------------------------------------------------------
# Quiz


class Answer(ContentModel):
    model_config = _doc("Une réponse possible du quiz.")

    id: Identifier
    label: Text = Field(description="ce que la salle voit", examples=["VRAI"])
    key: Annotated[str, Field(pattern=r"^[a-z0-9]$")] = Field(
        description="la touche que l'animateur presse pour compter une main : une lettre "
        "minuscule ou un chiffre, sauf g t s r j k w 0",
        examples=["v"],
        json_schema_extra={"not": {"enum": _RESERVED_KEYS_JSON}},
    )
    symbol: Text = Field(
        "●", description="forme affichée à côté du libellé (jamais la couleur seule)"
    )


class Need(ContentModel):
    """A social need with its figure, e.g. « CHÔMAGE DES JEUNES / Près de 24 % … »."""

    model_config = _doc("Un besoin social et son chiffre.")

    theme: Text = Field(description="le thème, en capitales", examples=["CHÔMAGE DES JEUNES"])
    text: Text = Field(description="le constat chiffré")
    source: str | None = Field(None, description="source du chiffre")


class Initiative(ContentModel):
    model_config = _doc("Une initiative qui répond à un besoin.")

    name: Text = Field(description="nom de l'initiative")
    description: Text = Field(description="ce qu'elle fait")


class Example(ContentModel):
    """A need and the initiatives that answer it (either may be absent)."""

    model_config = _doc("Un besoin et les initiatives qui y répondent (l'un ou l'autre).")

    need: Need | None = Field(None, description="le besoin")
    initiatives: tuple[Initiative, ...] = Field((), description="les initiatives")


class QuizItem(ContentModel):
    model_config = _doc("Une affirmation du quiz, sa bonne réponse et son explication.")

    id: Identifier
    statement: Text = Field(description="l'affirmation, affichée entre « »")
    answer: Identifier = Field(
        description="l'id de la bonne réponse (une des réponses de quiz.answers, pas son libellé)",
        examples=["vrai"],
    )
    explanation: str | None = Field(None, description="explication montrée à la révélation")
    examples_intro: str | None = Field(None, description="phrase avant les exemples")
    examples: tuple[Example, ...] = Field((), description="besoins et initiatives en exemple")
    slides: tuple[Identifier, ...] = Field(
        (), description="ids de pages montrées avec la révélation"
    )


class Quiz(ContentModel):
    model_config = _doc("Le quiz : les réponses possibles et les affirmations.")

    title: Text = Field(description="titre du quiz", examples=["VRAI / FAUX"])
    subtitle: str | None = Field(None, description="sous-titre")
    answers: tuple[Answer, ...] = Field(
        min_length=2, description="les réponses possibles (au moins 2), dans l'ordre affiché"
    )
    items: tuple[QuizItem, ...] = Field(min_length=1, description="les affirmations, dans l'ordre")

    def answer(self, answer_id: str) -> Answer:
        for answer in self.answers:
            if answer.id == answer_id:
                return answer
        raise KeyError(answer_id)

    def item(self, item_id: str) -> QuizItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


# ---------------------------------------------------------------------------------------------
# Characterisation grid


class Level(ContentModel):
    model_config = _doc("Un niveau de la grille, du plus faible au plus fort.")

    id: Identifier
    label: Text = Field(description="nom affiché du niveau", examples=["Faible"])


class Criterion(ContentModel):
    model_config = _doc("Un critère de la grille, décrit à chaque niveau.")

    id: Identifier
    name: Text = Field(description="nom du critère")
    descriptors: dict[Identifier, Text] = Field(
        description="pour chaque id de niveau (grid.levels), ce à quoi ce niveau ressemble ; "
        "un par niveau"
    )


class Dimension(ContentModel):
    model_config = _doc("Un groupe de critères de la grille.")

    id: Identifier
    name: Text = Field(description="nom de la dimension", examples=["Portage"])
    criteria: tuple[Criterion, ...] = Field(min_length=1, description="ses critères")


class Grid(ContentModel):
    model_config = _doc("La grille de caractérisation : niveaux, dimensions, critères.")

    title: Text = Field(description="titre de la grille")
    source: str | None = Field(None, description="source de la grille")
    levels: tuple[Level, ...] = Field(
        min_length=2, description="les niveaux (au moins 2), du plus faible au plus fort"
    )
    dimensions: tuple[Dimension, ...] = Field(min_length=1, description="les dimensions")

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for d in self.dimensions for c in d.criteria)

    def level_index(self, level_id: str) -> int:
        for index, level in enumerate(self.levels):
            if level.id == level_id:
                return index
        raise KeyError(level_id)


# ---------------------------------------------------------------------------------------------
# Timed activities


class Prompt(ContentModel):
    model_config = _doc("Une question guide d'une phase.")

    id: Identifier = Field(description="repère court affiché devant la question", examples=["a"])
    text: Text = Field(description="la question")


class Phase(ContentModel):
    model_config = _doc("Un temps minuté du travail individuel.")

    id: Identifier
    name: Text = Field(description="nom court affiché", examples=["S'autoévaluer"])
    minutes: Minutes
    instructions: Text = Field(description="la consigne de ce temps")
    prompts: tuple[Prompt, ...] = Field(
        (),
        description="questions guides ; celles de la dernière phase sont les questions "
        "de préparation du pitch",
    )
    warning_seconds: Annotated[int, Field(ge=0)] = Field(
        60, description="avertissement avant la fin, en secondes"
    )


DEFAULT_AXES_HEADING = "Axes d'amélioration"
DEFAULT_PROGRESS_LABEL = "marge de progression"
DEFAULT_PITCH_PREP_HEADING = "Préparation du pitch"


class Assessment(ContentModel):
    """Sequence 2's individual work on the grid."""

    model_config = _doc("Le travail individuel sur la grille, en phases minutées.")

    title: Text = Field(description="titre")
    instructions: str | None = Field(None, description="consigne générale")
    phases: tuple[Phase, ...] = Field(min_length=1, description="les temps, dans l'ordre")
    axes_heading: Text = Field(
        DEFAULT_AXES_HEADING,
        description="titre du texte libre de chaque projet (grille, profil, relecture, rapports)",
        examples=[DEFAULT_AXES_HEADING, "Deux axes de progrès"],
    )
    progress_label: Text = Field(
        DEFAULT_PROGRESS_LABEL,
        description="ce que veut dire la marque ✚ sur un critère (touche m), en minuscules",
        examples=[DEFAULT_PROGRESS_LABEL, "à creuser"],
    )
    pitch_prep_heading: Text = Field(
        DEFAULT_PITCH_PREP_HEADING,
        description="titre des réponses aux questions de la dernière phase",
        examples=[DEFAULT_PITCH_PREP_HEADING],
    )


class FeedbackCategory(ContentModel):
    model_config = _doc("Une rubrique de retours notée pendant l'échange.")

    id: Identifier
    label: Text = Field(description="nom affiché de la rubrique", examples=["Conseils"])


class PitchRules(ContentModel):
    model_config = _doc("Les règles du tour de pitchs.")

    title: Text = Field(description="titre")
    instructions: str | None = Field(None, description="la consigne")
    pitch_minutes: Minutes = Field(description="durée du pitch, en minutes", examples=[2])
    exchange_minutes: Minutes = Field(
        description="durée de l'échange après chaque pitch, en minutes", examples=[15]
    )
    pitch_warning_seconds: Annotated[int, Field(ge=0)] = Field(
        30, description="avertissement avant la fin du pitch, en secondes"
    )
    exchange_warning_seconds: Annotated[int, Field(ge=0)] = Field(
        120, description="avertissement avant la fin de l'échange, en secondes"
    )
    pitch_prompts: tuple[Text, ...] = Field((), description="ce que chaque porteur présente")
    feedback_categories: tuple[FeedbackCategory, ...] = Field(
        min_length=1, description="rubriques de retours (au moins 1)"
    )


# ---------------------------------------------------------------------------------------------
# Programme and workshop


class StepKind(StrEnum):
    INFO = "info"
    QUIZ = "quiz"
    ASSESSMENT = "assessment"
    PITCH = "pitch"
    PAUSE = "pause"
    CLOSING = "closing"


class Step(ContentModel):
    model_config = _doc("Une étape minutée du programme.")

    id: Identifier
    number: int | None = Field(
        None, description="numéro affiché dans le programme ; aucun pour une pause"
    )
    title: Text = Field(description="titre de l'étape")
    start: ClockTime
    kind: StepKind = Field(
        description="info : des pages ; quiz : le quiz ; assessment : le travail sur la "
        "grille ; pitch : le tour de pitchs ; pause : un compte à rebours ; closing : la "
        "clôture"
    )
    intro: tuple[Identifier, ...] = Field(
        (), description="ids des pages montrées avant l'activité de l'étape"
    )
    slides: tuple[Identifier, ...] = Field(
        (), description="ids des pages montrées dans l'étape (après son activité)"
    )
    pause_minutes: Minutes | None = Field(
        None, description="pour une pause : sa durée (par défaut jusqu'à l'étape suivante)"
    )


class Resource(ContentModel):
    model_config = _doc("Une ressource complémentaire.")

    title: Text = Field(description="titre")
    url: str | None = Field(None, description="adresse web")
    note: str | None = Field(None, description="remarque")


class Contact(ContentModel):
    model_config = _doc("La personne à contacter.")

    name: Text = Field(description="nom")
    organisation: str | None = Field(None, description="structure")
    email: str | None = Field(None, description="adresse électronique")


class Licence(ContentModel):
    model_config = _doc("La licence du contenu.")

    name: Text = Field(description="nom de la licence", examples=["CC BY-SA 4.0"])
    url: str | None = Field(None, description="adresse du texte de la licence")
    attribution: Text = Field(description="à qui attribuer le contenu")


class Workshop(ContentModel):
    model_config = _doc(
        "Un atelier : les clés de premier niveau d'un fichier. Un dossier d'atelier "
        "peut répartir ces clés entre plusieurs fichiers .yaml (chacune dans un seul)."
    )

    id: Identifier
    title: Text = Field(description="titre de l'atelier")
    subtitle: str | None = Field(None, description="sous-titre")
    date: dt.date | None = Field(None, description="jour de l'atelier, AAAA-MM-JJ")
    organiser: Text = Field(description="structure organisatrice")
    objectives: tuple[Text, ...] = Field((), description="objectifs de l'atelier")
    programme: tuple[Step, ...] = Field(
        min_length=1, description="les étapes minutées, dans l'ordre des heures"
    )
    end: ClockTime
    slides: tuple[Slide, ...] = Field((), description="les pages d'information")
    quiz: Quiz | None = Field(None, description="le quiz (si une étape est de type quiz)")
    grid: Grid | None = Field(None, description="la grille (avec une étape assessment)")
    assessment: Assessment | None = Field(
        None, description="le travail individuel (avec une étape assessment)"
    )
    pitch: PitchRules | None = Field(None, description="le pitch (avec une étape pitch)")
    resources: tuple[Resource, ...] = Field((), description="ressources complémentaires")
    contact: Contact | None = Field(None, description="la personne à contacter")
    licence: Licence | None = Field(None, description="la licence du contenu")

    # -- the workshop's own words (defaults: the bundled workshop's) --------------------------

    @property
    def axes_heading(self) -> str:
        """Heading of each project's free text (« Axes d'amélioration »)."""
        return self.assessment.axes_heading if self.assessment else DEFAULT_AXES_HEADING

    @property
    def progress_label(self) -> str:
        """What the ✚ mark on a criterion means (« marge de progression »)."""
        return self.assessment.progress_label if self.assessment else DEFAULT_PROGRESS_LABEL

    @property
    def pitch_prep_heading(self) -> str:
        """Heading of the answers to the last phase's prompts (« Préparation du pitch »)."""
        if self.assessment is None:
            return DEFAULT_PITCH_PREP_HEADING
        return self.assessment.pitch_prep_heading

    # -- lookups ---------------------------------------------------------------------------

    def slide(self, slide_id: str) -> Slide:
        for slide in self.slides:
            if slide.id == slide_id:
                return slide
        raise KeyError(slide_id)

    def step(self, step_id: str) -> Step:
        for step in self.programme:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def step_index(self, step_id: str) -> int:
        return [s.id for s in self.programme].index(step_id)

    def planned_minutes(self, step_id: str) -> float:
        """Planned length of a step: up to the next step's start (or the workshop's end)."""
        index = self.step_index(step_id)
        start = self.programme[index].start
        stop = self.programme[index + 1].start if index + 1 < len(self.programme) else self.end
        return (_minutes_of_day(stop) - _minutes_of_day(start)) or 0.0

    # -- checks a schema cannot express ------------------------------------------------------

    def cross_check(self) -> list[tuple[Location, str]]:
        """The mistakes a schema cannot see (see :func:`check_references`)."""
        return check_references(self.model_dump())


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
        parsed = _parse_clock_time(value)
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


def _minutes_of_day(moment: time) -> float:
    return moment.hour * 60 + moment.minute


def _hhmm(moment: time) -> str:
    return f"{moment.hour}h{moment.minute:02d}"


def format_clock_time(moment: time) -> str:
    """« 9h40 », the way the deck writes times."""
    return _hhmm(moment)
