"""What a report shows, derived from (workshop, record) once; the renderers only lay it out.

Two audiences. The **participants' report** (the default) is safe to forward: it never holds
the facilitator's session notes nor any « Notes libres » field, nor the programme's timings.
``private=True`` (``atelier export --prive``, and the review screen) adds them back.

Pure: no file I/O, no Textual. Values stay raw (times, seconds, counts) and the ``format_*``
helpers below turn them into the French the reports print, so Markdown, HTML and the review
screen say the same thing the same way. Every French string of the reports lives here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from atelier.domain.assessment import CriterionSpread, ProjectProfile, project_profile, room_spread
from atelier.domain.content import Workshop
from atelier.domain.content_grid import (
    DEFAULT_AXES_HEADING,
    DEFAULT_PITCH_PREP_HEADING,
    DEFAULT_PROGRESS_LABEL,
    Grid,
)
from atelier.domain.content_programme import Step
from atelier.domain.content_quiz import QuizItem
from atelier.domain.programme import Programme
from atelier.domain.session import (
    PitchStatus,
    Project,
    SessionRecord,
    TallySource,
    TimerRecord,
)
from atelier.domain.wording import (  # the renderers format through this module
    format_clock,
    format_duration,
    format_lateness,
    format_minutes,
    format_shift,
    pitch_status,
)

__all__ = ["format_clock", "format_duration", "format_minutes"]  # re-exported for the renderers
from atelier.errors import BadInputError

# -- French strings of the reports -------------------------------------------------------------

REPORT_TITLE = "Compte rendu"
HEADING_QUIZ_EXAMPLES = "Exemples"
QUIZ_ITEM_CAPTION = "Réponses de la salle à l'affirmation {number}"
PROFILE_CAPTION = "{dimension} : niveau de chaque critère"
PROGRAMME_CAPTION = "Horaires prévus et réels, étape par étape"
TIMERS_CAPTION = "Durées prévues et réelles"
SPREAD_CAPTION = "Nombre de projets à chaque niveau, par critère"
HEADING_PROGRAMME = "Programme prévu / réel"
HEADING_QUIZ = "Résultats du quiz"
HEADING_PHASES = "Travail sur la grille : durée des temps"
HEADING_SPREAD = "La salle, critère par critère (les plus faibles d'abord)"
HEADING_PROJECTS = "Projets"
HEADING_PROFILE = "Profil"
HEADING_PITCH = "Pitch et échange"
HEADING_FEEDBACK = "Retours"
HEADING_FREE_NOTES = "Notes libres"
HEADING_FACILITATOR_NOTES = "Notes de l'animation"
HEADING_RESOURCES = "Ressources"
HEADING_CONTACT = "Contact"
HEADING_LICENCE = "Licence"

LABEL_SESSION = "Session"
LABEL_PRACTICE = "séance d'entraînement"
LABEL_DATE = "Date"
LABEL_ORGANISER = "Organisation"
LABEL_UPDATED = "Dernier enregistrement"
LABEL_CARRIERS = "Porteurs"
LABEL_PROJECT_COUNT = "Projets"
LABEL_SHIFT = "Horaires"
SHIFT_FACT = (
    "programme décalé de {shift} (séance commencée à {start}) ; "
    "écarts comptés sur ce programme décalé"
)

COL_NUMBER = "N°"
COL_STEP = "Étape"
COL_PLANNED_START = "Prévu"
COL_ACTUAL_START = "Réel"
COL_DELTA = "Écart"
COL_PLANNED_DURATION = "Durée prévue"
COL_ACTUAL_DURATION = "Durée réelle"
COL_OVERTIME = "Dépassement"
COL_TIMER = "Temps"
COL_CRITERION = "Critère"
COL_DIMENSION = "Dimension"
COL_LEVEL = "Niveau"
COL_COMMENT = "Commentaire"
COL_UNSCORED = "Non évalué"
COL_MEAN = "Moyenne"
COL_PROGRESS = "↗"  # marked criteria (the legend gives the workshop's word)
COL_ANSWER = "Réponse"
COL_COUNT = "Mains / votes"

END_ROW_TITLE = "Fin"
NOT_STARTED = "—"
EMPTY_TEXT = "—"
NO_NOTES = "(rien de noté)"
NOT_SCORED = "Non évalué"
UNKNOWN_LEVEL = "niveau inconnu de la grille : « {raw} »"
PROGRESS_MARK = "↗"
PROGRESS_LEGEND = "↗ = {label}"  # the label is the workshop's (Workshop.progress_label)
PROFILE_SUMMARY = "{scored} critères évalués sur {total} ; {progress} marqué(s) ↗"
SPREAD_NOTE = (
    "Nombre de projets à chaque niveau ; moyenne sur l'échelle de 1 ({first}) à {count} ({last}) ; "
    "↗ : projets qui ont marqué le critère « {label} »."
)
NO_PROJECTS = "Aucun projet saisi."
NO_SCORES = "Aucun critère évalué."

QUIZ_RIGHT_ANSWER = "Bonne réponse"
QUIZ_RIGHT_SHARE = "{percent} de bonnes réponses ({right} sur {total})"
QUIZ_NO_TALLY = "Pas de décompte"
QUIZ_NOT_PLAYED = "Question non jouée"
QUIZ_NOT_REVEALED = "réponse non dévoilée"
QUIZ_RIGHT_MARK = "(bonne réponse)"
TALLY_SOURCE_LABELS: dict[TallySource, str] = {
    TallySource.HANDS: "à main levée",
    TallySource.VOTES: "votes par téléphone",
}

PITCH_LABEL = "Pitch"
EXCHANGE_LABEL = "Échange"
PITCH_VOLUNTEER = "volontaire"
PITCH_ORDER = "passage n° {order}"

NO_OVERTIME = "—"
BAR_FULL = "■"
BAR_EMPTY = "□"

UNKNOWN_PROJECT = "projet « {key} » introuvable dans la session « {session} » ; projets : {known}"
UNKNOWN_PROJECT_NONE = "aucun"


# -- formatting ---------------------------------------------------------------------------------


def format_delta(minutes: int | None) -> str:
    """« +6 min », « −3 min », « à l'heure »; « — » when the step never started."""
    return NOT_STARTED if minutes is None else format_lateness(minutes)


