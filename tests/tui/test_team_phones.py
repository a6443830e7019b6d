"""Teams fill their project from their phones in the live app (127.0.0.x only): a change
is on disk before the phone hears « enregistré », the projector's list counts the grids and
marks the phones' projects, the room spread follows, and « Je veux pitcher » pre-ticks."""

from __future__ import annotations

import html
import re
from pathlib import Path

import aiohttp
from textual.pilot import Pilot

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.teams import CodeGate
from atelier.store.session_store import SessionStore
from atelier.tui import labels
from atelier.tui.app import AtelierApp
from atelier.tui.screens.assessment import PHASES
from atelier.tui.screens.assessment_summary import RoomSpreadScreen
from atelier.tui.screens.pitch_dialogs import preticked
from atelier.tui.screens.projects import JoinCodeDialog
from atelier.tui.vote import VoteController, VoteOptions
from atelier.vote import remote_pages
from tests.tui.factory import close, wait_for
from tests.tui.test_assessment import assessment_app, on_phases, screen_text

SIZE = (120, 40)


def _phone(number: int) -> aiohttp.ClientSession:
    jar = aiohttp.CookieJar(unsafe=True)
    connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{40 + number}", 0))
    return aiohttp.ClientSession(cookie_jar=jar, connector=connector)


def _voting_assessment_app(workshop: Workshop, tmp_path: Path) -> AtelierApp:
    app = assessment_app(workshop, tmp_path, FakeClock(), projects=("Saisi au clavier",))
    app.vote_options = VoteOptions(host="127.0.0.1", port=0, autostart=True)
    return app


async def _serving(pilot: Pilot, app: AtelierApp) -> VoteController:
    await wait_for(pilot, lambda: app.votes is not None and app.votes.running)
    assert app.votes is not None
    return app.votes


async def _post(phone: aiohttp.ClientSession, url: str, **fields: str) -> tuple[int, str]:
    async with phone.post(f"{url}projet", data=fields, allow_redirects=False) as response:
        return response.status, response.headers.get("Location", "")


async def test_a_phone_edit_reaches_the_disk_the_list_and_the_room_spread(
    atis: Workshop, tmp_path: Path
) -> None:
    assert atis.grid is not None
    app = _voting_assessment_app(atis, tmp_path)
    criterion = atis.grid.criteria[0]
    level = atis.grid.levels[3]
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            async with _phone(1) as phone:
                # Before the phases, the page says so and nothing can be created.
                status, _ = await _post(phone, votes.url, action="creer", value="X")
                assert status == 409
                await on_phases(pilot, app)
                await wait_for(pilot, lambda: votes.projection.teams_open)
                async with phone.get(votes.url) as response:
                    assert "Mon projet" in await response.text()
                status, location = await _post(
                    phone, votes.url, action="creer", value="Jardin « & »", carriers="Zoé"
                )
                assert status == 303 and "&ok" in location
                on_disk = SessionStore(tmp_path).load("test")
                project = next(p for p in on_disk.projects if p.name == "Jardin « & »")
                assert project.phones is not None  # rights kept in the session
                status, _ = await _post(
                    phone,
                    votes.url,
                    action="niveau",
                    project=project.id,
                    target=criterion.id,
                    value=level.id,
                )
                assert status == 303
                # Answered: so already on disk.
                on_disk = SessionStore(tmp_path).load("test")
                saved = on_disk.project(project.id).scores[criterion.id]
                assert saved.level == level.id
                await wait_for(pilot, lambda: "Jardin « & » (Zoé)" in screen_text(app))
                text = screen_text(app)
                assert "2 projets, 0 grille complète" in text
                assert "Jardin « & » (Zoé) · 1/12 critères · téléphone" in text
                assert "Saisi au clavier · 0/12" in text and "clavier · 0/12 critères ·" not in text
                # The room spread, open on the projector, follows the next change live.
                await pilot.press("s")
                await wait_for(pilot, lambda: isinstance(app.screen, RoomSpreadScreen))
                second = atis.grid.criteria[1]
                before = screen_text(app)
                status, _ = await _post(
                    phone,
                    votes.url,
                    action="niveau",
                    project=project.id,
                    target=second.id,
                    value=level.id,
                )
                assert status == 303
                await wait_for(pilot, lambda: screen_text(app) != before)
                await pilot.press("escape")
    finally:
        close(app)


