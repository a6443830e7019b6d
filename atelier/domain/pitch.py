"""Sequence 4's pitch round: who pitches in which order, each project's pitch then exchange,
and how much time is left for the projects still waiting.

The queue is the session's projects marked ``pitch.volunteer``, ordered by ``pitch.order``.
One project at a time is *current* (``SessionRecord.current_pitch_project``); it goes
WAITING → PITCHING → EXCHANGE → DONE, or is SKIPPED and may come back later. Each phase runs a
:class:`Countdown` built from the content's minutes and warnings; every command copies the
countdowns back into the project's :class:`TimerRecord`, so the record always says what
happened (``capture`` does it for a countdown still running, before a save).

Pure Python: no Textual, no files. The screen holds a :class:`PitchRound` and renders it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import Enum

from atelier.domain.clock import Clock
from atelier.domain.content import Workshop
from atelier.domain.content_pitch import PitchRules
from atelier.domain.countdown import Countdown
from atelier.domain.programme import planned_datetime
from atelier.domain.session import (
    PitchStatus,
    Project,
    SessionRecord,
    TimerRecord,
)

FREE_NOTES: str | None = None
"""The notes field that is not a feedback category (``PitchRecord.free_notes``)."""


class TimerKind(Enum):
    PITCH = "pitch"
    EXCHANGE = "exchange"


_STILL_TO_GO = (PitchStatus.WAITING, PitchStatus.PITCHING, PitchStatus.EXCHANGE)


def planned_end_of(workshop: Workshop, step_id: str) -> time:
    """When a step is planned to end: the next step's start, or the workshop's end."""
    index = workshop.step_index(step_id)
    if index + 1 < len(workshop.programme):
        return workshop.programme[index + 1].start
    return workshop.end


@dataclass(frozen=True, slots=True)
class Budget:
    """The time left until the round's planned end, shared among the projects still to go
    (the one on stage included while it is not done)."""

    projects: int
    seconds_left: float
    planned_end: datetime
    on_stage_s: float = 0.0
    """What the project on stage still needs by its clocks (± minutes included): the rest of
    its pitch and its whole exchange, or the rest of its exchange; 0 with nobody on stage."""
    waiting: int | None = None
    """Projects still to go after the one on stage (None: same as ``projects``)."""

    @property
    def overrun(self) -> bool:
        return self.seconds_left <= 0

    @property
    def minutes_left(self) -> int:
        """Whole minutes left (rounded down); minutes past the end, negative, once overrun."""
        if self.seconds_left >= 0:
            return math.floor(self.seconds_left / 60)
        return -math.ceil(-self.seconds_left / 60)

    @property
    def after_stage_s(self) -> float:
        """Time left for the projects waiting once the one on stage has used its clocks."""
        return self.seconds_left - self.on_stage_s

    @property
    def minutes_after_stage(self) -> int:
        return math.floor(max(0.0, self.after_stage_s) / 60)

    @property
    def sharing(self) -> int:
        """How many projects share the time: the waiting ones when somebody is on stage."""
        return self.projects if self.waiting is None else self.waiting

    @property
    def minutes_each(self) -> int | None:
        """« ~6 min chacun »: whole minutes for each project still to go, after what the one on
        stage still needs (None if nobody is left or the time is gone)."""
        if self.sharing == 0 or self.overrun or self.after_stage_s <= 0:
            return None
        return math.floor(self.after_stage_s / 60 / self.sharing)


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One line of the end-of-round table."""

    position: int
    project_id: str
    name: str
    status: PitchStatus
    pitch_s: float
    pitch_overtime_s: float
    exchange_s: float
    exchange_overtime_s: float

    @property
    def total_s(self) -> float:
        return self.pitch_s + self.exchange_s


