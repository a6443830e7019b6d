"""Sequence 2's timed phases (atelier.domain.phases) and the grid-entry edits
(atelier.domain.assessment), driven by a FakeClock: no Textual, no sleeping."""

from __future__ import annotations

import functools
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atelier.domain import assessment
from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.content_grid import Assessment
from atelier.domain.countdown import RunState, Zone
from atelier.domain.phases import PhaseRun
from atelier.domain.session import CriterionScore, Project, SessionRecord
from atelier.store.content_loader import load_workshop
from tests.conftest import ATIS_DIR


def new_record() -> SessionRecord:
    now = datetime(2020, 5, 19, 10, 0).astimezone()
    return SessionRecord(name="s", workshop_id="w", created_at=now, updated_at=now)


def restarted(record: SessionRecord) -> SessionRecord:
    """What a restart reads back: the record through its saved form."""
    return SessionRecord.model_validate(record.model_dump(mode="json"))


@functools.cache
def atis_assessment() -> Assessment:
    """Loaded once, outside a fixture, so Hypothesis does not print the whole workshop."""
    assessment_content = load_workshop(ATIS_DIR).assessment
    assert assessment_content is not None
    return assessment_content


@pytest.fixture
def run(atis: Workshop, clock: FakeClock) -> PhaseRun:
    assert atis.assessment is not None
    return PhaseRun(atis.assessment, new_record(), clock)


# -- the phases in order ---------------------------------------------------------------------


def test_fresh_run_waits_on_the_first_phase(run: PhaseRun) -> None:
    assert (run.index, run.count, run.phase.id) == (0, 3, "autoevaluation")
    assert not run.begun
    assert run.countdown.state is RunState.READY
    assert run.countdown.label() == "10:00"
    run.begin()
    assert run.record.current_phase_id == "autoevaluation"
    assert run.record.phases["autoevaluation"].duration_s == 600
    assert run.record.phases["autoevaluation"].elapsed_s == 0


def test_pause_and_resume_count_only_running_time(run: PhaseRun, clock: FakeClock) -> None:
    run.toggle()  # start
    clock.advance(90)
    assert run.countdown.label() == "08:30"
    run.toggle()  # pause
    saved = run.record.phases["autoevaluation"]
    assert saved.elapsed_s == 90
    assert saved.started_at == datetime(2020, 5, 19, 9, 40).astimezone()
    clock.advance(300)  # paused: nothing counts
    assert run.countdown.label() == "08:30"
    run.toggle()  # resume
    clock.advance(30)
    run.capture()
    assert run.record.phases["autoevaluation"].elapsed_s == 120
    assert run.countdown.label() == "08:00"


def test_plus_and_minus_one_minute_are_saved_in_the_duration(
    run: PhaseRun, clock: FakeClock
) -> None:
    run.toggle()
    clock.advance(60)
    run.add_minutes(1)
    assert run.countdown.label() == "10:00"
    assert run.record.phases["autoevaluation"].duration_s == 660
    run.add_minutes(-1)
    run.add_minutes(-1)
    assert run.countdown.label() == "08:00"
    assert run.record.phases["autoevaluation"].duration_s == 540


def test_minus_one_minute_never_invents_overtime(run: PhaseRun, clock: FakeClock) -> None:
    run.toggle()
    clock.advance(570)  # 30 s left
    run.add_minutes(-1)
    assert run.countdown.remaining() == 0
    assert run.countdown.zone is Zone.EXPIRED


def test_warning_then_overtime_counts_up(run: PhaseRun, clock: FakeClock) -> None:
    run.toggle()
    clock.advance(541)
    assert run.countdown.zone is Zone.WARNING
    clock.advance(59)
    assert run.countdown.label() == "00:00"
    assert run.countdown.is_expired()
    clock.advance(95)
    assert run.countdown.label() == "+1:35"
    run.capture()
    assert run.record.phases["autoevaluation"].overtime_s == 95
    assert run.countdown.running  # a timer never stops by itself


