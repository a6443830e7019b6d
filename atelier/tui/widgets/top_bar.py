"""The header of every step screen: where we are, what time it is, how late, which session,
and — when a save failed — the banner that stays until the data is on disk again.

One widget drawing its lines (the step on the left, cut with « … » when it does not fit, the
status on the right; the banner under them, wrapped, while a save is failing) rather than a
row of four: each widget costs a few milliseconds of styling and layout before every screen's
first frame.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.widget import Widget

from atelier.domain.content_base import format_clock_time
from atelier.domain.content_programme import Step
from atelier.domain.wording import format_clock, lateness_status
from atelier.tui import labels
from atelier.tui.typography import french_spacing

ELLIPSIS = "…"
FORECAST_MIN_WIDTH = 100
"""Narrower than this, the bar leaves the forecast end out (the programme dialog has it)."""


class TopBar(Widget):
    COMPONENT_CLASSES = {"top-bar--step", "top-bar--status", "top-bar--banner"}

    def __init__(self, step: Step | None) -> None:
        super().__init__()
        self.step = step
        self.step_text = ""
        self.status_text = ""
        self.status_parts: list[str] = []
        """The status, most important first: the time, the lateness, the session (dropped
        from the end when the step's name would not fit: the room reads the step)."""
        self.banner: str | None = None
        """The save-failure banner on screen, None when everything is saved."""

    def _step_text(self) -> str:
        app = self.app
        step = self.step
        if step is None:
            return app.workshop.title  # type: ignore[attr-defined]
        index, total = app.workshop.step_position(step.id)  # type: ignore[attr-defined]
        return (
            f"{labels.STEP_OF.format(number=index, total=total)} · "
            f"{format_clock_time(step.start)} {step.title}"
        )

    def on_resize(self) -> None:
        self.refresh_status()

    def on_mount(self) -> None:
        self.step_text = self._step_text()
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
            programme = app.programme  # type: ignore[attr-defined]
            late = lateness_status(programme.lateness_minutes(now))
            if late:  # « Retard : +6 min », « Avance : 3 min », « à l'heure »
                parts.append(french_spacing(late))  # never broken before « : »
            end = programme.forecast_end(now)
            # At 80 columns the step's title needs the room (the programme, ^G, says it).
            if end is not None and self.size.width >= FORECAST_MIN_WIDTH:
                parts.append(labels.FORECAST_END.format(time=format_clock(end)))
            if app.session is not None:  # type: ignore[attr-defined]
                parts.append(labels.SESSION.format(name=app.record.name))  # type: ignore[attr-defined]
        text = " · ".join(parts)
        if text != self.status_text:
            self.status_text = text
            self.status_parts = parts
            self.refresh()

    def _show_save_problem(self, problem: str | None) -> None:
        banner = None if problem is None else labels.NOT_SAVED.format(reason=problem)
        if banner != self.banner:
            self.banner = banner
            self.refresh(layout=True)

    def render(self) -> RenderableType:
        width = self.size.width
        step = Text(f" {self.step_text} ", self.get_component_rich_style("top-bar--step"), end="")
        parts = self.status_parts or [self.status_text]
        while len(parts) > 1 and step.cell_len + len(" · ".join(parts)) + 2 > width:
            parts = parts[:-1]  # the session first, then the lateness: the step's name wins
        status_text = " · ".join(parts)
        status = Text(f" {status_text} ", self.get_component_rich_style("top-bar--status"))
        room = max(0, width - status.cell_len)
        if step.cell_len > room:
            step.truncate(max(0, room - 2))
            step.append(f"{ELLIPSIS} " if room >= 2 else "")
        step.pad_right(room - step.cell_len)
        line = Text.assemble(step, status, no_wrap=True, end="")
        if self.banner is None:
            return line
        banner_style = self.get_component_rich_style("top-bar--banner")
        line.end = "\n"
        return Group(
            line,
            Padding(Text(self.banner, banner_style), (0, 1), style=banner_style, expand=True),
        )
