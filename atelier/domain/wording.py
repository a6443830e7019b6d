"""How atelier writes times and states, in one place: the live screens, the review and the
reports all format durations, lateness and pitch statuses with these functions and this
table, so they never disagree (« 2 min 05 s » here, « 2:05 » there, « passé » elsewhere).

Pure and typed: no Textual, no files. French, as everything the room reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # session.py imports countdown.py, which formats with this module
    from atelier.domain.session import PitchStatus

NONE = "—"
"""What a table shows for a time that does not exist (a step never entered)."""
ON_TIME = "à l'heure"
LATE = "Retard : {value}"
AHEAD = "Avance : {value}"


# -- durations ----------------------------------------------------------------------------------


def format_timer(total_seconds: int, *, pad_minutes: bool = True) -> str:
    """A countdown's digits: ``MM:SS`` (or ``M:SS``), ``H:MM:SS`` from one hour on."""
    hours, rest = divmod(total_seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes:02d}:{seconds:02d}" if pad_minutes else f"{minutes}:{seconds:02d}"


def format_duration(seconds: float | None) -> str:
    """A length of time in words: « 45 s », « 2 min », « 2 min 05 s », « 1 h 05 min »;
    « — » when unknown."""
    if seconds is None:
        return NONE
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    return f"{secs} s"


def format_minutes(minutes: float | None) -> str:
    """:func:`format_duration` of a number of minutes (« 15 min », « 1 min 30 s »)."""
    return format_duration(None if minutes is None else minutes * 60)


def format_minutes_short(minutes: float) -> str:
    """The deck's short form: « 10' », « 2,5' »."""
    return f"{minutes:g}".replace(".", ",") + "'"


def format_clock(moment: time | datetime | None) -> str:
    """A time of day as the deck writes it: « 9h46 »; « — » when there is none."""
    if moment is None:
        return NONE
    return f"{moment.hour}h{moment.minute:02d}"


def format_shift(shift: timedelta) -> str:
    """How far a plan is moved: « +5 h 14 min », « −2 h 00 min »."""
    seconds = shift.total_seconds()
    sign = "+" if seconds >= 0 else "−"
    return sign + format_duration(abs(seconds))


# -- lateness -----------------------------------------------------------------------------------


def format_lateness(minutes: int | None) -> str:
    """A signed gap to the plan, for tables: « +6 min », « −3 min », « à l'heure »; empty
    before the start."""
    if minutes is None:
        return ""
    if minutes == 0:
        return ON_TIME
    sign = "+" if minutes > 0 else "−"
    return f"{sign}{abs(minutes)} min"


def lateness_status(minutes: int | None) -> str:
    """The room's state in words: « Retard : +6 min », « Avance : 3 min », « à l'heure »;
    empty before the start."""
    if minutes is None:
        return ""
    if minutes == 0:
        return ON_TIME
    if minutes > 0:
        return LATE.format(value=f"+{minutes} min")
    return AHEAD.format(value=f"{-minutes} min")


# -- pitch statuses ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusWording:
    """How a pitch status is written: a glyph (never colour alone) and words."""

    glyph: str
    label: str

    @property
    def text(self) -> str:
        """« ✔ terminé »."""
        return f"{self.glyph} {self.label}"


PITCH_STATUS: dict[str, StatusWording] = {
    "waiting": StatusWording("·", "en attente"),
    "pitching": StatusWording("▶", "pitch en cours"),
    "exchange": StatusWording("▶", "échange en cours"),
    "done": StatusWording("✔", "terminé"),
    "skipped": StatusWording("↷", "passé son tour"),
}
"""The one table of pitch statuses (by ``PitchStatus`` value): the queue, the end-of-round
table, the review and the reports read it through :func:`pitch_status`."""


def pitch_status(status: PitchStatus) -> StatusWording:
    return PITCH_STATUS[status.value]