def test_warning_seconds_come_from_the_phase(mini: Workshop, clock: FakeClock) -> None:
    assert mini.assessment is not None
    run = PhaseRun(mini.assessment, new_record(), clock)
    run.toggle()
    clock.advance(149)
    assert run.countdown.zone is Zone.NORMAL
    clock.advance(1)
    assert run.countdown.zone is Zone.WARNING  # 30 s before the end of 3'


def test_next_phase_closes_the_running_one_and_carries_on(run: PhaseRun, clock: FakeClock) -> None:
    run.toggle()
    clock.advance(700)  # 10' + 1'40" of overtime: the actual duration is kept
    assert run.next()
    first = run.record.phases["autoevaluation"]
    assert first.elapsed_s == 700
    assert first.overtime_s == 100
    assert first.ended_at == clock.now()
    assert run.phase.id == "amelioration"
    assert run.record.current_phase_id == "amelioration"
    assert run.countdown.running
    clock.advance(60)
    assert run.countdown.label() == "09:00"
    assert not run.countdown_of(run.phases[0]).running


def test_next_phase_after_a_paused_one_waits_for_espace(run: PhaseRun, clock: FakeClock) -> None:
    run.toggle()
    clock.advance(30)
    run.toggle()
    run.next()
    assert run.countdown.state is RunState.READY
    clock.advance(30)
    assert run.countdown.label() == "10:00"


def test_skipping_a_phase_never_started_records_no_end(run: PhaseRun) -> None:
    run.begin()
    run.next()
    assert run.record.phases["autoevaluation"].ended_at is None
    assert run.record.phases["autoevaluation"].started_at is None


def test_previous_phase_stops_and_never_starts(run: PhaseRun, clock: FakeClock) -> None:
    run.toggle()
    clock.advance(100)
    run.next()  # phase 2 runs
    clock.advance(20)
    assert run.previous()
    assert run.phase.id == "autoevaluation"
    assert run.countdown.state is RunState.PAUSED
    assert run.countdown.elapsed() == 100
    assert run.record.phases["amelioration"].elapsed_s == 20
    assert not run.previous()  # the first phase has no previous
    assert run.index == 0


def test_last_phase_then_finish(run: PhaseRun, clock: FakeClock) -> None:
    run.toggle()
    run.next()
    run.next()
    assert run.is_last and run.phase.id == "preparation-pitch"
    assert [p.id for p in run.phase.prompts] == ["a", "b", "c"]
    clock.advance(310)
    assert not run.next()
    run.finish()
    last = run.record.phases["preparation-pitch"]
    assert not run.countdown.running
    assert last.elapsed_s == 310
    assert last.ended_at == clock.now()


def test_restart_mid_phase_comes_back_stopped_with_its_elapsed_time(
    atis: Workshop, clock: FakeClock
) -> None:
    assert atis.assessment is not None
    run = PhaseRun(atis.assessment, new_record(), clock)
    run.toggle()
    clock.advance(200)
    run.next()
    clock.advance(100)
    run.capture()  # what the screen does on every key and on flush

    later = FakeClock(monotonic_start=5.0)  # a new process: another monotonic origin
    again = PhaseRun(atis.assessment, restarted(run.record), later)
    assert again.begun
    assert again.phase.id == "amelioration"
    assert again.countdown.state is RunState.PAUSED
    assert again.countdown.label() == "08:20"
    assert again.countdown_of(again.phases[0]).elapsed() == 200
    later.advance(600)  # stopped: the facilitator decides when it goes on
    assert again.countdown.label() == "08:20"
    again.toggle()
    later.advance(10)
    assert again.countdown.label() == "08:10"


def test_restart_in_overtime_does_not_ring_again(atis: Workshop, clock: FakeClock) -> None:
    assert atis.assessment is not None
    run = PhaseRun(atis.assessment, new_record(), clock)
    run.toggle()
    clock.advance(650)
    run.capture()
    again = PhaseRun(atis.assessment, restarted(run.record), FakeClock())
    assert again.countdown.label() == "+0:50"
    assert again.countdown.poll() == []


