"""What ``atelier review`` looks like on the committed sample session: the overview and a
project page, on a laptop terminal (80×24) and a projector-sized one (160×45), and the search.

Regenerate with ``pytest tests/tui/test_review_snapshots.py --snapshot-update`` and look at the
SVGs before committing them."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from atelier.domain.content import Workshop
from atelier.store.session_store import SessionStore
from atelier.tui.review import ReviewApp
from atelier.tui.screens.review import ReviewScreen, SearchDialog
from tests.data.make_sample_session import SAMPLE_SESSION_DIR
from tests.tui.factory import wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="160x45")]


def make_app(workshop: Workshop) -> ReviewApp:
    record = SessionStore(SAMPLE_SESSION_DIR.parent).load(SAMPLE_SESSION_DIR)
    app = ReviewApp(workshop, record)
    app.animation_level = "none"
    return app


async def _on_review(pilot: Pilot[Any]) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen))


@pytest.mark.parametrize("size", SIZES)
def test_overview(snap_compare: Any, atis: Workshop, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(atis), terminal_size=size, run_before=_on_review)


@pytest.mark.parametrize("size", SIZES)
def test_project_page(snap_compare: Any, atis: Workshop, size: tuple[int, int]) -> None:
    async def first_project(pilot: Pilot[Any]) -> None:
        await _on_review(pilot)
        await pilot.press("right")
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        await wait_for(pilot, lambda: screen.current_page == "page-1")

    assert snap_compare(make_app(atis), terminal_size=size, run_before=first_project)


def test_search(snap_compare: Any, atis: Workshop) -> None:
    async def search(pilot: Pilot[Any]) -> None:
        await _on_review(pilot)
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SearchDialog))
        dialog = pilot.app.screen
        assert isinstance(dialog, SearchDialog)
        dialog.query_one(Input).cursor_blink = False
        await pilot.press(*"quartier")
        await wait_for(pilot, lambda: len(dialog.matches) > 0)

    assert snap_compare(make_app(atis), terminal_size=(80, 24), run_before=search)
