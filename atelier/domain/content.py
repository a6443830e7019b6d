"""The workshop as data: what the facilitator wrote in ``content/``, frozen once loaded.

Nothing here knows about YAML or files. :func:`Workshop.cross_check` finds the mistakes a schema
cannot see (a reference to a slide that does not exist, an answer outside the answer set, …) and
returns them as ``(location, message)`` pairs that the loader maps to ``file:line:col``.
"""

# No « from __future__ import annotations » here: pydantic would then compile and evaluate
# every annotation string when the models are created, ~4 ms more on each start.

import datetime as dt
import re
from datetime import time
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

Location = tuple[str | int, ...]

RESERVED_ANSWER_KEYS = frozenset("ghjkrstw0")
"""Keys the facilitator's screens already use: an answer key must be another one."""

_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
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
        raise ValueError(f"heure « {value} » illisible ; écrivez-la comme « 9h40 » ou « 09:40 »")
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"heure « {value} » impossible")
    return time(hours, minutes)


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("ce texte est vide")
    return value


Identifier = Annotated[
    str,
    Field(
        pattern=_ID_PATTERN,
        description="short id: lowercase letters, digits, - and _ (e.g. `quiz-1`)",
    ),
]
Text = Annotated[str, AfterValidator(_non_blank)]
ClockTime = Annotated[time, BeforeValidator(_parse_clock_time)]
Minutes = Annotated[float, Field(gt=0, le=24 * 60)]


class ContentModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, defer_build=True)


# ---------------------------------------------------------------------------------------------
# Slides: everything the room reads that is not a quiz item or the grid.


class Definition(ContentModel):
    """A quoted definition with where it comes from."""

    text: Text
    source: Text
    year: int | None = None
    intro: str | None = None  # e.g. « Est considéré comme relevant de l'innovation sociale … »


class Card(ContentModel):
    """A titled box, e.g. one cell of the innovation dimensions table."""

    title: Text
    text: str = ""


class Slide(ContentModel):
    """One info page. Every field but ``id`` and ``title`` is optional; they show in this order:
    ``text``, ``bullets``, ``numbered``, ``definitions``, ``cards``, ``people``, ``conclusion``,
    ``source``."""

    id: Identifier
    title: Text
    subtitle: str | None = None
    text: str | None = None
    bullets: tuple[Text, ...] = ()
    numbered: tuple[Text, ...] = ()
    definitions: tuple[Definition, ...] = ()
    cards: tuple[Card, ...] = ()
    people: tuple[Text, ...] = ()
    conclusion: str | None = None
    source: str | None = None


# ---------------------------------------------------------------------------------------------
# Quiz


class Answer(ContentModel):
    id: Identifier
    label: Text  # what the room sees: « VRAI »
    key: Annotated[str, Field(pattern=r"^[a-z0-9]$")]  # the key the facilitator presses
    symbol: Text = "●"  # shape cue shown beside the label on reveal (never colour alone)


class Need(ContentModel):
    """A social need with its figure, e.g. « CHÔMAGE DES JEUNES / Près de 24 % … »."""

    theme: Text
    text: Text
    source: str | None = None


class Initiative(ContentModel):
    name: Text
    description: Text


class Example(ContentModel):
    """A need and the initiatives that answer it (either may be absent)."""

    need: Need | None = None
    initiatives: tuple[Initiative, ...] = ()


class QuizItem(ContentModel):
    id: Identifier
    statement: Text
    answer: Identifier  # an id from ``quiz.answers``
    explanation: str | None = None
    examples_intro: str | None = None
    examples: tuple[Example, ...] = ()
    slides: tuple[Identifier, ...] = ()  # slides shown with the reveal (e.g. a table)


class Quiz(ContentModel):
    title: Text
    subtitle: str | None = None
    answers: tuple[Answer, ...] = Field(min_length=2)
    items: tuple[QuizItem, ...] = Field(min_length=1)

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
    id: Identifier
    label: Text


class Criterion(ContentModel):
    id: Identifier
    name: Text
    descriptors: dict[Identifier, Text]  # level id → what that level looks like


