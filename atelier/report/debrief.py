"""The facilitator's debrief: what ran over, what the room found hard, and a plan for next time.

Built from one session (``atelier export --animateur``) or from every session of a workshop
(``atelier bilan``), with the earlier sessions of the same workshop as history. Pure: the
records come from the caller (the store reads them).

**Suggested durations** (documented in the README): for each step of the programme, the time
actually spent in it — all its visits added up — in each session of the history that entered
and left it; the suggestion is the *median* of those times, rounded to the nearest 5 minutes
(halves up), never less than 5 minutes. A step no session measured keeps its planned length.
The **suggested programme** starts at the first step's planned time and puts each step after
the previous one's suggested duration; its end is the last step's start plus its duration.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date, time

from atelier.domain.content import Workshop
from atelier.domain.content_programme import Step
from atelier.domain.session import PitchStatus, SessionRecord
from atelier.report import model as m

ROUND_TO_MINUTES = 5
MIN_SUGGESTED_MINUTES = 5

# -- French strings -------------------------------------------------------------------------------

DEBRIEF_TITLE = "Bilan de l'animation"
BILAN_TITLE = "Bilan des sessions"
HEADING_SESSIONS = "Sessions prises en compte"
HEADING_STEPS = "Programme : prévu et réel, étape par étape"
HEADING_PHASES = "Travail sur la grille : dépassement par temps"
HEADING_PITCHES = "Pitchs : dépassement par projet"
HEADING_QUIZ = "Quiz : difficulté de chaque affirmation"
HEADING_SUGGESTED = "Pour la prochaine fois : durées et programme suggérés"
HEADING_CHART = "Prévu et réel (médiane), en minutes"
SUGGESTION_RULE = (
    "Durée suggérée : la médiane des durées réelles de l'étape dans {count} (cette session "
    "et les précédentes du même atelier), arrondie aux 5 minutes les plus proches, 5 minutes "
    "au moins ; une étape jamais mesurée garde sa durée prévue."
)
SUGGESTION_RULE_ALL = (
    "Durée suggérée : la médiane des durées réelles de l'étape dans {count}, arrondie aux "
    "5 minutes les plus proches, 5 minutes au moins ; une étape jamais mesurée garde sa durée "
    "prévue."
)
SESSIONS_COUNT = "{count} session"
SESSIONS_COUNT_PLURAL = "{count} sessions"
PITCHED = "{pitched} projet(s) sur {total} ont pitché."
NO_PITCH = "Aucun pitch enregistré."
NO_QUIZ = "Pas de quiz dans cet atelier."

CAPTION_SESSIONS = "Les sessions de l'atelier, de la plus ancienne à la plus récente"
CAPTION_STEPS = "Durées prévues et réelles, et durée suggérée"
CAPTION_PHASES = "Durée prévue, réelle et dépassement de chaque temps"
CAPTION_PITCHES = "Durée et dépassement du pitch et de l'échange"
CAPTION_QUIZ = "Part de bonnes réponses, de la plus difficile à la plus facile"
CAPTION_SUGGESTED = "Programme suggéré"

COL_SESSION = "Session"
COL_DAY = "Date"
COL_PITCHED = "Pitchs"
COL_END_DELTA = "Fin (écart)"
COL_THIS_SESSION = "Réel"
COL_MEDIAN = "Médiane"
COL_MEASURES = "Mesures"
COL_SUGGESTED = "Suggéré"
COL_PROJECT = "Projet"
COL_PITCH = "Pitch"
COL_PITCH_OVER = "Dépassement pitch"
COL_EXCHANGE = "Échange"
COL_EXCHANGE_OVER = "Dépassement échange"
COL_STATEMENT = "Affirmation"
COL_RIGHT = "Bonnes réponses"
COL_SHARE = "Part"
COL_START = "Début"
COL_DURATION = "Durée"
ROW_TOTAL = "Total"
CHART_PLANNED = "prévu"
CHART_ACTUAL = "réel "
CHART_UNKNOWN = "pas mesuré"


# -- the data -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepPlan:
    step: Step
    planned_minutes: float | None
    actual_minutes: float | None  # in the session debriefed (None in a bilan, or not measured)
    measures: tuple[float, ...]  # actual minutes in each session of the history that measured it
    suggested_minutes: int
    suggested_start: time

    @property
    def median_minutes(self) -> float | None:
        return statistics.median(self.measures) if self.measures else None


@dataclass(frozen=True, slots=True)
class SessionLine:
    name: str
    day: date
    pitched: int
    projects: int
    end_delta_minutes: int | None


@dataclass(frozen=True, slots=True)
class PitchLine:
    session: str
    project: str
    pitch: m.TimerRow | None
    exchange: m.TimerRow | None


@dataclass(frozen=True, slots=True)
class QuizLine:
    number: int
    statement: str
    right: int
    total: int

    @property
    def share(self) -> float | None:
        return self.right / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class Debrief:
    workshop: Workshop
    focus: SessionRecord | None  # the session debriefed; None for a bilan of all sessions
    sessions: tuple[SessionLine, ...]  # the history, oldest first
    steps: tuple[StepPlan, ...]
    suggested_end: time
    phases: tuple[m.TimerRow, ...]  # the focus session's, or the median over the history
    pitches: tuple[PitchLine, ...]
    pitched: int
    project_count: int
    quiz: tuple[QuizLine, ...]  # hardest first

    @property
    def title(self) -> str:
        return DEBRIEF_TITLE if self.focus is not None else BILAN_TITLE


def suggested_minutes(measures: list[float], planned: float | None) -> int:
    """The median of ``measures`` rounded to 5 minutes (halves up), at least 5; the planned
    length (rounded the same way) when nothing was measured."""
    base = statistics.median(measures) if measures else planned
    if base is None:
        return MIN_SUGGESTED_MINUTES
    rounded = math.floor(base / ROUND_TO_MINUTES + 0.5) * ROUND_TO_MINUTES
    return max(MIN_SUGGESTED_MINUTES, int(rounded))


def _add_minutes(moment: time, minutes: int) -> time:
    total = (moment.hour * 60 + moment.minute + minutes) % (24 * 60)
    return time(total // 60, total % 60)


def build_debrief(
    workshop: Workshop, history: list[SessionRecord], focus: SessionRecord | None = None
) -> Debrief:
    """The debrief of ``focus`` (with ``history``: the sessions of the same workshop, the focus
    among them or not), or the bilan of ``history`` when ``focus`` is None."""
    # One record per session name (the focus may also be in the history, loaded again).
    by_name = {r.name: r for r in history}
    if focus is not None:
        by_name[focus.name] = focus
    sessions = sorted(by_name.values(), key=lambda r: (m.session_day(r), r.created_at, r.name))
    if focus is not None:
        sessions = [r for r in sessions if r.created_at <= focus.created_at or r is focus]
    reports = {id(r): m.build_report(workshop, r, private=True) for r in sessions}
    scope = [focus] if focus is not None else sessions

    steps = []
    start = workshop.programme[0].start
    for index, step in enumerate(workshop.programme):
        measures = [
            row.actual_minutes
            for r in sessions
            if (row := reports[id(r)].programme[index]).actual_minutes is not None
        ]
        planned = workshop.planned_minutes(step.id) or None
        suggestion = suggested_minutes(measures, planned)
        focus_row = reports[id(focus)].programme[index] if focus is not None else None
        steps.append(
            StepPlan(
                step=step,
                planned_minutes=planned,
                actual_minutes=focus_row.actual_minutes if focus_row else None,
                measures=tuple(measures),
                suggested_minutes=suggestion,
                suggested_start=start,
            )
        )
        start = _add_minutes(start, suggestion)

    return Debrief(
        workshop=workshop,
        focus=focus,
        sessions=tuple(_session_line(reports[id(r)]) for r in sessions),
        steps=tuple(steps),
        suggested_end=start,
        phases=_phases([reports[id(r)] for r in scope]),
        pitches=tuple(line for r in scope for line in _pitch_lines(reports[id(r)])),
        pitched=sum(_pitched(r) for r in scope),
        project_count=sum(len(r.projects) for r in scope),
        quiz=_quiz([reports[id(r)] for r in scope]),
    )


def _pitched(record: SessionRecord) -> int:
    return sum(
        1
        for p in record.projects
        if p.pitch.status == PitchStatus.DONE or p.pitch.pitch_timer is not None
    )


def _session_line(report: m.Report) -> SessionLine:
    record = report.record
    return SessionLine(
        name=record.name,
        day=report.day,
        pitched=_pitched(record),
        projects=len(record.projects),
        end_delta_minutes=report.end.delta_minutes if report.end else None,
    )


def _phases(reports: list[m.Report]) -> tuple[m.TimerRow, ...]:
    if not reports or not reports[0].phases:
        return ()
    if len(reports) == 1:
        return reports[0].phases
    rows = []
    for index, first in enumerate(reports[0].phases):
        actual = [a for r in reports if (a := r.phases[index].actual_s)]
        over = [r.phases[index].overtime_s for r in reports if r.phases[index].actual_s]
        rows.append(
            m.TimerRow(
                label=first.label,
                planned_s=first.planned_s,
                actual_s=statistics.median(actual) if actual else None,
                overtime_s=statistics.median(over) if over else 0.0,
            )
        )
    return tuple(rows)


def _pitch_lines(report: m.Report) -> list[PitchLine]:
    lines = []
    for project in report.projects:
        timers = {row.label: row for row in project.pitch.timers}
        pitch, exchange = timers.get(m.PITCH_LABEL), timers.get(m.EXCHANGE_LABEL)
        if pitch is None and exchange is None:
            continue
        lines.append(PitchLine(report.record.name, project.project.name, pitch, exchange))
    return lines


def _quiz(reports: list[m.Report]) -> tuple[QuizLine, ...]:
    if not reports or not reports[0].quiz:
        return ()
    lines = []
    for index, first in enumerate(reports[0].quiz):
        rows = [r.quiz[index] for r in reports]
        lines.append(
            QuizLine(
                number=first.number,
                statement=first.item.statement,
                right=sum(row.right_count for row in rows),
                total=sum(row.total for row in rows),
            )
        )
    # Hardest first; statements without a count last, in their order.
    return tuple(sorted(lines, key=lambda q: (q.share is None, q.share or 0.0, q.number)))
