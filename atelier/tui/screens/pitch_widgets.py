"""The pitch screen's own widgets: a notes field and the running order."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from textual import events
from textual.binding import Binding
from textual.widgets import OptionList, TextArea

from atelier.tui import labels
from atelier.tui.typography import set_apart


class NoteArea(TextArea):
    """One notes field of the project on stage: a feedback category, or the free notes.

    The cursor does not blink: on a projector a blinking block distracts the room, and it
    would repaint the screen twice a second for nothing."""

    def __init__(self, field: str | None, **kwargs: Any) -> None:
        super().__init__(
            "",
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            placeholder=labels.PITCH_NOTES_PLACEHOLDER,
            **kwargs,
        )
        self.field = field
        self.project_id: str | None = None
        """Whose text the field holds (set when loaded; a Changed from another is ignored)."""
        self.cursor_blink = False
        self.after_old_notes = False
        """The app has just put the cursor after notes written earlier (a project back on
        stage, a resumed session, a card taken into the note): the first word typed starts a
        line of its own instead of being glued to the last one. Any other first key (a space,
        Entrée, an arrow, a click) keeps the text as the facilitator places it."""

    def new_line_before(self, typed: str) -> None:
        """Start a new line at the cursor when ``typed`` would be glued to the last word
        written (« …posée.Encore »): a new remark on a line of its own (``set_apart``)."""
        if set_apart(self.get_text_range((0, 0), self.cursor_location), typed):
            self.insert("\n")

    def _on_key(self, event: events.Key) -> None:
        # Runs before TextArea's own handler (Textual calls each class's, subclass first).
        if self.after_old_notes:
            self.after_old_notes = False
            if event.is_printable and event.character is not None:
                self.new_line_before(event.character)

    def _on_mouse_down(self, event: events.MouseDown) -> None:
        self.after_old_notes = False  # then TextArea's own handler places the cursor


QUEUE_MENU_ID = "queue-menu"
"""The option shown when the queue is empty: Entrée on it opens the menu (volunteers, add)."""


@runtime_checkable
class WritesNotes(Protocol):
    """The pitch screen, as the queue sees it."""

    def type_into_notes(self, text: str) -> bool: ...


class QueueList(OptionList):
    """The pitching order. No key of it types: Entrée opens the project's menu (a dialog with
    no text field, where single letters are safe), Suppr withdraws, ⇧↑ ⇧↓ reorder. A
    character typed on it goes to the notes of the project on stage (``take_key``)."""

    # Not in the footer (the timer keys need its room): the hint under the list says them.
    BINDINGS = [
        Binding("enter", "select", labels.KEY_PITCH_TAKE, show=False),
        Binding("delete", "screen.withdraw_highlighted", labels.KEY_PITCH_WITHDRAW, show=False),
        Binding("shift+up", "screen.move_highlighted(-1)", labels.KEY_PITCH_UP, show=False),
        Binding("shift+down", "screen.move_highlighted(1)", labels.KEY_PITCH_DOWN, show=False),
    ]

    def take_key(self, key: str, character: str | None) -> bool:
        """Keys in typing order (``TakesKeysInOrder``: before any binding, as they arrive):
        none of the queue's keys is a character, so a character typed here (Échap, then a
        sentence at once) is text for the notes of the project on stage, which take it and
        the focus: the rest of the sentence follows it there."""
        screen = self.screen
        if not character or not character.isprintable() or character.isspace():
            return False
        return isinstance(screen, WritesNotes) and screen.type_into_notes(character)
