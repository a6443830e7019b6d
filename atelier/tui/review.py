"""``atelier review SESSION``: read a saved session in the terminal, without changing it.

The app receives the workshop and a record already loaded (``SessionStore.load`` reads without
locking or writing) and no store at all, so nothing in it can write the session. It builds the
report once (``atelier.report.model.build_report``) and pushes the review screen.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from atelier.domain.content import Workshop
from atelier.domain.session import SessionRecord
from atelier.report.model import build_report
from atelier.tui import labels
from atelier.tui.screens.review import ReviewScreen
from atelier.tui.themes import DARK_THEME, LIGHT_THEME, THEMES


class ReviewApp(App[None]):
    CSS_PATH = "atelier.tcss"
    TITLE = labels.APP_TITLE
    ENABLE_COMMAND_PALETTE = False

    BINDINGS = [
        Binding("ctrl+q", "quit", labels.KEY_QUIT, show=False, priority=True),
        Binding("q", "quit", labels.KEY_QUIT),
        Binding("t", "toggle_theme", labels.KEY_THEME),
    ]

    def __init__(self, workshop: Workshop, record: SessionRecord) -> None:
        super().__init__()
        self.workshop = workshop
        self.record = record
        self.report = build_report(workshop, record, private=True)

    def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = DARK_THEME.name
        self.push_screen(ReviewScreen(self.report))

    def action_toggle_theme(self) -> None:
        """Dark ⇄ light. Not remembered: reviewing a session writes nothing, settings included."""
        self.theme = LIGHT_THEME.name if self.theme == DARK_THEME.name else DARK_THEME.name
