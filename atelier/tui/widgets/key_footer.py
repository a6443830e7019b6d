"""The footer of every screen: the keys that work right now, on one line.

Textual's ``Footer`` mounts one widget per key (a dozen here), each styled with two virtual
nodes for its component classes and restyled on every focus change: two thirds of the style
work of the first frame went into the footer. This one is a single widget drawing one line of
text, redrawn only when the keys it shows change. It reads the same bindings as ``Footer``
(the first binding of each action with ``show=True``), draws the command-palette key on the
right, marks keys that are currently disabled, and a click on a key presses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class FooterEntry:
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    enabled: bool


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    entry: FooterEntry


class KeyFooter(Widget, can_focus=False):
    """One line of keys at the bottom of a screen."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    compact = reactive(False)
    """Less space around each key, so that more keys fit at 80 columns."""
    show_command_palette = reactive(True)
    """Show the command palette's key on the right."""

    def __init__(self) -> None:
        super().__init__()
        self._entries: tuple[FooterEntry, ...] = ()
        self._palette: FooterEntry | None = None
        self._spans: list[_Span] = []
        self._hover: FooterEntry | None = None

    # -- what to show ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        """The screen's bindings may have changed (focus moved, a check_action answer
        changed): redraw only if the keys to show did."""
        if not self.is_attached or screen is not self.screen:
            return
        entries, palette = self._read_keys(screen)
        if (entries, palette) != (self._entries, self._palette):
            self._entries, self._palette = entries, palette
            self.refresh()

    def _read_keys(self, screen: Screen) -> tuple[tuple[FooterEntry, ...], FooterEntry | None]:
        app = self.app
        entries: list[FooterEntry] = []
        ranks: list[int] = []
        actions: set[str] = set()
        descriptions: set[str] = set()
        # The screen's own order (its BINDINGS list), whatever widget has the focus: a
        # focused text field binds ctrl+e, ctrl+k… itself, which would reorder the keys.
        order: dict[str, int] = {}
        for bindings in screen._bindings.key_to_bindings.values():
            for binding in bindings:
                order.setdefault(binding.action, len(order))
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            # One entry per action, and per description (« → Suivant » and « ^L Suivant »
            # do the same thing: the first one shown says it).
            if (
                not binding.show
                or binding.action in actions
                or (binding.description and binding.description in descriptions)
            ):
                continue
            actions.add(binding.action)
            descriptions.add(binding.description)
            entries.append(
                FooterEntry(binding.key, app.get_key_display(binding), binding.description, enabled)
            )
            ranks.append(order.get(binding.action, len(order)))
        entries = [
            entry for _, entry in sorted(zip(ranks, entries, strict=True), key=lambda p: p[0])
        ]
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            active = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if active is not None:
                _node, binding, enabled, _tooltip = active
                palette = FooterEntry(
                    binding.key, app.get_key_display(binding), binding.description, enabled
                )
        return tuple(entries), palette

    @property
    def entries(self) -> tuple[FooterEntry, ...]:
        """The keys shown on the left, in order (the palette key is not among them)."""
        return self._entries

    def watch_show_command_palette(self) -> None:
        if self.is_mounted:
            self.bindings_changed(self.screen)

    # -- drawing --------------------------------------------------------------------------------

    def render(self) -> Text:
        width = self.size.width
        key_style = self.get_component_rich_style("key-footer--key", partial=True)
        description_style = self.get_component_rich_style("key-footer--description", partial=True)
        spans: list[_Span] = []

        def piece(entry: FooterEntry) -> Text:
            pad = "" if self.compact else " "
            text = Text.assemble(
                (f"{pad}{entry.display}{pad}", key_style),
                (
                    f" {entry.description}" if self.compact else f"{entry.description} ",
                    description_style,
                ),
            )
            if not entry.enabled:
                text.stylize(Style(dim=True))
            if entry == self._hover and entry.enabled:
                text.stylize(Style(reverse=True))
            return text

        right = Text()
        if self._palette is not None:
            right = Text.assemble(("▏", Style(dim=True)), piece(self._palette))
            right.rstrip()
        room = max(0, width - right.cell_len)

        line = Text(no_wrap=True, end="")
        gap = " " if self.compact else ""
        for entry in self._entries:
            text = piece(entry)
            needed = text.cell_len + len(gap)
            if line.cell_len + needed > room:
                if line.cell_len + 1 <= room:
                    line.append(ELLIPSIS)
                break
            start = line.cell_len
            line.append_text(text)
            spans.append(_Span(start, start + text.cell_len, entry))
            line.append(gap)
        if self._palette is not None:
            line.append(" " * max(0, width - line.cell_len - right.cell_len))
            start = line.cell_len + 1  # after the separator
            line.append_text(right)
            spans.append(_Span(start, line.cell_len, self._palette))
        self._spans = spans
        return line

    # -- mouse ----------------------------------------------------------------------------------

    def _entry_at(self, x: int) -> FooterEntry | None:
        for span in self._spans:
            if span.start <= x < span.end:
                return span.entry
        return None

    def on_click(self, event: events.Click) -> None:
        entry = self._entry_at(event.x)
        if entry is None:
            return
        event.stop()
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        entry = self._entry_at(event.x)
        if entry != self._hover:
            self._hover = entry
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()
