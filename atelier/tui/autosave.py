"""One autosave for every text field: :class:`atelier.domain.autosave.DebounceSchedule` driven
by Textual timers.

``changed()`` after each edit already in the record; the save runs once typing pauses
(``QUIET_S``) and at least every ``MAX_WAIT_S`` while typing goes on. Each change also checks the
injected clock, so the cap holds even when a timer is late (a busy event loop) and tests drive
it with the ``FakeClock``. ``save_now()`` (a field left, a command) and ``cancel()`` (the app
takes over: ``flush`` before a step change or quitting) end the wait.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.timer import Timer
from textual.widget import Widget

from atelier.domain import autosave as timing
from atelier.domain.autosave import DebounceSchedule
from atelier.domain.clock import Clock


class Autosave:
    def __init__(
        self,
        owner: Widget,
        save: Callable[[], Awaitable[object]],
        clock: Clock,
        *,
        quiet_s: float | None = None,
        max_wait_s: float | None = None,
    ) -> None:
        quiet_s = timing.QUIET_S if quiet_s is None else quiet_s
        max_wait_s = timing.MAX_WAIT_S if max_wait_s is None else max_wait_s
        self._owner = owner
        self._save = save
        self._clock = clock
        self.schedule = DebounceSchedule(quiet_s=quiet_s, max_wait_s=max_wait_s)
        self._timer: Timer | None = None
        self.saves = 0  # how many saves this helper started (tests, bench)

    @property
    def pending(self) -> bool:
        return self.schedule.pending

    def changed(self) -> None:
        """An edit is in the record and not on disk yet."""
        now = self._clock.monotonic()
        delay = self.schedule.changed(now)
        self._stop_timer()
        if delay <= 0:
            self._owner.call_later(self._fire)
        else:
            self._timer = self._owner.set_timer(delay, self._fire)

    async def _fire(self) -> None:
        self._timer = None
        if self.schedule.pending:
            await self.save_now()

    async def save_now(self) -> None:
        """Save what is pending now (nothing happens when nothing is)."""
        self._stop_timer()
        if not self.schedule.pending:
            return
        self.schedule.saved()
        self.saves += 1
        await self._save()

    def cancel(self) -> None:
        """Forget the wait: the caller saves (or hands the change to the app) itself."""
        self._stop_timer()
        self.schedule.saved()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
