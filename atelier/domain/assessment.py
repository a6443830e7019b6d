"""What the self-assessment says: one project's profile, and the room's spread per criterion.

Pure functions over the grid (content) and the projects (session record). The live summaries,
the review screen and the exported report all read the same figures from here.

A level is shown by its index in the grid (0 = the first, weakest level) *and* its label; a
score whose level id is no longer in the grid (the content changed since the session) counts as
not scored, but its raw id is kept so nothing a participant chose silently disappears.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from atelier.domain.content_grid import Criterion, Dimension, Grid, Level
from atelier.domain.session import CriterionScore, Project

_NOT_SCORED = CriterionScore()


@dataclass(frozen=True, slots=True)
class CriterionLevel:
    """One criterion of one project: the level picked (if any), the comment, the progress mark."""

    criterion: Criterion
    dimension: Dimension
    level: Level | None
    level_index: int | None  # 0-based position of ``level`` in ``grid.levels``
    level_count: int
    comment: str = ""
    progress: bool = False
    raw_level_id: str | None = None  # what the record holds, even when the grid lost it

    @property
    def scored(self) -> bool:
        return self.level is not None

    @property
    def fraction(self) -> float:
        """Length of the level on a 0–1 scale: the first level is 1/n, the last 1; 0 unscored."""
        if self.level_index is None:
            return 0.0
        return (self.level_index + 1) / self.level_count


@dataclass(frozen=True, slots=True)
class DimensionProfile:
    dimension: Dimension
    criteria: tuple[CriterionLevel, ...]


@dataclass(frozen=True, slots=True)
class ProjectProfile:
    """A project's levels on every criterion of the grid, grouped by dimension, in grid order."""

    project_id: str
    levels: tuple[Level, ...]
    dimensions: tuple[DimensionProfile, ...]

    @property
    def rows(self) -> tuple[CriterionLevel, ...]:
        return tuple(row for dim in self.dimensions for row in dim.criteria)

    @property
    def scored_count(self) -> int:
        return sum(1 for row in self.rows if row.scored)

    @property
    def criterion_count(self) -> int:
        return len(self.rows)

    @property
    def progress_count(self) -> int:
        return sum(1 for row in self.rows if row.progress)

    @property
    def mean_index(self) -> float | None:
        """Mean 0-based level index over the scored criteria; None when nothing is scored."""
        indexes = [row.level_index for row in self.rows if row.level_index is not None]
        return sum(indexes) / len(indexes) if indexes else None


@dataclass(frozen=True, slots=True)
class LevelCount:
    level: Level
    index: int
    count: int
    project_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CriterionSpread:
    """How the room scored one criterion: projects per level, the unscored, the mean."""

    criterion: Criterion
    dimension: Dimension
    position: int  # the criterion's place in the grid, 0-based
    counts: tuple[LevelCount, ...]  # one per grid level, in grid order
    unscored: int
    progress: int  # projects that marked room to progress on this criterion
    mean_index: float | None  # None when no project scored it

    @property
    def scored(self) -> int:
        return sum(level.count for level in self.counts)


def _level_by_id(grid: Grid) -> dict[str, tuple[int, Level]]:
    return {level.id: (index, level) for index, level in enumerate(grid.levels)}


def project_profile(grid: Grid, project: Project) -> ProjectProfile:
    """``project``'s level on each criterion of ``grid`` (unscored criteria included)."""
    levels = _level_by_id(grid)
    level_count = len(grid.levels)
    dimensions: list[DimensionProfile] = []
    for dimension in grid.dimensions:
        rows: list[CriterionLevel] = []
        for criterion in dimension.criteria:
            score = project.scores.get(criterion.id, _NOT_SCORED)
            found = levels.get(score.level) if score.level is not None else None
            rows.append(
                CriterionLevel(
                    criterion=criterion,
                    dimension=dimension,
                    level=found[1] if found else None,
                    level_index=found[0] if found else None,
                    level_count=level_count,
                    comment=score.comment,
                    progress=score.progress,
                    raw_level_id=score.level,
                )
            )
        dimensions.append(DimensionProfile(dimension=dimension, criteria=tuple(rows)))
    return ProjectProfile(project_id=project.id, levels=grid.levels, dimensions=tuple(dimensions))