def format_overtime(seconds: float) -> str:
    """« +23 s », « +1 min 10 s »; « — » when the timer ended in time."""
    return f"+{format_duration(seconds)}" if round(seconds) > 0 else NO_OVERTIME


def format_percent(share: float) -> str:
    """0.666 → « 67 % » (no-break space, as French writes it)."""
    return f"{round(share * 100)}\u00a0%"


def format_decimal(value: float) -> str:
    """2.25 → « 2,3 » (one decimal, French comma)."""
    return f"{value:.1f}".replace(".", ",")


def format_level_rank(index: int, count: int) -> str:
    """Position of a level on the grid's scale, 1-based: « 3/4 »."""
    return f"{index + 1}/{count}"


def format_level_bar(index: int | None, count: int) -> str:
    """A level drawn by length, for plain text: « ■■■□ » is level 3 of 4, « □□□□ » unscored."""
    filled = 0 if index is None else index + 1
    return BAR_FULL * filled + BAR_EMPTY * (count - filled)


def format_date(moment: datetime | None) -> str:
    if moment is None:
        return NOT_STARTED
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year} {format_clock(moment)}"


# -- the report, as data ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProgrammeRow:
    step: Step
    planned_start: time
    actual_start: datetime | None
    delta_minutes: int | None  # actual − planned start, rounded; None when never entered
    planned_minutes: float | None  # None for a step planned at the very end (no length)
    actual_minutes: float | None  # time spent in the step (all its visits), None if never left


@dataclass(frozen=True, slots=True)
class EndRow:
    planned: time
    actual: datetime | None  # when the last step of the log was closed
    delta_minutes: int | None


@dataclass(frozen=True, slots=True)
class AnswerCount:
    answer_id: str
    label: str
    symbol: str
    count: int
    right: bool


