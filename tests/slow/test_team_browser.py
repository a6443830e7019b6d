"""« Mon projet » in a real browser (headless Chromium, see test_vote_browser.py), forms and
redirects only: a phone creates its team's project and taps a level (on disk, and in the room
spread); a second browser profile joins with the code and writes a comment (both fields
kept); a third profile, without the code, is refused and changes nothing.

Skipped, with the reason, when Chromium is not installed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from atelier.domain.assessment import room_spread
from atelier.domain.content import Workshop
from atelier.store.session_store import SessionStore
from atelier.vote import team_pages
from tests.slow.test_room_browser import _binary, _serving, _shot
from tests.slow.test_vote_browser import _wait_for_page, chromium
from tests.tui.factory import close
from tests.tui.test_assessment import on_phases
from tests.tui.test_team_phones import SIZE, _voting_assessment_app

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
