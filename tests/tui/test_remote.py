"""The facilitator's remote in the live app (127.0.0.x only): F12 opens the private dialog
(QR code + address); commands sent from a « phone » go through the keys' actions, in order,
and land on the projector and on disk; a note line reaches the notes field and the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
from textual.pilot import Pilot
from textual.widgets import Static

from atelier.domain.content import Workshop
from atelier.domain.session import PitchStatus
from atelier.store.session_store import SessionStore
from atelier.tui.app import AtelierApp
from atelier.tui.remote import RemoteController
from atelier.tui.screens.pitch import NoteArea
from atelier.tui.screens.quiz import QuizScreen
from atelier.tui.screens.remote_dialog import RemoteDialog
from atelier.tui.vote import VoteOptions
from tests.tui.factory import close, make_app, wait_for
from tests.tui.test_pitch import at_round_start, on_round, pitch_app, saved_note

SIZE = (160, 48)


def _phone() -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(local_addr=("127.0.0.7", 0))
    return aiohttp.ClientSession(connector=connector)


async def _open_remote(pilot: Pilot, app: AtelierApp) -> RemoteController:
    await pilot.press("f12")
    await wait_for(pilot, lambda: isinstance(app.screen, RemoteDialog))
    assert app.remote is not None and app.remote.url is not None
    dialog = app.screen
    assert app.remote.url in str(dialog.query_one("#remote-url", Static).content)
    assert "█" in str(dialog.query_one("#remote-qr", Static).content)
    assert app.votes is not None and app.votes.url not in app.remote.url  # not the room's
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(app.screen, RemoteDialog))
    return app.remote


async def test_the_dialog_closes_once_the_remote_has_opened_its_page(
    atis: Workshop, tmp_path: Path
) -> None:
    app = make_app(atis, tmp_path)
    app.vote_options = VoteOptions(host="127.0.0.1", port=0)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f12")
            await wait_for(pilot, lambda: isinstance(app.screen, RemoteDialog))
            assert app.remote is not None and app.remote.url is not None
            async with _phone() as phone, phone.get(app.remote.url) as page:
                assert page.status == 200
            await wait_for(pilot, lambda: not isinstance(app.screen, RemoteDialog))
            await app.action_quit()
    finally:
        close(app)


async def _state(phone: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    async with phone.get(f"{url}/etat") as response:
        assert response.status == 200
        data: dict[str, Any] = await response.json()
        return data


async def _command(
    phone: aiohttp.ClientSession, url: str, action: str, key: str
) -> tuple[int, dict[str, Any]]:
    async with phone.post(f"{url}/commande", json={"action": action, "key": key}) as response:
        return response.status, await response.json()


async def test_remote_commands_drive_the_quiz_and_reach_the_disk(
    atis: Workshop, tmp_path: Path
) -> None:
    app = make_app(atis, tmp_path)
    app.vote_options = VoteOptions(host="127.0.0.1", port=0)
    try:
        async with app.run_test(size=SIZE) as pilot:
            app.record.current_step_id = None
            quiz_step = next(s for s in atis.programme if s.kind.value == "quiz")
            await app.go_to_step(quiz_step.id)
            await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
            screen = app.screen
            assert isinstance(screen, QuizScreen)
            remote = await _open_remote(pilot, app)
            url = remote.url
            assert url is not None
            async with _phone() as phone:
                # the room's token never drives the remote
                room = app.votes.url if app.votes else ""
                async with phone.post(
                    f"{room}animateur/commande", json={"action": "page_next", "key": "1.0"}
                ) as refused:
                    assert refused.status == 403
                state = await _state(phone, url)
                assert "reveal" not in state["available"]  # spoil-proof: nothing to reveal
                while screen.section != "items":
                    status, data = await _command(phone, url, "page_next", state["state_key"])
                    assert status == 200, data
                    state = data["state"]
                run = screen.run
                assert run is not None and not run.revealed
                assert "reveal" in state["available"]
                item = run.item.id
                status, data = await _command(phone, url, "reveal", state["state_key"])
                assert status == 200 and data["state"]["revealed"] is True
                assert run.revealed
                on_disk = SessionStore(tmp_path).load("test").quiz[item]
                assert on_disk.revealed  # saved before the answer
                # the same press again (a replay, or a second phone late): refused, nothing moves
                status, again = await _command(phone, url, "reveal", state["state_key"])
                assert status == 409 and again["error"] == "stale"
                status, again = await _command(phone, url, "reveal", data["state"]["state_key"])
                assert status == 409 and again["error"] == "unavailable"
                # a key pressed on the laptop makes the phone's page stale too
                drawn = data["state"]["state_key"]
                for _ in range(10):  # past the explanation's parts, to the next statement
                    await pilot.press("ctrl+l")
                    await pilot.pause()
                    if remote.state_key() != drawn:
                        break
                assert remote.state_key() != drawn
                status, again = await _command(phone, url, "page_next", data["state"]["state_key"])
                assert status == 409 and again["error"] == "stale"
                # revoking: the old address is refused, the new one works
                remote.revoke()
                async with phone.get(f"{url}/etat") as old:
                    assert old.status == 403
                assert remote.url is not None and (await _state(phone, remote.url))["key"]
            await app.action_quit()
    finally:
        close(app)


async def test_remote_timer_and_a_note_reach_the_pitch_screen_and_the_disk(
    atis: Workshop, tmp_path: Path
) -> None:
    app = pitch_app(atis, tmp_path, at_round_start())
    app.vote_options = VoteOptions(host="127.0.0.1", port=0)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await on_round(pilot, app)
            remote = await _open_remote(pilot, app)
            url = remote.url
            assert url is not None
            async with _phone() as phone:
                state = await _state(phone, url)
                status, data = await _command(phone, url, "timer_toggle", state["state_key"])
                assert status == 200, data
                project = screen.round.current
                assert project is not None and project.pitch.status is PitchStatus.PITCHING
                state = data["state"]
                assert state["stage_project_id"] == project.id and state["timer_running"]
                status, data = await _command(phone, url, "timer_toggle", state["state_key"])
                assert status == 200 and data["state"]["timer_running"] is False
                # a line typed on the laptop is kept, the phone's line goes after it
                area = next(a for a in screen.query(NoteArea) if a.field is None)
                area.focus()
                await pilot.press("L", "a", "p", "t", "o", "p")
                line = "Penser au « budget » & <ça>"
                async with phone.post(
                    f"{url}/note",
                    data={"project": project.id, "text": line},
                    allow_redirects=False,
                ) as response:
                    assert response.status == 303
                assert saved_note(tmp_path, project.id, None) == f"Laptop\n\n{line}"
                await wait_for(pilot, lambda: area.text == f"Laptop\n\n{line}")
                page = await (await phone.get(url)).text()
                assert "Penser au « budget » &amp; &lt;ça&gt;" in page
            await app.action_quit()
    finally:
        close(app)
