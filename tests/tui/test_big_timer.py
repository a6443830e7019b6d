"""BigTimer under Pilot: a FakeClock drives the countdown, refresh_clock() is called by hand.

The 0.1 s interval also runs, but the fake clock only moves when the test says so, so the
interval can never change what is shown: nothing here sleeps on real time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from atelier.domain.clock import FakeClock
from atelier.domain.countdown import Countdown
from atelier.tui.widgets import big_text
from atelier.tui.widgets.big_text import BigText
from atelier.tui.widgets.big_timer import (
    CAPTION_EXPIRED,
    CAPTION_PAUSED,
    CAPTION_WARNING_ONE_MINUTE,
    BigTimer,
    caption_for,
)

SIZE = (80, 24)


class TimerApp(App[None]):
    """The smallest host: one BigTimer, events and bells recorded."""

    def __init__(self, countdown: Countdown | None, ascii_only: bool = False) -> None:
        super().__init__()
        # TEXTUAL_ANIMATIONS is read once when textual is imported; set the level directly.
        self.animation_level = "none"
        self.countdown = countdown
        self.ascii_only = ascii_only
        self.events: list[str] = []
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield BigTimer(self.countdown, ascii_only=self.ascii_only)

    def bell(self) -> None:
        self.bells += 1

    @on(BigTimer.Warning)
    def record_warning(self, message: BigTimer.Warning) -> None:
        assert message.control is self.query_one(BigTimer)
        self.events.append("warning")

    @on(BigTimer.Expired)
    def record_expired(self, message: BigTimer.Expired) -> None:
        self.events.append("expired")


@pytest.fixture(autouse=True)
def _no_ascii_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("ATELIER_ASCII", raising=False)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    yield


@pytest.fixture
def render_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every BigText.render() call, with the text it drew."""
    calls: list[str] = []
    original = BigText.render

    def counting_render(self: BigText) -> object:
        calls.append(self.text)
        return original(self)

    monkeypatch.setattr(BigText, "render", counting_render)
    return calls


def screen_text(pilot: Pilot[None]) -> str:
    """What the terminal shows, as plain text."""
    return "\n".join(strip.text for strip in pilot.app.screen._compositor.render_strips())


async def tick(pilot: Pilot[None], timer: BigTimer) -> None:
    timer.refresh_clock()
    await pilot.pause()


def test_shows_block_digits_big_enough_at_80x24() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        app = TimerApp(Countdown(15 * 60, clock.monotonic))
        async with app.run_test(size=SIZE) as pilot:
            timer = app.query_one(BigTimer)
            await tick(pilot, timer)
            assert timer.text == "15:00"
            digits = timer.query_one(BigText)
            drawn = [line for line in digits.render_lines_for(*digits.content_size) if line.strip()]
            assert len(drawn) >= 5
            assert "█" in screen_text(pilot)
            assert timer.has_class("-ready")

    asyncio.run(scenario())


def test_runs_pauses_warns_and_expires_once() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        countdown = Countdown(120, clock.monotonic)
        app = TimerApp(countdown)
        async with app.run_test(size=SIZE) as pilot:
            timer = app.query_one(BigTimer)
            countdown.start()
            await tick(pilot, timer)
            assert timer.text == "02:00"
            assert timer.has_class("-running") and not timer.has_class("-ready")

            clock.advance(30)
            countdown.pause()
            await tick(pilot, timer)
            assert timer.text == "01:30"
            assert timer.has_class("-paused") and not timer.has_class("-running")
            paused = CAPTION_PAUSED.format(key="^T ou F5")  # the key that restarts it
            assert paused in timer.caption
            assert paused in screen_text(pilot)
            assert timer.query_one(".big-timer--banner").display  # « PAUSE » in block letters

            countdown.resume()
            clock.advance(30.5)
            await tick(pilot, timer)
            assert timer.text == "01:00"
            assert timer.has_class("-warning") and not timer.has_class("-overtime")
            assert timer.caption == CAPTION_WARNING_ONE_MINUTE
            assert app.events == ["warning"]

            clock.advance(59.5)
            await tick(pilot, timer)
            assert timer.text == "00:00"
            assert timer.has_class("-overtime") and not timer.has_class("-warning")
            assert app.events == ["warning", "expired"]
            assert app.bells == 1

            for _ in range(50):  # 5 s of overtime, one refresh per tenth
                clock.advance(0.1)
                timer.refresh_clock()
            clock.advance(18)
            await tick(pilot, timer)
            assert timer.text == "+0:23"
            assert timer.caption == f"{CAPTION_EXPIRED} +0:23"
            assert app.events == ["warning", "expired"]
            assert app.bells == 1

    asyncio.run(scenario())


