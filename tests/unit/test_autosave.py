"""The debounce with a maximum wait behind every autosave of typed text (issue 15 item 4)."""

from __future__ import annotations

import pytest

from atelier.domain.autosave import MAX_WAIT_S, QUIET_S, DebounceSchedule
from atelier.domain.clock import FakeClock


def test_defaults_keep_the_readme_promise() -> None:
    assert QUIET_S <= 0.5 and MAX_WAIT_S <= 1.0


def test_a_pause_saves_after_the_quiet_time() -> None:
    clock = FakeClock()
    schedule = DebounceSchedule()
    assert schedule.changed(clock.monotonic()) == pytest.approx(QUIET_S)
    clock.advance(QUIET_S - 0.01)
    assert not schedule.is_due(clock.monotonic())
    clock.advance(0.01)
    assert schedule.is_due(clock.monotonic())


def test_steady_typing_is_saved_at_least_every_max_wait() -> None:
    """A key every 0.25 s for 30 s, never a pause: no key waits more than MAX_WAIT_S for
    the save that carries it."""
    clock = FakeClock()
    schedule = DebounceSchedule()
    waiting: list[float] = []  # keys typed, not saved yet
    longest = 0.0
    for _ in range(120):
        clock.advance(0.25)
        now = clock.monotonic()
        waiting.append(now)
        if schedule.changed(now) == 0:
            longest = max(longest, now - waiting[0])
            waiting.clear()
            schedule.saved()
    assert longest <= MAX_WAIT_S
    assert len(waiting) <= MAX_WAIT_S / 0.25


def test_delay_never_passes_the_cap() -> None:
    schedule = DebounceSchedule(quiet_s=0.5, max_wait_s=1.0)
    schedule.changed(10.0)
    assert schedule.changed(10.9) == pytest.approx(0.1)  # capped, not 0.5
    assert schedule.changed(11.0) == 0.0
    schedule.saved()
    assert not schedule.pending and schedule.due_at() is None
