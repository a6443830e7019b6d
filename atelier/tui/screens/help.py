"""« ? »: every key of the screen underneath, with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from atelier.tui import labels
from atelier.tui.keys import chord_display

_KEY_NAMES = {
    "right": "→",
    "left": "←",
    "up": "↑",
    "down": "↓",
    "pagedown": "Page↓",
    "pageup": "Page↑",
    "space": "Espace",
    "enter": "Entrée",
    "escape": "Échap",
    "question_mark": "?",
    "plus": "+",
    "minus": "−",
    "equals_sign": "=",
    "home": "Début",
    "tab": "Tab",
    "greater_than_sign": ">",
    "less_than_sign": "<",
    "delete": "Suppr",
    "backspace": "Retour arr.",
}


def key_name(key: str) -> str:
    """« ctrl+t » → « ^T », « f5 » → « F5 », « space » → « Espace »."""
    if key.startswith("ctrl+") and len(key) == len("ctrl+") + 1:
        return chord_display(key)
    if key.startswith("f") and key[1:].isdigit():
        return chord_display(key)
    for modifier in ("ctrl+", "shift+", "super+"):
        if key.startswith(modifier):
            return modifier + key_name(key[len(modifier) :])
    return _KEY_NAMES.get(key, key)


def _acts(screen: Screen[object], action: str) -> bool:
    name = action.split("(", 1)[0]
    if "." in name:
        return True
    return screen.check_action(name, ()) is not False


def describe_bindings(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, description) for the screen's and the app's bindings that have a description."""
    rows: dict[str, list[str]] = {}
    sources = [screen._bindings, screen.app._bindings]
    for source in sources:
        for key, bindings in source.key_to_bindings.items():
            for binding in bindings:
                if source is screen._bindings and not _acts(screen, binding.action):
                    continue  # a shared command with nothing to do on this page
                if binding.description:
                    description = labels.TEXTUAL_KEYS.get(binding.description, binding.description)
                    rows.setdefault(description, []).append(key_name(key))
    return [(" / ".join(dict.fromkeys(keys)), description) for description, keys in rows.items()]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,f1", "dismiss", labels.KEY_CLOSE)]

    def __init__(self, underneath: Screen[object]) -> None:
        super().__init__()
        self.underneath = underneath

    def compose(self) -> ComposeResult:
        rows = describe_bindings(self.underneath)
        text = "\n".join(f"[b]{keys:>22}[/b]  {description}" for keys, description in rows)
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(labels.HELP_TITLE, classes="dialog-title")
            yield Static(text, markup=True)
            yield Static(labels.HELP_FOOTER, classes="dialog-hint")
