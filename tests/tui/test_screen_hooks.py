"""The screens the app and its controllers call back (flush, the phones' changes) say so by the
Protocols of atelier/tui/screen_hooks.py, which the callers check with isinstance."""

from __future__ import annotations

import pytest

from atelier.tui.screen_hooks import FollowsRoomCards, FollowsRoomProjects, HoldsUnsavedState
from atelier.tui.screens.assessment import AssessmentScreen
from atelier.tui.screens.grid_entry import GridEntryScreen
from atelier.tui.screens.info import InfoScreen
from atelier.tui.screens.pause import PauseScreen
from atelier.tui.screens.pitch import PitchScreen
from atelier.tui.screens.quiz import QuizScreen


@pytest.mark.parametrize(
    ("screen", "holds"),
    [
        (PitchScreen, True),  # notes typed, clocks running
        (GridEntryScreen, True),  # a comment or the axes typed
        (AssessmentScreen, True),  # the phase clock
        (PauseScreen, True),  # the pause clock
        (QuizScreen, False),  # every key saves at once
        (InfoScreen, False),
    ],
)
def test_screens_holding_unsaved_state(screen: type, holds: bool) -> None:
    assert issubclass(screen, HoldsUnsavedState) is holds


def test_screens_following_the_phones() -> None:
    assert issubclass(PitchScreen, FollowsRoomCards)
    assert not issubclass(AssessmentScreen, FollowsRoomCards)
    assert issubclass(AssessmentScreen, FollowsRoomProjects)
    assert not issubclass(PitchScreen, FollowsRoomProjects)
