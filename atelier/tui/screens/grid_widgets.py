"""The grid screen's two widgets that take keys: the criteria list (its own keys, and a letter
that starts the comment) and the one-line comment field (line breaks shown as ⏎)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Input, OptionList

from atelier.tui import labels


@runtime_checkable
class WritesComments(Protocol):
    """The screen the list is on (GridEntryScreen)."""

    def start_comment(self, text: str = "") -> None: ...

    def refresh_rows(self) -> None: ...


class CommentInput(Input):
    """A one-line field for a comment that may hold line breaks (typed on a team's phone, or
    written in the session file): each is shown as ⏎, one cell like the character it stands
    for, so the line keeps its height and the cursor its place; the value keeps them."""

    @property
    def _value(self) -> Text:
        text = super()._value
        if "\n" not in text.plain:
            return text
        shown = Text(text.plain.replace("\n", "⏎"), no_wrap=True, overflow="ignore", end="")
        shown.spans = list(text.spans)
        return shown


class CriteriaList(OptionList):
    """The grid's criteria under their dimension headings (headings cannot be chosen)."""

    BINDINGS = [
        Binding("left", "screen.shift_level(-1)", labels.KEY_LEVEL_DOWN),
        Binding("right", "screen.shift_level(1)", labels.KEY_LEVEL_UP),
        Binding("m", "screen.toggle_progress", labels.KEY_PROGRESS),
        Binding("0,backspace", "screen.clear_level", labels.KEY_CLEAR_LEVEL, show=False),
        Binding("c", "screen.edit_comment", labels.KEY_COMMENT, show=False),
        *(Binding(str(n), f"screen.set_level({n})", show=False) for n in range(1, 10)),
    ]

    COMMAND_CHARACTERS = frozenset(
        key for binding in BINDINGS for key in binding.key.split(",") if len(key) == 1
    )
    """The list's own printable keys (levels, « marge », comment), read from its bindings; any
    other character typed on the list starts the comment with it, as in a spreadsheet's cell."""

    def take_key(self, key: str, character: str | None) -> bool:
        """Keys in typing order (``TakesKeysInOrder``: before any binding, as they arrive): a
        character that is not one of the list's keys starts the comment with it, ``c`` starts
        it. The comment takes the focus at once, so the rest of a sentence typed in one go
        goes there, digits included."""
        screen = self.screen
        if not isinstance(screen, WritesComments) or not character or not character.isprintable():
            return False
        if character == "c":
            screen.start_comment()
        elif character in self.COMMAND_CHARACTERS:
            return False  # the list's bindings
        else:
            screen.start_comment(character)
        return True

    @property
    def row_width(self) -> int:
        """Cells one option line can use (0 before the first layout)."""
        padding = self.get_component_styles("option-list--option").padding.width
        return self.scrollable_content_region.width - padding

    def on_resize(self) -> None:
        screen = self.screen
        if isinstance(screen, WritesComments):
            screen.refresh_rows()
