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


# -- times agree (issue 14): one wording, one offset, live == review -------------------------------


def test_early_late_and_on_time_are_said_in_words() -> None:
    from atelier.domain.wording import lateness_status

    assert lateness_status(6) == "Retard : +6 min"
    assert lateness_status(-5) == "Avance : 5 min"  # never « Retard : −5 min »
    assert lateness_status(0) == "à l'heure"
    assert lateness_status(None) == ""


def test_forecast_end_follows_the_lateness(atis: Workshop) -> None:
    from atelier.domain.wording import format_clock

    clock = FakeClock(datetime(2020, 5, 19, 9, 40).astimezone())
    record = _record(clock)
    programme = Programme(atis, record)
    assert programme.forecast_end(clock.now()) is None
    record.enter_step(atis.programme[0].id, clock.now())
    assert format_clock(programme.forecast_end(clock.now())) == format_clock(atis.end)
    clock.advance(16 * 60)  # 6 minutes late
    end = programme.forecast_end(clock.now())
    planned = datetime.combine(clock.now().date(), atis.end, tzinfo=clock.now().tzinfo)
    assert end is not None and end - planned == timedelta(minutes=6)


def _rehearsal(atis: Workshop) -> tuple[FakeClock, SessionRecord]:
    """A rehearsal the day after, at 17h38, that starts the second step 7 minutes late."""
    clock = FakeClock(datetime(2026, 11, 23, 17, 38).astimezone())
    record = SessionRecord(
        name="r", workshop_id=atis.id, created_at=clock.now(), updated_at=clock.now()
    )
    record.enter_step(atis.programme[0].id, clock.now())
    first, second = atis.programme[0], atis.programme[1]
    planned_gap = datetime.combine(clock.now().date(), second.start) - datetime.combine(
        clock.now().date(), first.start
    )
    clock.advance(planned_gap.total_seconds() + 7 * 60)
    record.enter_step(second.id, clock.now())
    return clock, record


def test_live_and_review_give_the_same_lateness_for_a_rehearsal(atis: Workshop) -> None:
    from atelier.report.model import build_report

    clock, record = _rehearsal(atis)
    programme = Programme(atis, record)
    assert programme.schedule_shift() > timedelta(hours=1)  # the one explicit offset
    live = programme.lateness_minutes(clock.now())
    assert live == 7  # not hundreds of minutes of « retard »
    review = build_report(atis, record).programme
    assert [row.delta_minutes for row in review[:2]] == [0, live]
    assert programme.start_delay_minutes(atis.programme[1].id) == live


def test_the_review_says_the_plan_was_shifted(atis: Workshop) -> None:
    from atelier.report.model import LABEL_SHIFT, build_report

    _, record = _rehearsal(atis)
    facts = dict(build_report(atis, record).facts)
    assert "17h38" in facts[LABEL_SHIFT] and "décalé" in facts[LABEL_SHIFT]


def test_durations_are_written_one_way() -> None:
    from atelier.domain.wording import format_duration, format_minutes, format_timer

    assert format_minutes(15) == "15 min"
    assert format_minutes(1.5) == "1 min 30 s"
    assert format_duration(125) == "2 min 05 s"
    assert format_duration(3900) == "1 h 05 min"
    assert format_duration(None) == "—"
    assert format_timer(140, pad_minutes=False) == "2:20"
    assert format_timer(59) == "00:59"


def test_a_session_resumed_on_a_later_day_has_no_live_lateness(atis: Workshop) -> None:
    """Resumed the next morning to finish: the first day's plan says nothing about now (it
    used to give « +1 440 min » in the top bar and « 403 min restantes » to the pitch)."""
    clock = FakeClock(datetime(2020, 5, 19, 9, 40).astimezone())
    record = _record(clock)
    programme = Programme(atis, record)
    record.enter_step(atis.programme[0].id, clock.now())
    clock.advance(16 * 60)
    assert programme.plan_is_live(clock.now()) and programme.lateness_minutes(clock.now()) == 6
    clock.advance(timedelta(days=1).total_seconds())
    assert not programme.plan_is_live(clock.now())
    assert programme.lateness_minutes(clock.now()) is None
    assert programme.forecast_end(clock.now()) is None
    # The review of the first day is unchanged: it does not depend on today.
    assert programme.start_delay_minutes(atis.programme[0].id) == 0
