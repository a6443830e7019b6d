"""The one countdown model: the 10' pause, the assessment phases, the 2' pitch, the 15' exchange.

Remaining time is always computed from an injected monotonic clock (``accumulated`` plus the
span since ``running_since``), never by counting ticks: a blocked event loop, dropped timer
ticks or a pause/resume cannot shift what is shown. Pure Python, no Textual.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from enum import Enum, IntEnum
from typing import Any

from atelier.domain.wording import format_timer

MonotonicClock = Callable[[], float]
"""Seconds from an arbitrary origin that never go backwards (``clock.monotonic``)."""

_EPSILON_DIGITS = 6
"""Round to the microsecond before ceil/floor so float noise (0.1 added 600 times) cannot
turn a whole 14:00 into 14:01."""


class RunState(Enum):
    """Whether the clock is ticking; orthogonal to :class:`Zone`."""

    READY = "ready"
    """Never started since creation or reset."""
    RUNNING = "running"
    PAUSED = "paused"
    """Started at least once, stopped now (also a countdown restored after a crash)."""


class Zone(IntEnum):
    """How close the deadline is; ordered so a higher zone means later in the countdown."""

    NORMAL = 0
    WARNING = 1
    """``0 < remaining <= warning_s``."""
    EXPIRED = 2
    """``remaining <= 0``: the deadline has passed (overtime counts up while running)."""


class CountdownEvent(Enum):
    """Edges reported once each by :meth:`Countdown.poll`."""

    WARNING = "warning"
    EXPIRED = "expired"


_EVENT_FOR_ZONE = {Zone.WARNING: CountdownEvent.WARNING, Zone.EXPIRED: CountdownEvent.EXPIRED}


@dataclass(frozen=True, slots=True)
class CountdownSnapshot:
    """What the session file keeps of a countdown: enough to resume it, stopped."""

    duration_s: float
    elapsed_s: float
    warning_s: float = 60.0

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CountdownSnapshot:
        return cls(
            duration_s=float(data["duration_s"]),
            elapsed_s=float(data["elapsed_s"]),
            warning_s=float(data.get("warning_s", 60.0)),
        )


class Countdown:
    """A countdown that can be paused, resumed, lengthened or shortened, and that overruns.

    ``clock`` is a zero-argument callable returning monotonic seconds; tests pass
    ``FakeClock().monotonic`` and move time by hand.
    """

    def __init__(
        self,
        duration_s: float,
        clock: MonotonicClock,
        warning_s: float = 60,
        elapsed_s: float = 0.0,
    ) -> None:
        if duration_s < 0 or warning_s < 0 or elapsed_s < 0:
            raise ValueError("duration, warning and elapsed time must not be negative")
        self._clock = clock
        self._initial_duration = float(duration_s)
        self._duration = float(duration_s)
        self._warning = float(warning_s)
        self._accumulated = float(elapsed_s)
        self._running_since: float | None = None
        self._started = elapsed_s > 0
        # Zones already reported by poll(); starting at the current zone means a countdown
        # restored in overtime does not ring again.
        self._reported_zone = self.zone

    # -- reading -----------------------------------------------------------------------------

    @property
    def duration_s(self) -> float:
        """Current total duration, including every ± minute added."""
        return self._duration

    @property
    def warning_s(self) -> float:
        return self._warning

    @property
    def running(self) -> bool:
        return self._running_since is not None

    @property
    def started(self) -> bool:
        """True once started, until reset(); the screens use it to offer « reprendre »."""
        return self._started

    @property
    def state(self) -> RunState:
        if self.running:
            return RunState.RUNNING
        return RunState.PAUSED if self._started else RunState.READY

    @property
    def zone(self) -> Zone:
        remaining = self.remaining()
        if remaining <= 0:
            return Zone.EXPIRED
        if remaining <= self._warning:
            return Zone.WARNING
        return Zone.NORMAL

    def elapsed(self) -> float:
        """Seconds spent running so far (all running intervals added up)."""
        if self._running_since is None:
            return self._accumulated
        # max(): a clock that steps back (it should not) must not make time run backwards.
        return self._accumulated + max(0.0, self._clock() - self._running_since)

    def remaining(self) -> float:
        """Seconds left before the deadline; negative once overrun."""
        return self._duration - self.elapsed()

    def overtime(self) -> float:
        """Seconds past the deadline (0 before it)."""
        return max(0.0, -self.remaining())

    def is_warning(self) -> bool:
        return self.zone is Zone.WARNING

    def is_expired(self) -> bool:
        return self.zone is Zone.EXPIRED

    def label(self) -> str:
        """What the big display shows.

        Before the deadline: ``MM:SS`` rounded *up*, so "15:00" shows for the whole first
        second and "00:00" only at the deadline. After it: ``+M:SS`` rounded *down*, so the
        first second of overtime still reads "00:00" and the rhythm stays one change per
        second (…00:01, 00:00, +0:01…). Hours appear from 60 minutes on ("1:05:00").
        """
        remaining = round(self.remaining(), _EPSILON_DIGITS)
        if remaining >= 0:
            return format_timer(math.ceil(remaining), pad_minutes=True)
        over = math.floor(-remaining)
        if over == 0:
            return format_timer(0, pad_minutes=True)
        return "+" + format_timer(over, pad_minutes=False)

    # -- commands ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start, or resume if paused; no effect while running."""
        if self._running_since is None:
            self._running_since = self._clock()
            self._started = True

    def resume(self) -> None:
        self.start()

    def pause(self) -> None:
        """Stop the clock, keeping the elapsed time; no effect unless running."""
        if self._running_since is not None:
            self._accumulated = self.elapsed()
            self._running_since = None

    def toggle(self) -> None:
        """Space bar: pause when running, otherwise start/resume."""
        if self.running:
            self.pause()
        else:
            self.start()

    def add(self, seconds: float) -> float:
        """Lengthen (``+60``) or shorten (``-60``) the countdown; returns the new duration.

        Shortening can bring the deadline forward to *now* but never into the past: taking a
        minute off with 30 s left expires the countdown now rather than inventing 30 s of
        overtime, and in overtime ``-60`` changes nothing. The duration never goes below 0.
        """
        elapsed = self.elapsed()
        floor = max(0.0, min(self._duration, elapsed))
        self._duration = max(self._duration + seconds, floor)
        # Moving the deadline back out of a zone re-arms its event.
        self._reported_zone = min(self._reported_zone, self.zone)
        return self._duration

    def reset(self, duration_s: float | None = None) -> None:
        """Back to READY with the original duration (or a new one), nothing elapsed."""
        if duration_s is not None:
            if duration_s < 0:
                raise ValueError("duration must not be negative")
            self._initial_duration = float(duration_s)
        self._duration = self._initial_duration
        self._accumulated = 0.0
        self._running_since = None
        self._started = False
        self._reported_zone = self.zone

    def poll(self) -> list[CountdownEvent]:
        """Events newly crossed since the last poll, in order, each reported once.

        A long stall may cross both edges at once: ``[WARNING, EXPIRED]``.
        """
        zone = self.zone
        if zone <= self._reported_zone:
            self._reported_zone = zone
            return []
        events = [
            _EVENT_FOR_ZONE[crossed] for crossed in Zone if self._reported_zone < crossed <= zone
        ]
        self._reported_zone = zone
        return events

    # -- persistence -------------------------------------------------------------------------

    def snapshot(self) -> CountdownSnapshot:
        return CountdownSnapshot(
            duration_s=self._duration, elapsed_s=self.elapsed(), warning_s=self._warning
        )

    @classmethod
    def restore(
        cls, snapshot: CountdownSnapshot | Mapping[str, Any], clock: MonotonicClock
    ) -> Countdown:
        """A stopped countdown with the saved elapsed time (resuming after a crash)."""
        if not isinstance(snapshot, CountdownSnapshot):
            snapshot = CountdownSnapshot.from_dict(snapshot)
        return cls(
            duration_s=snapshot.duration_s,
            clock=clock,
            warning_s=snapshot.warning_s,
            elapsed_s=snapshot.elapsed_s,
        )

    def __repr__(self) -> str:
        return (
            f"Countdown({self.label()!r}, state={self.state.value}, zone={self.zone.name.lower()},"
            f" duration_s={self._duration:g}, elapsed_s={self.elapsed():.3f})"
        )
