"""What the self-assessment says, on the projector.

- **Profile** of one project: each of the grid's criteria as a bar whose *length* is the level
  (1st level short … last level full width) with the level's number and label written after
  it, the « ✚ » of room to progress, then the improvement axes and pitch answers.
- **The room**: per criterion, how many projects sit at each level (a bar and the count in
  each level's column), weakest criteria first: what the pitch round should dig into.

Levels never rely on colour: length, number and label carry them. The figures come from
:mod:`atelier.domain.assessment` (the same the reports use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from atelier.domain.assessment import CriterionSpread, ProjectProfile, project_profile, room_spread
from atelier.domain.content_grid import Grid
from atelier.domain.content_programme import Step
from atelier.domain.session import Project
from atelier.tui import labels
from atelier.tui.screens.base import AtelierScreen
from atelier.tui.widgets.key_footer import KeyFooter
from atelier.tui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    pass


TALL_SCREEN_ROWS = 36
"""From this many rows on (a projector's 160×45), bars are two rows thick."""


class LengthBar:
    """A bar filling ``fraction`` of its column (at least one cell when above 0), the rest
    drawn with ``rest`` so the full scale stays visible. With ``rows=2`` the bar is a row and
    a half thick (a projector's large screen), so two bars never touch."""

    def __init__(
        self, fraction: float, full: str, rest: str, style: str = "", rows: int = 1
    ) -> None:
        self.fraction = min(max(fraction, 0.0), 1.0)
        self.full = full
        self.rest = rest
        self.style = style
        self.rows = rows

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(4, options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        filled = round(self.fraction * width)
        if self.fraction > 0:
            filled = max(1, filled)
        style = Style.parse(self.style) if self.style else None
        yield Segment(self.full * filled, style)
        yield Segment(self.rest * (width - filled))
        if self.rows > 1 and self.full:
            # The second row is the upper half only: a gap stays between two bars.
            yield Segment.line()
            yield Segment(labels.SUMMARY_BAR_LOWER * filled, style)
            yield Segment(" " * (width - filled))
        elif self.rows > 1:
            yield Segment.line()


class CountBar:
    """A count drawn as a bar ∝ ``fraction`` of the column, the number right after its end
    (« ████ 2 »), so each number sits on its own bar; ``rows=2`` as for :class:`LengthBar`."""

    def __init__(self, fraction: float, count: int, rows: int = 1) -> None:
        self.fraction = min(max(fraction, 0.0), 1.0)
        self.count = count
        self.rows = rows

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(4, options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        number = str(self.count)
        room = max(0, options.max_width - len(number) - 1)
        filled = round(self.fraction * room)
        if self.count:
            filled = max(1, filled)
        number_style = Style(bold=True) if self.count else Style(dim=True)
        gap = " " if filled else ""
        yield Segment(labels.SUMMARY_BAR_FULL * filled)
        yield Segment(gap)
        yield Segment(number, number_style)
        yield Segment(" " * (options.max_width - filled - len(gap) - len(number)))
        if self.rows > 1:
            yield Segment.line()
            yield Segment(labels.SUMMARY_BAR_LOWER * filled)
            yield Segment(" " * (options.max_width - filled))


def level_text(number: int | None, label: str | None) -> Text:
    if number is None or label is None:
        return Text(labels.GRID_NOT_SCORED, style="italic")
    return Text(f"{number} {label}", style="bold")


def levels_legend(grid: Grid) -> str:
    return labels.SUMMARY_LEVELS.format(
        levels=labels.SUMMARY_LEVEL_SEPARATOR.join(
            f"{number} {level.label}" for number, level in enumerate(grid.levels, 1)
        )
    )


def profile_table(profile: ProjectProfile, bar_rows: int = 1) -> Table:
    """Dimension headings, then one row per criterion: name, bar, « 3 Intermédiaire », ✚."""
    table = Table.grid(expand=True, padding=(0, 1))
    table.add_column(no_wrap=True, overflow="ellipsis", min_width=14)
    table.add_column(ratio=1, min_width=8)
    table.add_column(no_wrap=True)
    table.add_column(width=1, no_wrap=True)
    for number, dimension in enumerate(profile.dimensions):
        if number:
            table.add_row("", "", "", "")
        table.add_row(Text(dimension.dimension.name.upper(), style="bold underline"), "", "", "")
        for row in dimension.criteria:
            index = row.level_index
            if index is None:
                bar = LengthBar(0, "", labels.SUMMARY_BAR_NONE, rows=bar_rows)
            else:
                bar = LengthBar(
                    row.fraction, labels.SUMMARY_BAR_FULL, labels.SUMMARY_BAR_REST, rows=bar_rows
                )
            table.add_row(
                row.criterion.name,
                bar,
                level_text(
                    None if index is None else index + 1, row.level.label if row.level else None
                ),
                labels.GRID_PROGRESS_MARK if row.progress else "",
            )
    return table


class FittedLabel:
    """A column header that is never cut: the whole label when the column holds the widest of
    its row (``widest``: all the level columns switch together), else the short one (the
    level's number, which the legend under the table names)."""

    def __init__(self, full: str, short: str, style: str, widest: int = 0) -> None:
        self.full = full
        self.short = short
        self.style = style
        self.widest = max(widest, cell_len(full))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(cell_len(self.short), cell_len(self.full))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        fits = self.widest <= options.max_width
        yield Text(self.full if fits else self.short, style=self.style, no_wrap=True)


def room_table(
    grid: Grid, spreads: tuple[CriterionSpread, ...], project_count: int, bar_rows: int = 1
) -> Table:
    """Rank, criterion, one column per level (a bar ∝ the share of the room, then the count),
    the number of projects that did not score it, and the number that marked room to
    progress."""
    table = Table.grid(expand=True, padding=(0, 1))
    table.add_column(no_wrap=True, justify="right")
    table.add_column(no_wrap=True, overflow="ellipsis", min_width=16)
    for _ in grid.levels:
        table.add_column(no_wrap=True, overflow="ellipsis", ratio=1, min_width=7)
    table.add_column(no_wrap=True, justify="right", min_width=3)
    table.add_column(no_wrap=True, justify="right", min_width=3)
    header_style = "bold underline"
    widest = max(
        (cell_len(f"{n} {level.label}") for n, level in enumerate(grid.levels, 1)), default=0
    )
    table.add_row(
        "",
        Text(labels.ROOM_CRITERION, style=header_style),
        *(
            FittedLabel(f"{number} {level.label}", str(number), header_style, widest)
            for number, level in enumerate(grid.levels, 1)
        ),
        Text(labels.ROOM_UNSCORED, style=header_style),
        Text(labels.GRID_PROGRESS_MARK, style=header_style),
    )
    for rank, spread in enumerate(spreads, 1):
        cells = [
            CountBar(level.count / project_count if project_count else 0.0, level.count, bar_rows)
            for level in spread.counts
        ]
        table.add_row(
            Text(f"{rank}."),
            spread.criterion.name,
            *cells,
            Text(str(spread.unscored) if spread.unscored else "·"),
            Text(str(spread.progress) if spread.progress else "·"),
        )
    return table


class SummaryScreen(AtelierScreen):
    """Shared frame: top bar, a scrolling body, the footer; Échap goes back."""

    CSS_PATH = "assessment.tcss"

    BINDINGS = [
        Binding("escape", "back", labels.KEY_BACK),
        Binding("question_mark", "app.help", labels.KEY_HELP, show=False),
    ]

    def __init__(self, step: Step | None) -> None:
        super().__init__()
        self.step = step

    def compose(self) -> ComposeResult:
        yield TopBar(self.step)
        yield Static("", id="summary-title", markup=False)
        yield Static("", id="summary-subtitle", markup=False)
        with VerticalScroll(id="summary-body"):
            yield Static("", id="summary-chart")
            yield Static("", id="summary-notes", markup=False)
        yield Static("", id="summary-legend", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show()
        self.query_one("#summary-body").focus()

    def show(self) -> None:
        raise NotImplementedError

    @property
    def bar_rows(self) -> int:
        return 2 if self.app.size.height >= TALL_SCREEN_ROWS else 1

    def on_resize(self) -> None:
        if self.is_mounted:
            self.show()

    def action_back(self) -> None:
        self.dismiss(None)


class ProfileScreen(SummaryScreen):
    BINDINGS = [
        Binding("right,pagedown", "other_project(1)", labels.KEY_NEXT_PROJECT, priority=True),
        Binding("left,pageup", "other_project(-1)", labels.KEY_PREVIOUS_PROJECT, priority=True),
        Binding("s", "room", labels.KEY_ROOM),
    ]

    def __init__(self, step: Step | None, project_id: str) -> None:
        super().__init__(step)
        self.project_id = project_id

    @property
    def project(self) -> Project:
        return self.atelier.record.project(self.project_id)

    def show(self) -> None:
        project = self.project
        profile = project_profile(self.grid, project)
        title = labels.PROFILE_TITLE.format(name=project.name)
        if project.carriers:
            title += labels.PROJECT_CARRIERS_SUFFIX.format(carriers=project.carriers)
        subtitle = labels.GRID_SCORED.format(
            scored=profile.scored_count, total=profile.criterion_count
        )
        if profile.progress_count:
            subtitle += labels.PROFILE_PROGRESS.format(
                count=profile.progress_count, label=self.atelier.workshop.progress_label
            )
        self.query_one("#summary-title", Static).update(title)
        self.query_one("#summary-subtitle", Static).update(subtitle)
        self.query_one("#summary-chart", Static).update(profile_table(profile, self.bar_rows))
        notes_text = self._notes(project)
        notes = self.query_one("#summary-notes", Static)
        notes.update(notes_text)
        notes.display = bool(notes_text.plain)
        self.query_one("#summary-legend", Static).update(
            levels_legend(self.grid)
            + labels.PROFILE_LEGEND_PROGRESS.format(label=self.atelier.workshop.progress_label)
        )
        self.query_one("#summary-body", VerticalScroll).scroll_home(animate=False)

    def _notes(self, project: Project) -> Content:
        """The improvement axes and the pitch answers, under bold headings (empty: none)."""
        parts: list[str | tuple[str, str]] = []
        if project.improvement_axes.strip():
            parts += [(self.atelier.workshop.axes_heading, "bold underline"), "\n"]
            parts += [project.improvement_axes.strip(), "\n\n"]
        workshop_assessment = self.atelier.workshop.assessment
        prompts = (
            [p for phase in workshop_assessment.phases for p in phase.prompts]
            if workshop_assessment
            else []
        )
        answered = [p for p in prompts if project.pitch_prep.get(p.id, "").strip()]
        if answered:
            parts += [(self.atelier.workshop.pitch_prep_heading, "bold underline"), "\n"]
            for prompt in answered:
                parts += [(labels.PHASE_PROMPT.format(id=prompt.id, text=prompt.text), "bold")]
                parts += ["\n", project.pitch_prep[prompt.id].strip(), "\n"]
        return Content.assemble(*parts).rstrip()

    def action_other_project(self, delta: int) -> None:
        ids = [p.id for p in self.atelier.record.projects]
        if self.project_id not in ids:
            return
        self.project_id = ids[(ids.index(self.project_id) + delta) % len(ids)]
        self.show()

    def action_room(self) -> None:
        self.app.switch_screen(RoomSpreadScreen(self.step))


class RoomSpreadScreen(SummaryScreen):
    BINDINGS = [Binding("p", "profile", labels.KEY_PROFILE)]

    def show(self) -> None:
        projects = self.atelier.record.projects
        spreads = room_spread(self.grid, projects)
        self.query_one("#summary-title", Static).update(
            labels.ROOM_TITLE.format(count=len(projects))
        )
        self.query_one("#summary-subtitle", Static).update(
            labels.ROOM_SUBTITLE if projects else labels.ROOM_NO_PROJECT
        )
        chart = self.query_one("#summary-chart", Static)
        chart.update(
            room_table(self.grid, spreads, len(projects), self.bar_rows) if projects else ""
        )
        chart.display = bool(projects)
        self.query_one("#summary-notes", Static).display = False
        self.query_one("#summary-legend", Static).update(
            levels_legend(self.grid)
            + labels.ROOM_LEGEND.format(label=self.atelier.workshop.progress_label)
        )

    _room_refresh_due = False

    async def room_projects_changed(self, project_ids: list[str]) -> None:
        """Phones changed projects (saved already): the spread follows, live, redrawn at
        most every half second however many phones write."""
        if not self.is_mounted or self._room_refresh_due:
            return
        self._room_refresh_due = True
        self.set_timer(0.5, self._room_refresh)

    def _room_refresh(self) -> None:
        self._room_refresh_due = False
        if self.is_mounted:
            self.show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "profile" or bool(self.atelier.record.projects)

    def action_profile(self) -> None:
        projects = self.atelier.record.projects
        if projects:
            self.app.switch_screen(ProfileScreen(self.step, projects[0].id))
