"""Where the room is in the programme, and how late or early it runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from atelier.domain.content import Workshop
from atelier.domain.content_programme import Step
from atelier.domain.session import SessionRecord
from atelier.domain.wording import format_lateness

__all__ = ["Programme", "StepStatus", "format_lateness", "planned_datetime"]

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

    def plan_is_live(self, now: datetime) -> bool:
        """Whether the plan's times mean something ``now``: on the day the session started
        (in its time zone), or before it started. A session resumed on a later day (to finish
        a round, to rehearse again) has no lateness, forecast or pitch budget: against the
        first day they would say « 403 min restantes » or « +1 440 min »."""
        if not self.record.step_log:
            return True
        first = self.record.step_log[0].started_at
        zone = first.tzinfo
        return now.astimezone(zone).date() == first.date() if zone else now.date() == first.date()

    def planned_at(self, moment: time, day: datetime) -> datetime:
        """A programme time as the plan of *this* session puts it: on ``day``, moved by
        :meth:`schedule_shift` (the one offset of a rehearsal run at another hour)."""
        return planned_datetime(moment, day) + self.schedule_shift()

    def start_delay_minutes(self, step_id: str, moment: time | None = None) -> int | None:
        """How late (positive) or early (negative) a step started against the (shifted) plan,
        None if it never started. The live top bar and the review both use it (the review
        of a session on the day it ran: this does not depend on today)."""
        actual = self.record.first_start(step_id)
        if actual is None:
            return None
        planned = moment if moment is not None else self.workshop.step(step_id).start
        return round((actual - self.planned_at(planned, actual)).total_seconds() / 60)

    def delay_minutes(self, planned: time, actual: datetime) -> int:
        """Minutes between a planned time (shifted) and when it happened."""
        return round((actual - self.planned_at(planned, actual)).total_seconds() / 60)

    def lateness_minutes(self, now: datetime) -> int | None:
        """Minutes the room is behind (positive) or ahead (negative) of the plan, or None
        before the workshop started or on another day than it started (:meth:`plan_is_live`).

        The room is as late as the current step started late; and once the current step
        runs past the planned start of the next one, it is as late as that overrun."""
        if self.record.current_step_id is None or not self.plan_is_live(now):
            return None
        step = self.current
        actual = self.record.first_start(step.id)
        if actual is None:
            return None
        late = (actual - self.planned_at(step.start, actual)).total_seconds()
        following = self.next_step()
        planned_end = following.start if following else self.workshop.end
        overrun = (now - self.planned_at(planned_end, now)).total_seconds()
        if overrun > 0:
            late = max(late, overrun)
        return round(late / 60)

    def forecast_end(self, now: datetime) -> datetime | None:
        """When the workshop will end at this pace: its planned end (shifted) plus the
        lateness; None before the start."""
        late = self.lateness_minutes(now)
        if late is None:
            return None
        return self.planned_at(self.workshop.end, now) + timedelta(minutes=late)
