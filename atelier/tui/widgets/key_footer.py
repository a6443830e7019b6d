"""The footer of every screen: Textual's ``Footer``, rebuilt only when its keys change."""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's ``Footer`` rebuilds all its keys whenever the screen's bindings *may* have
    changed — the screen coming up, focus moving (three times before the first frame, and
    again on every step change) — and each new key restyles itself twice on mount. This one
    rebuilds only when what it would show differs from what it shows or is about to show."""

    def __init__(self) -> None:
        super().__init__()
        self._keys_scheduled: Hashable = None

    def _keys(self, screen: Screen) -> Hashable:
        """Everything ``Footer.compose`` reads to lay out the keys."""
        get_key_display = self.app.get_key_display
        return self.show_command_palette, tuple(
            (key, active.binding, get_key_display(active.binding), active.enabled, active.tooltip)
            for key, active in screen.active_bindings.items()
        )

    def bindings_changed(self, screen: Screen) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = self._keys(screen)
            if keys == self._keys_scheduled:
                return
            self._keys_scheduled = keys
        super().bindings_changed(screen)
