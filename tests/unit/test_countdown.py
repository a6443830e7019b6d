"""Countdown: driven by a FakeClock only, so every assertion is exact and instant."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atelier.domain.clock import FakeClock
from atelier.domain.countdown import (
    Countdown,
    CountdownEvent,
    CountdownSnapshot,
    RunState,
    Zone,
)
from atelier.domain.wording import format_timer

FIFTEEN_MINUTES = 15 * 60


def make(duration: float = FIFTEEN_MINUTES, **kwargs: float) -> tuple[Countdown, FakeClock]:
    clock = FakeClock()
    return Countdown(duration, clock.monotonic, **kwargs), clock


# -- the basic run -----------------------------------------------------------------------------


def test_ready_countdown_does_not_move_with_the_clock() -> None:
    countdown, clock = make()
    clock.advance(100)
    assert countdown.state is RunState.READY
    assert not countdown.started and not countdown.running
    assert countdown.remaining() == FIFTEEN_MINUTES
    assert countdown.label() == "15:00"


def test_fifteen_minutes_of_fake_time_is_exact() -> None:
    countdown, clock = make()
    countdown.start()
    clock.advance(FIFTEEN_MINUTES)
    assert countdown.remaining() == 0
    assert countdown.elapsed() == FIFTEEN_MINUTES
    assert countdown.label() == "00:00"
    assert countdown.is_expired()
    assert countdown.overtime() == 0


def test_fifteen_minutes_in_tenth_of_second_steps_shows_every_whole_second() -> None:
    """9000 float additions of 0.1 must not turn 14:00 into 14:01 (float noise)."""
    countdown, clock = make()
    countdown.start()
    seen: list[str] = []
    for _ in range(FIFTEEN_MINUTES * 10):
        clock.advance(0.1)
        label = countdown.label()
        if not seen or seen[-1] != label:
            seen.append(label)
    expected = [format_timer(s, pad_minutes=True) for s in range(FIFTEEN_MINUTES - 1, -1, -1)]
    # The first tenth already shows 15:00 (ceil), so the sequence starts with 15:00.
    assert seen == ["15:00", *expected]
    assert abs(countdown.remaining()) < 1e-6


def test_pause_and_resume_do_not_shift_remaining() -> None:
    countdown, clock = make()
    countdown.start()
    clock.advance(100)
    countdown.pause()
    assert countdown.state is RunState.PAUSED
    clock.advance(500)  # paused: does not count
    assert countdown.remaining() == FIFTEEN_MINUTES - 100
    countdown.resume()
    clock.advance(50)
    assert countdown.remaining() == FIFTEEN_MINUTES - 150
    countdown.pause()
    countdown.pause()  # twice is harmless
    countdown.start()
    countdown.start()  # twice is harmless
    clock.advance(10)
    assert countdown.remaining() == FIFTEEN_MINUTES - 160


def test_a_stall_without_polling_does_not_drift() -> None:
    """A blocked event loop drops ticks; the time shown must not care."""
    countdown, clock = make()
    countdown.start()
    clock.advance(10)
    assert countdown.label() == "14:50"
    clock.advance(3)  # 3 s "stall": nothing read in between
    assert countdown.remaining() == FIFTEEN_MINUTES - 13
    assert countdown.label() == "14:47"


def test_toggle_alternates_running_and_paused() -> None:
    countdown, clock = make()
    countdown.toggle()
    assert countdown.running
    clock.advance(5)
    countdown.toggle()
    assert countdown.state is RunState.PAUSED
    clock.advance(5)
    countdown.toggle()
    clock.advance(5)
    assert countdown.elapsed() == 10


# -- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "label"),
    [
        (0, "15:00"),
        (0.2, "15:00"),
        (0.999, "15:00"),
        (1, "14:59"),
        (FIFTEEN_MINUTES - 60, "01:00"),
        (FIFTEEN_MINUTES - 59.5, "01:00"),
        (FIFTEEN_MINUTES - 0.2, "00:01"),
        (FIFTEEN_MINUTES, "00:00"),
        (FIFTEEN_MINUTES + 0.5, "00:00"),
        (FIFTEEN_MINUTES + 1, "+0:01"),
        (FIFTEEN_MINUTES + 23.9, "+0:23"),
        (FIFTEEN_MINUTES + 125, "+2:05"),
        (FIFTEEN_MINUTES + 3600 + 300, "+1:05:00"),
    ],
)
def test_label(elapsed: float, label: str) -> None:
    countdown, clock = make()
    countdown.start()
    clock.advance(elapsed)
    assert countdown.label() == label


def test_label_shows_hours_from_one_hour() -> None:
    countdown, clock = make(65 * 60)
    assert countdown.label() == "1:05:00"
    countdown.start()
    clock.advance(5 * 60)
    assert countdown.label() == "1:00:00"
    clock.advance(0.5)
    assert countdown.label() == "1:00:00"
    clock.advance(0.5)
    assert countdown.label() == "59:59"


def test_overtime_counts_up_while_running_only() -> None:
    countdown, clock = make(120)
    countdown.start()
    clock.advance(150)
    assert countdown.overtime() == 30
    assert countdown.remaining() == -30
    countdown.pause()
    clock.advance(100)
    assert countdown.overtime() == 30
    assert countdown.label() == "+0:30"


# -- zones and events ------------------------------------------------------------------------


def test_zones() -> None:
    countdown, clock = make(120, warning_s=60)
    countdown.start()
    assert countdown.zone is Zone.NORMAL and not countdown.is_warning()
    clock.advance(59.9)
    assert countdown.zone is Zone.NORMAL
    clock.advance(0.1)
    assert countdown.is_warning()  # remaining == warning_s counts as warning
    clock.advance(59.9)
    assert countdown.is_warning() and not countdown.is_expired()
    clock.advance(0.1)
    assert countdown.is_expired() and not countdown.is_warning()


def test_events_fire_exactly_once_each() -> None:
    countdown, clock = make(120)
    countdown.start()
    events: list[CountdownEvent] = []
    for _ in range(2000):  # 200 s in 0.1 s steps, polled every step
        clock.advance(0.1)
        events += countdown.poll()
    assert events == [CountdownEvent.WARNING, CountdownEvent.EXPIRED]


def test_a_stall_across_both_edges_reports_both_in_order() -> None:
    countdown, clock = make(120)
    countdown.start()
    assert countdown.poll() == []
    clock.advance(500)
    assert countdown.poll() == [CountdownEvent.WARNING, CountdownEvent.EXPIRED]
    assert countdown.poll() == []


def test_adding_time_re_arms_the_events() -> None:
    countdown, clock = make(120)
    countdown.start()
    clock.advance(121)
    assert countdown.poll() == [CountdownEvent.WARNING, CountdownEvent.EXPIRED]
    countdown.add(60)  # 59 s left: back in warning, out of expiry
    assert countdown.is_warning()
    assert countdown.poll() == []
    clock.advance(59)
    assert countdown.poll() == [CountdownEvent.EXPIRED]
    countdown.add(120)  # 120 s left: out of both zones
    clock.advance(61)
    assert countdown.poll() == [CountdownEvent.WARNING]
    clock.advance(59)
    assert countdown.poll() == [CountdownEvent.EXPIRED]


def test_add_then_poll_later_still_re_arms() -> None:
    """Even without a poll between the add and the new crossing."""
    countdown, clock = make(120)
    countdown.start()
    clock.advance(130)
    countdown.poll()
    countdown.add(60)
    clock.advance(60)
    assert countdown.poll() == [CountdownEvent.EXPIRED]


def test_countdown_created_inside_warning_does_not_announce_it() -> None:
    countdown, clock = make(30, warning_s=60)
    countdown.start()
    clock.advance(29)
    assert countdown.poll() == []
    clock.advance(1)
    assert countdown.poll() == [CountdownEvent.EXPIRED]


# -- add ± 60 in every state -----------------------------------------------------------------


def test_add_when_ready() -> None:
    countdown, _ = make(120)
    assert countdown.add(60) == 180
    assert countdown.label() == "03:00"
    assert countdown.add(-60) == 120
    assert countdown.add(-200) == 0  # never below zero
    assert countdown.state is RunState.READY


def test_add_when_running_and_paused() -> None:
    countdown, clock = make(600)
    countdown.start()
    clock.advance(100)
    countdown.add(60)
    assert countdown.remaining() == 560
    countdown.add(-60)
    assert countdown.remaining() == 500
    assert countdown.running
    countdown.pause()
    countdown.add(60)
    assert countdown.remaining() == 560
    assert countdown.state is RunState.PAUSED


def test_shortening_past_the_deadline_expires_now_without_fake_overtime() -> None:
    countdown, clock = make(120)
    countdown.start()
    clock.advance(90)  # 30 s left
    countdown.add(-60)
    assert countdown.remaining() == 0
    assert countdown.overtime() == 0
    assert countdown.is_expired()
    assert countdown.label() == "00:00"


def test_minus_a_minute_in_overtime_changes_nothing_plus_a_minute_gives_time_back() -> None:
    countdown, clock = make(120)
    countdown.start()
    clock.advance(143)
    assert countdown.label() == "+0:23"
    countdown.add(-60)
    assert countdown.overtime() == 23
    countdown.add(60)
    assert countdown.remaining() == 37
    assert countdown.label() == "00:37"


def test_reset_restores_the_original_duration() -> None:
    countdown, clock = make(120)
    countdown.start()
    clock.advance(50)
    countdown.add(60)
    countdown.reset()
    assert countdown.state is RunState.READY
    assert not countdown.started
    assert countdown.duration_s == 120
    assert countdown.remaining() == 120
    clock.advance(10)
    assert countdown.remaining() == 120
    countdown.reset(300)
    assert countdown.label() == "05:00"


def test_negative_arguments_are_refused() -> None:
    clock = FakeClock()
    with pytest.raises(ValueError):
        Countdown(-1, clock.monotonic)
    with pytest.raises(ValueError):
        Countdown(10, clock.monotonic, warning_s=-1)


# -- snapshot / restore ----------------------------------------------------------------------


def test_snapshot_and_restore_give_a_stopped_countdown() -> None:
    countdown, clock = make(600, warning_s=30)
    countdown.start()
    clock.advance(123.5)
    countdown.add(60)
    snapshot = countdown.snapshot()
    assert snapshot == CountdownSnapshot(duration_s=660, elapsed_s=123.5, warning_s=30)
    assert snapshot.to_dict() == {"duration_s": 660, "elapsed_s": 123.5, "warning_s": 30}

    other_clock = FakeClock(monotonic_start=5.0)  # a new process: another origin
    restored = Countdown.restore(snapshot.to_dict(), other_clock.monotonic)
    assert restored.state is RunState.PAUSED
    assert restored.started
    assert restored.remaining() == 660 - 123.5
    other_clock.advance(1000)
    assert restored.remaining() == 660 - 123.5
    restored.resume()
    other_clock.advance(10)
    assert restored.elapsed() == 133.5


def test_restored_countdown_in_overtime_does_not_ring_again() -> None:
    clock = FakeClock()
    restored = Countdown.restore(CountdownSnapshot(duration_s=120, elapsed_s=150), clock.monotonic)
    assert restored.label() == "+0:30"
    restored.start()
    clock.advance(5)
    assert restored.poll() == []


def test_restore_with_nothing_elapsed_is_ready() -> None:
    clock = FakeClock()
    restored = Countdown.restore(CountdownSnapshot(600, 0), clock.monotonic)
    assert restored.state is RunState.READY


# -- property: remaining == duration - sum of running intervals -------------------------------

_operation = st.one_of(
    st.tuples(st.just("advance"), st.floats(min_value=0, max_value=400, allow_nan=False)),
    st.tuples(st.sampled_from(["start", "pause", "resume", "toggle", "poll"]), st.just(0.0)),
)


@settings(max_examples=300, deadline=None)
@given(
    duration=st.integers(min_value=0, max_value=3600),
    operations=st.lists(_operation, max_size=40),
)
def test_remaining_is_duration_minus_running_time(
    duration: int, operations: list[tuple[str, float]]
) -> None:
    clock = FakeClock()
    countdown = Countdown(duration, clock.monotonic)
    running = False
    running_total = 0.0
    for name, amount in operations:
        if name == "advance":
            clock.advance(amount)
            if running:
                running_total += amount
        elif name in ("start", "resume"):
            getattr(countdown, name)()
            running = True
        elif name == "pause":
            countdown.pause()
            running = False
        elif name == "toggle":
            countdown.toggle()
            running = not running
        else:
            countdown.poll()
        assert countdown.running is running
        assert countdown.remaining() == pytest.approx(duration - running_total, abs=1e-6)
        assert countdown.overtime() == pytest.approx(max(0.0, running_total - duration), abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(
    duration=st.integers(min_value=0, max_value=1200),
    steps=st.lists(
        st.one_of(
            st.floats(min_value=0, max_value=120, allow_nan=False),
            st.sampled_from([60.0, -60.0]).map(lambda s: ("add", s)),
        ),
        max_size=60,
    ),
)
def test_each_edge_fires_once_per_crossing(
    duration: int, steps: list[float | tuple[str, float]]
) -> None:
    """Between two add() calls, WARNING and EXPIRED are each reported at most once."""
    clock = FakeClock()
    countdown = Countdown(duration, clock.monotonic)
    countdown.start()
    fired: list[CountdownEvent] = []
    for step in steps:
        if isinstance(step, tuple):
            countdown.add(step[1])
            fired = []
        else:
            clock.advance(step)
        fired += countdown.poll()
        assert len(fired) == len(set(fired))
        assert countdown.duration_s >= 0