def room_spread(grid: Grid, projects: Iterable[Project]) -> tuple[CriterionSpread, ...]:
    """Per criterion, how many projects sit at each level — weakest criteria first.

    Criteria are sorted by mean level index, ascending; criteria nobody scored come last; ties
    keep the grid's order (so the result is stable from one call to the next)."""
    levels = _level_by_id(grid)
    projects = tuple(projects)
    spreads: list[CriterionSpread] = []
    position = 0
    for dimension in grid.dimensions:
        for criterion in dimension.criteria:
            per_level: list[list[str]] = [[] for _ in grid.levels]
            unscored = progress = 0
            for project in projects:
                score = project.scores.get(criterion.id, _NOT_SCORED)
                progress += score.progress
                found = levels.get(score.level) if score.level is not None else None
                if found is None:
                    unscored += 1
                else:
                    per_level[found[0]].append(project.id)
            scored = sum(len(ids) for ids in per_level)
            total = sum(index * len(ids) for index, ids in enumerate(per_level))
            spreads.append(
                CriterionSpread(
                    criterion=criterion,
                    dimension=dimension,
                    position=position,
                    counts=tuple(
                        LevelCount(level=level, index=index, count=len(ids), project_ids=tuple(ids))
                        for index, (level, ids) in enumerate(
                            zip(grid.levels, per_level, strict=True)
                        )
                    ),
                    unscored=unscored,
                    progress=progress,
                    mean_index=total / scored if scored else None,
                )
            )
            position += 1
    spreads.sort(key=lambda s: (s.mean_index is None, s.mean_index or 0.0, s.position))
    return tuple(spreads)


# ---------------------------------------------------------------------------------------------
# Scoring a project (issue #6, grid entry): small edits of the record, each returning whether
# anything changed so the screen saves only real changes. A score back to « nothing » (no
# level, no comment, no mark) leaves the record, so files list only what was said.


def _edit_score(project: Project, criterion_id: str) -> CriterionScore:
    return project.scores.get(criterion_id) or CriterionScore()


def _store_score(project: Project, criterion_id: str, score: CriterionScore) -> bool:
    before = project.scores.get(criterion_id, _NOT_SCORED)
    if score == before:
        return False
    if score == _NOT_SCORED:
        project.scores.pop(criterion_id, None)
    else:
        project.scores[criterion_id] = score
    return True


def set_level(project: Project, criterion_id: str, level_id: str | None) -> bool:
    """Pick a level (None clears it); True if the record changed."""
    score = _edit_score(project, criterion_id).model_copy(update={"level": level_id})
    return _store_score(project, criterion_id, score)


def shift_level(grid: Grid, project: Project, criterion_id: str, delta: int) -> bool:
    """One level up (``+1``) or down (``-1``), stopping at both ends. An unscored criterion
    (or one whose level the grid no longer has) takes the first level either way."""
    current = project.scores.get(criterion_id, _NOT_SCORED).level
    ids = [level.id for level in grid.levels]
    target = 0 if current not in ids else min(max(ids.index(current) + delta, 0), len(ids) - 1)
    return set_level(project, criterion_id, ids[target])


def toggle_progress(project: Project, criterion_id: str) -> bool:
    """Mark or unmark « marge de progression » on a criterion (always a change)."""
    score = _edit_score(project, criterion_id)
    return _store_score(
        project, criterion_id, score.model_copy(update={"progress": not score.progress})
    )


def set_comment(project: Project, criterion_id: str, comment: str) -> bool:
    """The criterion's comment as typed; True if it differs from the record's."""
    score = _edit_score(project, criterion_id).model_copy(update={"comment": comment})
    return _store_score(project, criterion_id, score)


def set_improvement_axes(project: Project, text: str) -> bool:
    if project.improvement_axes == text:
        return False
    project.improvement_axes = text
    return True


def set_pitch_prep(project: Project, prompt_id: str, text: str) -> bool:
    """The answer to a pitch-preparation prompt (a, b, c); an empty answer leaves the record."""
    if project.pitch_prep.get(prompt_id, "") == text:
        return False
    if text:
        project.pitch_prep[prompt_id] = text
    else:
        project.pitch_prep.pop(prompt_id, None)
    return True
