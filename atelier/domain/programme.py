"""Where the room is in the programme, and how late or early it runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from atelier.domain.content import Step, Workshop
from atelier.domain.session import SessionRecord

SHIFT_THRESHOLD = timedelta(hours=1)


def planned_datetime(moment: time, today: datetime) -> datetime:
    """A programme time placed on the day the workshop actually runs (``today``)."""
    return today.replace(hour=moment.hour, minute=moment.minute, second=0, microsecond=0)


@dataclass(frozen=True)
class StepStatus:
    step: Step
    index: int
    planned_start: time
    planned_minutes: float
    actual_start: datetime | None
    is_current: bool
    is_done: bool


class Programme:
    """The workshop's steps seen through a session record: read-only questions only;
    moving between steps is :meth:`SessionRecord.enter_step`."""

    def __init__(self, workshop: Workshop, record: SessionRecord) -> None:
        self.workshop = workshop
        self.record = record

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.workshop.programme

    @property
    def current_index(self) -> int:
        if self.record.current_step_id is None:
            return 0
        try:
            return self.workshop.step_index(self.record.current_step_id)
        except ValueError:  # the content changed since the session was saved
            return 0

    @property
    def current(self) -> Step:
        return self.steps[self.current_index]

    def next_step(self) -> Step | None:
        index = self.current_index + 1
        return self.steps[index] if index < len(self.steps) else None

    def previous_step(self) -> Step | None:
        index = self.current_index - 1
        return self.steps[index] if index >= 0 else None

    def statuses(self) -> list[StepStatus]:
        current = self.current_index
        started = self.record.current_step_id is not None
        return [
            StepStatus(
                step=step,
                index=index,
                planned_start=step.start,
                planned_minutes=self.workshop.planned_minutes(step.id),
                actual_start=self.record.first_start(step.id),
                is_current=started and index == current,
                is_done=started and index < current,
            )
            for index, step in enumerate(self.steps)
        ]

    def schedule_shift(self) -> timedelta:
        """How far the whole plan is moved: zero on the day, as planned; when the session
        started more than :data:`SHIFT_THRESHOLD` away from the plan (a rehearsal, a replay in
        the afternoon), the plan is taken to start when the session did."""
        if not self.record.step_log:
            return timedelta(0)
        first = self.record.step_log[0]
        try:
            planned = self.workshop.step(first.step_id).start
        except KeyError:
            return timedelta(0)
        offset = first.started_at - planned_datetime(planned, first.started_at)
        return offset if abs(offset) > SHIFT_THRESHOLD else timedelta(0)

    def lateness_minutes(self, now: datetime) -> int | None:
        """Minutes the room is behind (positive) or ahead (negative) of the plan, or None
        before the workshop started.

        The room is as late as the current step started late; and once the current step
        runs past the planned start of the next one, it is as late as that overrun."""
        if self.record.current_step_id is None:
            return None
        step = self.current
        actual = self.record.first_start(step.id)
        if actual is None:
            return None
        shift = self.schedule_shift()
        late = (actual - planned_datetime(step.start, actual) - shift).total_seconds()
        following = self.next_step()
        planned_end = following.start if following else self.workshop.end
        overrun = (now - planned_datetime(planned_end, now) - shift).total_seconds()
        if overrun > 0:
            late = max(late, overrun)
        return round(late / 60)


def format_lateness(minutes: int | None) -> str:
    """« +6 min », « −3 min », « à l'heure » (empty before the start)."""
    if minutes is None:
        return ""
    if minutes == 0:
        return "à l'heure"
    sign = "+" if minutes > 0 else "−"
    return f"{sign}{abs(minutes)} min"
