"""The facilitator's remote, on the app's side: a queue of commands applied in order through
the screens' own actions (the keys' actions), and the presenter view built from the domain.

A command carries the state key its page was drawn with (the projection's key, then the
number of commands applied so far): the worker refuses it (STALE, 409) when the key is no
longer the current one, so a replay or a press on an out-of-date page never acts twice and
two controllers never fight. Then it runs the action the key would run, on the screen on top
(a command the key would not do there is refused: UNAVAILABLE), saves like a key press, and
answers with the state that results. A line for the notes goes through the same queue.
"""

from __future__ import annotations

import asyncio
import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING

from atelier.domain import cards as room_cards
from atelier.domain import teams
from atelier.domain.follow import Projection
from atelier.domain.remote import (
    NoteView,
    PresenterView,
    RemoteAction,
    RemoteRefusal,
    TallyLine,
    TeamCodeView,
)
from atelier.domain.session import TallySource
from atelier.domain.wording import format_clock, lateness_status
from atelier.tui import labels

if TYPE_CHECKING:
    from textual.screen import Screen

    from atelier.tui.app import AtelierApp
    from atelier.vote.remote import Remote

TICK_S = 0.5
"""How often the app looks for a change the facilitator's pages must show (a vote, a card,
a minute of lateness); a change made by a command is announced at once."""

Answer = tuple[RemoteRefusal | None, PresenterView]


@dataclass
class _Command:
    action: RemoteAction | None
    """None: a line for the notes."""
    key: str
    project_id: str
    text: str
    done: asyncio.Future[Answer]


