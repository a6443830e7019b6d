"""Voting from phones, on the app's side: starts and stops the server in the app's own event
loop, feeds the ballot box what the projector shows, and saves the votes.

The server calls :meth:`VoteController._on_vote` for each vote; that only marks the
statement dirty. At most every :data:`FLUSH_INTERVAL_S` the counts go into the session
record (source VOTES), the projector's count is refreshed and the record is saved, so a
burst of 60 phones costs a couple of redraws and saves, not 60. The reveal writes at once.
"""

from __future__ import annotations

import asyncio
import gc
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual.signal import Signal

from atelier.domain import cards as room_cards
from atelier.domain.cards import CardGate, CardLimits, CardRefusal, CardRefused
from atelier.domain.follow import Projection
from atelier.domain.votes import BallotBox
from atelier.store.atomic import failure_reason
from atelier.tui import labels, safe_text
from atelier.tui.screen_hooks import FollowsRoomCards

if TYPE_CHECKING:
    from atelier.tui.app import AtelierApp
    from atelier.tui.vote_teams import TeamDesk
    from atelier.vote.pages import SpeakerView
    from atelier.vote.requests import VoteLimits
    from atelier.vote.server import Extension, VoteServer

FLUSH_INTERVAL_S = 0.5
PROJECTION_INTERVAL_S = 0.25
FREEZE_EVERY_FOLLOWERS = 100
VOTE_GATHER_S = 0.003
"""How often the app looks at what the projector shows; the phones hear of a change at once."""


@dataclass
class _CardCommand:
    project_id: str
    category: str
    text: str
    signature: str
    device: str
    address: str
    done: asyncio.Future[CardRefusal | None]


@dataclass(frozen=True)
class VoteOptions:
    host: str | None = None
    """Address to listen on; None: the laptop's address on the local network."""
    port: int | None = None
    """None: 8765, or any free port when it is taken."""
    autostart: bool = False
    """``atelier run --vote``: start with the app."""
    limits: VoteLimits | None = None
    card_limits: CardLimits | None = None