async def test_wrong_codes_are_limited_and_a_wish_to_pitch_preticks(
    atis: Workshop, tmp_path: Path
) -> None:
    assert atis.assessment is not None
    app = _voting_assessment_app(atis, tmp_path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            assert votes.teams is not None
            votes.teams.codes = CodeGate(per_minute=3)
            await on_phases(pilot, app)
            async with _phone(2) as creator, _phone(3) as guesser:
                status, location = await _post(creator, votes.url, action="creer", value="A")
                assert status == 303
                async with creator.get(f"{votes.url}projet") as response:
                    page = await response.text()
                found = re.search(r"rejoindre ce projet : ([A-Z2-9]{4}) ([A-Z2-9]{4})", page)
                assert found is not None
                statuses = []
                for _ in range(4):
                    status, _ = await _post(guesser, votes.url, action="rejoindre", value="Z" * 8)
                    statuses.append(status)
                assert statuses == [422, 422, 422, 429]
                # Even the right code waits: this address has guessed too much.
                code = found.group(1) + found.group(2)
                status, _ = await _post(guesser, votes.url, action="rejoindre", value=code)
                assert status == 429
                project = next(p for p in app.record.projects if p.phones is not None)
                while app.screen.run.index < len(atis.assessment.phases) - 1:  # type: ignore[attr-defined]
                    await pilot.press("ctrl+n")
                status, _ = await _post(
                    creator, votes.url, action="pitcher", project=project.id, value="1"
                )
                assert status == 303
                assert preticked(app.record.projects) == {project.id}
    finally:
        close(app)


async def test_the_facilitator_sees_each_join_code_never_the_projector_nor_the_room(
    atis: Workshop, tmp_path: Path
) -> None:
    """A team whose phone showing the code is lost asks the facilitator: the remote lists
    every phone project's code, and ``c`` opens a private dialog (code hidden until ``v``).
    The projected screen, the follow page and another team's page never hold it."""
    app = _voting_assessment_app(atis, tmp_path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            screen = await on_phases(pilot, app)
            await wait_for(pilot, lambda: votes.projection.teams_open)
            assert app.remote is not None and app.remote.url is not None
            async with _phone(4) as creator, _phone(5) as other, _phone(6) as facilitator:
                status, _ = await _post(creator, votes.url, action="creer", value="Jardin <b>&</b>")
                assert status == 303
                status, _ = await _post(other, votes.url, action="creer", value="Vélos")
                assert status == 303
                garden = next(p for p in app.record.projects if p.name.startswith("Jardin"))
                assert garden.phones is not None
                code = garden.phones.join_code
                shown = f"{code[:4]} {code[4:]}"
                # The facilitator's remote lists both projects, escaped, with their codes.
                async with facilitator.get(app.remote.url) as response:
                    page = await response.text()
                assert remote_pages.TEAM_CODES in html.unescape(page)
                assert (
                    f'<dt>Jardin &lt;b&gt;&amp;&lt;/b&gt;</dt><dd><strong class="code">{shown}'
                    in page
                )
                assert "1 téléphone(s)" in page and "<b>" not in page
                async with facilitator.get(f"{app.remote.url}/etat") as response:
                    state = await response.json()
                assert {"name": "Jardin <b>&</b>", "code": shown, "phones": 1} in state[
                    "team_codes"
                ]
                # Nowhere the room can read: the follow page, its parts, another team's page.
                for phone, path in (
                    (other, ""),
                    (other, "suivi"),
                    (other, "etat"),
                    (other, "projet"),
                    (creator, "orateur"),
                ):
                    async with phone.get(f"{votes.url}{path}") as response:
                        text = await response.text()
                    assert response.status == 200
                    assert code not in text and shown not in text, path
                assert code not in str(votes.projection) and shown not in str(votes.projection)
            # The projector: the list marks the phones' project, never its code.
            await wait_for(pilot, lambda: "Vélos" in screen_text(app))
            assert "c\xa0: code d'équipe" in screen_text(app)  # the key, named
            assert code[:4] not in screen_text(app) and code[4:] not in screen_text(app)
            # The keyboard's project has no code: « c » does nothing there.
            assert app.record.projects[0].phones is None
            screen.selected = app.record.projects[0].id
            await pilot.press("c")
            assert not isinstance(app.screen, JoinCodeDialog)
            screen.selected = garden.id
            screen.refresh_bindings()
            await pilot.press("c")
            await wait_for(pilot, lambda: isinstance(app.screen, JoinCodeDialog))
            text = screen_text(app)
            assert labels.JOIN_CODE_HIDDEN in text and code[:4] not in text  # hidden first
            await pilot.press("v")
            await wait_for(pilot, lambda: shown in screen_text(app))
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen)
            assert code[:4] not in screen_text(app) and code[4:] not in screen_text(app)
            # Out of the phases (back on the step's intro), no team can join: no list.
            assert app.remote.view().team_codes is not None
            await pilot.press("left")
            await wait_for(pilot, lambda: screen.section != PHASES)
            assert app.remote.view().team_codes is None
    finally:
        close(app)