def test_adding_a_minute_after_expiry_rearms_the_bell() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        countdown = Countdown(120, clock.monotonic)
        app = TimerApp(countdown)
        async with app.run_test(size=SIZE) as pilot:
            timer = app.query_one(BigTimer)
            countdown.start()
            clock.advance(125)
            await tick(pilot, timer)
            assert app.events == ["warning", "expired"]
            countdown.add(60)
            await tick(pilot, timer)
            assert timer.text == "00:55"
            assert timer.has_class("-warning") and not timer.has_class("-overtime")
            clock.advance(55)
            await tick(pilot, timer)
            assert app.events == ["warning", "expired", "expired"]
            assert app.bells == 2

    asyncio.run(scenario())


def test_repaints_only_when_the_text_changes(render_calls: list[str]) -> None:
    async def scenario() -> None:
        clock = FakeClock()
        countdown = Countdown(15 * 60, clock.monotonic)
        app = TimerApp(countdown)
        async with app.run_test(size=SIZE) as pilot:
            timer = app.query_one(BigTimer)
            countdown.start()
            await tick(pilot, timer)
            clock.advance(0.5)  # 14:59.5 → still shows 15:00
            await tick(pilot, timer)
            updates, renders = timer.display_updates, len(render_calls)
            assert renders >= 1 and render_calls[-1] == "15:00"

            for _ in range(4):  # up to 14:59.9: same label every tenth
                clock.advance(0.1)
                await tick(pilot, timer)
            assert timer.display_updates == updates
            assert len(render_calls) == renders

            clock.advance(0.2)  # 14:59 now
            await tick(pilot, timer)
            assert timer.text == "14:59"
            assert timer.display_updates == updates + 1
            assert len(render_calls) > renders
            assert render_calls[-1] == "14:59"

    asyncio.run(scenario())


def test_countdown_can_be_swapped_and_missing() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        app = TimerApp(None)
        async with app.run_test(size=SIZE) as pilot:
            timer = app.query_one(BigTimer)
            await tick(pilot, timer)
            assert timer.text == "--:--"
            timer.countdown = Countdown(5 * 60, clock.monotonic)
            await pilot.pause()
            assert timer.text == "05:00"
            expired = Countdown.restore({"duration_s": 60, "elapsed_s": 90}, clock.monotonic)
            timer.set_countdown(expired)
            await tick(pilot, timer)
            assert timer.text == "+0:30"
            assert timer.has_class("-overtime") and timer.has_class("-paused")
            assert app.events == []  # a restored overtime does not ring again
            assert app.bells == 0

    asyncio.run(scenario())


def test_ascii_mode_draws_with_hashes() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        app = TimerApp(Countdown(600, clock.monotonic), ascii_only=True)
        async with app.run_test(size=SIZE) as pilot:
            timer = app.query_one(BigTimer)
            timer.countdown.pause()  # type: ignore[union-attr]
            await tick(pilot, timer)
            text = screen_text(pilot)
            assert "#" in text
            assert "█" not in text and "▀" not in text and "▄" not in text

    asyncio.run(scenario())


def test_ascii_mode_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario() -> None:
        monkeypatch.setenv(big_text.ASCII_ENV_VAR, "1")
        assert BigTimer().ascii_only
        assert BigText("x").ascii_only

    asyncio.run(scenario())


def test_rescales_on_resize() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        app = TimerApp(Countdown(15 * 60, clock.monotonic))
        async with app.run_test(size=SIZE) as pilot:
            digits = app.query_one(BigText)
            small = [line for line in digits.render_lines_for(*digits.content_size) if line.strip()]
            await pilot.resize_terminal(160, 45)
            await pilot.pause()
            assert digits.content_size.width == 160
            large = [line for line in digits.render_lines_for(*digits.content_size) if line.strip()]
            assert len(large) >= 9
            assert len(large) > len(small)

    asyncio.run(scenario())


@pytest.mark.parametrize("width", [24, 18])
def test_the_caption_fits_the_narrow_corner_timer(width: int) -> None:
    """The grid's corner timer at 80×24 is 24 cells wide: « ⏸ En pause · ⏰ Temps écoulé
    +1:30 » was cut after « Temps »; the narrowest words still say both states."""
    clock = FakeClock()
    countdown = Countdown(60, clock.monotonic)
    countdown.start()
    clock.advance(90)
    countdown.pause()
    label = countdown.label()
    caption = caption_for(countdown, label, width)
    assert len(caption) <= width, caption
    assert caption == "⏸ Pause · ⏰ Écoulé"
    assert caption_for(countdown, label, 28) == f"⏸ En pause · {CAPTION_EXPIRED}"  # 160×45
    assert (
        caption_for(countdown, label, 80)
        == f"⏸ En pause · ^T ou F5 : relancer · {CAPTION_EXPIRED} {label}"
    )
    warning = Countdown(120, clock.monotonic)
    warning.start()
    clock.advance(70)
    assert caption_for(warning, warning.label(), 12) == "⚠ < 1 min"
    assert caption_for(warning, warning.label(), None) == CAPTION_WARNING_ONE_MINUTE