@dataclass(frozen=True, slots=True)
class QuizRow:
    item: QuizItem
    number: int  # 1-based
    right_label: str
    right_symbol: str
    counts: tuple[AnswerCount, ...]
    total: int
    right_count: int
    right_share: float | None  # None when no tally was taken
    source: TallySource | None
    played: bool
    revealed: bool


@dataclass(frozen=True, slots=True)
class TimerRow:
    label: str
    planned_s: float
    actual_s: float | None
    overtime_s: float


@dataclass(frozen=True, slots=True)
class PromptAnswer:
    prompt_id: str
    prompt_text: str
    answer: str


@dataclass(frozen=True, slots=True)
class FeedbackNote:
    category_id: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class PitchSummary:
    status: PitchStatus
    volunteer: bool
    order: int | None  # place in the pitch round, numbered from 1; None when not queued
    timers: tuple[TimerRow, ...]  # pitch, then exchange, when they ran
    notes: tuple[FeedbackNote, ...]  # one per feedback category of the content, then strays
    free_notes: str

    @property
    def status_label(self) -> str:
        return pitch_status(self.status).label

    @property
    def status_line(self) -> str:
        """« passé · volontaire · passage n° 2 » (plain text)."""
        parts = [self.status_label]
        if self.volunteer:
            parts.append(PITCH_VOLUNTEER)
        if self.order is not None:
            parts.append(PITCH_ORDER.format(order=self.order))
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class ProjectReport:
    project: Project
    profile: ProjectProfile | None  # None when the workshop has no grid
    improvement_axes: str
    pitch_prep: tuple[PromptAnswer, ...]
    pitch: PitchSummary
    # The workshop's own words for these (see Workshop.axes_heading …).
    axes_heading: str = DEFAULT_AXES_HEADING
    pitch_prep_heading: str = DEFAULT_PITCH_PREP_HEADING
    progress_label: str = DEFAULT_PROGRESS_LABEL

    @property
    def progress_legend(self) -> str:
        return PROGRESS_LEGEND.format(label=self.progress_label)

    def profile_summary(self, profile: ProjectProfile) -> str:
        return PROFILE_SUMMARY.format(
            scored=profile.scored_count,
            total=profile.criterion_count,
            progress=profile.progress_count,
        )

    @property
    def anchor(self) -> str:
        return f"projet-{self.project.id}"


@dataclass(frozen=True, slots=True)
class Report:
    workshop: Workshop
    record: SessionRecord
    single_project: bool  # the report for one project's carriers: no room-wide sections
    private: bool  # with the facilitator's notes, free notes and timings (never forwarded)
    day: date  # the day the session ran
    programme: tuple[ProgrammeRow, ...]
    end: EndRow | None
    quiz: tuple[QuizRow, ...]
    phases: tuple[TimerRow, ...]
    spread: tuple[CriterionSpread, ...]
    projects: tuple[ProjectReport, ...]
    facilitator_notes: str

    @property
    def grid(self) -> Grid | None:
        return self.workshop.grid

    @property
    def title(self) -> str:
        """The workshop's title, and the project's name in a one-project report (plain text:
        each renderer escapes it)."""
        title = self.workshop.title
        if self.single_project:
            title += " — " + self.projects[0].project.name
        return title

    @property
    def facts(self) -> list[tuple[str, str]]:
        """The header's (label, value) lines that have a value (plain text)."""
        workshop, record = self.workshop, self.record
        session = record.name
        if record.practice:
            session += f" ({LABEL_PRACTICE})"
        facts = [
            (LABEL_DATE, format_day(self.day)),
            (LABEL_ORGANISER, workshop.organiser.strip()),
            (LABEL_SESSION, session),
        ]
        if self.private:
            facts.append((LABEL_UPDATED, format_date(record.updated_at)))
        if not self.single_project:
            facts.append((LABEL_PROJECT_COUNT, str(len(self.projects))))
            shift = Programme(workshop, record).schedule_shift()
            if shift and record.step_log:
                start = format_clock(record.step_log[0].started_at)
                facts.append(
                    (LABEL_SHIFT, SHIFT_FACT.format(shift=format_shift(shift), start=start))
                )
        return [(label, value) for label, value in facts if value]


