"""The pitch screen's running order: the queue menu's commands, withdraw, reorder, the
volunteers dialog and a project added on the spot.

A mixin of :class:`atelier.tui.screens.pitch.PitchScreen` (plain methods only: Textual's
``@on`` handlers stay on the screen class)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from atelier.domain.session import Project
from atelier.tui import labels
from atelier.tui.screens.pitch_dialogs import VolunteersDialog
from atelier.tui.screens.pitch_widgets import QUEUE_MENU_ID, QueueList

if TYPE_CHECKING:
    from atelier.tui.screens.pitch import PitchScreen

    _Base = PitchScreen
else:
    _Base = object


class QueueMixin(_Base):
    def _highlighted_id(self) -> str | None:
        option = self.query_one(QueueList).highlighted_option
        if option is None or option.disabled or option.id == QUEUE_MENU_ID:
            return None
        return option.id

    async def _queue_command(self, action: str, project_id: str) -> None:
        if action == "take":
            if self.round.select(project_id):
                await self._commit()
            self.focus_stage()
        elif action == "skip":
            if self.round.skip(project_id):
                await self._commit()
        elif action == "done":
            if self.round.mark_done(project_id):
                await self._commit()
        elif action == "withdraw":
            await self._withdraw(project_id)

    async def action_withdraw_highlighted(self) -> None:
        project_id = self._highlighted_id()
        if project_id is not None:
            await self._withdraw(project_id)

    async def _withdraw(self, project_id: str) -> None:
        if project_id == self.round.record.current_pitch_project:
            self.notify(labels.PITCH_CANNOT_WITHDRAW)
        elif self.round.withdraw(project_id):
            await self._commit()

    async def action_move_highlighted(self, delta: int) -> None:
        project_id = self._highlighted_id()
        if project_id is not None and self.round.move(project_id, delta):
            await self._commit()
            ids = [p.id for p in self.round.queue]
            self.query_one(QueueList).highlighted = ids.index(project_id)

    def action_pick_volunteers(self) -> None:
        async def chosen(ids: list[str] | None) -> None:
            if ids is None:
                return
            for project in self.round.queue:
                if project.id not in ids and project.id != self.round.record.current_pitch_project:
                    self.round.withdraw(project.id)
            for project_id in ids:
                self.round.add_volunteer(project_id)
            await self._commit()

        self.app.push_screen(VolunteersDialog(list(self.atelier.record.projects)), chosen)

    def action_add_project(self) -> None:
        """A project that was not in the session pitches too: the projects dialog creates and
        saves it, then it joins the end of the queue."""
        from atelier.tui.screens.projects import add_project

        async def added(project: Project | None) -> None:
            if project is None:
                return
            self.round.add_volunteer(project.id)
            await self._commit()
            ids = [p.id for p in self.round.queue]
            self.query_one(QueueList).highlighted = ids.index(project.id)

        add_project(self.atelier, added)
