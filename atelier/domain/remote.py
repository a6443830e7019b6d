"""The facilitator's remote: the commands a phone may send, and what its page shows.

The remote drives the app through the same screen actions as the keyboard (docs/keyboard.md):
a command is one of :class:`RemoteAction`, issued against the *state key* the phone's page was
drawn with. The app applies commands one at a time, in order; a command whose key is no
longer the current one (another controller moved first, or the same request sent twice) is
refused (:attr:`RemoteRefusal.STALE`), so two controllers never fight.

:class:`PresenterView` is the facilitator's private view, typed and frozen: the step, its
timer, lateness and forecast end, what comes next, the notes of the project on stage, the
inbox count, the quiz tally and, during the self-assessment, the teams' join codes. Unlike
the room's :class:`~atelier.domain.follow.Projection` it holds private things (notes, the
split of the votes before the reveal, join codes): it is only ever served behind the
facilitator's secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class RemoteAction(StrEnum):
    """A command of the remote: the name of the screen action the matching key runs."""

    PAGE_PREVIOUS = "page_previous"
    PAGE_NEXT = "page_next"
    STEP_PREVIOUS = "step_previous"
    STEP_NEXT = "step_next"
    REVEAL = "reveal"
    TIMER_TOGGLE = "timer_toggle"
    TIMER_MINUS = "timer_minus"
    TIMER_PLUS = "timer_plus"
    ONWARD = "onward"
    ROOM_MODE = "room_mode"


class RemoteRefusal(StrEnum):
    STALE = "stale"
    """Issued against a state that is no longer the current one (409)."""
    UNAVAILABLE = "unavailable"
    """The command does nothing on the page shown now (its key would not either) (409)."""
    NO_STAGE = "no_stage"
    """A note for a project that is not on stage (409)."""
    NOT_SAVED = "not_saved"
    """Applied, but the disk refused the save (503): the app retries."""


NOTE_LINE_MAX_CHARS = 500
"""A line added to the notes from the remote: as long as a card from the room."""


@dataclass(frozen=True, slots=True)
class TallyLine:
    label: str
    votes: int
    hands: int | None


@dataclass(frozen=True, slots=True)
class NoteView:
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class TeamCodeView:
    """A project created from a phone, as the facilitator sees it: the code its team joins
    with (a team that lost the phone showing it asks the facilitator)."""

    name: str
    code: str
    """As the phones show it: « ABCD EFGH »."""
    phones: int


@dataclass(frozen=True, slots=True)
class PresenterView:
    """Everything the facilitator's page shows, taken at one moment."""

    state_key: str
    """What a command must carry to be applied (see the module's docstring)."""
    workshop_title: str
    step_title: str = ""
    step_number: int | None = None
    page: str = ""
    """« Page 2 / 5 », a statement's « Affirmation 3 / 10 », a phase…"""
    timer_title: str = ""
    timer_remaining_s: float | None = None
    timer_running: bool = False
    step_elapsed_s: float | None = None
    lateness: str = ""
    forecast_end: str = ""
    next_step: str = ""
    statement: str = ""
    revealed: bool = False
    tally: tuple[TallyLine, ...] = ()
    stage_project_id: str = ""
    stage_name: str = ""
    stage_status: str = ""
    notes: tuple[NoteView, ...] = ()
    inbox: int | None = None
    """Cards from the room waiting in the private inbox (None: no inbox on this page)."""
    room_mode: bool | None = None
    team_codes: tuple[TeamCodeView, ...] | None = None
    """During the self-assessment's phases: the phones' projects and their join codes
    (None: the teams cannot join now). Never on the projector nor on a room's page."""
    available: frozenset[RemoteAction] = field(default_factory=frozenset)
    """The commands that act on the page shown now (the others are greyed)."""

    @property
    def key(self) -> str:
        """Changes whenever the facilitator's page must be drawn again (not every second:
        the page counts a running timer down itself)."""
        timer = (
            f"{self.timer_title}|{self.timer_running}|"
            f"{round(self.timer_remaining_s or 0) if not self.timer_running else ''}"
        )
        parts = (
            self.state_key,
            self.page,
            timer,
            self.lateness,
            self.forecast_end,
            self.next_step,
            self.revealed,
            self.tally,
            self.stage_status,
            self.notes,
            self.inbox,
            self.room_mode,
            self.team_codes,
            tuple(sorted(self.available)),
        )
        return str(abs(hash(parts)) % 10**12)