def resolve_project(record: SessionRecord, key: str) -> Project:
    """The project whose id is ``key`` — or, failing that, whose name is (case-insensitive)."""
    for project in record.projects:
        if project.id == key:
            return project
    folded = key.strip().casefold()
    for project in record.projects:
        if project.name.strip().casefold() == folded:
            return project
    known = ", ".join(f"{p.id} ({p.name})" for p in record.projects) or UNKNOWN_PROJECT_NONE
    raise BadInputError(UNKNOWN_PROJECT.format(key=key, session=record.name, known=known))


def session_day(record: SessionRecord) -> date:
    """The day the session ran: when its first step started (else when it was created)."""
    moment = record.step_log[0].started_at if record.step_log else record.created_at
    return moment.date()


def format_day(day: date) -> str:
    """« 02/06/2020 »."""
    return day.strftime("%d/%m/%Y")


def build_report(
    workshop: Workshop,
    record: SessionRecord,
    project: str | Project | None = None,
    *,
    private: bool = False,
) -> Report:
    """Everything a report shows. With ``project`` (a Project of the record, or its id or
    name), that project only and none of the room-wide sections (programme, quiz, spread,
    facilitator notes). Without ``private``, no free notes and no facilitator's notes."""
    day = session_day(record)
    ranks = pitch_ranks(record)
    if project is not None:
        chosen = project if isinstance(project, Project) else resolve_project(record, project)
        return Report(
            workshop=workshop,
            record=record,
            single_project=True,
            private=private,
            day=day,
            programme=(),
            end=None,
            quiz=(),
            phases=(),
            spread=(),
            projects=(_project_report(workshop, chosen, ranks, private),),
            facilitator_notes="",
        )
    return Report(
        workshop=workshop,
        record=record,
        single_project=False,
        private=private,
        day=day,
        programme=_programme(workshop, record),
        end=_end_row(workshop, record),
        quiz=_quiz(workshop, record),
        phases=_phases(workshop, record),
        spread=room_spread(workshop.grid, record.projects) if workshop.grid else (),
        projects=tuple(_project_report(workshop, p, ranks, private) for p in record.projects),
        facilitator_notes=record.facilitator_notes if private else "",
    )


def pitch_ranks(record: SessionRecord) -> dict[str, int]:
    """Project id → its place in the pitch round, numbered from 1 (the record stores an order
    that may start at 0 or have gaps)."""
    queued = [p for p in record.projects if p.pitch.order is not None]
    queued.sort(key=lambda p: (p.pitch.order or 0, record.projects.index(p)))
    return {p.id: rank for rank, p in enumerate(queued, start=1)}


# -- derivations --------------------------------------------------------------------------------


def _programme(workshop: Workshop, record: SessionRecord) -> tuple[ProgrammeRow, ...]:
    """Planned and actual starts; the gap is counted as live (``Programme.delay_minutes``:
    against the plan moved by the session's one schedule shift)."""
    programme = Programme(workshop, record)
    rows = []
    for step in workshop.programme:
        entries = [e for e in record.step_log if e.step_id == step.id]
        actual = entries[0].started_at if entries else None
        closed = [e for e in entries if e.ended_at is not None]
        spent = (
            sum((e.ended_at - e.started_at).total_seconds() for e in closed if e.ended_at) / 60
            if entries and len(closed) == len(entries)
            else None
        )
        rows.append(
            ProgrammeRow(
                step=step,
                planned_start=step.start,
                actual_start=actual,
                delta_minutes=programme.delay_minutes(step.start, actual) if actual else None,
                planned_minutes=workshop.planned_minutes(step.id) or None,
                actual_minutes=spent,
            )
        )
    return tuple(rows)


def _end_row(workshop: Workshop, record: SessionRecord) -> EndRow:
    last = record.step_log[-1] if record.step_log else None
    ended = last.ended_at if last else None
    programme = Programme(workshop, record)
    return EndRow(
        planned=workshop.end,
        actual=ended,
        delta_minutes=programme.delay_minutes(workshop.end, ended) if ended else None,
    )


