"""The one keyboard model of the live app (docs/keyboard.md says it in French, with sources).

Two kinds of keys:

- **Commands that work while typing** use keys that never type: ctrl chords, with F-keys as
  aliases. They mean the same thing on every screen (:data:`TYPING_SAFE`), are bound with
  ``priority`` on the step screens and the grid, and a screen that has nothing to do for one
  hides it (``check_action`` → False).
- **Single-key shortcuts** (letters, digits, Espace, ``+``, ``?``, ``>``…) exist only on
  screens where no text field can ever have the focus (:data:`LETTER_ALIASES`); a test walks
  every screen and fails if a printable key is bound on a screen that holds a text field.

The footer, the help screen and the README's key table are built from — or tested against —
these tables, so they cannot drift apart.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from textual.binding import Binding
from textual.keys import _character_to_key, key_to_character

from atelier.tui import labels


@dataclass(frozen=True, slots=True)
class Command:
    """One typing-safe command: its action on the screen, its chord and its F-key alias."""

    action: str
    chord: str
    alias: str | None
    description: str
    show: bool = True

    @property
    def keys(self) -> str:
        return self.chord if self.alias is None else f"{self.chord},{self.alias}"

    @property
    def display(self) -> str:
        """« ^T » — what the footer shows (the help shows the alias too)."""
        return chord_display(self.chord)


TIMER_TOGGLE = Command("timer_toggle", "ctrl+t", "f5", labels.KEY_TIMER_TOGGLE)
TIMER_MINUS = Command("timer_minus", "ctrl+r", "f6", labels.KEY_MINUS_MINUTE)
TIMER_PLUS = Command("timer_plus", "ctrl+e", "f7", labels.KEY_PLUS_MINUTE)
ONWARD = Command("onward", "ctrl+n", "f8", labels.KEY_ONWARD)
ROOM_MODE = Command("room_mode", "ctrl+o", "f3", labels.KEY_PITCH_ROOM)
PAGE_PREVIOUS = Command("page_previous", "ctrl+k", None, labels.KEY_PREVIOUS)
PAGE_NEXT = Command("page_next", "ctrl+l", None, labels.KEY_NEXT)
STEP_PREVIOUS = Command("step_previous", "ctrl+u", None, labels.KEY_PREVIOUS_STEP, show=False)
STEP_NEXT = Command("step_next", "ctrl+d", None, labels.KEY_NEXT_STEP, show=False)
PROGRAMME = Command("programme", "ctrl+g", None, labels.KEY_PROGRAMME, show=False)

TYPING_SAFE: tuple[Command, ...] = (
    TIMER_TOGGLE,
    TIMER_MINUS,
    TIMER_PLUS,
    ONWARD,
    ROOM_MODE,
    PAGE_PREVIOUS,
    PAGE_NEXT,
    STEP_PREVIOUS,
    STEP_NEXT,
    PROGRAMME,
)
"""Every command that must work while a text field has the focus, in footer order."""

CARD_ACCEPT = Command("accept_card", "ctrl+y", None, labels.KEY_CARD_ACCEPT, show=False)
CARD_SET_ASIDE = Command("set_card_aside", "ctrl+x", None, labels.KEY_CARD_SET_ASIDE, show=False)
CARD_COMMANDS: tuple[Command, ...] = (CARD_ACCEPT, CARD_SET_ASIDE)
"""The pitch screen's inbox of cards from the room (^Y « yes », into the note; ^X set aside):
only there, only while cards wait; the inbox's own title shows them, not the footer."""

# App-wide keys (atelier/tui/app.py): never typing either.
QUIT = "ctrl+q"
QUIT_DISPLAY = "^Q"
PALETTE = "ctrl+p"
HELP = "f1"
SAVE_ELSEWHERE = "f2"
GRID_TEXTS = "ctrl+f,f4"
"""The grid of a project: its grid ↔ its texts (« F » : fiche ; F4 needs Fn on a Mac)."""
THEME = "f9"
REMOTE = "f12"
"""The facilitator's remote: its private dialog (no free ctrl letter: ^H ^I ^J ^M are
Backspace, Tab and Enter to a terminal; the palette has it too)."""

LETTER_ALIASES: dict[str, str] = {
    "timer_toggle": "space",
    "timer_minus": "minus",
    "timer_plus": "plus,equals_sign",
    "page_previous": "left,pageup",
    "page_next": "right,pagedown",
    "step_previous": "less_than_sign",
    "step_next": "greater_than_sign",
    "programme": "g",
}
"""Shorter keys for the same commands, only on screens with no text field (the room's
arrow keys, Espace on a timer). Arrows are not printable but move a text cursor, so they
follow the same rule."""


def chord_display(key: str) -> str:
    """« ctrl+t » → « ^T », « f5 » → « F5 »."""
    if key.startswith("ctrl+"):
        return "^" + key[len("ctrl+") :].upper()
    if key.startswith("f") and key[1:].isdigit():
        return key.upper()
    return key


def typing_safe_bindings(
    commands: tuple[Command, ...] = TYPING_SAFE, *, hidden: tuple[str, ...] = ()
) -> list[Binding]:
    """The priority bindings of :data:`TYPING_SAFE` (shown in the footer as « ^T »; the
    actions in ``hidden`` are not shown, where another key of theirs is)."""
    return [
        Binding(
            command.keys,
            command.action,
            command.description,
            show=command.show and command.action not in hidden,
            priority=True,
            key_display=command.display,
        )
        for command in commands
    ]


def letter_bindings(actions: tuple[str, ...] | None = None) -> list[Binding]:
    """The single-key aliases (not shown: the footer shows the chord of each command)."""
    return [
        Binding(keys, action, show=False)
        for action, keys in LETTER_ALIASES.items()
        if actions is None or action in actions
    ]


# -- printable keys -----------------------------------------------------------------------------


@cache
def _printable_key_names() -> frozenset[str]:
    names: set[str] = set()
    for code in list(range(0x20, 0x7F)) + list(range(0xA0, 0x250)) + [0x2019, 0x2026]:
        char = chr(code)
        if char.isprintable():
            names.add(_character_to_key(char))
            names.add(char)
    names.update({"plus", "minus", "space"})
    return frozenset(names)


def is_printable_key(key: str) -> bool:
    """Whether pressing ``key`` types a character in a text field (« a », « A », « space »,
    « plus », « question_mark », « é »…). Chords with ctrl / alt / super never type."""
    key = key.strip()
    parts = key.split("+")
    if len(parts) > 1 and parts[-1] == "":  # « ctrl++ »
        parts = [*parts[:-2], "plus"]
    *modifiers, name = parts
    if any(m in {"ctrl", "alt", "super", "meta", "hyper"} for m in modifiers):
        return False
    if name in _printable_key_names():
        return True
    character = key_to_character(name)
    if character is not None and character.isprintable():
        return True
    try:
        return unicodedata.lookup(name.replace("_", " ").upper()).isprintable()
    except KeyError:
        return False
