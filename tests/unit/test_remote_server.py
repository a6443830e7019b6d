"""The facilitator's remote on the LAN server, through aiohttp's test client (127.0.0.1):
one test per security row of docs/vote.md (room token → 403, revoked → 403, stale or replayed
→ 409, bad body → 422 / 400 / 415), plus the page itself (escaped, no inline script, works
without JavaScript)."""

from __future__ import annotations

import asyncio
import html
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp.test_utils import TestClient, TestServer

from atelier.domain.content import Workshop
from atelier.domain.remote import (
    NoteView,
    PresenterView,
    RemoteAction,
    RemoteRefusal,
    TeamCodeView,
)
from atelier.domain.votes import BallotBox
from atelier.vote import remote_pages
from atelier.vote.remote import Remote
from atelier.vote.requests import VoteLimits
from atelier.vote.server import VoteServer

TOKEN = "Tok3n-Secret_x"


@dataclass
class Pilot:
    """A stand-in for the app: applies commands in order, one state key at a time."""

    applied: list[RemoteAction] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    seq: int = 0
    team_codes: tuple[TeamCodeView, ...] | None = None

    def view(self) -> PresenterView:
        return PresenterView(
            state_key=f"4242.{self.seq}",
            workshop_title="Atelier <i>test</i>",
            step_title="Pitchs & « retours »",
            step_number=4,
            stage_project_id="epicerie",
            stage_name="Épicerie <b>solidaire</b>",
            stage_status="pitch",
            notes=(NoteView("Notes libres", "\n".join(t for _, t in self.notes)),),
            inbox=2,
            team_codes=self.team_codes,
            available=frozenset({RemoteAction.PAGE_NEXT, RemoteAction.TIMER_TOGGLE}),
        )

    async def command(
        self, action: RemoteAction, key: str
    ) -> tuple[RemoteRefusal | None, PresenterView]:
        if key != self.view().state_key:
            return RemoteRefusal.STALE, self.view()
        if action not in self.view().available:
            return RemoteRefusal.UNAVAILABLE, self.view()
        self.applied.append(action)
        self.seq += 1
        return None, self.view()

    async def note(self, project: str, text: str) -> tuple[RemoteRefusal | None, PresenterView]:
        if project != "epicerie":
            return RemoteRefusal.NO_STAGE, self.view()
        self.notes.append((project, text))
        return None, self.view()


@dataclass
class Bench:
    client: TestClient
    server: VoteServer
    remote: Remote
    pilot: Pilot

    @property
    def base(self) -> str:
        return self.remote.path()


@pytest.fixture
async def bench(atis: Workshop) -> AsyncIterator[Bench]:
    assert atis.quiz is not None
    pilot = Pilot()
    remote = Remote(pilot.view, pilot.command, pilot.note)
    server = VoteServer(
        BallotBox(atis.quiz), token=TOKEN, limits=VoteLimits(burst=1000), remote=remote
    )
    client = TestClient(TestServer(server.build_app()))
    await client.start_server()
    yield Bench(client, server, remote, pilot)
    await client.close()


def _next(key: str = "4242.0") -> dict[str, str]:
    return {"action": "page_next", "key": key}


async def test_the_page_has_every_button_as_a_form_and_escapes_everything(bench: Bench) -> None:
    response = await bench.client.get(bench.base)
    body = await response.text()
    assert response.status == 200
    assert '<html lang="fr">' in body and body.count("<h1") == 1
    assert "<b>" not in body and "&lt;b&gt;solidaire" in body and "&amp; « retours »" in body
    for action in RemoteAction:
        assert f'name="action" value="{action.value}"' in body
    assert body.count(f'action="{bench.base}/commande"') == len(RemoteAction)
    assert 'name="key" value="4242.0"' in body
    assert "<script>" not in body and f'<script src="{bench.base}/pilote.js"></script>' in body
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    # greyed: what the keyboard would not do on this page
    assert 'data-action="reveal" disabled' in body
    assert 'data-action="page_next">' in body


