"""The header of every step screen: where we are, what time it is, how late, which session,
and — when a save failed — the banner that stays until the data is on disk again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static

from atelier.domain.content import Step, format_clock_time
from atelier.domain.programme import format_lateness
from atelier.tui import labels


class TopBar(Widget):
    def __init__(self, step: Step | None) -> None:
        super().__init__()
        self.step = step
        self._last_text = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="top-line"):
            yield Static(self._step_text(), id="top-step")
            yield Static("", id="top-status")
        yield Static("", id="save-banner")

    def _step_text(self) -> str:
        app = self.app
        step = self.step
        if step is None:
            return app.workshop.title
        total = len(app.workshop.programme)
        index = app.workshop.step_index(step.id) + 1
        return (
            f"{labels.STEP_OF.format(number=index, total=total)} · "
            f"{format_clock_time(step.start)} {step.title}"
        )

    def on_mount(self) -> None:
        self.refresh_status()
        self.set_interval(1.0, self.refresh_status)
        self.watch(self.app, "save_problem", self._show_save_problem)

    def refresh_status(self) -> None:
        app = self.app
        now = app.clock.now()  # type: ignore[attr-defined]
        parts = [f"{now:%H:%M}"]
        if getattr(app, "practice", False):
            parts.append(labels.PRACTICE)
        else:
            late = format_lateness(app.programme.lateness_minutes(now))  # type: ignore[attr-defined]
            if late:
                parts.append(labels.LATENESS.format(value=late))
            if app.session is not None:  # type: ignore[attr-defined]
                parts.append(labels.SESSION.format(name=app.record.name))  # type: ignore[attr-defined]
        text = " · ".join(parts)
        if text != self._last_text:
            self._last_text = text
            self.query_one("#top-status", Static).update(text)

    def _show_save_problem(self, problem: str | None) -> None:
        banner = self.query_one("#save-banner", Static)
        banner.display = problem is not None
        if problem is not None:
            banner.update(labels.NOT_SAVED.format(reason=problem))
