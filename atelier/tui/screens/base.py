"""What every step screen shares: the top bar, the footer, and the navigation keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from atelier.domain.content import Grid, Step
from atelier.domain.follow import Projection
from atelier.tui import labels
from atelier.tui.widgets.key_footer import KeyFooter
from atelier.tui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from atelier.tui.app import AtelierApp


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


class StepScreen(AtelierScreen):
    """A screen that shows one programme step. Subclasses compose the body and may move
    through pages of their own before ``→`` leaves the step."""

    BINDINGS = [
        Binding("right,pagedown", "next", labels.KEY_NEXT),
        Binding("left,pageup", "previous", labels.KEY_PREVIOUS),
        Binding("greater_than_sign,ctrl+right", "next_step", labels.KEY_NEXT_STEP),
        Binding("less_than_sign,ctrl+left", "previous_step", labels.KEY_PREVIOUS_STEP),
        Binding("g", "programme", labels.KEY_PROGRAMME),
        Binding("question_mark", "app.help", labels.KEY_HELP),
        Binding("t", "app.toggle_contrast", labels.KEY_THEME),
    ]

    def __init__(self, step: Step) -> None:
        super().__init__()
        self.step = step

    def compose(self) -> ComposeResult:
        yield TopBar(self.step)
        yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    async def action_next(self) -> None:
        await self.atelier.next_step()

    async def action_previous(self) -> None:
        await self.atelier.previous_step()

    async def action_next_step(self) -> None:
        await self.atelier.next_step()

    async def action_previous_step(self) -> None:
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
        return Projection(
            workshop_title=self.atelier.workshop.title,
            step_id=step.id,
            step_number=step.number,
            step_title=step.title,
            **parts,  # type: ignore[arg-type]
        )

    async def flush(self) -> list[str]:
        """Copy live state (running timers, text typed but not saved yet) into the record and
        return the ids of the projects it touched; the app saves them right after."""
        return []
