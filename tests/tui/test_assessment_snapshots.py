"""What the room sees in sequence 2, at 80×24 (the smallest terminal) and 160×45 (a projector):
the phase view, the grid entry, a project's profile, the room's spread, and the private dialog
of a team's join code.

A FakeClock freezes every timer and the top bar's clock; cursors do not blink. Regenerate with
``pytest tests/tui/test_assessment_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.session import CriterionScore, PhoneAccess, TimerRecord
from atelier.tui.app import AtelierApp
from atelier.tui.screens.assessment import AssessmentScreen
from atelier.tui.screens.assessment_summary import ProfileScreen, RoomSpreadScreen
from atelier.tui.screens.grid_entry import GridEntryScreen
from atelier.tui.screens.projects import JoinCodeDialog
from tests.tui.factory import close, make_app, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="160x45")]

# Three projects, levels as indexes into the grid's levels (None: not scored yet).
PROJECTS: dict[str, tuple[str, list[int | None]]] = {
    "Épicerie solidaire": ("Marie, Paul", [1, 2, 0, 1, 3, 2, 1, 2, 0, 1, 3, 0]),
    "Jardin partagé du quartier": ("Léo", [2, 2, 1, 0, 3, 1, 2, 3, 1, 0, 2, 1]),
    "Recyclerie": ("", [3, 1, 1, 1, 2, None, None, 2, 1, 0, 1, 0]),
}


def populated_app(atis: Workshop, tmp_path: Path) -> AtelierApp:
    """The ATIS app on the assessment step, phase 3 under way, three projects scored."""
    clock = FakeClock()
    app = make_app(atis, tmp_path, clock)
    app.animation_level = "none"
    grid = atis.grid
    assert grid is not None
    for name, (carriers, levels) in PROJECTS.items():
        project = app.record.add_project(name, carriers, now=clock.now())
        for criterion, level in zip(grid.criteria, levels, strict=True):
            if level is not None:
                project.scores[criterion.id] = CriterionScore(level=grid.levels[level].id)
    first = app.record.projects[0]
    first.scores["richesse-collectif"].progress = True
    first.scores["richesse-collectif"].comment = "ouvrir aux habitants"
    first.scores["ouverture-recherche"].progress = True
    first.improvement_axes = "Associer les habitants à la gouvernance ; chercher un labo."
    first.pitch_prep = {"a": "Une épicerie à prix choisis", "b": "Manger mieux avec peu"}
    app.record.phases = {
        "autoevaluation": TimerRecord(duration_s=600, elapsed_s=640),
        "amelioration": TimerRecord(duration_s=600, elapsed_s=600),
        "preparation-pitch": TimerRecord(duration_s=300, elapsed_s=100),
    }
    app.record.current_phase_id = "preparation-pitch"
    app.record.enter_step("analyse-projet", clock.now())
    assert app.session is not None
    app.session.save_all()
    return app


def no_blink(app: AtelierApp) -> None:
    for field in app.screen.query(Input):
        field.cursor_blink = False
    for area in app.screen.query(TextArea):
        area.cursor_blink = False


def arriving(app: AtelierApp, *keys: str, screen: type) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: isinstance(app.screen, AssessmentScreen))
        await pilot.press(*keys)
        await wait_for(pilot, lambda: isinstance(app.screen, screen))
        no_blink(app)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_phase_view(snap_compare, atis: Workshop, tmp_path: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    app = populated_app(atis, tmp_path)
    # Espace: phase 3 goes on from 01:40 run (03:20 left); the fake clock keeps it there.
    assert snap_compare(
        app, terminal_size=size, run_before=arriving(app, "space", screen=AssessmentScreen)
    )
    close(app)


@pytest.mark.parametrize("size", SIZES)
def test_grid_entry(snap_compare, atis: Workshop, tmp_path: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    app = populated_app(atis, tmp_path)
    # The first project, cursor on its second criterion (a level, a mark, a comment).
    keys = ("enter", "f4", "down")
    assert snap_compare(
        app, terminal_size=size, run_before=arriving(app, *keys, screen=GridEntryScreen)
    )
    close(app)


@pytest.mark.parametrize("size", SIZES)
def test_project_profile(
    snap_compare,
    atis: Workshop,
    tmp_path: Path,
    size: tuple[int, int],  # noqa: ANN001
) -> None:
    app = populated_app(atis, tmp_path)
    keys = ("p",)
    assert snap_compare(
        app, terminal_size=size, run_before=arriving(app, *keys, screen=ProfileScreen)
    )
    close(app)


@pytest.mark.parametrize("size", SIZES)
def test_room_spread(snap_compare, atis: Workshop, tmp_path: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    app = populated_app(atis, tmp_path)
    assert snap_compare(
        app, terminal_size=size, run_before=arriving(app, "s", screen=RoomSpreadScreen)
    )
    close(app)


@pytest.mark.parametrize("size", SIZES)
def test_join_code_dialog(
    snap_compare,  # noqa: ANN001
    atis: Workshop,
    tmp_path: Path,
    size: tuple[int, int],
) -> None:
    """``c`` on a project created from a phone: the private dialog, its code still hidden
    (the projected list names the key in its title)."""
    app = populated_app(atis, tmp_path)
    app.record.projects[1].phones = PhoneAccess(join_code="ABCDEFGH", devices=["0" * 32])
    assert app.session is not None
    app.session.save_all()
    keys = ("down", "c")
    assert snap_compare(
        app, terminal_size=size, run_before=arriving(app, *keys, screen=JoinCodeDialog)
    )
    close(app)
