from __future__ import annotations

from datetime import datetime, timedelta

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.programme import Programme, format_lateness
from atelier.domain.session import SessionRecord


def _record(clock: FakeClock) -> SessionRecord:
    now = clock.now()
    return SessionRecord(name="s", workshop_id="x", created_at=now, updated_at=now)


def test_on_time_then_late_when_a_step_overruns(atis: Workshop) -> None:
    clock = FakeClock(datetime(2020, 5, 19, 9, 40).astimezone())
    record = _record(clock)
    programme = Programme(atis, record)
    assert programme.lateness_minutes(clock.now()) is None
    record.enter_step(atis.programme[0].id, clock.now())
    assert programme.lateness_minutes(clock.now()) == 0
    clock.advance(16 * 60)  # step 1 was planned for 10 minutes: 9h56, 6 minutes over
    assert programme.lateness_minutes(clock.now()) == 6
    record.enter_step(atis.programme[1].id, clock.now())
    assert format_lateness(programme.lateness_minutes(clock.now())) == "+6 min"


def test_early_start_is_negative(atis: Workshop) -> None:
    clock = FakeClock(datetime(2020, 5, 19, 9, 37).astimezone())
    record = _record(clock)
    record.enter_step(atis.programme[0].id, clock.now())
    assert format_lateness(Programme(atis, record).lateness_minutes(clock.now())) == "−3 min"


def test_a_rehearsal_at_another_time_shifts_the_plan(atis: Workshop) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 17, 38).astimezone())
    record = _record(clock)
    programme = Programme(atis, record)
    record.enter_step(atis.programme[0].id, clock.now())
    assert programme.lateness_minutes(clock.now()) == 0
    clock.advance(timedelta(minutes=12).total_seconds())
    assert programme.lateness_minutes(clock.now()) == 2


def test_statuses_mark_current_and_done(atis: Workshop) -> None:
    clock = FakeClock()
    record = _record(clock)
    record.enter_step(atis.programme[0].id, clock.now())
    record.enter_step(atis.programme[2].id, clock.now())
    statuses = Programme(atis, record).statuses()
    assert [s.is_current for s in statuses][:3] == [False, False, True]
    assert [s.is_done for s in statuses][:3] == [True, True, False]
    assert statuses[0].planned_minutes == 10