class Dimension(ContentModel):
    id: Identifier
    name: Text
    criteria: tuple[Criterion, ...] = Field(min_length=1)


class Grid(ContentModel):
    title: Text
    source: str | None = None
    levels: tuple[Level, ...] = Field(min_length=2)
    dimensions: tuple[Dimension, ...] = Field(min_length=1)

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
    id: Identifier  # « a », « b », « c »
    text: Text


class Phase(ContentModel):
    id: Identifier
    name: Text
    minutes: Minutes
    instructions: Text
    prompts: tuple[Prompt, ...] = ()
    warning_seconds: Annotated[int, Field(ge=0)] = 60


class Assessment(ContentModel):
    """Sequence 2's individual work on the grid."""

    title: Text
    instructions: str | None = None
    phases: tuple[Phase, ...] = Field(min_length=1)


class FeedbackCategory(ContentModel):
    id: Identifier
    label: Text


class PitchRules(ContentModel):
    title: Text
    instructions: str | None = None
    pitch_minutes: Minutes
    exchange_minutes: Minutes
    pitch_warning_seconds: Annotated[int, Field(ge=0)] = 30
    exchange_warning_seconds: Annotated[int, Field(ge=0)] = 120
    pitch_prompts: tuple[Text, ...] = ()
    feedback_categories: tuple[FeedbackCategory, ...] = Field(min_length=1)


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
    id: Identifier
    number: int | None = None  # the sequence number shown in the programme; none for a pause
    title: Text
    start: ClockTime
    kind: StepKind
    intro: tuple[Identifier, ...] = ()  # pages shown before the step's activity (quiz …)
    slides: tuple[Identifier, ...] = ()  # pages shown in this step (after its activity)
    pause_minutes: Minutes | None = None  # for kind: pause (default: until the next step)


class Resource(ContentModel):
    title: Text
    url: str | None = None
    note: str | None = None


class Contact(ContentModel):
    name: Text
    organisation: str | None = None
    email: str | None = None


class Licence(ContentModel):
    name: Text
    url: str | None = None
    attribution: Text