def _quiz(workshop: Workshop, record: SessionRecord) -> tuple[QuizRow, ...]:
    if workshop.quiz is None:
        return ()
    answers = {a.id: a for a in workshop.quiz.answers}
    rows = []
    for number, item in enumerate(workshop.quiz.items, start=1):
        result = record.quiz.get(item.id)
        tally = result.tally if result else {}
        counts = [
            AnswerCount(a.id, a.label, a.symbol, tally.get(a.id, 0), a.id == item.answer)
            for a in workshop.quiz.answers
        ]
        # Answers the content no longer knows still count: the room raised those hands.
        counts += [
            AnswerCount(answer_id, answer_id, "", count, False)
            for answer_id, count in tally.items()
            if answer_id not in answers
        ]
        total = sum(c.count for c in counts)
        right_count = tally.get(item.answer, 0)
        right = answers.get(item.answer)
        rows.append(
            QuizRow(
                item=item,
                number=number,
                right_label=right.label if right else item.answer,
                right_symbol=right.symbol if right else "",
                counts=tuple(counts),
                total=total,
                right_count=right_count,
                right_share=right_count / total if total else None,
                source=result.source if result and total else None,
                played=result is not None,
                revealed=bool(result and result.revealed),
            )
        )
    return tuple(rows)


def _timer_row(label: str, timer: TimerRecord | None, planned_s: float) -> TimerRow:
    if timer is None:
        return TimerRow(label=label, planned_s=planned_s, actual_s=None, overtime_s=0.0)
    return TimerRow(
        label=label,
        planned_s=timer.duration_s,
        actual_s=timer.elapsed_s,
        overtime_s=timer.overtime_s,
    )


def _phases(workshop: Workshop, record: SessionRecord) -> tuple[TimerRow, ...]:
    if workshop.assessment is None:
        return ()
    return tuple(
        _timer_row(phase.name, record.phases.get(phase.id), phase.minutes * 60)
        for phase in workshop.assessment.phases
    )


def _pitch_prep(workshop: Workshop, project: Project) -> tuple[PromptAnswer, ...]:
    phases = workshop.assessment.phases if workshop.assessment else ()
    prompts = [prompt for phase in phases for prompt in phase.prompts]
    known = {p.id for p in prompts}
    answers = [PromptAnswer(p.id, p.text, project.pitch_prep.get(p.id, "")) for p in prompts]
    answers += [
        PromptAnswer(prompt_id, prompt_id, text)
        for prompt_id, text in project.pitch_prep.items()
        if prompt_id not in known
    ]
    return tuple(answers)


def _pitch(workshop: Workshop, project: Project, rank: int | None, private: bool) -> PitchSummary:
    record = project.pitch
    rules = workshop.pitch
    timers = []
    if record.pitch_timer is not None:
        planned = rules.pitch_minutes * 60 if rules else record.pitch_timer.duration_s
        timers.append(_timer_row(PITCH_LABEL, record.pitch_timer, planned))
    if record.exchange_timer is not None:
        planned = rules.exchange_minutes * 60 if rules else record.exchange_timer.duration_s
        timers.append(_timer_row(EXCHANGE_LABEL, record.exchange_timer, planned))
    categories = rules.feedback_categories if rules else ()
    known = {c.id for c in categories}
    notes = [FeedbackNote(c.id, c.label, record.notes.get(c.id, "")) for c in categories]
    notes += [
        FeedbackNote(category_id, category_id, text)
        for category_id, text in record.notes.items()
        if category_id not in known
    ]
    return PitchSummary(
        status=record.status,
        volunteer=record.volunteer,
        order=rank,
        timers=tuple(timers),
        notes=tuple(notes),
        free_notes=record.free_notes if private else "",
    )


def _project_report(
    workshop: Workshop, project: Project, ranks: dict[str, int], private: bool
) -> ProjectReport:
    return ProjectReport(
        project=project,
        profile=project_profile(workshop.grid, project) if workshop.grid else None,
        improvement_axes=project.improvement_axes,
        pitch_prep=_pitch_prep(workshop, project),
        pitch=_pitch(workshop, project, ranks.get(project.id), private),
        axes_heading=workshop.axes_heading,
        pitch_prep_heading=workshop.pitch_prep_heading,
        progress_label=workshop.progress_label,
    )
