"""What every step screen shares: the top bar, the footer, and the keys of docs/keyboard.md.

The typing-safe commands (:data:`atelier.tui.keys.TYPING_SAFE`: ctrl chords with F-key
aliases) are bound here once, with ``priority``, so they work while a text field has the
focus and mean the same thing on every screen. Each screen says which of them act on what it
shows (:meth:`StepScreen.timer_available` …): the others are hidden from the footer. Screens
with no text field add the single-key aliases (:data:`LETTER_BINDINGS`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from atelier.domain.content_grid import Grid
from atelier.domain.content_programme import Step
from atelier.domain.follow import Projection
from atelier.tui import labels
from atelier.tui.keys import letter_bindings, typing_safe_bindings
from atelier.tui.widgets.key_footer import KeyFooter
from atelier.tui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from atelier.tui.app import AtelierApp

SAFE_BINDINGS = typing_safe_bindings()
"""The ctrl / F-key commands, bound with priority on every step screen."""
SAFE_BINDINGS_ARROWS_SHOWN = typing_safe_bindings(hidden=("page_next", "page_previous"))
"""The same, for screens without a text field: their footer shows → ← for the pages."""

TURN_PAGE_BINDINGS = [
    Binding("right,pagedown", "page_next", labels.KEY_NEXT, key_display="→", priority=True),
    Binding("left,pageup", "page_previous", labels.KEY_PREVIOUS, key_display="←", priority=True),
]
"""The arrows, shown in the footer of screens without a text field (before the chords, so
the footer shows « → Suivant » there); with priority, so that a focused page's own scroll
keys do not take them."""

LETTER_BINDINGS = [
    *letter_bindings(),
    Binding("question_mark", "app.help", labels.KEY_HELP, show=False),
    Binding("t", "app.toggle_contrast", labels.KEY_THEME, show=False),
]
"""Single keys: only on screens where no text field can ever have the focus."""

TIMER_ACTIONS = frozenset({"timer_toggle", "timer_minus", "timer_plus"})


class AtelierScreen(Screen[None]):
    """Any screen of the live app: typed access to the app and its workshop's grid."""

    @property
    def atelier(self) -> AtelierApp:
        return cast("AtelierApp", self.app)

    @property
    def grid(self) -> Grid:
        grid = self.atelier.workshop.grid
        assert grid is not None
        return grid

    def live_activity(self) -> str | None:
        """Why quitting now needs a question (« un minuteur tourne »…), None if it does not."""
        return None


class StepScreen(AtelierScreen):
    """A screen that shows one programme step. Subclasses compose the body and may move
    through pages of their own before the next page leaves the step."""

    BINDINGS = [*TURN_PAGE_BINDINGS, *SAFE_BINDINGS_ARROWS_SHOWN, *LETTER_BINDINGS]

    def __init__(self, step: Step) -> None:
        super().__init__()
        self.step = step

    def compose(self) -> ComposeResult:
        yield TopBar(self.step)
        yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    # -- which shared commands act here ------------------------------------------------------

    def timer_available(self) -> bool | None:
        """Start/pause and ± 1 min act on this page (None: shown, greyed)."""
        return False

    def onward_available(self) -> bool | None:
        """The step's « next » (next phase, exchange, next project) acts on this page."""
        return False

    def room_mode_available(self) -> bool | None:
        return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in TIMER_ACTIONS:
            return self.timer_available()
        if action == "onward":
            return self.onward_available()
        if action == "room_mode":
            return self.room_mode_available()
        return True

    # -- pages and steps -----------------------------------------------------------------------

    async def action_page_next(self) -> None:
        await self.atelier.next_step()

    async def action_page_previous(self) -> None:
        await self.atelier.previous_step()

    async def action_step_next(self) -> None:
        await self.atelier.next_step()

    async def action_step_previous(self) -> None:
        await self.atelier.previous_step()

    def action_programme(self) -> None:
        from atelier.tui.screens.programme import ProgrammeScreen

        async def chosen(step_id: str | None) -> None:
            if step_id is not None:
                await self.atelier.go_to_step(step_id)

        self.app.push_screen(ProgrammeScreen(), chosen)

    def projection(self) -> Projection:
        """What the projector shows, for the room's phones (``atelier.domain.follow``)."""
        return self.projected()

    def projected(self, **parts: object) -> Projection:
        """The step's projection, with ``parts`` (a page, a timer, a statement…) added."""
        step = self.step
        workshop = self.atelier.workshop
        number, count = workshop.step_position(step.id)
        return Projection(
            workshop_title=workshop.title,
            step_id=step.id,
            step_number=number,
            step_count=count,
            step_title=step.title,
            **parts,  # type: ignore[arg-type]
        )

    # -- timer commands (screens with a timer override them) ---------------------------------

    async def action_timer_toggle(self) -> None:
        return None

    async def action_timer_minus(self) -> None:
        return None

    async def action_timer_plus(self) -> None:
        return None

    async def action_onward(self) -> None:
        return None

    def action_room_mode(self) -> None:
        return None