async def test_the_teams_join_codes_only_during_the_assessment_and_escaped(bench: Bench) -> None:
    page = await (await bench.client.get(bench.base)).text()
    assert html.escape(remote_pages.TEAM_CODES) not in page  # not in the phases: no list
    bench.pilot.team_codes = ()
    page = await (await bench.client.get(bench.base)).text()
    assert html.escape(remote_pages.TEAM_CODES_NONE) in page
    key = bench.pilot.view().key
    bench.pilot.team_codes = (TeamCodeView("Jardin <i>&</i>", "ABCD EFGH", 2),)
    assert bench.pilot.view().key != key  # a new project redraws the facilitator's page
    page = await (await bench.client.get(bench.base)).text()
    assert "<dt>Jardin &lt;i&gt;&amp;&lt;/i&gt;</dt>" in page and "<i>" not in page
    assert '<strong class="code">ABCD EFGH</strong> · 2 téléphone(s)' in page
    room = await (await bench.client.get(f"/{TOKEN}/")).text()
    assert "ABCD" not in room


async def test_a_form_command_is_applied_then_the_page_shows_the_result(bench: Bench) -> None:
    response = await bench.client.post(
        f"{bench.base}/commande", data=_next(), allow_redirects=False
    )
    assert response.status == 303
    assert bench.pilot.applied == [RemoteAction.PAGE_NEXT]
    page = await (await bench.client.get(response.headers["Location"])).text()
    assert remote_pages.MESSAGES["ok"] in page and 'value="4242.1"' in page


async def test_a_json_command_answers_with_the_resulting_state(bench: Bench) -> None:
    response = await bench.client.post(f"{bench.base}/commande", json=_next())
    data = await response.json()
    assert response.status == 200 and data["ok"] is True
    assert data["state"]["state_key"] == "4242.1"


async def test_room_token_never_drives_the_remote(bench: Bench) -> None:
    for path in ("commande", "note"):
        response = await bench.client.post(f"/{TOKEN}/animateur/{path}", data=_next())
        assert response.status == 403
    assert (await bench.client.get(f"/{TOKEN}/animateur")).status == 403
    assert (await bench.client.get(f"/{TOKEN}/animateur/etat")).status == 403
    assert (await bench.client.get("/wrong-secret/animateur")).status == 403
    assert bench.pilot.applied == [] and bench.pilot.notes == []


async def test_revoked_secret_is_403_and_the_new_one_works(bench: Bench) -> None:
    old = bench.base
    assert (await bench.client.get(old)).status == 200
    bench.remote.revoke()
    response = await bench.client.post(f"{old}/commande", data=_next(), allow_redirects=False)
    assert response.status == 403
    assert (await bench.client.get(f"{old}/etat")).status == 403
    assert bench.pilot.applied == []
    response = await bench.client.post(
        f"{bench.base}/commande", data=_next(), allow_redirects=False
    )
    assert response.status == 303 and bench.pilot.applied == [RemoteAction.PAGE_NEXT]


async def test_stale_or_replayed_command_is_409(bench: Bench) -> None:
    first = await bench.client.post(f"{bench.base}/commande", json=_next())
    assert first.status == 200
    replay = await bench.client.post(f"{bench.base}/commande", json=_next())
    data = await replay.json()
    assert replay.status == 409 and data["error"] == "stale"
    assert data["state"]["state_key"] == "4242.1"  # the state now, to try again from
    page = await bench.client.post(f"{bench.base}/commande", data=_next())
    assert page.status == 409 and html.escape(remote_pages.MESSAGES["stale"]) in await page.text()
    assert bench.pilot.applied == [RemoteAction.PAGE_NEXT]


async def test_a_command_that_does_nothing_here_is_409(bench: Bench) -> None:
    response = await bench.client.post(
        f"{bench.base}/commande", json={"action": "reveal", "key": "4242.0"}
    )
    assert response.status == 409 and (await response.json())["error"] == "unavailable"


