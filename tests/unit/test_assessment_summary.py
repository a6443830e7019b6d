"""Profiles and the room's spread (atelier.domain.assessment): pure, on a small made-up grid."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atelier.domain.assessment import project_profile, room_spread
from atelier.domain.content_grid import Grid
from atelier.domain.session import CriterionScore, Project


def _criterion(cid: str) -> dict[str, Any]:
    return {"id": cid, "name": cid.upper(), "descriptors": {"bas": "b", "moyen": "m", "haut": "h"}}


@pytest.fixture
def grid() -> Grid:
    """3 levels, 2 dimensions: a, b in the first; c, d, e in the second."""
    return Grid.model_validate(
        {
            "title": "Grille",
            "levels": [
                {"id": "bas", "label": "Bas"},
                {"id": "moyen", "label": "Moyen"},
                {"id": "haut", "label": "Haut"},
            ],
            "dimensions": [
                {"id": "d1", "name": "Portage", "criteria": [_criterion("a"), _criterion("b")]},
                {
                    "id": "d2",
                    "name": "Contexte",
                    "criteria": [_criterion("c"), _criterion("d"), _criterion("e")],
                },
            ],
        }
    )


def _project(pid: str, levels: dict[str, str | None], **extra: CriterionScore) -> Project:
    scores = {cid: CriterionScore(level=level) for cid, level in levels.items()}
    scores.update(extra)
    return Project(id=pid, name=pid, scores=scores)


# -- project_profile ------------------------------------------------------------------------------


def test_profile_follows_the_grid_grouped_by_dimension(grid: Grid) -> None:
    project = _project("p", {"e": "haut", "a": "bas", "c": "moyen"})
    profile = project_profile(grid, project)

    assert [d.dimension.id for d in profile.dimensions] == ["d1", "d2"]
    assert [[row.criterion.id for row in d.criteria] for d in profile.dimensions] == [
        ["a", "b"],
        ["c", "d", "e"],
    ]
    by_id = {row.criterion.id: row for row in profile.rows}
    assert by_id["a"].level is not None and by_id["a"].level.label == "Bas"
    assert (by_id["a"].level_index, by_id["c"].level_index, by_id["e"].level_index) == (0, 1, 2)
    assert by_id["e"].fraction == 1.0
    assert by_id["a"].fraction == pytest.approx(1 / 3)
    assert by_id["c"].dimension.id == "d2"


def test_profile_keeps_unscored_criteria_as_unscored(grid: Grid) -> None:
    project = _project("p", {"a": "haut", "b": None})
    profile = project_profile(grid, project)

    unscored = [row.criterion.id for row in profile.rows if not row.scored]
    assert unscored == ["b", "c", "d", "e"]  # b: level None; c, d, e: never touched
    for row in profile.rows[1:]:
        assert row.level is None and row.level_index is None and row.fraction == 0.0
    assert profile.scored_count == 1
    assert profile.criterion_count == 5
    assert profile.mean_index == 2.0


def test_profile_of_a_project_with_no_scores(grid: Grid) -> None:
    profile = project_profile(grid, Project(id="vide", name="Vide"))
    assert profile.scored_count == 0
    assert profile.mean_index is None
    assert profile.progress_count == 0
    assert len(profile.rows) == 5


def test_profile_keeps_comment_progress_and_an_unknown_level_id(grid: Grid) -> None:
    project = _project(
        "p",
        {},
        a=CriterionScore(level="moyen", comment="à creuser\nvraiment", progress=True),
        b=CriterionScore(level="exceptionnel", comment="niveau retiré de la grille"),
    )
    rows = {row.criterion.id: row for row in project_profile(grid, project).rows}

    assert rows["a"].comment == "à creuser\nvraiment"
    assert rows["a"].progress is True
    assert not rows["b"].scored
    assert rows["b"].raw_level_id == "exceptionnel"
    assert rows["b"].comment == "niveau retiré de la grille"
    assert project_profile(grid, project).progress_count == 1


def test_scores_for_criteria_not_in_the_grid_are_ignored(grid: Grid) -> None:
    project = _project("p", {"ancien-critere": "haut", "a": "bas"})
    profile = project_profile(grid, project)
    assert [row.criterion.id for row in profile.rows] == ["a", "b", "c", "d", "e"]
    assert profile.scored_count == 1


# -- room_spread ----------------------------------------------------------------------------------


def test_spread_counts_projects_per_level(grid: Grid) -> None:
    projects = [
        _project("p1", {"a": "bas", "b": "haut"}),
        _project("p2", {"a": "bas", "b": "moyen"}),
        _project("p3", {"a": "haut"}),
    ]
    spread = {s.criterion.id: s for s in room_spread(grid, projects)}

    a = spread["a"]
    assert [(c.level.id, c.count) for c in a.counts] == [("bas", 2), ("moyen", 0), ("haut", 1)]
    assert a.counts[0].project_ids == ("p1", "p2")
    assert a.unscored == 0 and a.scored == 3
    assert a.mean_index == pytest.approx(2 / 3)
    b = spread["b"]
    assert b.unscored == 1
    assert b.mean_index == pytest.approx(1.5)
    assert spread["c"].unscored == 3 and spread["c"].mean_index is None


def test_spread_puts_the_weakest_criteria_first(grid: Grid) -> None:
    projects = [
        _project("p1", {"a": "haut", "b": "moyen", "c": "bas", "d": "moyen", "e": "bas"}),
        _project("p2", {"a": "haut", "b": "bas", "c": "bas", "d": "haut", "e": "moyen"}),
    ]
    order = [s.criterion.id for s in room_spread(grid, projects)]
    # means: a 2, b 0.5, c 0, d 1.5, e 0.5 → c, then b and e (tie: grid order), d, a
    assert order == ["c", "b", "e", "d", "a"]


def test_spread_puts_criteria_nobody_scored_last_in_grid_order(grid: Grid) -> None:
    projects = [_project("p1", {"d": "haut", "b": "moyen"})]
    order = [s.criterion.id for s in room_spread(grid, projects)]
    assert order == ["b", "d", "a", "c", "e"]


def test_spread_counts_progress_marks_and_ignores_unknown_levels(grid: Grid) -> None:
    projects = [
        _project("p1", {}, a=CriterionScore(level="bas", progress=True)),
        _project("p2", {}, a=CriterionScore(level="disparu", progress=True)),
        _project("p3", {}, a=CriterionScore(level=None, progress=False)),
    ]
    a = next(s for s in room_spread(grid, projects) if s.criterion.id == "a")
    assert a.progress == 2
    assert a.scored == 1
    assert a.unscored == 2


def test_spread_of_no_projects_keeps_grid_order(grid: Grid) -> None:
    spread = room_spread(grid, [])
    assert [s.criterion.id for s in spread] == ["a", "b", "c", "d", "e"]
    assert all(s.mean_index is None and s.scored == 0 and s.unscored == 0 for s in spread)


def test_spread_accepts_any_iterable(grid: Grid) -> None:
    projects = (p for p in [_project("p1", {"a": "bas"})])
    assert room_spread(grid, projects)[0].criterion.id == "a"


_LEVEL = st.sampled_from(["bas", "moyen", "haut", None])


@given(st.lists(st.fixed_dictionaries({c: _LEVEL for c in "abcde"}), max_size=6))
def test_spread_is_consistent_with_profiles(rows: list[dict[str, str | None]]) -> None:
    grid = Grid.model_validate(
        {
            "title": "G",
            "levels": [{"id": i, "label": i} for i in ("bas", "moyen", "haut")],
            "dimensions": [
                {"id": "d", "name": "D", "criteria": [_criterion(c) for c in "abcde"]},
            ],
        }
    )
    projects = [_project(f"p{n}", levels) for n, levels in enumerate(rows)]
    spread = room_spread(grid, projects)

    means = [s.mean_index for s in spread if s.mean_index is not None]
    assert means == sorted(means)
    assert all(s.mean_index is None for s in spread[len(means) :])
    for s in spread:
        assert s.scored + s.unscored == len(projects)
        levels = [
            row.level_index
            for p in projects
            for row in project_profile(grid, p).rows
            if row.criterion.id == s.criterion.id and row.level_index is not None
        ]
        assert s.scored == len(levels)
        if levels:
            assert s.mean_index == pytest.approx(sum(levels) / len(levels))
