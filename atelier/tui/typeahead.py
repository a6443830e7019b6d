"""Keys typed before the right field has the focus are kept for it, not lost or misplaced.

A hurried facilitator presses the key that opens a dialog (« a » : nouveau projet) and types
the name at once, Entrée, the carriers, Entrée… Textual moves the focus a few turns of the
app's queue after the key that asks for it, and the keys typed meanwhile are already on their
way: tried in tmux, « Recyclerie des Chartrons » typed right after « a » left the field empty;
typed with its Entrée and the next field, it all landed in the first field.

So the keys are held, in order, while the focus is on its way: from a printable key that
arrives while the screen has no focused widget and is still being built or holds a text field
(a dialog opening, the grid opening on its texts),
and after a key that moves the focus out of a field (Entrée or Tab in a one-line field, Tab
in a text area, Échap). They are let through as typed once the focus has arrived (or moved),
checked at each refresh (``AtelierApp.on_event``).

Textual runs an after-refresh callback on the screen current when it was asked for: asked
while a dialog closes (Échap), it went with the dialog and the held keys waited for ever (seen
under load in CI: a sentence typed after closing « Nouveau projet » never arrived). A watchdog
ticks while keys are held and takes over a turn that did not come."""

from __future__ import annotations

import weakref
from functools import partial

from textual import events
from textual.app import App
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, TextArea

TEXT_WIDGETS = (Input, TextArea)
"""Where every printable key types."""

WAIT_TURNS = 25
"""Refreshes to wait for a focus before the held keys go on as they are (to a screen whose
field never takes the focus, as they would have without the wait)."""

MOVE_TURNS = 10
"""Refreshes to wait for the focus to move after Entrée or Tab before going on (an Entrée that
a field keeps: the next keys are for it)."""

WATCHDOG_S = 0.1
"""While keys are held: how often to check that a turn came since the last check."""

_LEAVES_INPUT = frozenset({"enter", "tab", "shift+tab", "escape"})
_LEAVES_TEXT_AREA = frozenset({"tab", "shift+tab", "escape"})


def _moves_focus(focused: Widget, key: str) -> bool:
    if isinstance(focused, Input):
        return key in _LEAVES_INPUT
    if isinstance(focused, TextArea):
        return key in _LEAVES_TEXT_AREA
    return False


class TypeAhead:
    def __init__(self, app: App[object]) -> None:
        self.app = app
        self._held: list[events.Key] = []
        self._holding = False
        self._released: weakref.WeakSet[events.Key] = weakref.WeakSet()
        self._waited = 0
        self._moving: tuple[object, object, int] | None = None
        """After a key that may move the focus: the screen and focus before it, refreshes."""
        self._turn = 0
        """The turn asked for last; an older one that arrives late is ignored."""
        self._turned = False
        """A turn ran since the watchdog last looked."""
        self._watchdog: Timer | None = None

    def hold(self, event: events.Key) -> bool:
        """Keep ``event`` for later (True), or let it through now (False)."""
        if event in self._released:
            return False  # one of ours, let through in its turn
        if self._holding:
            self._held.append(event)  # behind the keys typed before it
            return True
        screen = self.app.screen
        focused = screen.focused
        if focused is None:
            if not (event.is_printable and event.character):
                return False
            if screen.is_mounted and not any(w.focusable for w in screen.query("Input, TextArea")):
                return False  # a built screen without a field shown: the key acts as it is
            # (a screen still being built may have a field, and the focus is on its way)
            self._held.append(event)
            self._start()
            return True
        if _moves_focus(focused, event.key):
            self._moving = (screen, focused, 0)  # this key goes; the next ones wait for it
            self._start()
        return False

    def _start(self) -> None:
        self._holding = True
        self._waited = 0
        self._next_turn()
        if self._watchdog is None:
            self._turned = False
            self._watchdog = self.app.set_interval(WATCHDOG_S, self._watch, name="type-ahead")

    def _next_turn(self) -> None:
        self._turn += 1
        self.app.call_after_refresh(partial(self._pump, self._turn))

    def _watch(self) -> None:
        """Every ``WATCHDOG_S`` while holding: if no turn ran since the last look, its
        callback was lost with a screen that closed; take the turn now."""
        if not self._holding:
            if self._watchdog is not None:
                self._watchdog.stop()
                self._watchdog = None
            return
        if not self._turned:
            self._turn += 1
            self._pump(self._turn)
        self._turned = False

    def _pump(self, turn: int) -> None:
        """Let the held keys through once the focus has arrived or moved: letters at once
        (they all go to that field), then after a key that moves the focus, wait again."""
        if turn != self._turn:
            return  # taken over by the watchdog
        self._turned = True
        screen = self.app.screen
        if self._moving is not None:
            before_screen, before_focus, turns = self._moving
            unmoved = screen is before_screen and screen.focused is before_focus
            if unmoved and turns < MOVE_TURNS:
                self._moving = (before_screen, before_focus, turns + 1)
                self._next_turn()
                return
            self._moving = None
        if self._held and screen.focused is None and self._waited < WAIT_TURNS:
            self._waited += 1
            self._next_turn()
            return
        while self._held:
            held = self._held.pop(0)
            focused = screen.focused
            again = events.Key(held.key, held.character)
            self._released.add(again)
            self.app.post_message(again)
            if focused is not None and _moves_focus(focused, held.key):
                self._moving = (screen, focused, 0)
                self._waited = 0
                self._next_turn()
                return
        self._holding = False
