"""The pause: a big countdown (10' from the content), a bell at the end, ± 1 minute
(^T / Espace start-pause, ^R / − and ^E / + a minute: docs/keyboard.md)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from atelier.domain.content_programme import Step
from atelier.domain.follow import Projection, TimerView
from atelier.domain.session import TimerRecord
from atelier.tui import labels
from atelier.tui.screens.base import StepScreen
from atelier.tui.widgets.big_timer import BigTimer
from atelier.tui.widgets.markdown_text import MarkdownText
from atelier.tui.widgets.slide_view import slide_markdown


class PauseScreen(StepScreen):
    def __init__(self, step: Step) -> None:
        super().__init__(step)
        self.timer_record: TimerRecord | None = None

    def compose_body(self) -> ComposeResult:
        app = self.atelier
        minutes = self.step.pause_minutes or app.workshop.planned_minutes(self.step.id)
        record = app.record.pause_timer
        if record is None:
            record = TimerRecord(duration_s=minutes * 60)
            app.record.pause_timer = record
        self.timer_record = record
        self.countdown = record.to_countdown(app.clock.monotonic, warning_s=60)
        if not self.step.slides:
            yield Static(labels.PAUSE_TITLE, id="pause-title")
        yield BigTimer(self.countdown, id="timer")
        text = "\n\n".join(slide_markdown(app.workshop.slide(s)) for s in self.step.slides)
        if text:
            yield MarkdownText(text, id="pause-text")

    def on_mount(self) -> None:
        # A fresh pause starts by itself; one resumed after a restart waits for Espace.
        if not self.countdown.started:
            self.countdown.start()
            self.query_one(BigTimer).refresh_clock()

    def projection(self) -> Projection:
        app = self.atelier
        text = "\n\n".join(slide_markdown(app.workshop.slide(s)) for s in self.step.slides)
        return self.projected(
            page_markdown=text,
            timer=TimerView.of(labels.PAUSE_TITLE, self.countdown, app.clock.monotonic()),
        )

    def _capture(self) -> None:
        assert self.timer_record is not None
        self.timer_record.capture(self.countdown, self.atelier.clock.now())

    async def _timer_changed(self) -> None:
        self._capture()
        self.query_one(BigTimer).refresh_clock()
        await self.atelier.persist()

    def timer_available(self) -> bool:
        return True

    def live_activity(self) -> str | None:
        return labels.QUIT_TIMER_RUNS if self.countdown.running else None

    async def action_timer_toggle(self) -> None:
        self.countdown.toggle()
        await self._timer_changed()

    async def action_timer_minus(self) -> None:
        self.countdown.add(-60)
        await self._timer_changed()

    async def action_timer_plus(self) -> None:
        self.countdown.add(60)
        await self._timer_changed()

    @on(BigTimer.Expired)
    async def expired(self) -> None:
        await self._timer_changed()

    async def flush(self) -> None:
        self._capture()
