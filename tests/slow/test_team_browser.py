"""« Mon projet » in a real browser (headless Chromium, see test_vote_browser.py), forms and
redirects only: a phone creates its team's project and taps a level (on disk, and in the room
spread open on the projector); a second browser profile joins with the code and writes a
comment (both fields kept); a third profile, without the code, is refused and changes
nothing. Then the phase's timer, live on the team's page, and a new team's code on the
facilitator's remote.

Skipped, with the reason, when Chromium is not installed."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from atelier.domain.assessment import room_spread
from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.store.session_store import SessionStore
from atelier.tui.screens.assessment_summary import RoomSpreadScreen
from atelier.vote import pages, remote_pages, team_pages
from tests.slow.test_room_browser import _ax_problems, _binary, _serving, _shot, _until
from tests.slow.test_vote_browser import _wait_for_page, chromium
from tests.tui.factory import close, wait_for
from tests.tui.test_assessment import on_phases, screen_text
from tests.tui.test_team_phones import SIZE, _phone, _post, _voting_assessment_app

pytestmark = pytest.mark.slow


async def _type(devtools, field: str, text: str) -> None:  # noqa: ANN001
    await devtools.evaluate(
        f"document.getElementById({json.dumps(field)}).value = {json.dumps(text)}"
    )


async def test_create_fill_join_and_a_third_browser_is_refused(
    atis: Workshop, tmp_path: Path
) -> None:
    binary = _binary()
    assert atis.grid is not None
    app = _voting_assessment_app(atis, tmp_path)
    criterion = atis.grid.criteria[0]
    level = atis.grid.levels[2]
    name = "Jardin « partagé » & <co>"
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            await on_phases(pilot, app)
            async with chromium(binary, tmp_path / "first") as devtools:
                await devtools.call("Page.enable")
                await devtools.navigate(votes.url)
                await _wait_for_page(pilot, devtools, f"a[href='{votes.server.base}projet']")  # type: ignore[union-attr]
                await devtools.tap(f"a[href='{votes.server.base}projet']")  # type: ignore[union-attr]
                await _wait_for_page(pilot, devtools, "input#nom")
                await _type(devtools, "nom", name)
                await _type(devtools, "porteurs", "Zoé, Léo")
                await devtools.tap("section[aria-labelledby=creer] button[type=submit]")
                await _wait_for_page(pilot, devtools, "p.code")
                page = await devtools.text()
                found = re.search(r"rejoindre ce projet : ([A-Z2-9]{4}) ([A-Z2-9]{4})", page)
                assert found is not None
                heading = await devtools.evaluate("document.querySelector('h1').textContent")
                assert heading == name  # every character kept, none taken as markup
                code = found.group(1) + found.group(2)
                # The room spread, opened on the projector, follows the phone's tap.
                await pilot.press("s")
                await wait_for(pilot, lambda: isinstance(app.screen, RoomSpreadScreen))
                before = screen_text(app)
                await devtools.tap(f"#{criterion.id} button[value={level.id}]")
                await _wait_for_page(
                    pilot, devtools, f"#{criterion.id} button[value={level.id}][aria-pressed=true]"
                )
                assert team_pages.SAVED in await devtools.text()
                await _shot(devtools, tmp_path / "team-grid.png")
            on_disk = SessionStore(tmp_path).load("test")
            project = next(p for p in on_disk.projects if p.name == name)
            assert project.scores[criterion.id].level == level.id
            spread = next(s for s in room_spread(atis.grid, app.record.projects)
                          if s.criterion.id == criterion.id)  # fmt: skip
            assert project.id in spread.counts[2].project_ids
            await wait_for(pilot, lambda: screen_text(app) != before)
            assert code[:4] not in screen_text(app)  # never on the projector

            async with chromium(binary, tmp_path / "second") as devtools:
                await devtools.call("Page.enable")
                await devtools.navigate(f"{votes.url}projet")
                await _wait_for_page(pilot, devtools, "input#code")
                await _type(devtools, "code", f"{code[:4].lower()} {code[4:]}")
                await devtools.tap("section[aria-labelledby=rejoindre] button[type=submit]")
                await _wait_for_page(pilot, devtools, "p.code")
                await devtools.navigate(f"{votes.url}projet")  # a fresh page: no « Enregistré »
                assert not await devtools.node("p.sent")
                field = f"c-{criterion.id}"
                await _wait_for_page(pilot, devtools, f"textarea#{field}")
                await _type(devtools, field, "Nous « deux » & eux")
                await devtools.tap(f"#{criterion.id} form:last-of-type button[type=submit]")
                await _wait_for_page(pilot, devtools, "p.sent")
            score = SessionStore(tmp_path).load("test").project(project.id).scores[criterion.id]
            assert (score.level, score.comment) == (level.id, "Nous « deux » & eux")

            async with chromium(binary, tmp_path / "third") as devtools:
                await devtools.call("Page.enable")
                await devtools.navigate(f"{votes.url}projet")
                await _wait_for_page(pilot, devtools, "input#code")
                page = await devtools.text()
                assert "Jardin" not in page and code[:4] not in page
                await _type(devtools, "code", "ZZZZZZZZ")
                await devtools.tap("section[aria-labelledby=rejoindre] button[type=submit]")
                await _wait_for_page(pilot, devtools, "p.error")
                forged = await devtools.call(
                    "Runtime.evaluate",
                    expression=(
                        f"fetch({json.dumps(votes.url + 'projet')}, {{method: 'POST', headers: "
                        "{'Content-Type': 'application/x-www-form-urlencoded'}, body: "
                        f"'action=niveau&project={project.id}&target={criterion.id}"
                        "&value=fort'}).then(r => r.status)"
                    ),
                    awaitPromise=True,
                    returnByValue=True,
                )
                assert forged["result"]["value"] == 403
            score = SessionStore(tmp_path).load("test").project(project.id).scores[criterion.id]
            assert score.level == level.id
    finally:
        close(app)


async def _top_shot(devtools, path: Path) -> None:  # noqa: ANN001
    """The top of the page only (what a phone shows first), kept to look at."""
    shot = await devtools.call(
        "Page.captureScreenshot",
        format="png",
        clip={"x": 0, "y": 0, "width": 420, "height": 760, "scale": 1},
    )
    path.write_bytes(base64.b64decode(shot["data"]))


def _by_id(element: str, prop: str = "textContent") -> str:
    return f"(document.getElementById({json.dumps(element)}) || {{}}).{prop}"


async def test_the_phase_timer_counts_down_live_and_speaks_at_the_warning_and_zero(
    atis: Workshop, tmp_path: Path
) -> None:
    """« Mon projet »: the phase's timer follows the projector without a reload (the follow
    page's event stream), counts down by itself, is heard at the warning and at zero only;
    a new phase reloads the page, unless a text is being typed (then it says so and keeps
    the text)."""
    binary = _binary()
    app = _voting_assessment_app(atis, tmp_path)
    clock = app.clock
    assert isinstance(clock, FakeClock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            screen = await on_phases(pilot, app)
            assert screen.run is not None
            countdown = screen.run.countdown
            warning = countdown.warning_s
            async with chromium(binary, tmp_path / "phone") as devtools:
                await devtools.call("Page.enable")
                await devtools.navigate(f"{votes.url}projet")
                await _wait_for_page(pilot, devtools, "input#nom")
                await _type(devtools, "nom", "Jardin")
                await devtools.tap("section[aria-labelledby=creer] button[type=submit]")
                await _wait_for_page(pilot, devtools, "p.code")
                await _wait_for_page(pilot, devtools, "#timer[data-running='0']")
                assert await devtools.evaluate(_by_id("timer-caption")) == pages.TIMER_READY
                await devtools.evaluate("window.sameDocument = true")

                # Started at the keyboard: the phone hears it, and counts down by itself.
                await pilot.press("ctrl+t")
                await _wait_for_page(pilot, devtools, "#timer[data-running='1']")
                first = await devtools.evaluate(_by_id("timer-digits"))
                await _until(pilot, devtools, f"{_by_id('timer-digits')} !== {json.dumps(first)}")
                assert await devtools.evaluate("window.sameDocument") is True  # no reload
                assert await devtools.evaluate(_by_id("timer-caption")) == pages.TIMER_RUNNING
                assert await devtools.evaluate(_by_id("annonce")) == ""  # seconds: silent
                assert await _ax_problems(devtools) == []  # named controls, headings in order
                assert await devtools.evaluate(
                    "document.getElementById('timer').closest('[aria-live]') === null"
                )

                # Two seconds before the warning: heard once it is crossed.
                clock.advance(countdown.remaining() - warning - 2.0)
                await pilot.press("ctrl+t")
                await _wait_for_page(pilot, devtools, "#timer[data-running='0']")
                await pilot.press("ctrl+t")
                await _wait_for_page(pilot, devtools, "#timer[data-running='1']")
                said = json.dumps(pages.warning_text(warning))
                await _until(pilot, devtools, f"{_by_id('annonce')} === {said}", timeout=10)
                assert await devtools.evaluate(_by_id("timer-caption")) == pages.warning_text(
                    warning
                )

                # Two seconds before zero: heard at zero.
                clock.advance(countdown.remaining() - 2.0)
                await pilot.press("ctrl+t")
                await _wait_for_page(pilot, devtools, "#timer[data-running='0']")
                await pilot.press("ctrl+t")
                await _wait_for_page(pilot, devtools, "#timer[data-running='1']")
                zero = json.dumps(pages.TIMER_EXPIRED)
                await _until(pilot, devtools, f"{_by_id('annonce')} === {zero}", timeout=10)
                assert await devtools.evaluate("window.sameDocument") is True
                await _top_shot(devtools, tmp_path / "team-timer.png")

                # The next phase: nothing typed, the page reloads on the new phase's form.
                await pilot.press("ctrl+n")
                await _wait_for_page(pilot, devtools, "textarea#t-axes")
                assert await devtools.evaluate("window.sameDocument") is None
                assert await _ax_problems(devtools) == []
                # Something typed, then the phase after: the page says so, keeps the text.
                await devtools.evaluate("window.sameDocument = true")
                await _type(devtools, "t-axes", "Nos axes « à garder »")
                await pilot.press("ctrl+n")
                await _wait_for_page(pilot, devtools, "#phase-head p.error")
                head = await devtools.evaluate(_by_id("phase-head"))
                assert head.startswith(team_pages.PHASE_CHANGED)
                assert await devtools.evaluate(_by_id("t-axes", "value")) == "Nos axes « à garder »"
                assert await devtools.evaluate("window.sameDocument") is True
                said = json.dumps(team_pages.PHASE_CHANGED)
                await _until(pilot, devtools, f"{_by_id('annonce')} === {said}")
    finally:
        close(app)


async def test_the_facilitators_remote_lists_a_new_teams_code_by_itself(
    atis: Workshop, tmp_path: Path
) -> None:
    """The facilitator's remote, open on a phone during the phases: a team creates its
    project from its own phone, and the code appears on the remote without a reload."""
    binary = _binary()
    app = _voting_assessment_app(atis, tmp_path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            await on_phases(pilot, app)
            remote = app.remote
            assert remote is not None and remote.url is not None
            async with chromium(binary, tmp_path / "facilitator") as devtools:
                await devtools.call("Page.enable")
                await devtools.navigate(remote.url)
                await _until(pilot, devtools, "!!document.getElementById('codes-h')")
                assert remote_pages.TEAM_CODES_NONE in await devtools.text()
                await devtools.evaluate("window.sameDocument = true")
                async with _phone(7) as team:
                    status, _ = await _post(team, votes.url, action="creer", value="Vélos & co")
                assert status == 303
                project = next(p for p in app.record.projects if p.phones is not None)
                assert project.phones is not None
                code = project.phones.join_code
                shown = json.dumps(f"{code[:4]} {code[4:]}")
                await _until(
                    pilot,
                    devtools,
                    f"(document.querySelector('dl .code') || {{}}).textContent === {shown}",
                )
                name = await devtools.evaluate("document.querySelector('dl dt').textContent")
                assert name == "Vélos & co"
                assert await devtools.evaluate("window.sameDocument") is True
                assert await _ax_problems(devtools) == []
    finally:
        close(app)
