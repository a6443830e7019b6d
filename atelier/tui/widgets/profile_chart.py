"""A project's self-assessment profile as horizontal bars, one per criterion of the grid.

Each level is drawn by the *length* of its bar and written out (« Intermédiaire · 3/4 »), as in
the HTML report, so it reads on a washed-out projector and in monochrome. The figures come from
``atelier.domain.assessment.project_profile``; this widget only lays them out.

One widget drawing a Rich table (not a widget per cell): a grid has a dozen criteria, and a page
of the review is built when it is first shown, so fewer widgets means a quicker page turn.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from atelier.domain.assessment import CriterionLevel, ProjectProfile
from atelier.domain.content_grid import DEFAULT_PROGRESS_LABEL
from atelier.report import model as m

BAR_WIDTH = 12  # cells for the whole scale; each level gets the same share
FILLED = "█"
TRACK = "░"
NAME_MAX_WIDTH = 48  # past this, the bars would sit far from the names


def level_bar(row: CriterionLevel, width: int = BAR_WIDTH) -> str:
    """« █████████░░░ » for level 3 of 4; all track when unscored."""
    per_level = max(1, width // max(row.level_count, 1))
    filled = 0 if row.level_index is None else (row.level_index + 1) * per_level
    return FILLED * filled + TRACK * (per_level * row.level_count - filled)


def level_text(row: CriterionLevel) -> str:
    if row.level is not None and row.level_index is not None:
        return f"{row.level.label} · {m.format_level_rank(row.level_index, row.level_count)}"
    text = m.NOT_SCORED
    if row.raw_level_id:
        text += " — " + m.UNKNOWN_LEVEL.format(raw=row.raw_level_id)
    return text


class ProfileChart(Widget):
    """Dimension by dimension: criterion name (↗ when marked « marge de progression »), bar,
    level; the participant's comment under the row when there is one. Bars take the theme's
    primary colour, and change with it."""

    DEFAULT_CSS = """
    ProfileChart { height: auto; }
    """

    def __init__(
        self,
        profile: ProjectProfile,
        progress_label: str = DEFAULT_PROGRESS_LABEL,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.profile = profile
        self.progress_label = progress_label  # the workshop's word for the mark

    def on_mount(self) -> None:
        self.watch(self.app, "theme", lambda _theme: self.refresh(), init=False)

    def render(self) -> RenderableType:
        accent = Style(color=self.app.current_theme.primary)
        bold, italic = Style(bold=True), Style(italic=True)
        profile = self.profile
        rows = profile.rows
        level_width = max((len(level_text(row)) for row in rows), default=0)
        bar_width = max((len(level_bar(row)) for row in rows), default=0)
        name_width = max(8, min(NAME_MAX_WIDTH, self.size.width - bar_width - level_width - 2))
        summary = m.PROFILE_SUMMARY.format(
            scored=profile.scored_count,
            total=profile.criterion_count,
            progress=profile.progress_count,
        )
        legend = m.PROGRESS_LEGEND.format(label=self.progress_label)
        parts: list[RenderableType] = [Text(f"{summary} — {legend}", style=italic)]
        for dimension in profile.dimensions:
            parts += [Text(""), Text(dimension.dimension.name, style=bold)]
            for row in dimension.criteria:
                table = Table.grid(padding=(0, 1))
                table.add_column(width=name_width, overflow="fold")
                table.add_column(width=bar_width, no_wrap=True)
                table.add_column(overflow="fold")
                name = row.criterion.name + (f" {m.PROGRESS_MARK}" if row.progress else "")
                table.add_row(
                    Text(name),
                    Text(level_bar(row), style=accent if row.scored else Style()),
                    Text(level_text(row), style=Style() if row.scored else italic),
                )
                parts.append(table)
                if row.comment.strip():
                    parts.append(Padding(Text(row.comment.strip(), style=italic), (0, 0, 0, 2)))
        return Group(*parts)
