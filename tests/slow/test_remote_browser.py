"""The facilitator's remote in a real browser (headless Chromium through the DevTools
protocol, loopback only; see test_vote_browser.py): from the phone, the next page, a reveal,
start and pause the pitch timer, a line written into the notes; each one seen in the TUI
(Pilot) and on disk. A change made with the keyboard reaches the remote's page by itself
(server-sent events). Skipped, with the reason, when Chromium is not installed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from atelier.domain.content import Workshop
from atelier.domain.countdown import RunState
from atelier.domain.session import PitchStatus
from atelier.tui.screens.pitch import NoteArea
from atelier.tui.screens.quiz import QuizScreen
from tests.slow.test_room_browser import _app, _ax_problems, _binary, _serving, _shot, _until
from tests.slow.test_vote_browser import DevTools, chromium
from tests.tui.factory import close, wait_for
from tests.tui.test_pitch import on_round, saved

pytestmark = pytest.mark.slow

SIZE = (120, 40)


async def _tap_and_wait(pilot: Any, devtools: DevTools, selector: str) -> None:
    """Tap a button of the remote (a form: the page comes back with « Fait. »)."""
    await devtools.evaluate("window.before = true")
    for attempt in range(5):
        try:
            await devtools.tap(selector)
            break
        except AssertionError:  # the page redrew itself (an event) between lookup and tap
            if attempt == 4:
                raise
            await pilot.pause()
    await _until(
        pilot, devtools, "window.before === undefined && !!document.querySelector('p.sent')"
    )


async def test_the_remote_drives_the_quiz_and_the_pitch_round(
    atis: Workshop, tmp_path: Path
) -> None:
    binary = _binary()
    assert atis.quiz is not None and atis.pitch is not None
    app = _app(atis, tmp_path)
    sessions = tmp_path / "sessions"
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _serving(pilot, app)
            remote = app.remote
            assert remote is not None and remote.url is not None
            async with chromium(binary, tmp_path / "profile") as devtools:
                await devtools.call("Page.enable")
                await devtools.navigate(remote.url)
                first = atis.programme[0]
                await _until(
                    pilot,
                    devtools,
                    "document.querySelector('h1').textContent.indexOf("
                    f"{json.dumps(first.title)}) >= 0",
                )
                assert await _ax_problems(devtools) == []

                # A step changed on the laptop reaches the remote's page by itself.
                quiz_step = next(s for s in atis.programme if s.kind.value == "quiz")
                await devtools.evaluate("window.sameDocument = true")
                await app.go_to_step(quiz_step.id)
                screen = app.screen
                assert isinstance(screen, QuizScreen)
                await _until(
                    pilot,
                    devtools,
                    "document.querySelector('h1').textContent.indexOf("
                    f"{json.dumps(quiz_step.title)}) >= 0",
                )
                assert await devtools.evaluate("window.sameDocument") is True

                # Next page, from the phone, until the first statement is on the projector.
                for _ in range(10):
                    if screen.section == "items":
                        break
                    await _tap_and_wait(pilot, devtools, "button[data-action=page_next]")
                assert screen.section == "items" and screen.run is not None
                run = screen.run
                item = run.item.id
                assert not run.revealed
                assert (
                    await devtools.evaluate(
                        "document.querySelector('button[data-action=reveal]').disabled"
                    )
                    is False
                )
                # The reveal: on the projector, then on disk.
                await _tap_and_wait(pilot, devtools, "button[data-action=reveal]")
                assert run.revealed
                assert saved(sessions).quiz[item].revealed
                await _shot(devtools, tmp_path / "remote-quiz.png")

                # The pitch round: start, then pause, from the phone.
                pitch_step = next(s for s in atis.programme if s.kind.value == "pitch")
                await app.go_to_step(pitch_step.id)
                pitch_screen = await on_round(pilot, app)
                await devtools.navigate(remote.url)
                await _tap_and_wait(pilot, devtools, "button[data-action=timer_toggle]")
                project = pitch_screen.round.current
                assert project is not None and project.pitch.status is PitchStatus.PITCHING
                countdown = pitch_screen.round.active_countdown
                assert countdown is not None and countdown.state is RunState.RUNNING
                assert saved(sessions).project(project.id).pitch.status is PitchStatus.PITCHING
                await _tap_and_wait(pilot, devtools, "button[data-action=timer_toggle]")
                assert countdown.state is RunState.PAUSED
                timer = saved(sessions).project(project.id).pitch.pitch_timer
                assert timer is not None and timer.started_at is not None  # saved once paused

                # A line for the notes: in the notes field on the laptop, and on disk.
                line = "Relancer la « mairie » & <l'école>"
                await devtools.evaluate(
                    f"document.getElementById('note-text').value = {json.dumps(line)}"
                )
                await _tap_and_wait(pilot, devtools, "form[action$='/note'] button")
                assert saved(sessions).project(project.id).pitch.free_notes.endswith(line)
                area = next(a for a in pitch_screen.query(NoteArea) if a.field is None)
                await wait_for(pilot, lambda: area.text.endswith(line))
                assert line in await devtools.evaluate("document.body.innerText")
                assert await _ax_problems(devtools) == []
                await _shot(devtools, tmp_path / "remote-pitch.png")
    finally:
        close(app)
