"""When typed text is saved: a debounce with a maximum wait.

A save comes ``quiet_s`` after the last change (typing paused), and never later than
``max_wait_s`` after the first change not yet saved, even while typing goes on: a steady typist
(a key every 0.25 s) is saved at least once a second, so a crash loses at most a second of
typing. Pure: the times are the clock's ``monotonic()`` readings, given by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

QUIET_S = 0.5
"""Quiet time after the last change before a save."""
MAX_WAIT_S = 1.0
"""The longest a change waits for its save while changes keep coming."""


@dataclass
class DebounceSchedule:
    quiet_s: float = QUIET_S
    max_wait_s: float = MAX_WAIT_S
    first_pending: float | None = None  # monotonic time of the oldest unsaved change
    last_change: float | None = None

    def __post_init__(self) -> None:
        if self.quiet_s < 0 or self.max_wait_s < 0:
            raise ValueError("waits are >= 0")

    @property
    def pending(self) -> bool:
        return self.first_pending is not None

    def changed(self, now: float) -> float:
        """Record a change at ``now``; the delay until the save is due (0: save now)."""
        if self.first_pending is None:
            self.first_pending = now
        self.last_change = now
        return self.delay(now)

    def due_at(self) -> float | None:
        """When the pending changes must be saved (None: nothing pending)."""
        if self.first_pending is None or self.last_change is None:
            return None
        return min(self.last_change + self.quiet_s, self.first_pending + self.max_wait_s)

    def delay(self, now: float) -> float:
        due = self.due_at()
        return 0.0 if due is None else max(0.0, due - now)

    def is_due(self, now: float) -> bool:
        due = self.due_at()
        return due is not None and now >= due

    def saved(self) -> None:
        """The pending changes are being saved: start afresh."""
        self.first_pending = None
        self.last_change = None
