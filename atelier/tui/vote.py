"""Voting from phones, on the app's side: starts and stops the server in the app's own event
loop, feeds the ballot box what the projector shows, and saves the votes.

The server calls :meth:`VoteController._on_vote` for each vote; that only marks the
statement dirty. At most every :data:`FLUSH_INTERVAL_S` the counts go into the session
record (source VOTES), the projector's count is refreshed and the record is saved, so a
burst of 60 phones costs a couple of redraws and saves, not 60. The reveal writes at once.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.signal import Signal

from atelier.domain.votes import BallotBox
from atelier.tui import labels, safe_text

if TYPE_CHECKING:
    from atelier.tui.app import AtelierApp
    from atelier.vote.pages import SpeakerView
    from atelier.vote.server import VoteLimits, VoteServer

FLUSH_INTERVAL_S = 0.5


@dataclass(frozen=True)
class VoteOptions:
    host: str | None = None
    """Address to listen on; None: the laptop's address on the local network."""
    port: int | None = None
    """None: 8765, or any free port when it is taken."""
    autostart: bool = False
    """``atelier run --vote``: start with the app."""
    limits: VoteLimits | None = None


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
            from atelier.vote.server import DEFAULT_PORT, VoteServer, lan_address
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
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            safe_text.notify(
                self.app, labels.VOTE_FAILED.format(error=reason), severity="error", timeout=10
            )
            return False
        safe_text.notify(self.app, labels.VOTE_STARTED.format(url=self.server.url), timeout=8)
        return True

    async def stop(self, *, save: bool = True) -> None:
        """Stop listening; the votes counted so far go into the record (and are saved)."""
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()
        self._scheduled = False
        server = self.server
        if server is not None and server.running:
            await server.stop()
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

    # -- the speaker's page ------------------------------------------------------------------

    def speaker_view(self) -> SpeakerView | None:
        """The countdown on the projector (pitch, exchange, pause…), None when none runs."""
        from atelier.tui.widgets.big_timer import BigTimer, caption_for
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
            return SpeakerView(
                label, caption_for(countdown, label), getattr(step, "title", "") or ""
            )
        return None