@pytest.mark.parametrize(
    "body",
    [
        {"action": "quit", "key": "4242.0"},
        {"action": "page_next"},
        {"action": "page_next", "key": "4242.0", "extra": "x"},
        {"action": "page_next", "key": "../etc"},
        {"action": ["page_next"], "key": "4242.0"},
        {"action": "page_next", "key": 4242},
    ],
)
async def test_bad_command_body_is_422(bench: Bench, body: dict[str, object]) -> None:
    response = await bench.client.post(f"{bench.base}/commande", json=body)
    assert response.status == 422
    assert bench.pilot.applied == []


async def test_unreadable_bodies_are_400_413_415(bench: Bench) -> None:
    url = f"{bench.base}/commande"
    headers = {"Content-Type": "application/json"}
    assert (await bench.client.post(url, data=b"{nope", headers=headers)).status == 400
    assert (await bench.client.post(url, data=b"[1]", headers=headers)).status == 400
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert (await bench.client.post(url, data=b"action=a&action=b", headers=form)).status == 400
    plain = {"Content-Type": "text/plain"}
    assert (await bench.client.post(url, data=b"page_next", headers=plain)).status == 415
    big = json.dumps({"action": "page_next", "key": "x" * 10000}).encode()
    assert (await bench.client.post(url, data=big, headers=headers)).status == 413
    assert bench.pilot.applied == []


async def test_a_note_line_is_validated_then_handed_over(bench: Bench) -> None:
    url = f"{bench.base}/note"
    for bad in (
        {"project": "epicerie", "text": ""},
        {"project": "epicerie", "text": "x" * 501},
        {"project": "epicerie", "text": "bip\x07"},
        {"project": "Épicerie", "text": "ok"},
        {"project": "epicerie"},
    ):
        assert (await bench.client.post(url, data=bad)).status == 422, bad
    response = await bench.client.post(
        url, data={"project": "autre", "text": "Garder « ça » & <ça>"}
    )
    assert response.status == 409
    assert "Garder « ça » &amp; &lt;ça&gt;</textarea>" in await response.text()  # kept
    response = await bench.client.post(
        url, data={"project": "epicerie", "text": "Garder « ça » & <ça>"}, allow_redirects=False
    )
    assert response.status == 303
    assert bench.pilot.notes == [("epicerie", "Garder « ça » & <ça>")]


async def test_the_stream_tells_each_change_and_ends_on_revoke(bench: Bench) -> None:
    async with bench.client.get(f"{bench.base}/flux") as stream:
        assert stream.status == 200
        first = await stream.content.readuntil(b"\n\n")
        assert b'"key"' in first
        await bench.client.post(f"{bench.base}/commande", json=_next())
        changed = await asyncio.wait_for(stream.content.readuntil(b"\n\n"), 2)
        assert changed.startswith(b"data: ") and changed != first
        bench.remote.revoke()
        rest = await asyncio.wait_for(stream.content.read(), 2)
        assert b"data:" not in rest  # nothing more to a revoked remote


async def test_the_remote_has_a_rate_limit_of_its_own(atis: Workshop) -> None:
    """The facilitator's secret has its own bucket: fast taps never meet the room's limit,
    and a flood on the room's token (or a wrong secret) never spends the remote's."""
    assert atis.quiz is not None
    pilot = Pilot()
    remote = Remote(pilot.view, pilot.command, pilot.note)
    server = VoteServer(
        BallotBox(atis.quiz),
        token=TOKEN,
        limits=VoteLimits(burst=3, rate_per_s=0.001, remote_burst=5, remote_rate_per_s=0.001),
        remote=remote,
        clock=lambda: 0.0,
    )
    async with TestClient(TestServer(server.build_app())) as client:
        room = [(await client.get(f"/{TOKEN}/")).status for _ in range(4)]
        wrong = (await client.get("/not-the-secret/animateur/etat")).status
        statuses = [(await client.get(f"{remote.path()}/etat")).status for _ in range(6)]
    assert room == [200, 200, 200, 429] and wrong == 429
    assert statuses == [200, 200, 200, 200, 200, 429]
