"""The programme: planned and actual times, the current step, and a jump to any step."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from atelier.domain.content_base import format_clock_time
from atelier.domain.wording import format_clock, format_minutes, format_shift, lateness_status
from atelier.tui import labels, safe_text

if TYPE_CHECKING:
    from atelier.tui.app import AtelierApp


class ProgrammeScreen(ModalScreen[str | None]):
    """Dismissed with the id of the step to go to, or None."""

    BINDINGS = [Binding("escape,g", "dismiss(None)", labels.KEY_CLOSE)]

    def compose(self) -> ComposeResult:
        app = cast("AtelierApp", self.app)
        with Vertical(classes="dialog", id="programme"):
            yield Static(
                safe_text.plain(f"{labels.PROGRAMME_TITLE} — {app.workshop.title}"),
                classes="dialog-title",
            )
            yield DataTable(cursor_type="row", zebra_stripes=False, id="programme-table")
            now = app.clock.now()
            parts = [lateness_status(app.programme.lateness_minutes(now))]
            end = app.programme.forecast_end(now)
            if end is not None:
                parts.append(labels.FORECAST_END.format(time=format_clock(end)))
            shift = app.programme.schedule_shift()
            if shift and app.record.step_log:
                start = format_clock(app.record.step_log[0].started_at)
                parts.append(labels.SCHEDULE_SHIFTED.format(shift=format_shift(shift), start=start))
            hint = " · ".join([p for p in parts if p] + [labels.PROGRAMME_HINT])
            yield Static(hint, classes="dialog-hint")

    def on_mount(self) -> None:
        app = cast("AtelierApp", self.app)
        table = self.query_one(DataTable)
        table.add_columns(
            " ",
            labels.PROGRAMME_PLANNED,
            labels.PROGRAMME_ACTUAL,
            labels.PROGRAMME_DURATION,
            labels.PROGRAMME_STEP,
        )
        current_row = 0
        for status in app.programme.statuses():
            mark = (
                labels.PROGRAMME_NOW
                if status.is_current
                else labels.PROGRAMME_DONE
                if status.is_done
                else ""
            )
            actual = format_clock(status.actual_start) if status.actual_start else ""
            number = f"{status.step.number}. " if status.step.number is not None else ""
            table.add_row(
                mark,
                format_clock_time(status.planned_start),
                actual,
                format_minutes(status.planned_minutes) if status.planned_minutes else "",
                Text(f"{number}{status.step.title}"),  # rich Text: measured, never markup
                key=status.step.id,
            )
            if status.is_current:
                current_row = status.index
        table.move_cursor(row=current_row)
        table.focus()

    @on(DataTable.RowSelected)
    def go(self, event: DataTable.RowSelected) -> None:
        self.dismiss(str(event.row_key.value))
