"""Sequence 2's timed phases (« S'autoévaluer » 10', « Axes d'amélioration » 10', « Préparer son
pitch » 5'): which phase the room is in, and its countdown, saved in the record as it goes.

Every phase has its own :class:`Countdown`, built from the record's :class:`TimerRecord` (so a
phase timer restored after a restart comes back stopped with the time it had run). Every command
copies the countdowns back into the record at once: the screen only has to save afterwards.

Moving on to the next phase stops the phase left (its actual duration is what it ran) and, if
it was running, starts the next one, so the room keeps working on one key press. Going back
to a previous phase never starts anything: that is a correction, the facilitator decides.
Pure Python, no Textual.
"""

from __future__ import annotations

from atelier.domain.clock import Clock
from atelier.domain.content_grid import Assessment, Phase
from atelier.domain.countdown import Countdown
from atelier.domain.session import SessionRecord, TimerRecord


class PhaseRun:
    """The phases of one assessment step, one at a time."""

    def __init__(self, assessment: Assessment, record: SessionRecord, clock: Clock) -> None:
        self.assessment = assessment
        self.record = record
        self._clock = clock
        self._countdowns: dict[str, Countdown] = {}
        ids = [phase.id for phase in assessment.phases]
        current = record.current_phase_id
        self._index = ids.index(current) if current in ids else 0

    # -- reading -------------------------------------------------------------------------------

    @property
    def phases(self) -> tuple[Phase, ...]:
        return self.assessment.phases

    @property
    def count(self) -> int:
        return len(self.assessment.phases)

    @property
    def index(self) -> int:
        """0-based position of the current phase."""
        return self._index

    @property
    def phase(self) -> Phase:
        return self.assessment.phases[self._index]

    @property
    def is_first(self) -> bool:
        return self._index == 0

    @property
    def is_last(self) -> bool:
        return self._index == self.count - 1

    @property
    def begun(self) -> bool:
        """True once the room has reached the phases (the record names a current phase)."""
        return self.record.current_phase_id is not None

    @property
    def countdown(self) -> Countdown:
        """The current phase's countdown."""
        return self.countdown_of(self.phase)

    def countdown_of(self, phase: Phase) -> Countdown:
        countdown = self._countdowns.get(phase.id)
        if countdown is None:
            countdown = self.timer_record(phase).to_countdown(
                self._clock.monotonic, warning_s=phase.warning_seconds
            )
            self._countdowns[phase.id] = countdown
        return countdown

    def timer_record(self, phase: Phase) -> TimerRecord:
        """The phase's saved timer, created (not started) the first time it is asked for."""
        record = self.record.phases.get(phase.id)
        if record is None:
            record = TimerRecord(duration_s=phase.minutes * 60)
            self.record.phases[phase.id] = record
        return record

    # -- commands (each one leaves the record up to date) ---------------------------------------

    def begin(self) -> None:
        """The room reaches the phases: the current one is named in the record."""
        self.record.current_phase_id = self.phase.id
        self.timer_record(self.phase)

    def toggle(self) -> None:
        """Espace: start, pause or resume the current phase."""
        self.begin()
        self.countdown.toggle()
        if self.countdown.running:
            self.timer_record(self.phase).ended_at = None
        self.capture()

    def add_minutes(self, minutes: int) -> None:
        """± one minute on the current phase (see :meth:`Countdown.add` for the limits)."""
        self.begin()
        self.countdown.add(60 * minutes)
        self.capture()

    def next(self) -> bool:
        """On to the next phase; False (nothing changes) after the last one."""
        if self.is_last:
            self.capture()
            return False
        self._move_to(self._index + 1, carry_on=True)
        return True

    def previous(self) -> bool:
        """Back to the previous phase; False (nothing changes) on the first one."""
        if self.is_first:
            self.capture()
            return False
        self._move_to(self._index - 1, carry_on=False)
        return True

    def finish(self) -> None:
        """The step is left past the last phase: stop the current phase and close it."""
        self._leave()
        self.capture()

    def capture(self) -> None:
        """Copy every countdown of this run into the record (duration ± minutes, time run)."""
        now = self._clock.now()
        for phase in self.phases:
            countdown = self._countdowns.get(phase.id)
            if countdown is not None:
                self.timer_record(phase).capture(countdown, now)

    # -- internals -------------------------------------------------------------------------------

    def _leave(self) -> bool:
        """Stop the current phase; True if it was running. A phase that ran gets ``ended_at``."""
        countdown = self.countdown
        was_running = countdown.running
        countdown.pause()
        if countdown.started:
            self.timer_record(self.phase).ended_at = self._clock.now()
        return was_running

    def _move_to(self, index: int, *, carry_on: bool) -> None:
        was_running = self._leave()
        self._index = index
        self.begin()
        if carry_on and was_running:
            self.countdown.start()
            self.timer_record(self.phase).ended_at = None
        self.capture()