class VoteController:
    def __init__(self, app: AtelierApp, options: VoteOptions | None = None) -> None:
        quiz = app.workshop.quiz
        if quiz is None:
            raise ValueError("no quiz in this workshop")
        self.app = app
        self.options = options or VoteOptions()
        devices = self.options.limits.devices_per_address if self.options.limits else None
        self.box = (
            BallotBox(quiz) if devices is None else BallotBox(quiz, devices_per_address=devices)
        )
        self.changed: Signal[str] = Signal(app, "votes-changed")
        """Published with a statement id after its new votes are in the record."""
        self.server: VoteServer | None = None
        self.flushes = 0
        self._dirty: set[str] = set()
        self._scheduled = False
        self._last_flush = 0.0
        self._tasks: set[asyncio.Task[None]] = set()
        self.projection: Projection = Projection(app.workshop.title)
        """What the projector shows, as last published (read by the server)."""
        self.card_gate = CardGate(self.options.card_limits)
        self._cards: asyncio.Queue[_CardCommand] = asyncio.Queue()
        self._card_worker: asyncio.Task[None] | None = None
        self._projection_timer: object | None = None
        self.cards_saved = 0
        self._frozen_streams = 0
        self._vote_waiters: list[asyncio.Future[bool]] = []
        self._committer: asyncio.Task[None] | None = None
        self.commits = 0
        self.teams: TeamDesk | None = None
        """Teams fill their own project from their phones (atelier/tui/vote_teams.py)."""
        if app.workshop.grid is not None and app.workshop.assessment is not None:
            from atelier.tui.vote_teams import TeamDesk

            self.teams = TeamDesk(app, app.workshop.grid, app.workshop.assessment)

    # -- life cycle --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    @property
    def speaker_url(self) -> str:
        assert self.server is not None
        return self.server.speaker_url

    @property
    def short_url(self) -> str:
        """The address without ``http://``: what a participant types if the QR fails."""
        return self.url.removeprefix("http://").rstrip("/")

    @property
    def loopback_only(self) -> bool:
        return self.server is not None and (self.server.public_host or "").startswith("127.")

    async def start(self) -> bool:
        """Start listening; False (and a notification) when the port cannot be opened."""
        if self.running:
            return True
        try:
            from atelier.vote.requests import DEFAULT_PORT, lan_address
            from atelier.vote.server import VoteServer
        except ImportError as error:  # an install without aiohttp / segno
            safe_text.notify(
                self.app, labels.VOTE_FAILED.format(error=error), severity="error", timeout=10
            )
            return False
        if self.server is None:  # keep the token across stop/start: printed QR codes stay valid
            self.server = VoteServer(
                self.box,
                on_vote=self._on_vote,
                speaker=self.speaker_view,
                limits=self.options.limits,
                projection=lambda: self.projection,
                on_card=self.submit_card,
                timer_clock=self.app.clock.monotonic,
                commit=self.commit_votes,
                remote=self.app.remote_endpoint(),
                extensions=self._extensions(),
            )
        host = self.options.host or lan_address()
        port = DEFAULT_PORT if self.options.port is None else self.options.port
        try:
            try:
                await self.server.start(host, port)
            except OSError:
                if self.options.port is not None:
                    raise
                await self.server.start(host, 0)  # the default port is taken: any free one
        except Exception as error:  # noqa: BLE001 - voting must never end the workshop
            reason = failure_reason(error) if isinstance(error, OSError) else error
            safe_text.notify(
                self.app, labels.VOTE_FAILED.format(error=reason), severity="error", timeout=10
            )
            return False
        self.refresh_projection()
        if self._projection_timer is None:
            self._projection_timer = self.app.set_interval(
                PROJECTION_INTERVAL_S, self.refresh_projection, name="projection"
            )
        if self._card_worker is None or self._card_worker.done():
            self._card_worker = asyncio.get_running_loop().create_task(self._apply_cards())
        safe_text.notify(self.app, labels.VOTE_STARTED.format(url=self.server.url), timeout=8)
        return True

    def _extensions(self) -> tuple[Extension, ...]:
        if self.teams is None:
            return ()
        from atelier.vote.teams import TeamRoutes

        return (TeamRoutes(self.teams),)

    async def stop(self, *, save: bool = True) -> None:
        """Stop listening; the votes counted so far go into the record (and are saved)."""
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()
        self._scheduled = False
        timer, self._projection_timer = self._projection_timer, None
        if timer is not None:
            timer.stop()  # type: ignore[attr-defined]
        server = self.server
        if server is not None and server.running:
            await server.stop()
        worker, self._card_worker = self._card_worker, None
        if worker is not None:  # the cards already taken are applied and saved first
            await self._drain_cards()
            worker.cancel()
        if self.teams is not None:
            await self.teams.stop()
        await self.flush(save=save)

    async def toggle(self) -> None:
        if self.running:
            await self.stop()
            self.app.notify(labels.VOTE_STOPPED)
        else:
            await self.start()

    # -- what the projector shows -----------------------------------------------------------

    def show(self, item_id: str | None, *, revealed: bool) -> None:
        self.box.show(item_id, revealed=revealed)

    async def reveal(self, item_id: str) -> None:
        """Close ``item_id`` and put its final counts in the record (the caller saves)."""
        self.box.close(item_id)
        self._dirty.discard(item_id)
        self.box.record_into(self.app.record, item_id)

    # -- votes coming in -------------------------------------------------------------------

    def _on_vote(self, item_id: str) -> None:
        self._dirty.add(item_id)
        if self._scheduled:
            return
        self._scheduled = True
        delay = max(0.0, self._last_flush + FLUSH_INTERVAL_S - time.monotonic())
        task = asyncio.get_running_loop().create_task(self._flush_later(delay))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush_later(self, delay: float) -> None:
        await asyncio.sleep(delay)
        self._scheduled = False
        await self.flush()

    async def commit_votes(self) -> bool:
        """Return once the votes counted so far are in the record and on disk (True), or the
        save failed (False). Votes that come in during a save wait for the next one: one
        save for many votes. The projector's count is redrawn by :meth:`flush`, debounced."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._vote_waiters.append(future)
        if self._committer is None or self._committer.done():
            self._committer = asyncio.get_running_loop().create_task(self._commit_votes())
        return await future

    async def _commit_votes(self) -> None:
        # A room votes in bursts: a few milliseconds let the votes already on their way join
        # this save instead of waiting for the next one.
        await asyncio.sleep(VOTE_GATHER_S)
        while self._vote_waiters:
            waiters, self._vote_waiters = self._vote_waiters, []
            for item_id in list(self._dirty):
                self.box.record_into(self.app.record, item_id)
            saved = await self.app.persist()
            self.commits += 1
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(saved)

    async def flush(self, *, save: bool = True) -> bool:
        """Put the pending votes into the record, tell the screen, save; True if any."""
        dirty, self._dirty = self._dirty, set()
        self._last_flush = time.monotonic()
        written = [item_id for item_id in dirty if self.box.record_into(self.app.record, item_id)]
        if not written:
            return False
        self.flushes += 1
        for item_id in written:
            self.changed.publish(item_id)
        if save:
            await self.app.persist()
        return True

    # -- what the phones follow --------------------------------------------------------------

    def refresh_projection(self) -> bool:
        """Take what the projector shows now; True (and the phones told) when it changed."""
        self._settle_followers()
        projection = self._take_projection()
        if projection.key == self.projection.key:
            self.projection = projection  # same page: fresher timer, same key
            return False
        self.projection = projection
        if self.server is not None and self.server.running:
            self.server.announce()
        return True

    def _settle_followers(self) -> None:
        """Phones that follow hold a connection each (a few hundred objects apiece, alive for
        the whole workshop). Once a hundred more have come, move them out of the cyclic
        collector's sight, as the app does at each step (``settle_memory``): otherwise each
        full collection walks them all again (measured: 70-150 ms pauses at 1,000 phones)."""
        server = self.server
        if server is None:
            return
        if server.streams >= self._frozen_streams + FREEZE_EVERY_FOLLOWERS:
            self._frozen_streams = server.streams
            gc.freeze()
        elif server.streams < self._frozen_streams:
            self._frozen_streams = server.streams

    def _take_projection(self) -> Projection:
        from atelier.tui.screens.base import StepScreen

        try:
            stack = list(self.app.screen_stack)
        except Exception:  # noqa: BLE001 - no screen yet, or shutting down
            stack = []
        for screen in reversed(stack):
            if isinstance(screen, StepScreen) and screen.is_mounted:
                try:
                    projection = screen.projection()
                except Exception:  # noqa: BLE001 - a screen half-built: keep the last one
                    return self.projection
                return projection
        return Projection(self.app.workshop.title)

    # -- cards from the phones: commands applied in order, answered once on disk ------------

    async def submit_card(
        self, project_id: str, category: str, text: str, signature: str, device: str, address: str
    ) -> CardRefusal | None:
        """Queue a card sent from a phone; None once it is saved, else why it was refused."""
        stage = self.projection.stage
        if stage is None:
            return CardRefusal.NO_STAGE
        if stage.project_id != project_id:
            return CardRefusal.NOT_ON_STAGE
        try:
            room_cards.check_category([c.id for c in stage.categories], category)
            self.card_gate.check(project_id, device, address)
        except CardRefused as refused:
            return refused.reason
        done: asyncio.Future[CardRefusal | None] = asyncio.get_running_loop().create_future()
        self._cards.put_nowait(
            _CardCommand(project_id, category, text, signature, device, address, done)
        )
        return await done

    async def _apply_cards(self) -> None:
        while True:
            first = await self._cards.get()
            await self._apply_batch([first])

    async def _drain_cards(self) -> None:
        batch: list[_CardCommand] = []
        while not self._cards.empty():
            batch.append(self._cards.get_nowait())
        if batch:
            await self._apply_batch(batch)

    async def _apply_batch(self, batch: list[_CardCommand]) -> None:
        """Apply every card waiting (in order), save once, then answer the phones."""
        while not self._cards.empty():
            batch.append(self._cards.get_nowait())
        self.refresh_projection()  # the stage as it is now, not 0.25 s ago
        answers: list[tuple[_CardCommand, CardRefusal | None]] = []
        touched: list[str] = []
        now = self.app.clock.now()
        for command in batch:
            answers.append((command, self._apply_card(command, now, touched)))
        saved = await self.app.persist() if touched else True
        for command, refusal in answers:  # the phones first: their cards are on disk
            if not command.done.done():
                command.done.set_result(
                    refusal if refusal is not None or saved else CardRefusal.NOT_SAVED
                )
        if touched:
            self.cards_saved += sum(1 for _, refusal in answers if refusal is None)
            for screen in list(self.app.screen_stack):
                if isinstance(screen, FollowsRoomCards):
                    screen.room_cards_changed(touched)

    def _apply_card(
        self, command: _CardCommand, now: datetime, touched: list[str]
    ) -> CardRefusal | None:
        stage = self.projection.stage
        if stage is None:
            return CardRefusal.NO_STAGE
        if stage.project_id != command.project_id:
            return CardRefusal.NOT_ON_STAGE
        try:
            self.card_gate.check(command.project_id, command.device, command.address)
            project = self.app.record.project(command.project_id)
        except CardRefused as refused:
            return refused.reason
        except KeyError:
            return CardRefusal.NOT_ON_STAGE
        room_cards.add_card(project, command.category, command.text, command.signature, now)
        self.card_gate.count(command.project_id, command.device, command.address)
        if command.project_id not in touched:
            touched.append(command.project_id)
        return None

    # -- the speaker's page ------------------------------------------------------------------

    def speaker_view(self) -> SpeakerView | None:
        """The countdown on the projector (pitch, exchange, pause…), None when none runs."""
        from atelier.domain.countdown import Zone
        from atelier.tui.widgets.big_timer import BigTimer, caption_for
        from atelier.vote import pages
        from atelier.vote.pages import SpeakerView

        try:
            screen = self.app.screen
        except Exception:  # noqa: BLE001 - no screen yet, or shutting down
            return None
        for timer in screen.query(BigTimer):
            countdown = timer.countdown
            if countdown is None or not countdown.started:
                continue
            label = countdown.label()
            step = getattr(screen, "step", None)
            zone = countdown.zone
            announce = ""
            if zone is Zone.EXPIRED:
                announce = pages.TIMER_EXPIRED
            elif zone is Zone.WARNING:
                announce = pages.warning_text(countdown.warning_s)
            return SpeakerView(
                label,
                caption_for(countdown, label),
                getattr(step, "title", "") or "",
                announce,
            )
        return None
