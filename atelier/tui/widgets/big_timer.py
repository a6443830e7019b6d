"""The one timer display: pause, assessment phases, pitch and exchange all use it.

It holds a domain :class:`Countdown` and only *shows* it: every 0.1 s it recomputes the label
from the clock and repaints only when the label or state changed (≈ once a second), so a
stalled event loop or dropped ticks never shift the time shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from atelier.domain.countdown import Countdown, CountdownEvent, RunState, Zone
from atelier.tui.keys import TIMER_TOGGLE
from atelier.tui.widgets.big_text import BigText, ascii_only_from_env

REFRESH_INTERVAL_S = 0.1
"""Poll often enough for ≤ 100 ms display error; repaint only on change keeps CPU low."""

# French UI strings (to move into atelier/tui/labels.py). The caption repeats the state in
# words and symbols so warning/overtime never rely on colour alone.
CAPTION_READY = "▶ Prêt · {key} : lancer"
CAPTION_RUNNING = ""
CAPTION_PAUSED = "⏸ En pause · {key} : relancer"
PAUSED_BANNER = "PAUSE"
"""Drawn in block letters under the digits while paused (a restored timer waits like this)."""
CAPTION_WARNING_ONE_MINUTE = "⚠ Moins d'une minute"
CAPTION_WARNING_MINUTES = "⚠ Moins de {minutes} minutes"
CAPTION_WARNING_SECONDS = "⚠ Moins de {seconds} secondes"
CAPTION_EXPIRED = "⏰ Temps écoulé"
CAPTION_READY_SHORT = "▶ Prêt"
CAPTION_PAUSED_SHORT = "⏸ Pause"
CAPTION_WARNING_SHORT = "⚠ < {minutes} min"
CAPTION_WARNING_SECONDS_SHORT = "⚠ < {seconds} s"
CAPTION_EXPIRED_SHORT = "⏰ Écoulé"
"""The narrowest words (the grid's corner timer at 80×24): the digits beside them already
show the overtime."""
CAPTION_SEPARATOR = " · "
NO_COUNTDOWN_TEXT = "--:--"

_ASCII_SYMBOLS = {"▶": ">", "⏸": "||", "⚠": "/!\\", "⏰": "(!)", "·": "-"}


def warning_caption(warning_s: float) -> str:
    seconds = round(warning_s)
    if seconds == 60:
        return CAPTION_WARNING_ONE_MINUTE
    if seconds % 60 == 0:
        return CAPTION_WARNING_MINUTES.format(minutes=seconds // 60)
    return CAPTION_WARNING_SECONDS.format(seconds=seconds)


def caption_for(countdown: Countdown, label: str, width: int | None = None) -> str:
    """The words under the digits: run state (with the key that starts the timer again),
    then how close the deadline is; shortened to fit ``width`` cells."""
    full = _caption(
        countdown, label, f"{TIMER_TOGGLE.display} ou {(TIMER_TOGGLE.alias or '').upper()}"
    )
    if width is None or len(full) <= width:
        return full
    for shorter in (
        _caption(countdown, label, TIMER_TOGGLE.display),
        _caption(countdown, label, None),
        _caption(countdown, "", None),  # without the overtime: the digits show it
    ):
        if len(shorter) <= width:
            return shorter
    return _caption(countdown, label, None, narrow=True)


def _caption(countdown: Countdown, label: str, key: str | None, *, narrow: bool = False) -> str:
    """``narrow``: the shortest words (the digits beside them show the overtime)."""
    parts: list[str] = []
    state, zone = countdown.state, countdown.zone
    if state is RunState.READY:
        parts.append(_state_words(CAPTION_READY, CAPTION_READY_SHORT, key, narrow))
    elif state is RunState.PAUSED:
        parts.append(_state_words(CAPTION_PAUSED, CAPTION_PAUSED_SHORT, key, narrow))
    if zone is Zone.WARNING:
        parts.append(
            _narrow_warning(countdown.warning_s) if narrow else warning_caption(countdown.warning_s)
        )
    elif zone is Zone.EXPIRED:
        overtime = label if label.startswith("+") and not narrow else ""
        parts.append(f"{CAPTION_EXPIRED_SHORT if narrow else CAPTION_EXPIRED} {overtime}".rstrip())
    elif state is RunState.RUNNING and CAPTION_RUNNING:
        parts.append(CAPTION_RUNNING)
    return CAPTION_SEPARATOR.join(parts)


def _state_words(caption: str, short: str, key: str | None, narrow: bool) -> str:
    """« ⏸ En pause · ^T : relancer », « ⏸ En pause » without a key, « ⏸ Pause » narrow."""
    if narrow:
        return short
    return caption.format(key=key) if key else caption.split(" · ")[0]


def _narrow_warning(warning_s: float) -> str:
    seconds = round(warning_s)
    if seconds % 60 == 0:
        return CAPTION_WARNING_SHORT.format(minutes=seconds // 60)
    return CAPTION_WARNING_SECONDS_SHORT.format(seconds=seconds)


class BigTimer(Widget):
    """Block-letter countdown with a caption; CSS classes ``-running``, ``-paused``,
    ``-ready``, ``-warning`` and ``-overtime`` let the stylesheet colour each state."""

    DEFAULT_CSS = """
    BigTimer {
        layout: vertical;
        width: 1fr;
        height: 1fr;
    }
    BigTimer > BigText {
        height: 1fr;
    }
    BigTimer > .big-timer--banner {
        display: none;
    }
    BigTimer.-paused > .big-timer--banner {
        display: block;
        height: 1fr;
        max-height: 50%;
    }
    BigTimer > .big-timer--caption {
        width: 1fr;
        height: 1;
        text-align: center;
    }
    """

    @dataclass
    class Warning(Message):
        """The countdown entered its last ``warning_s`` seconds (once per crossing)."""

        timer: BigTimer

        @property
        def control(self) -> BigTimer:
            return self.timer

    @dataclass
    class Expired(Message):
        """The deadline passed (once per crossing; the bell rings with it)."""

        timer: BigTimer

        @property
        def control(self) -> BigTimer:
            return self.timer

    def __init__(
        self,
        countdown: Countdown | None = None,
        *,
        ascii_only: bool | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.ascii_only = ascii_only_from_env() if ascii_only is None else ascii_only
        self._countdown = countdown
        self._digits = BigText(NO_COUNTDOWN_TEXT, ascii_only=self.ascii_only)
        self._banner = BigText(
            PAUSED_BANNER, ascii_only=self.ascii_only, classes="big-timer--banner"
        )
        self._caption = Static("", markup=False, classes="big-timer--caption")
        self._shown: tuple[str, str] | None = None
        self._ticker: Timer | None = None
        self.display_updates = 0
        """How many times the shown text changed (tests check we don't repaint every tick)."""

    # -- public ------------------------------------------------------------------------------

    @property
    def countdown(self) -> Countdown | None:
        return self._countdown

    @countdown.setter
    def countdown(self, countdown: Countdown | None) -> None:
        self.set_countdown(countdown)

    def set_countdown(self, countdown: Countdown | None) -> None:
        """Show another countdown (next phase, next pitch); its past events are not replayed."""
        self._countdown = countdown
        self._shown = None
        if self.is_mounted:
            self.refresh_clock()

    @property
    def text(self) -> str:
        """The label currently displayed in block letters."""
        return self._digits.text

    @property
    def caption(self) -> str:
        """The caption currently displayed under the digits."""
        return self._shown[1] if self._shown else ""

    def refresh_clock(self) -> None:
        """Recompute from the clock; repaint only if the label or state changed.

        Called by the interval and directly by screens right after start/pause/± minute so
        the display reacts at once.
        """
        countdown = self._countdown
        if countdown is None:
            self._show(NO_COUNTDOWN_TEXT, "", running=False, paused=False, zone=None)
            return
        label = countdown.label()
        state = countdown.state
        self._show(
            label,
            caption_for(countdown, label, self.size.width or None),
            running=state is RunState.RUNNING,
            paused=state is RunState.PAUSED,
            zone=countdown.zone,
            ready=state is RunState.READY,
        )
        for event in countdown.poll():
            if event is CountdownEvent.WARNING:
                self.post_message(self.Warning(self))
            elif event is CountdownEvent.EXPIRED:
                self.post_message(self.Expired(self))
                self.app.bell()

    # -- Textual -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield self._digits
        yield self._banner
        yield self._caption

    def on_resize(self) -> None:
        self._shown = None  # the caption may fit better (or worse) now
        self.refresh_clock()

    def on_mount(self) -> None:
        self.refresh_clock()
        self._ticker = self.set_interval(REFRESH_INTERVAL_S, self.refresh_clock)

    # -- private -----------------------------------------------------------------------------

    def _show(
        self,
        label: str,
        caption: str,
        *,
        running: bool,
        paused: bool,
        zone: Zone | None,
        ready: bool = False,
    ) -> None:
        if self.ascii_only:
            for symbol, replacement in _ASCII_SYMBOLS.items():
                caption = caption.replace(symbol, replacement)
        shown = (label, caption)
        classes_changed = (
            self.has_class("-running") is not running
            or self.has_class("-paused") is not paused
            or self.has_class("-ready") is not ready
            or self.has_class("-warning") is not (zone is Zone.WARNING)
            or self.has_class("-overtime") is not (zone is Zone.EXPIRED)
        )
        if shown == self._shown and not classes_changed:
            return
        self._shown = shown
        self.display_updates += 1
        self._digits.text = label
        self._caption.update(caption, layout=False)
        self.set_class(running, "-running")
        self.set_class(paused, "-paused")
        self.set_class(ready, "-ready")
        self.set_class(zone is Zone.WARNING, "-warning")
        self.set_class(zone is Zone.EXPIRED, "-overtime")