class PitchRound:
    """The round over a session record. Commands return whether they changed anything; the
    ids of the projects they touched are in :attr:`touched` until :meth:`take_touched`."""

    def __init__(
        self,
        rules: PitchRules,
        record: SessionRecord,
        clock: Clock,
        planned_end: time | None = None,
        shift: timedelta = timedelta(0),
        plan_is_live: Callable[[datetime], bool] = lambda _now: True,
    ) -> None:
        self.rules = rules
        self.record = record
        self.clock = clock
        self.planned_end = planned_end
        self.shift = shift
        """How far the whole plan is moved (``Programme.schedule_shift``: a rehearsal)."""
        self.plan_is_live = plan_is_live
        """Whether the plan's times mean something now (``Programme.plan_is_live``: not on
        a later day than the session started)."""
        self._countdowns: dict[tuple[str, TimerKind], Countdown] = {}
        self.touched: set[str] = set()
        current = record.current_pitch_project
        if current is not None and not self._exists(current):
            record.current_pitch_project = None  # the project was removed since
        elif current is not None and not record.project(current).pitch.volunteer:
            self.add_volunteer(current)  # a hand-edited file: on stage means in the queue

    # -- the queue ---------------------------------------------------------------------------

    @property
    def queue(self) -> list[Project]:
        """The volunteers in pitching order."""
        volunteers = [
            (index, project)
            for index, project in enumerate(self.record.projects)
            if project.pitch.volunteer
        ]
        volunteers.sort(key=lambda pair: (_order_key(pair[1]), pair[0]))
        return [project for _, project in volunteers]

    @property
    def candidates(self) -> list[Project]:
        """The session's projects not (yet) in the queue."""
        return [project for project in self.record.projects if not project.pitch.volunteer]

    @property
    def current(self) -> Project | None:
        project_id = self.record.current_pitch_project
        return self.record.project(project_id) if project_id is not None else None

    @property
    def waiting(self) -> list[Project]:
        """Volunteers that have not been on stage yet, in order (the current one excluded)."""
        current = self.record.current_pitch_project
        return [p for p in self.queue if p.pitch.status is PitchStatus.WAITING and p.id != current]

    @property
    def finished(self) -> bool:
        """Nobody on stage and nobody waiting (the round can be summed up)."""
        return self.current is None and not self.waiting and bool(self.queue)

    def add_volunteer(self, project_id: str) -> bool:
        """Put a session project at the end of the queue."""
        project = self.record.project(project_id)
        if project.pitch.volunteer:
            return False
        project.pitch.volunteer = True
        project.pitch.order = len(self.queue)
        if project.pitch.status is PitchStatus.SKIPPED:
            project.pitch.status = PitchStatus.WAITING
        self._renumber()
        self.touched.add(project_id)
        return True

    def withdraw(self, project_id: str) -> bool:
        """Take a volunteer out of the queue (its notes stay with the project). The project on
        stage cannot be withdrawn: skip it or finish it first."""
        project = self.record.project(project_id)
        if not project.pitch.volunteer or project_id == self.record.current_pitch_project:
            return False
        project.pitch.volunteer = False
        project.pitch.order = None
        self._renumber()
        self.touched.add(project_id)
        return True

    def move(self, project_id: str, delta: int) -> bool:
        """Move a volunteer ``delta`` places later (negative: earlier) in the queue."""
        queue = self.queue
        ids = [p.id for p in queue]
        if project_id not in ids:
            return False
        index = ids.index(project_id)
        target = max(0, min(len(queue) - 1, index + delta))
        if target == index:
            return False
        project = queue.pop(index)
        queue.insert(target, project)
        self._renumber(queue)
        return True

    def skip(self, project_id: str | None = None) -> bool:
        """« Pas maintenant »: the project leaves the stage (or the line) and can come back with
        :meth:`select`. Skipping the current project does not call the next one."""
        project = self._target(project_id)
        if project is None or project.pitch.status in (PitchStatus.DONE, PitchStatus.SKIPPED):
            return False
        if project.id == self.record.current_pitch_project:
            self._pause_all(project)
            self.record.current_pitch_project = None
        project.pitch.status = PitchStatus.SKIPPED
        self.touched.add(project.id)
        return True

    def mark_done(self, project_id: str | None = None) -> bool:
        """Mark a project as having pitched (the current one leaves the stage)."""
        project = self._target(project_id)
        if project is None or project.pitch.status is PitchStatus.DONE:
            return False
        if project.id == self.record.current_pitch_project:
            self._finish(project)
            self.record.current_pitch_project = None
        else:
            project.pitch.status = PitchStatus.DONE
        self.touched.add(project.id)
        return True

    def select(self, project_id: str) -> bool:
        """Bring a project on stage (the next one, one skipped earlier, one already done to
        carry on its exchange). The project on stage before is paused where it was."""
        project = self.record.project(project_id)
        if not project.pitch.volunteer:
            self.add_volunteer(project_id)
        previous = self.current
        if previous is not None and previous.id == project_id:
            return False
        if previous is not None:
            self._pause_all(previous)
        self.record.current_pitch_project = project_id
        if project.pitch.status in (PitchStatus.WAITING, PitchStatus.SKIPPED):
            project.pitch.status = PitchStatus.PITCHING
        self._ensure_timer(project, TimerKind.PITCH)
        self.touched.add(project_id)
        return True

    # -- the stage ---------------------------------------------------------------------------

    @property
    def active_kind(self) -> TimerKind | None:
        project = self.current
        if project is None:
            return None
        if project.pitch.status is PitchStatus.PITCHING:
            return TimerKind.PITCH
        if project.pitch.status is PitchStatus.EXCHANGE:
            return TimerKind.EXCHANGE
        # A project done (or skipped) keeps showing its last phase, stopped.
        return TimerKind.EXCHANGE if project.pitch.exchange_timer else TimerKind.PITCH

    @property
    def active_countdown(self) -> Countdown | None:
        project, kind = self.current, self.active_kind
        if project is None or kind is None:
            return None
        return self.countdown(project, kind)

    def countdown(self, project: Project, kind: TimerKind) -> Countdown:
        """The live countdown of one phase of a project (built from its record on first use)."""
        key = (project.id, kind)
        countdown = self._countdowns.get(key)
        if countdown is None:
            record = self._ensure_timer(project, kind)
            countdown = record.to_countdown(self.clock.monotonic, self._warning_s(kind))
            self._countdowns[key] = countdown
        return countdown

    def toggle(self) -> bool:
        """Start / pause the clock on stage. With nobody on stage, calls the next volunteer
        and starts their pitch. A project done stays done (its clock does not restart)."""
        project = self.current
        if project is None:
            following = self.waiting
            if not following:
                return False
            self.select(following[0].id)
            project = following[0]
        if project.pitch.status not in (PitchStatus.PITCHING, PitchStatus.EXCHANGE):
            return False
        countdown = self.active_countdown
        assert countdown is not None
        countdown.toggle()
        self._capture_project(project)
        return True

    def to_exchange(self) -> bool:
        """The pitch is over: its clock stops and the exchange clock starts. Also reopens the
        exchange of a project marked done too early."""
        project = self.current
        if project is None or project.pitch.status is PitchStatus.EXCHANGE:
            return False
        pitch = self.countdown(project, TimerKind.PITCH)
        if project.pitch.status is PitchStatus.PITCHING:
            pitch.pause()
            self._close(project, TimerKind.PITCH)
        project.pitch.status = PitchStatus.EXCHANGE
        exchange = self.countdown(project, TimerKind.EXCHANGE)
        assert project.pitch.exchange_timer is not None
        project.pitch.exchange_timer.ended_at = None
        exchange.start()
        self._capture_project(project)
        return True

    def next_project(self) -> Project | None:
        """The project on stage is done; the next volunteer comes up (clock ready, not
        started). Returns the new project on stage, None when nobody is waiting."""
        project = self.current
        if project is not None:
            self._finish(project)
            self.record.current_pitch_project = None
            self.touched.add(project.id)
        following = self.waiting
        if not following:
            return None
        self.select(following[0].id)
        return following[0]

    def add_minutes(self, minutes: int) -> bool:
        """± minutes on the clock on stage."""
        project, countdown = self.current, self.active_countdown
        if project is None or countdown is None:
            return False
        if project.pitch.status not in (PitchStatus.PITCHING, PitchStatus.EXCHANGE):
            return False
        countdown.add(60 * minutes)
        self._capture_project(project)
        return True

    # -- notes -------------------------------------------------------------------------------

    @staticmethod
    def note(project: Project, field: str | None) -> str:
        """The text of one notes field (a feedback category id, or FREE_NOTES)."""
        if field is None:  # FREE_NOTES
            return project.pitch.free_notes
        return project.pitch.notes.get(field, "")

    def set_note(self, project: Project, field: str | None, text: str) -> bool:
        """Store a field's text; False (nothing to save) when it is what the record holds."""
        if self.note(project, field) == text:
            return False
        if field is None:  # FREE_NOTES
            project.pitch.free_notes = text
        elif text:
            project.pitch.notes[field] = text
        else:
            project.pitch.notes.pop(field, None)
        self.touched.add(project.id)
        return True

    # -- time --------------------------------------------------------------------------------

    def budget(self) -> Budget | None:
        """Time left to the planned end (moved by :attr:`shift`) for the projects still to
        go; None without a plan, or on another day than the session started."""
        now = self.clock.now()
        if self.planned_end is None or not self.plan_is_live(now):
            return None
        end = planned_datetime(self.planned_end, now) + self.shift
        still = [p for p in self.queue if p.pitch.status in _STILL_TO_GO]
        current = self.current
        on_stage = current is not None and current.pitch.status in _STILL_TO_GO
        return Budget(
            projects=len(still),
            seconds_left=(end - now).total_seconds(),
            planned_end=end,
            on_stage_s=self.stage_needs_s() if on_stage else 0.0,
            waiting=len(still) - 1 if on_stage else None,
        )

    def phase_minutes(self, project: Project, kind: TimerKind) -> float:
        """A phase's length in minutes as its clock has it now (± minutes included)."""
        record = self._timer_record(project, kind)
        countdown = self._countdowns.get((project.id, kind))
        if countdown is not None:
            return countdown.duration_s / 60
        if record is not None:
            return record.duration_s / 60
        return self._minutes(kind)

    def stage_needs_s(self) -> float:
        """What the project on stage still needs by its clocks: the rest of its pitch and its
        whole exchange while it pitches, the rest of its exchange after."""
        project = self.current
        if project is None:
            return 0.0
        status = project.pitch.status
        if status is PitchStatus.PITCHING:
            pitch = self.countdown(project, TimerKind.PITCH)
            return (
                max(0.0, pitch.remaining()) + self.phase_minutes(project, TimerKind.EXCHANGE) * 60
            )
        if status is PitchStatus.EXCHANGE:
            return max(0.0, self.countdown(project, TimerKind.EXCHANGE).remaining())
        return 0.0

    def capture(self) -> list[str]:
        """Copy every live countdown into the record (before a save); the projects whose
        record changed are added to :attr:`touched` and returned."""
        changed: list[str] = []
        for project_id, kind in list(self._countdowns):
            if not self._exists(project_id):
                del self._countdowns[(project_id, kind)]
                continue
            project = self.record.project(project_id)
            if self._capture(project, kind) and project_id not in changed:
                changed.append(project_id)
        self.touched.update(changed)
        return changed

    def take_touched(self) -> list[str]:
        """The ids of the projects changed since the last call (to save them)."""
        ids = sorted(self.touched)
        self.touched.clear()
        return ids

    @property
    def running(self) -> bool:
        countdown = self.active_countdown
        return countdown is not None and countdown.running

    def summary(self) -> list[SummaryRow]:
        """The end-of-round table: every volunteer in order, with durations and overtime."""
        self.capture()
        rows = []
        for position, project in enumerate(self.queue, 1):
            pitch, exchange = project.pitch.pitch_timer, project.pitch.exchange_timer
            rows.append(
                SummaryRow(
                    position=position,
                    project_id=project.id,
                    name=project.name,
                    status=project.pitch.status,
                    pitch_s=pitch.elapsed_s if pitch else 0.0,
                    pitch_overtime_s=pitch.overtime_s if pitch else 0.0,
                    exchange_s=exchange.elapsed_s if exchange else 0.0,
                    exchange_overtime_s=exchange.overtime_s if exchange else 0.0,
                )
            )
        return rows

    # -- internals ---------------------------------------------------------------------------

    def _exists(self, project_id: str) -> bool:
        return any(p.id == project_id for p in self.record.projects)

    def _target(self, project_id: str | None) -> Project | None:
        if project_id is None:
            return self.current
        return self.record.project(project_id)

    def _warning_s(self, kind: TimerKind) -> float:
        if kind is TimerKind.PITCH:
            return self.rules.pitch_warning_seconds
        return self.rules.exchange_warning_seconds

    def _minutes(self, kind: TimerKind) -> float:
        if kind is TimerKind.PITCH:
            return self.rules.pitch_minutes
        return self.rules.exchange_minutes

    def _timer_record(self, project: Project, kind: TimerKind) -> TimerRecord | None:
        if kind is TimerKind.PITCH:
            return project.pitch.pitch_timer
        return project.pitch.exchange_timer

    def _ensure_timer(self, project: Project, kind: TimerKind) -> TimerRecord:
        record = self._timer_record(project, kind)
        if record is None:
            record = TimerRecord(duration_s=self._minutes(kind) * 60)
            if kind is TimerKind.PITCH:
                project.pitch.pitch_timer = record
            else:
                project.pitch.exchange_timer = record
            self.touched.add(project.id)
        return record

    def _capture(self, project: Project, kind: TimerKind) -> bool:
        countdown = self._countdowns.get((project.id, kind))
        if countdown is None:
            return False
        record = self._ensure_timer(project, kind)
        before = (record.duration_s, record.elapsed_s, record.started_at)
        record.capture(countdown, self.clock.now())
        return before != (record.duration_s, record.elapsed_s, record.started_at)

    def _capture_project(self, project: Project) -> None:
        for kind in TimerKind:
            self._capture(project, kind)
        self.touched.add(project.id)

    def _close(self, project: Project, kind: TimerKind) -> None:
        """A phase is over: its clock is stopped and its end time noted."""
        countdown = self._countdowns.get((project.id, kind))
        if countdown is not None:
            countdown.pause()
        record = self._timer_record(project, kind)
        if record is not None and countdown is not None and countdown.started:
            self._capture(project, kind)
            if record.ended_at is None:
                record.ended_at = self.clock.now()

    def _pause_all(self, project: Project) -> None:
        for kind in TimerKind:
            countdown = self._countdowns.get((project.id, kind))
            if countdown is not None:
                countdown.pause()
        self._capture_project(project)

    def _finish(self, project: Project) -> None:
        for kind in TimerKind:
            self._close(project, kind)
        project.pitch.status = PitchStatus.DONE
        self._capture_project(project)

    def _renumber(self, queue: list[Project] | None = None) -> None:
        for order, project in enumerate(queue if queue is not None else self.queue):
            if project.pitch.order != order:
                project.pitch.order = order
                self.touched.add(project.id)


def _order_key(project: Project) -> float:
    order = project.pitch.order
    return float(order) if order is not None else math.inf