class Workshop(ContentModel):
    id: Identifier
    title: Text
    subtitle: str | None = None
    date: dt.date | None = None
    organiser: Text
    objectives: tuple[Text, ...] = ()
    programme: tuple[Step, ...] = Field(min_length=1)
    end: ClockTime
    slides: tuple[Slide, ...] = ()
    quiz: Quiz | None = None
    grid: Grid | None = None
    assessment: Assessment | None = None
    pitch: PitchRules | None = None
    resources: tuple[Resource, ...] = ()
    contact: Contact | None = None
    licence: Licence | None = None

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
        problems: list[tuple[Location, str]] = []
        problems += _unique_ids([s.id for s in self.programme], ("programme",), "étape")
        problems += _unique_ids([s.id for s in self.slides], ("slides",), "page")

        previous: time | None = None
        for index, step in enumerate(self.programme):
            if previous is not None and step.start < previous:
                problems.append(
                    (
                        ("programme", index, "start"),
                        f"l'étape « {step.title} » commence à {_hhmm(step.start)}, avant "
                        f"l'étape précédente ({_hhmm(previous)}) ; remettez les horaires "
                        "dans l'ordre",
                    )
                )
            previous = step.start
            problems += self._check_slide_refs(step.intro, ("programme", index, "intro"))
            problems += self._check_slide_refs(step.slides, ("programme", index, "slides"))
            needs = {
                StepKind.QUIZ: ("quiz", self.quiz),
                StepKind.ASSESSMENT: ("assessment", self.assessment),
                StepKind.PITCH: ("pitch", self.pitch),
            }.get(step.kind)
            if needs and needs[1] is None:
                problems.append(
                    (
                        ("programme", index, "kind"),
                        f"l'étape « {step.title} » est de type {step.kind.value} mais le "
                        f"contenu n'a pas de section « {needs[0]}: » ; ajoutez-la ou changez "
                        "le type",
                    )
                )
            if step.kind == StepKind.ASSESSMENT and self.grid is None:
                problems.append(
                    (
                        ("programme", index, "kind"),
                        "une étape assessment a besoin d'une grille (section « grid: »)",
                    )
                )
        if previous is not None and self.end < previous:
            problems.append(
                (
                    ("end",),
                    f"la fin ({_hhmm(self.end)}) est avant la dernière étape ({_hhmm(previous)})",
                )
            )

        if self.quiz is not None:
            answer_ids = [a.id for a in self.quiz.answers]
            allowed = ", ".join(a.label for a in self.quiz.answers)
            problems += _unique_ids(answer_ids, ("quiz", "answers"), "réponse")
            problems += _unique_ids(
                [a.key for a in self.quiz.answers], ("quiz", "answers"), "touche", field="key"
            )
            problems += _unique_ids([i.id for i in self.quiz.items], ("quiz", "items"), "question")
            for index, answer in enumerate(self.quiz.answers):
                if answer.key in RESERVED_ANSWER_KEYS:
                    problems.append(
                        (
                            ("quiz", "answers", index, "key"),
                            f"la touche « {answer.key} » sert déjà à l'animateur ; choisissez "
                            "une autre lettre (réservées : "
                            f"{', '.join(sorted(RESERVED_ANSWER_KEYS))})",
                        )
                    )
            for index, item in enumerate(self.quiz.items):
                if item.answer not in answer_ids:
                    problems.append(
                        (
                            ("quiz", "items", index, "answer"),
                            f"réponse « {item.answer} » inconnue ; valeurs permises : "
                            f"{', '.join(answer_ids)} (affichées {allowed})",
                        )
                    )
                problems += self._check_slide_refs(item.slides, ("quiz", "items", index, "slides"))

        if self.grid is not None:
            level_ids = [level.id for level in self.grid.levels]
            problems += _unique_ids(level_ids, ("grid", "levels"), "niveau")
            problems += _unique_ids(
                [d.id for d in self.grid.dimensions], ("grid", "dimensions"), "dimension"
            )
            seen: set[str] = set()
            for d_index, dimension in enumerate(self.grid.dimensions):
                for c_index, criterion in enumerate(dimension.criteria):
                    where: Location = ("grid", "dimensions", d_index, "criteria", c_index)
                    if criterion.id in seen:
                        problems.append((where + ("id",), f"critère « {criterion.id} » en double"))
                    seen.add(criterion.id)
                    missing = [lv for lv in level_ids if lv not in criterion.descriptors]
                    unknown = [lv for lv in criterion.descriptors if lv not in level_ids]
                    if missing:
                        problems.append(
                            (
                                where + ("descriptors",),
                                f"le critère « {criterion.name} » n'a pas de descripteur pour "
                                f"{', '.join(missing)} ; il en faut un par niveau "
                                f"({', '.join(level_ids)})",
                            )
                        )
                    for level_id in unknown:
                        problems.append(
                            (
                                where + ("descriptors", level_id),
                                f"niveau « {level_id} » inconnu ; niveaux permis : "
                                f"{', '.join(level_ids)}",
                            )
                        )

        if self.assessment is not None:
            problems += _unique_ids(
                [p.id for p in self.assessment.phases], ("assessment", "phases"), "phase"
            )
        if self.pitch is not None:
            problems += _unique_ids(
                [c.id for c in self.pitch.feedback_categories],
                ("pitch", "feedback_categories"),
                "catégorie",
            )
        return problems

    def _check_slide_refs(
        self, refs: tuple[str, ...], where: Location
    ) -> list[tuple[Location, str]]:
        known = {s.id for s in self.slides}
        return [
            (
                where + (index,),
                f"page « {ref} » introuvable ; pages définies : "
                f"{', '.join(sorted(known)) or 'aucune'}",
            )
            for index, ref in enumerate(refs)
            if ref not in known
        ]


def _unique_ids(
    ids: list[str], where: Location, what: str, field: str = "id"
) -> list[tuple[Location, str]]:
    problems = []
    seen: set[str] = set()
    for index, value in enumerate(ids):
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
