"""Teams editing their own project from their phones, on the app's side (issue 20).

The server hands each change to :meth:`TeamDesk.submit`; changes are queued and applied in
arrival order by one worker, through the domain (atelier/domain/teams.py), then the touched
projects are saved (one atomic, fsynced file each, plus the session file when a project was
created) and only then are the phones answered. A burst shares one save. The screens that
show projects (the assessment's list, the room spread) are told after each save.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from atelier.domain import teams
from atelier.domain.content_grid import Assessment, Grid
from atelier.domain.follow import TimerView
from atelier.domain.session import Project
from atelier.domain.teams import CodeGate, EditKind, TeamEdit, TeamRefusal, TeamRefused
from atelier.tui.screen_hooks import FollowsRoomProjects
from atelier.vote.team_pages import ScoreView, TeamContext, TeamView

if TYPE_CHECKING:
    from atelier.tui.app import AtelierApp


@dataclass
class _Command:
    edit: TeamEdit
    device: str
    address: str
    done: asyncio.Future[tuple[TeamRefusal | None, str]]


def team_view(project: Project) -> TeamView:
    phones = project.phones
    assert phones is not None
    return TeamView(
        project_id=project.id,
        name=project.name,
        carriers=project.carriers,
        join_code=phones.join_code,
        scores={
            cid: ScoreView(score.level, score.comment, score.progress)
            for cid, score in project.scores.items()
        },
        axes=project.improvement_axes,
        prep=dict(project.pitch_prep),
        wants_to_pitch=phones.wants_to_pitch,
    )


class TeamDesk:
    def __init__(self, app: AtelierApp, grid: Grid, workshop_assessment: Assessment) -> None:
        self.app = app
        self.grid = grid
        self.assessment = workshop_assessment
        self.codes = CodeGate()
        self._queue: asyncio.Queue[_Command] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self.saves = 0
        self.applied = 0

    # -- what the phones read ----------------------------------------------------------------

    def context(self) -> TeamContext | None:
        """The assessment's phase view when it is on (under any dialog or grid), else None."""
        from atelier.tui.screens.assessment import PHASES, AssessmentScreen

        try:
            stack = list(self.app.screen_stack)
        except Exception:  # noqa: BLE001 - no screen yet, or shutting down
            return None
        for screen in reversed(stack):
            if isinstance(screen, AssessmentScreen):
                run = screen.run
                if run is None or screen.section != PHASES or not screen.is_mounted:
                    return None
                phase = run.phase
                timer = TimerView.of(phase.name, run.countdown, self.app.clock.monotonic())
                return TeamContext(
                    phase_index=run.index,
                    phase_count=run.count,
                    phase_name=phase.name,
                    instructions=phase.instructions.strip(),
                    timer=timer,
                    saved=self.app.save_problem is None,
                )
        return None

    def views(self, device: str) -> list[TeamView]:
        return [team_view(p) for p in teams.projects_of(self.app.record, device)]

    # -- changes coming in -------------------------------------------------------------------

    def start(self) -> None:
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._work())

    async def stop(self) -> None:
        """The changes already taken are applied and saved first."""
        worker, self._worker = self._worker, None
        batch: list[_Command] = []
        while not self._queue.empty():
            batch.append(self._queue.get_nowait())
        if batch:
            await self._apply(batch)
        if worker is not None:
            worker.cancel()

    async def submit(
        self, edit: TeamEdit, device: str, address: str
    ) -> tuple[TeamRefusal | None, str]:
        """Queue a change; ``(None, project id)`` once it is on disk, else why not."""
        if self.context() is None:
            return TeamRefusal.CLOSED, ""
        if edit.kind is EditKind.JOIN:
            try:
                self.codes.check(address)
            except TeamRefused as refused:
                return refused.reason, ""
        done: asyncio.Future[tuple[TeamRefusal | None, str]] = (
            asyncio.get_running_loop().create_future()
        )
        self._queue.put_nowait(_Command(edit, device, address, done))
        self.start()
        return await done

    async def _work(self) -> None:
        while True:
            first = await self._queue.get()
            batch = [first]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            await self._apply(batch)

    async def _apply(self, batch: list[_Command]) -> None:
        """Apply every change waiting, in order; save once; then answer the phones."""
        open_ = self.context() is not None
        now = self.app.clock.now()
        answers: list[tuple[_Command, TeamRefusal | None, str]] = []
        touched: list[str] = []
        for command in batch:
            if not open_:
                answers.append((command, TeamRefusal.CLOSED, ""))
                continue
            try:
                project = teams.apply_edit(
                    self.app.record, self.grid, self.assessment, command.edit, command.device, now
                )
            except TeamRefused as refused:
                if refused.reason is TeamRefusal.BAD_CODE:
                    self.codes.miss(command.address)
                answers.append((command, refused.reason, ""))
                continue
            if project.id not in touched:
                touched.append(project.id)
            answers.append((command, None, project.id))
        saved = await self.app.persist() if touched else True
        self.saves += bool(touched)
        for command, refusal, project_id in answers:
            if refusal is None and not saved:
                refusal = TeamRefusal.NOT_SAVED
            self.applied += refusal is None
            if not command.done.done():
                command.done.set_result((refusal, project_id))
        if touched:
            for screen in list(self.app.screen_stack):
                if isinstance(screen, FollowsRoomProjects):
                    await screen.room_projects_changed(touched)