def test_unknown_current_phase_falls_back_to_the_first(atis: Workshop, clock: FakeClock) -> None:
    assert atis.assessment is not None
    record = new_record()
    record.current_phase_id = "gone"
    assert PhaseRun(atis.assessment, record, clock).index == 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["toggle", "plus", "minus", "next", "previous"]),
            st.integers(min_value=0, max_value=400),
        ),
        max_size=30,
    )
)
def test_any_key_sequence_keeps_the_record_equal_to_the_countdowns(ops: list[str | int]) -> None:
    """Whatever the facilitator presses, the record holds what every countdown shows, at most
    one phase runs, and the time run adds up to the time that passed while one was running."""
    clock = FakeClock()
    run = PhaseRun(atis_assessment(), new_record(), clock)
    running_time = 0.0
    for op in ops:
        if isinstance(op, int):
            if any(run.countdown_of(p).running for p in run.phases):
                running_time += op
            clock.advance(op)
            continue
        {
            "toggle": run.toggle,
            "plus": lambda: run.add_minutes(1),
            "minus": lambda: run.add_minutes(-1),
            "next": run.next,
            "previous": run.previous,
        }[op]()
        assert sum(run.countdown_of(p).running for p in run.phases) <= 1
        for phase in run.phases:
            if phase.id in run.record.phases:
                saved = run.record.phases[phase.id]
                countdown = run.countdown_of(phase)
                assert saved.duration_s == countdown.duration_s
                assert saved.elapsed_s == pytest.approx(countdown.elapsed(), abs=1e-3)
    run.capture()
    total = sum(saved.elapsed_s for saved in run.record.phases.values())
    assert total == pytest.approx(running_time, abs=1e-2)


# -- grid entry edits ---------------------------------------------------------------------------


@pytest.fixture
def project() -> Project:
    return Project(id="p", name="P")


def test_set_level_and_clear(atis: Workshop, project: Project) -> None:
    assert assessment.set_level(project, "gouvernance", "fort")
    assert project.scores["gouvernance"].level == "fort"
    assert not assessment.set_level(project, "gouvernance", "fort")  # no change, no save
    assert assessment.set_level(project, "gouvernance", None)
    assert "gouvernance" not in project.scores  # nothing left to say


def test_shift_level_starts_at_the_first_and_stops_at_both_ends(
    atis: Workshop, project: Project
) -> None:
    grid = atis.grid
    assert grid is not None
    assert assessment.shift_level(grid, project, "gouvernance", -1)
    assert project.scores["gouvernance"].level == "inexistant"
    assert not assessment.shift_level(grid, project, "gouvernance", -1)
    for expected in ("faible", "intermediaire", "fort"):
        assert assessment.shift_level(grid, project, "gouvernance", 1)
        assert project.scores["gouvernance"].level == expected
    assert not assessment.shift_level(grid, project, "gouvernance", 1)
    project.scores["accessibilite"] = CriterionScore(level="ancien-niveau")
    assert assessment.shift_level(grid, project, "accessibilite", 1)
    assert project.scores["accessibilite"].level == "inexistant"


def test_progress_mark_and_comment_keep_the_level(project: Project) -> None:
    assessment.set_level(project, "gouvernance", "faible")
    assert assessment.toggle_progress(project, "gouvernance")
    assert assessment.set_comment(project, "gouvernance", "à revoir")
    assert not assessment.set_comment(project, "gouvernance", "à revoir")
    assert project.scores["gouvernance"] == CriterionScore(
        level="faible", comment="à revoir", progress=True
    )
    assert assessment.toggle_progress(project, "gouvernance")
    assert assessment.set_comment(project, "gouvernance", "")
    assert assessment.set_level(project, "gouvernance", None)
    assert project.scores == {}


def test_text_fields_report_only_real_changes(project: Project) -> None:
    assert not assessment.set_improvement_axes(project, "")
    assert assessment.set_improvement_axes(project, "Trouver un local\n")
    assert not assessment.set_improvement_axes(project, "Trouver un local\n")
    assert assessment.set_pitch_prep(project, "a", "Une épicerie")
    assert not assessment.set_pitch_prep(project, "a", "Une épicerie")
    assert assessment.set_pitch_prep(project, "a", "")
    assert project.pitch_prep == {}