class RemoteController:
    def __init__(self, app: AtelierApp) -> None:
        from atelier.vote.remote import Remote

        self.app = app
        self.remote: Remote = Remote(
            self.view, self.submit, self.add_note, on_open=self._close_dialog
        )
        self.applied = 0
        """Commands applied so far: part of the state key (a replay is always stale)."""
        self._queue: asyncio.Queue[_Command] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._announced = ""
        self._timer = app.set_interval(TICK_S, self._tick, name="remote")

    # -- the address -------------------------------------------------------------------------

    @property
    def url(self) -> str | None:
        """The remote's address, None while the phones' server is not running."""
        votes = self.app.votes
        if votes is None or not votes.running or votes.server is None:
            return None
        server = votes.server
        origin = server.url[: -len(server.base)]
        return f"{origin}{self.remote.path()}"

    def _close_dialog(self) -> None:
        """A remote opened its page: the dialog that shows the secret leaves the screen
        (the projector, often) by itself."""
        from atelier.tui.screens.remote_dialog import RemoteDialog

        screen = self.app.screen
        if isinstance(screen, RemoteDialog):
            screen.dismiss(None)

    def revoke(self) -> None:
        """A new secret: every remote already opened is refused from now on."""
        self.remote.revoke()

    # -- state -------------------------------------------------------------------------------

    def _projection(self) -> Projection:
        votes = self.app.votes
        if votes is None:
            return Projection(self.app.workshop.title)
        votes.refresh_projection()
        return votes.projection

    def state_key(self, projection: Projection | None = None) -> str:
        projection = projection or self._projection()
        return f"{projection.key}.{self.applied}"

    @staticmethod
    def _available(screen: Screen[object], action: RemoteAction) -> bool:
        if getattr(screen, f"action_{action.value}", None) is None:
            return False
        try:
            return screen.check_action(action.value, ()) is True
        except Exception:  # noqa: BLE001 - a screen half-built: nothing is available
            return False

    def view(self) -> PresenterView:
        """The facilitator's view now (quick: read from the domain and the last projection)."""
        app = self.app
        projection = self._projection()
        screen = app.screen
        now = app.clock.now()
        programme = app.programme
        following = programme.next_step()
        lateness = programme.lateness_minutes(now)
        forecast = programme.forecast_end(now)
        elapsed = None
        if app.record.step_log and app.record.step_log[-1].ended_at is None:
            elapsed = max(0.0, (now - app.record.step_log[-1].started_at).total_seconds())
        parts: dict[str, object] = {}
        if projection.page_position is not None:
            index, count = projection.page_position
            parts["page"] = labels.REMOTE_PAGE.format(index=index, count=count)
        elif projection.heading:
            parts["page"] = projection.heading
        timer = projection.timer
        if timer is not None:
            remaining = timer.remaining_s
            if timer.running and timer.end_s is not None:
                remaining = timer.end_s - app.clock.monotonic()
            parts.update(
                timer_title=timer.title, timer_remaining_s=remaining, timer_running=timer.running
            )
        quiz = projection.quiz
        if quiz is not None:
            parts["page"] = labels.REMOTE_STATEMENT.format(index=quiz.index, count=quiz.count)
            parts.update(statement=quiz.statement, revealed=quiz.revealed)
            parts["tally"] = self._tally(quiz.item_id, [(a.id, a.label) for a in quiz.answers])
        stage = projection.stage
        if stage is not None:
            parts.update(self._stage(stage.project_id, stage.name, stage.status.value))
            room_mode = getattr(screen, "room_mode", None)
            if isinstance(room_mode, bool):
                parts["room_mode"] = room_mode
        if projection.teams_open:
            parts["team_codes"] = self._team_codes()
        return PresenterView(
            state_key=self.state_key(projection),
            workshop_title=app.workshop.title,
            step_title=projection.step_title or programme.current.title,
            step_number=projection.step_number,
            step_elapsed_s=elapsed,
            lateness=lateness_status(lateness),
            forecast_end=format_clock(forecast) if forecast is not None else "",
            next_step=following.title if following is not None else "",
            available=frozenset(a for a in RemoteAction if self._available(screen, a)),
            **parts,  # type: ignore[arg-type]
        )

    def _tally(self, item_id: str, answers: list[tuple[str, str]]) -> tuple[TallyLine, ...]:
        votes = self.app.votes
        counts = votes.box.counts(item_id) if votes is not None else {}
        result = self.app.record.quiz.get(item_id)
        hands = result.tally if result is not None and result.source is TallySource.HANDS else {}
        return tuple(
            TallyLine(label, counts.get(answer_id, 0), hands.get(answer_id))
            for answer_id, label in answers
        )

    def _team_codes(self) -> tuple[TeamCodeView, ...]:
        """The projects created from phones, with the code their team joins with."""
        return tuple(
            TeamCodeView(
                project.name,
                teams.display_code(project.phones.join_code),
                len(project.phones.devices),
            )
            for project in self.app.record.projects
            if project.phones is not None
        )

    def _stage(self, project_id: str, name: str, status: str) -> dict[str, object]:
        try:
            project = self.app.record.project(project_id)
        except KeyError:
            return {}
        pitch = self.app.workshop.pitch
        categories = pitch.feedback_categories if pitch is not None else ()
        notes = [NoteView(c.label, project.pitch.notes.get(c.id, "")) for c in categories]
        notes.append(NoteView(labels.REMOTE_FREE_NOTES, project.pitch.free_notes))
        return {
            "stage_project_id": project_id,
            "stage_name": name,
            "stage_status": labels.REMOTE_STAGE_STATUS.get(status, status),
            "notes": tuple(notes),
            "inbox": len(room_cards.pending(project)),
        }

    def _tick(self) -> None:
        """Tell the open pages when their view changed (a vote, a card, a minute late…)."""
        if self.remote.streams == 0:
            return
        try:
            key = self.view().key
        except Exception:  # noqa: BLE001 - no screen yet, or shutting down
            return
        if key != self._announced:
            self._announced = key
            self.remote.announce()

    # -- commands: one at a time, in order ---------------------------------------------------

    async def submit(self, action: RemoteAction, key: str) -> Answer:
        return await self._enqueue(_Command(action, key, "", "", self._future()))

    async def add_note(self, project_id: str, text: str) -> Answer:
        return await self._enqueue(_Command(None, "", project_id, text, self._future()))

    @staticmethod
    def _future() -> asyncio.Future[Answer]:
        return asyncio.get_running_loop().create_future()

    async def _enqueue(self, command: _Command) -> Answer:
        self._queue.put_nowait(command)
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._work())
        return await command.done

    async def _work(self) -> None:
        while not self._queue.empty():
            command = self._queue.get_nowait()
            try:
                answer = await (
                    self._apply(command) if command.action is not None else self._note(command)
                )
            except Exception:  # noqa: BLE001 - a remote must never end the workshop
                answer = (RemoteRefusal.UNAVAILABLE, self.view())
            if not command.done.done():
                command.done.set_result(answer)

    async def _apply(self, command: _Command) -> Answer:
        assert command.action is not None
        if command.key != self.state_key():
            return RemoteRefusal.STALE, self.view()
        screen = self.app.screen
        if not self._available(screen, command.action):
            return RemoteRefusal.UNAVAILABLE, self.view()
        self.applied += 1  # from here on, this page's key is stale: a replay is refused
        result = getattr(screen, f"action_{command.action.value}")()
        if inspect.isawaitable(result):
            await result
        saved = await self._save()
        return self._answered(saved)

    async def _note(self, command: _Command) -> Answer:
        stage = self._projection().stage
        if stage is None or stage.project_id != command.project_id:
            return RemoteRefusal.NO_STAGE, self.view()
        await self.app.flush_screen()  # what was typed on the laptop goes first
        project = self.app.record.project(command.project_id)
        before = project.pitch.free_notes
        separator = "" if not before.strip() else ("\n" if before.endswith("\n") else "\n\n")
        project.pitch.free_notes = before + separator + command.text
        self._show_note(command.project_id, project.pitch.free_notes)
        self.applied += 1
        saved = await self.app.persist()
        return self._answered(saved)

    def _show_note(self, project_id: str, text: str) -> None:
        """The free-notes field of the pitch screen shows the new line (the cursor stays)."""
        from textual.widgets import TextArea

        for screen in self.app.screen_stack:
            for area in screen.query(TextArea):
                if getattr(area, "project_id", "") != project_id or getattr(area, "field", 0):
                    continue
                missing = text[len(area.text) :] if text.startswith(area.text) else None
                if missing is None:
                    area.load_text(text)
                else:
                    area.insert(missing, area.document.end)

    async def _save(self) -> bool:
        await self.app.flush_screen()
        return await self.app.persist()

    def _answered(self, saved: bool) -> Answer:
        view = self.view()
        self._announced = view.key
        self.remote.announce()
        return (None if saved else RemoteRefusal.NOT_SAVED), view

    def stop(self) -> None:
        self._timer.stop()
        if self._worker is not None:
            self._worker.cancel()
