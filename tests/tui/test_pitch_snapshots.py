"""What the room sees during the pitch round, at a laptop's 80×24 and a projector's 160×45.

A FakeClock freezes every timer (the round's state is reached by advancing it by hand), note
fields do not blink, animations are off: the pictures are the same on every run. Regenerate
with ``pytest tests/tui/test_pitch_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from atelier.domain.content import Workshop
from atelier.tui.app import AtelierApp
from atelier.tui.screens.pitch import NoteArea, PitchScreen
from atelier.tui.widgets.top_bar import TopBar
from tests.tui.factory import close, wait_for
from tests.tui.test_pitch import at_round_start, pitch_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="160x45")]


def _app(atis: Workshop, tmp_path: Path) -> tuple[AtelierApp, object]:
    clock = at_round_start()
    app = pitch_app(atis, tmp_path, clock)
    app.animation_level = "none"
    return app, clock


def _catch_up(screen: PitchScreen) -> None:
    """What the 1 s / 5 s intervals would show by now: the fake clock moved without them."""
    screen.render_round()
    screen.query_one(TopBar).refresh_status()


def _mid_exchange(app: AtelierApp, clock, *, room: bool):  # noqa: ANN001, ANN202
    """Épicerie solidaire has pitched 2'15 and the exchange has run 6'40; notes typed."""

    async def run_before(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: isinstance(app.screen, PitchScreen))
        screen = app.screen
        assert isinstance(screen, PitchScreen)
        await wait_for(pilot, lambda: screen.section == "round")
        await pilot.press("f5")
        clock.advance(135)
        await pilot.press("f8")
        clock.advance(400)
        fields = list(screen.query(NoteArea))
        fields[0].focus()
        await pilot.press(*"Pitch clair, bien rythmé")
        fields[1].focus()
        await pilot.press(*"Mesurer l'impact avec les familles")
        if room:
            await pilot.press("f3")
        _catch_up(screen)
        await pilot.pause()

    return run_before


def _end_of_round(app: AtelierApp, clock):  # noqa: ANN001, ANN202
    """Three projects: one over time on its pitch, one skipped, one on time."""

    async def run_before(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: isinstance(app.screen, PitchScreen))
        screen = app.screen
        assert isinstance(screen, PitchScreen)
        await wait_for(pilot, lambda: screen.section == "round")
        await pilot.press("f5")  # Épicerie: 2'23 pitch, 15'40 exchange
        clock.advance(143)
        await pilot.press("f8")
        clock.advance(940)
        await pilot.press("f8", "f5")  # Jardin: 1'50 then skipped
        clock.advance(110)
        screen.round.skip()
        await pilot.press("f5")  # Recyclerie: 2'00 and 12'00
        clock.advance(120)
        await pilot.press("f8")
        clock.advance(720)
        await pilot.press("f8")
        await wait_for(pilot, lambda: screen.section == "summary")
        _catch_up(screen)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_pitch_screen_with_notes(snap_compare, atis: Workshop, tmp_path: Path, size) -> None:  # noqa: ANN001
    app, clock = _app(atis, tmp_path)
    run_before = _mid_exchange(app, clock, room=False)
    matches = snap_compare(app, terminal_size=size, run_before=run_before)
    close(app)
    assert matches


@pytest.mark.parametrize("size", SIZES)
def test_pitch_screen_room_mode(snap_compare, atis: Workshop, tmp_path: Path, size) -> None:  # noqa: ANN001
    app, clock = _app(atis, tmp_path)
    run_before = _mid_exchange(app, clock, room=True)
    matches = snap_compare(app, terminal_size=size, run_before=run_before)
    close(app)
    assert matches


@pytest.mark.parametrize("size", SIZES)
def test_end_of_round_table(snap_compare, atis: Workshop, tmp_path: Path, size) -> None:  # noqa: ANN001
    app, clock = _app(atis, tmp_path)
    matches = snap_compare(app, terminal_size=size, run_before=_end_of_round(app, clock))
    close(app)
    assert matches


def _cards_waiting(app: AtelierApp, clock):  # noqa: ANN001, ANN202
    """Mid-exchange with three cards from the room's phones in the inbox (not in room mode)."""
    from atelier.domain.cards import add_card

    before = _mid_exchange(app, clock, room=False)

    async def run_before(pilot: Pilot) -> None:
        await before(pilot)
        screen = app.screen
        assert isinstance(screen, PitchScreen)
        project = app.record.projects[0]
        for category, text, signature in (
            ("retour-pitch", "Très clair, bravo pour le « porte-à-porte » !", "Zoé"),
            ("conseils", "Pensez aux bailleurs sociaux [bold]du quartier[/]", ""),
            ("conseils", "Un local partagé avec la MJC ?", "Karim"),
        ):
            add_card(project, category, text, signature, clock.now())
        screen.room_cards_changed([project.id])
        await wait_for(pilot, lambda: screen.query_one("#pitch-inbox").display)
        _catch_up(screen)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_pitch_screen_with_cards_from_the_room(
    snap_compare,
    atis: Workshop,
    tmp_path: Path,
    size,  # noqa: ANN001
) -> None:
    app, clock = _app(atis, tmp_path)
    matches = snap_compare(app, terminal_size=size, run_before=_cards_waiting(app, clock))
    close(app)
    assert matches
