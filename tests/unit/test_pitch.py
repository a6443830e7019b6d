"""The pitch round, driven by a FakeClock: queue, pitch → exchange → done, overtime, budget."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.countdown import RunState
from atelier.domain.pitch import FREE_NOTES, PitchRound, TimerKind, planned_end_of
from atelier.domain.programme import Programme
from atelier.domain.session import PitchStatus, SessionRecord


def _record(clock: FakeClock, *names: str) -> SessionRecord:
    record = SessionRecord(
        name="test", workshop_id="atis", created_at=clock.now(), updated_at=clock.now()
    )
    for name in names:
        record.add_project(name, now=clock.now())
    return record


def _round(atis: Workshop, *names: str, at: tuple[int, int] = (11, 20)) -> PitchRound:
    clock = FakeClock(datetime(2020, 5, 19, *at).astimezone())
    assert atis.pitch is not None
    return PitchRound(atis.pitch, _record(clock, *names), clock, planned_end_of(atis, "booster"))


def _advance(pitch_round: PitchRound, seconds: float) -> None:
    clock = pitch_round.clock
    assert isinstance(clock, FakeClock)
    clock.advance(seconds)


# -- the queue ----------------------------------------------------------------------------------


def test_volunteers_are_queued_in_the_order_they_were_picked(atis: Workshop) -> None:
    r = _round(atis, "Alpha", "Bravo", "Charlie")
    assert r.queue == [] and [p.id for p in r.candidates] == ["alpha", "bravo", "charlie"]
    assert r.add_volunteer("charlie") and r.add_volunteer("alpha")
    assert not r.add_volunteer("alpha")
    assert [p.id for p in r.queue] == ["charlie", "alpha"]
    assert [p.id for p in r.candidates] == ["bravo"]
    assert [p.pitch.order for p in r.queue] == [0, 1]
    assert set(r.take_touched()) == {"alpha", "charlie"}
    assert r.take_touched() == []


def test_a_project_added_during_the_round_joins_the_end(atis: Workshop) -> None:
    r = _round(atis, "Alpha")
    r.add_volunteer("alpha")
    project = r.record.add_project("Épicerie solidaire", "Zoé")
    assert r.add_volunteer(project.id)
    assert [p.id for p in r.queue] == ["alpha", "epicerie-solidaire"]
    assert r.waiting[-1] is project


def test_reorder_withdraw_and_bounds(atis: Workshop) -> None:
    r = _round(atis, "A", "B", "C")
    for pid in ("a", "b", "c"):
        r.add_volunteer(pid)
    assert r.move("c", -1)
    assert [p.id for p in r.queue] == ["a", "c", "b"]
    assert r.move("a", 5)
    assert [p.id for p in r.queue] == ["c", "b", "a"]
    assert not r.move("c", -1)  # already first
    assert not r.move("zzz-not-queued", 1)
    assert r.withdraw("b")
    assert [p.id for p in r.queue] == ["c", "a"]
    assert [p.pitch.order for p in r.queue] == [0, 1]
    r.select("c")
    assert not r.withdraw("c")  # on stage


def test_whole_flow_pitch_exchange_done_with_overtime(atis: Workshop) -> None:
    r = _round(atis, "A", "B")
    r.add_volunteer("a")
    r.add_volunteer("b")
    assert r.current is None
    assert r.toggle()  # calls the first volunteer and starts the pitch
    a = r.record.project("a")
    assert r.current is a and a.pitch.status is PitchStatus.PITCHING
    assert r.active_kind is TimerKind.PITCH and r.running
    assert r.active_countdown is not None and r.active_countdown.label() == "02:00"

    _advance(r, 143)  # 2'23: 23 s over
    assert r.active_countdown.label() == "+0:23"
    assert r.to_exchange()
    assert a.pitch.status is PitchStatus.EXCHANGE
    assert a.pitch.pitch_timer is not None
    assert a.pitch.pitch_timer.elapsed_s == 143
    assert a.pitch.pitch_timer.overtime_s == 23
    assert a.pitch.pitch_timer.ended_at == r.clock.now()
    assert r.active_kind is TimerKind.EXCHANGE and r.running
    assert r.active_countdown.label() == "15:00"

    _advance(r, 600)
    r.toggle()  # pause
    _advance(r, 120)  # paused: does not count
    r.toggle()
    _advance(r, 300)
    nxt = r.next_project()
    assert nxt is not None and nxt.id == "b"
    assert a.pitch.status is PitchStatus.DONE
    assert a.pitch.exchange_timer is not None
    assert a.pitch.exchange_timer.elapsed_s == 900
    assert a.pitch.exchange_timer.overtime_s == 0
    assert r.current is nxt and nxt.pitch.status is PitchStatus.PITCHING
    countdown = r.active_countdown
    assert countdown is not None and countdown.state is RunState.READY  # waits for F5
    _advance(r, 10)
    assert countdown.label() == "02:00"

    r.toggle()
    _advance(r, 60)
    assert r.next_project() is None  # nobody else
    assert r.current is None and r.finished
    rows = r.summary()
    assert [(row.name, row.pitch_s, row.pitch_overtime_s, row.exchange_s) for row in rows] == [
        ("A", 143, 23, 900),
        ("B", 60, 0, 0),
    ]
    assert rows[0].total_s == 1043
    assert all(row.status is PitchStatus.DONE for row in rows)


def test_plus_and_minus_minute_on_the_clock_on_stage(atis: Workshop) -> None:
    r = _round(atis, "A")
    r.add_volunteer("a")
    assert not r.add_minutes(1)  # nobody on stage
    r.toggle()
    assert r.add_minutes(1)
    assert r.active_countdown is not None and r.active_countdown.label() == "03:00"
    r.to_exchange()
    r.add_minutes(-1)
    assert r.active_countdown.label() == "14:00"
    exchange = r.record.project("a").pitch.exchange_timer
    assert exchange is not None and exchange.duration_s == 14 * 60
    _advance(r, 14 * 60 + 30)
    r.capture()
    assert exchange.overtime_s == 30  # against the shortened duration


def test_skip_then_come_back(atis: Workshop) -> None:
    r = _round(atis, "A", "B", "C")
    for pid in ("a", "b", "c"):
        r.add_volunteer(pid)
    r.toggle()
    _advance(r, 20)
    assert r.skip()  # A is not ready: off stage, clock kept
    a = r.record.project("a")
    assert a.pitch.status is PitchStatus.SKIPPED and r.current is None
    assert a.pitch.pitch_timer is not None and a.pitch.pitch_timer.elapsed_s == 20
    assert not r.skip()  # nobody on stage
    assert r.skip("c")
    assert [p.id for p in r.waiting] == ["b"]
    r.next_project()
    assert r.current is not None and r.current.id == "b"
    r.next_project()
    assert r.current is None and r.finished  # only skipped ones left
    assert r.select("a")  # A comes back: its pitch clock resumes where it was
    assert a.pitch.status is PitchStatus.PITCHING
    r.toggle()
    _advance(r, 30)
    r.next_project()
    assert a.pitch.pitch_timer.elapsed_s == 50


def test_select_parks_the_project_on_stage(atis: Workshop) -> None:
    r = _round(atis, "A", "B")
    r.add_volunteer("a")
    r.add_volunteer("b")
    r.toggle()
    r.to_exchange()
    _advance(r, 60)
    assert r.select("b")
    a = r.record.project("a")
    assert a.pitch.status is PitchStatus.EXCHANGE  # parked, clock paused
    assert a.pitch.exchange_timer is not None and a.pitch.exchange_timer.elapsed_s == 60
    _advance(r, 60)
    r.select("a")
    assert r.active_countdown is not None and not r.running
    assert r.active_countdown.elapsed() == 60
    assert not r.select("a")


def test_mark_done_and_reopen_the_exchange(atis: Workshop) -> None:
    r = _round(atis, "A", "B")
    r.add_volunteer("a")
    r.add_volunteer("b")
    assert r.mark_done("b")
    assert [p.id for p in r.waiting] == ["a"]
    r.toggle()
    r.to_exchange()
    _advance(r, 100)
    assert r.mark_done()
    a = r.record.project("a")
    assert r.current is None and a.pitch.status is PitchStatus.DONE
    assert a.pitch.exchange_timer is not None and a.pitch.exchange_timer.ended_at is not None
    r.select("a")  # back on stage, still done: the clock does not restart by itself
    assert a.pitch.status is PitchStatus.DONE
    assert not r.toggle() and not r.add_minutes(1)
    assert r.active_kind is TimerKind.EXCHANGE
    assert r.to_exchange()  # reopened
    assert a.pitch.status is PitchStatus.EXCHANGE and r.running
    assert a.pitch.exchange_timer.ended_at is None
    _advance(r, 20)
    r.capture()
    assert a.pitch.exchange_timer.elapsed_s == 120


def test_notes_are_set_only_when_they_change(atis: Workshop) -> None:
    r = _round(atis, "A")
    a = r.record.project("a")
    assert not r.set_note(a, "conseils", "")
    assert r.set_note(a, "conseils", "Voir la mairie")
    assert r.take_touched() == ["a"]
    assert not r.set_note(a, "conseils", "Voir la mairie")
    assert r.take_touched() == []
    assert r.set_note(a, FREE_NOTES, "libre")
    assert a.pitch.free_notes == "libre" and r.note(a, FREE_NOTES) == "libre"
    assert r.set_note(a, "conseils", "")
    assert "conseils" not in a.pitch.notes


def test_capture_reports_only_changed_timers(atis: Workshop) -> None:
    r = _round(atis, "A")
    r.add_volunteer("a")
    r.toggle()
    r.take_touched()
    assert r.capture() == []  # nothing elapsed since the start was recorded
    _advance(r, 5)
    assert r.capture() == ["a"]
    assert r.capture() == []  # the fake clock did not move
    _advance(r, 1)
    assert r.capture() == ["a"]  # still running
    r.toggle()
    _advance(r, 1)
    assert r.capture() == []  # paused


def test_a_restored_record_comes_back_stopped(atis: Workshop) -> None:
    r = _round(atis, "A")
    r.add_volunteer("a")
    r.toggle()
    r.to_exchange()
    _advance(r, 200)
    r.capture()
    saved = SessionRecord.model_validate(r.record.model_dump(mode="json"))
    clock = FakeClock(monotonic_start=50.0)
    assert atis.pitch is not None
    again = PitchRound(atis.pitch, saved, clock)
    assert again.current is not None and again.current.id == "a"
    countdown = again.active_countdown
    assert countdown is not None and countdown.state is RunState.PAUSED
    assert countdown.elapsed() == 200 and countdown.label() == "11:40"
    assert again.budget() is None  # no planned end given


def test_current_project_removed_since_is_forgotten(atis: Workshop) -> None:
    r = _round(atis, "A")
    r.record.current_pitch_project = "ghost"
    assert atis.pitch is not None
    again = PitchRound(atis.pitch, r.record, r.clock)
    assert again.current is None


def test_project_on_stage_is_always_in_the_queue(atis: Workshop) -> None:
    r = _round(atis, "A")
    r.record.current_pitch_project = "a"  # volunteer flag lost (a file edited by hand)
    assert atis.pitch is not None
    again = PitchRound(atis.pitch, r.record, r.clock)
    assert [p.id for p in again.queue] == ["a"]


# -- the time budget ----------------------------------------------------------------------------


def test_planned_end_is_the_next_step(atis: Workshop, mini: Workshop) -> None:
    assert planned_end_of(atis, "booster").strftime("%H:%M") == "11:50"
    assert planned_end_of(mini, "pitchs").strftime("%H:%M") == "15:50"
    assert planned_end_of(mini, "fin").strftime("%H:%M") == "16:00"


def test_budget_shares_the_time_left(atis: Workshop) -> None:
    r = _round(atis, "A", "B", "C", "D", at=(11, 30))
    for pid in ("a", "b", "c", "d"):
        r.add_volunteer(pid)
    r.mark_done("d")
    budget = r.budget()
    assert budget is not None
    assert (budget.projects, budget.minutes_left, budget.minutes_each) == (3, 20, 6)
    assert budget.planned_end.strftime("%H:%M") == "11:50"
    r.toggle()  # A on stage still counts
    assert r.budget().projects == 3  # type: ignore[union-attr]
    r.skip()
    assert r.budget().projects == 2  # type: ignore[union-attr]
    _advance(r, 20 * 60 + 30)
    late = r.budget()
    assert late is not None and late.overrun
    assert late.minutes_left == -1 and late.minutes_each is None


def test_budget_follows_a_shifted_plan(atis: Workshop) -> None:
    clock = FakeClock(datetime(2020, 5, 19, 17, 30).astimezone())  # a rehearsal, 6 h later
    assert atis.pitch is not None
    r = PitchRound(
        atis.pitch, _record(clock, "A"), clock, planned_end_of(atis, "booster"), timedelta(hours=6)
    )
    r.add_volunteer("a")
    budget = r.budget()
    assert budget is not None and budget.planned_end.strftime("%H:%M") == "17:50"
    assert (budget.minutes_left, budget.minutes_each) == (20, 20)


def test_no_budget_on_a_later_day(atis: Workshop) -> None:
    clock = FakeClock(datetime(2020, 5, 19, 11, 30).astimezone())
    record = _record(clock, "A")
    record.enter_step("booster", clock.now())
    programme = Programme(atis, record)
    assert atis.pitch is not None
    r = PitchRound(
        atis.pitch,
        record,
        clock,
        planned_end_of(atis, "booster"),
        plan_is_live=programme.plan_is_live,
    )
    r.add_volunteer("a")
    assert r.budget() is not None
    clock.advance(timedelta(days=1).total_seconds())
    assert r.budget() is None


def test_budget_with_nobody_left(atis: Workshop) -> None:
    r = _round(atis, at=(11, 40))
    budget = r.budget()
    assert budget is not None and budget.projects == 0
    assert budget.minutes_left == 10 and budget.minutes_each is None


@pytest.mark.parametrize("seconds, expected", [(0.0, 0), (59.9, 0), (60.0, 1), (-0.5, -1)])
def test_minutes_left_rounding(atis: Workshop, seconds: float, expected: int) -> None:
    from atelier.domain.pitch import Budget

    now = datetime(2020, 5, 19, 11, 50)
    assert Budget(1, seconds, now).minutes_left == expected


def test_mini_workshop_uses_its_own_minutes(mini: Workshop) -> None:
    clock = FakeClock()
    assert mini.pitch is not None
    r = PitchRound(mini.pitch, _record(clock, "Solo"), clock)
    r.add_volunteer("solo")
    r.toggle()
    assert r.active_countdown is not None and r.active_countdown.label() == "01:00"
    assert r.active_countdown.warning_s == 15
    r.to_exchange()
    assert r.active_countdown.label() == "04:00" and r.active_countdown.warning_s == 60


def test_the_budget_and_the_phase_length_follow_plus_and_minus(atis: Workshop) -> None:
    """Issue 14: the exchange said 15' while the budget said ~10 min each and ignored ±."""
    from atelier.domain.pitch import TimerKind

    r = _round(atis, "A", "B", "C", at=(11, 0))  # 50 minutes to the planned end, 11h50
    for pid in ("a", "b", "c"):
        r.add_volunteer(pid)
    budget = r.budget()
    assert budget is not None and (budget.projects, budget.minutes_each) == (3, 16)
    r.toggle()  # A pitches: it still needs 2' of pitch and 15' of exchange
    budget = r.budget()
    assert budget is not None and budget.waiting == 2
    assert budget.minutes_after_stage == 33 and budget.minutes_each == 16
    assert r.to_exchange()
    assert r.add_minutes(3)  # the exchange gets 3 more minutes …
    a = r.current
    assert a is not None and r.phase_minutes(a, TimerKind.EXCHANGE) == 18  # … its label says so
    budget = r.budget()
    assert budget is not None and budget.minutes_after_stage == 32  # … and the others get less
    assert budget.minutes_each == 16
    _advance(r, 10 * 60)
    budget = r.budget()
    assert budget is not None and budget.minutes_after_stage == 32  # time spent on stage
    r.next_project()  # B comes up; C waits
    r.toggle()
    budget = r.budget()
    assert budget is not None and budget.waiting == 1
