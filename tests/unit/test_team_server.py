"""« Mon projet » through aiohttp's test client (127.0.0.1 only): each security rule of the
team routes — shape, size, rights, step closed, escaping, nothing of another project."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from atelier.domain import teams
from atelier.domain.content import Assessment, Grid, Workshop
from atelier.domain.follow import TimerView
from atelier.domain.session import SessionRecord
from atelier.domain.teams import TeamEdit, TeamRefusal, TeamRefused
from atelier.domain.votes import BallotBox
from atelier.tui.vote_teams import team_view
from atelier.vote import pages, team_pages
from atelier.vote.requests import VoteLimits
from atelier.vote.server import VoteServer
from atelier.vote.team_pages import TeamContext, TeamView
from atelier.vote.teams import TeamRoutes

TOKEN = "Tok3n-Secret_x"
BASE = f"/{TOKEN}/"
NOW = datetime(2026, 5, 19, 14, 0, tzinfo=UTC)


@dataclass
class Desk:
    """The app's side, with the real domain and an in-memory record."""

    grid: Grid
    assessment: Assessment
    record: SessionRecord
    open: bool = True
    phase: int = 0
    saved: bool = True
    edits: list[TeamEdit] = field(default_factory=list)
    timer: TimerView | None = None

    def context(self) -> TeamContext | None:
        if not self.open:
            return None
        phase = self.assessment.phases[self.phase]
        return TeamContext(
            self.phase, len(self.assessment.phases), phase.name, "Consigne", self.timer
        )

    def views(self, device: str) -> list[TeamView]:
        return [team_view(p) for p in teams.projects_of(self.record, device)]

    async def submit(
        self, edit: TeamEdit, device: str, address: str
    ) -> tuple[TeamRefusal | None, str]:
        if not self.open:
            return TeamRefusal.CLOSED, ""
        try:
            project = teams.apply_edit(self.record, self.grid, self.assessment, edit, device, NOW)
        except TeamRefused as refused:
            return refused.reason, ""
        self.edits.append(edit)
        return (None if self.saved else TeamRefusal.NOT_SAVED), project.id


@dataclass
class Room:
    desk: Desk
    phones: list[TestClient]


@pytest.fixture
async def room(atis: Workshop) -> AsyncIterator[Room]:
    assert atis.quiz is not None and atis.grid is not None and atis.assessment is not None
    record = SessionRecord(name="s", workshop_id="w", created_at=NOW, updated_at=NOW)
    desk = Desk(atis.grid, atis.assessment, record)
    server = VoteServer(
        BallotBox(atis.quiz),
        token=TOKEN,
        limits=VoteLimits(burst=1000),
        extensions=(TeamRoutes(desk),),
    )
    test_server = TestServer(server.build_app())
    await test_server.start_server()
    phones = [TestClient(test_server) for _ in range(3)]
    for phone in phones:
        await phone.start_server()
    yield Room(desk, phones)
    for phone in phones:
        await phone.close()
    await test_server.close()


async def _post(phone: TestClient, **fields: str) -> tuple[int, str, str]:
    response = await phone.post(f"{BASE}projet", data=fields, allow_redirects=False)
    return response.status, response.headers.get("Location", ""), await response.text()


async def _create(phone: TestClient, name: str = "Jardin") -> str:
    status, location, _ = await _post(phone, action="creer", value=name, carriers="Zoé")
    assert status == 303 and "&ok" in location
    page = await (await phone.get(location)).text()
    assert html.escape(team_pages.SAVED) in page
    found = re.search(r"Code pour rejoindre ce projet : ([A-Z2-9]{4}) ([A-Z2-9]{4})", page)
    assert found is not None
    return found.group(1) + found.group(2)


async def test_create_join_edit_and_a_third_phone_is_refused(room: Room, atis: Workshop) -> None:
    assert atis.grid is not None
    first, second, third = room.phones
    code = await _create(first, "Jardin <script>alert(1)</script> & « co »")
    project = room.desk.record.projects[0]
    status, _, _ = await _post(second, action="rejoindre", value=code.lower())
    assert status == 303
    criterion = atis.grid.criteria[0]
    level = atis.grid.levels[1].id
    status, _, _ = await _post(
        first, action="niveau", project=project.id, target=criterion.id, value=level
    )
    assert status == 303
    status, _, _ = await _post(
        second, action="commentaire", project=project.id, target=criterion.id, value="<b>nous</b>"
    )
    assert status == 303
    assert project.scores[criterion.id].level == level
    assert project.scores[criterion.id].comment == "<b>nous</b>"
    page = await (await second.get(f"{BASE}projet")).text()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;nous&lt;/b&gt;" in page
    assert 'aria-pressed="true"' in page
    # The third phone has neither the code nor the right: nothing moves.
    status, _, text = await _post(
        third, action="niveau", project=project.id, target=criterion.id, value="fort"
    )
    assert status == 403 and html.escape(team_pages.ERRORS[TeamRefusal.NO_RIGHT]) in text
    assert project.scores[criterion.id].level == level
    page = await (await third.get(f"{BASE}projet")).text()
    assert "Jardin" not in page and code[:4] not in page
    assert html.escape(team_pages.CREATE_TITLE) in page
    status, _, _ = await _post(third, action="rejoindre", value="ZZZZZZZZ")
    assert status == 422


async def test_a_phone_never_reads_another_project_nor_notes(room: Room) -> None:
    first, second, _ = room.phones
    await _create(first, "Premier")
    await _create(second, "Second")
    record = room.desk.record
    record.facilitator_notes = "NOTE-ANIMATEUR"
    for project in record.projects:
        project.pitch.notes = {"forces": f"NOTE-PITCH-{project.id}"}
        project.pitch.free_notes = "LIBRE"
    page = await (await first.get(f"{BASE}projet")).text()
    assert "Premier" in page and "Second" not in page
    assert "NOTE" not in page and "LIBRE" not in page
    # Even naming the other project in the address shows one's own.
    page = await (await first.get(f"{BASE}projet?p={record.projects[1].id}")).text()
    assert "Second" not in page and "Premier" in page


async def test_team_request_validation(room: Room) -> None:
    phone = room.phones[0]
    await _create(phone)
    pid = room.desk.record.projects[0].id
    before = len(room.desk.edits)
    cases: list[tuple[dict[str, str], int]] = [
        ({"action": "effacer"}, 422),  # unknown action
        ({"value": "x"}, 422),  # no action
        ({"action": "niveau", "project": pid, "target": "a", "value": "b", "x": "y"}, 422),
        ({"action": "niveau", "project": "../../etc", "target": "a", "value": "b"}, 422),
        ({"action": "axes", "project": pid, "value": "x" * 4001}, 422),
        ({"action": "axes", "project": pid, "value": "x" * 2001}, 422),  # the domain's limit
        ({"action": "commentaire", "project": pid, "target": "nope", "value": "x"}, 422),
    ]
    for fields, status in cases:
        got, _, _ = await _post(phone, **fields)
        assert got == status, fields
    raw = [
        (b"action=axes&action=axes", "application/x-www-form-urlencoded", 400),
        (b"\xff\xfe", "application/x-www-form-urlencoded", 400),
        (b"[1, 2]", "application/json", 400),
        (b"{", "application/json", 400),
        (b'{"action": "axes", "value": 3}', "application/json", 422),
        (b"action=axes", "text/plain", 415),
        (b"value=" + b"x" * 30000, "application/x-www-form-urlencoded", 413),
    ]
    for body, kind, status in raw:
        response = await phone.post(f"{BASE}projet", data=body, headers={"Content-Type": kind})
        assert response.status == status, body[:20]
    assert len(room.desk.edits) == before


async def test_json_answer_and_closed_step_and_unsaved(room: Room) -> None:
    phone = room.phones[0]
    response = await phone.post(f"{BASE}projet", json={"action": "creer", "value": "A"})
    assert response.status == 200 and (await response.json())["ok"] is True
    pid = room.desk.record.projects[0].id
    room.desk.saved = False
    response = await phone.post(
        f"{BASE}projet", json={"action": "axes", "project": pid, "value": "tapé"}
    )
    assert response.status == 503
    status, _, text = await _post(phone, action="axes", project=pid, value="tapé ici")
    assert status == 503 and "Pas encore enregistré" in text
    room.desk.open = False
    status, _, text = await _post(phone, action="axes", project=pid, value="après")
    assert status == 409 and "après" in text  # what was typed comes back
    page = await (await phone.get(f"{BASE}projet")).text()
    assert html.escape(team_pages.CLOSED) in page


async def test_each_phase_offers_its_part(room: Room, atis: Workshop) -> None:
    assert atis.assessment is not None and atis.grid is not None
    phone = room.phones[0]
    await _create(phone)
    descriptor = next(iter(atis.grid.criteria[0].descriptors.values()))
    page = await (await phone.get(f"{BASE}projet")).text()
    assert html.escape(descriptor) in page and "Je veux pitcher" not in page
    room.desk.phase = 1
    page = await (await phone.get(f"{BASE}projet")).text()
    assert html.escape(team_pages.PROGRESS_OFF) in page and html.escape(descriptor) not in page
    room.desk.phase = len(atis.assessment.phases) - 1
    page = await (await phone.get(f"{BASE}projet")).text()
    prompt = atis.assessment.phases[-1].prompts[0]
    assert html.escape(prompt.text) in page and "Je veux pitcher" in page
    pid = room.desk.record.projects[0].id
    status, _, _ = await _post(phone, action="pitcher", project=pid, value="1")
    assert status == 303 and teams.wants_to_pitch(room.desk.record.projects[0])


def test_team_routes_add_one_post_and_no_static_route(atis: Workshop) -> None:
    assert atis.quiz is not None and atis.grid is not None and atis.assessment is not None
    record = SessionRecord(name="s", workshop_id="w", created_at=NOW, updated_at=NOW)
    server = VoteServer(
        BallotBox(atis.quiz),
        token=TOKEN,
        extensions=(TeamRoutes(Desk(atis.grid, atis.assessment, record)),),
    )
    app = server.build_app()
    assert not any(isinstance(r, web.StaticResource) for r in app.router.resources())
    posts = [r.resource.canonical for r in app.router.routes() if r.method == "POST"]
    assert posts == [f"{BASE}vote", f"{BASE}retour", f"{BASE}projet"]
    gets = [r.resource.canonical for r in app.router.routes() if r.method == "GET"]
    assert f"{BASE}projet" in gets and f"{BASE}projet/phase" in gets


async def test_team_requests_share_the_rate_limit(atis: Workshop) -> None:
    assert atis.quiz is not None and atis.grid is not None and atis.assessment is not None
    record = SessionRecord(name="s", workshop_id="w", created_at=NOW, updated_at=NOW)
    server = VoteServer(
        BallotBox(atis.quiz),
        token=TOKEN,
        limits=VoteLimits(burst=3, rate_per_s=0.01),
        extensions=(TeamRoutes(Desk(atis.grid, atis.assessment, record)),),
    )
    async with TestClient(TestServer(server.build_app())) as phone:
        statuses = [
            (await phone.post(f"{BASE}projet", data={"action": "rejoindre", "value": "X"})).status
            for _ in range(4)
        ]
    assert statuses == [422, 422, 422, 429]


async def test_the_longest_name_taken_twice_still_edits(room: Room) -> None:
    first, second, _ = room.phones
    await _create(first, "é" * 80)
    await _create(second, "é" * 80)
    project = room.desk.record.projects[1]
    assert len(project.id) > 80  # « eee…e-2 »
    status, _, _ = await _post(second, action="axes", project=project.id, value="ok")
    assert status == 303 and project.improvement_axes == "ok"


async def test_the_phase_timer_is_live_and_reads_without_javascript(room: Room) -> None:
    """The timer on top counts down in the page (the follow page's markup and script,
    announced only at the warning and at zero); the page listens to the follow page's event
    stream and fetches the top again on a change; without JavaScript, a reload reads."""
    phone, stranger, _ = room.phones
    code = await _create(phone, "Jardin <b>")
    room.desk.timer = TimerView("S'autoévaluer", 600.0, 125.4, True, 120.0, end_s=1125.4)
    response = await phone.get(f"{BASE}projet")
    page = await response.text()
    assert '<p class="timer" id="timer" data-remaining="125.400" data-running="1"' in page
    assert 'data-warning="120" data-warn="Attention : moins de 2 minutes."' in page
    assert f'data-zero="{html.escape(pages.TIMER_EXPIRED)}"' in page
    assert '<span id="timer-digits">02:06</span>' in page  # rounded up, as the projector
    assert f'id="timer-caption">{pages.TIMER_RUNNING}</p>' in page
    assert html.escape(team_pages.TIMER_NOSCRIPT) in page  # inside <noscript>
    # One polite live region, empty until the warning or zero: never each second.
    assert page.count('aria-live="polite"') == 1 and '<div id="annonce"' in page
    assert 'id="timer" aria-live' not in page and 'role="timer"' not in page
    assert f'data-page="team" data-state="{BASE}etat" data-stream="{BASE}flux"' in page
    assert f'data-live="{BASE}projet/phase"' in page and 'data-phase="0/' in page
    assert f'<script src="{BASE}app.js"></script>' in page and "<script>" not in page
    key = (await (await phone.get(f"{BASE}etat")).json())["key"]
    assert f'data-key="{key}"' in page
    assert 'data-typed=""' in page
    # A text refused comes back in its field: the page then never reloads by itself.
    status, _, refused = await _post(
        phone, action="axes", project=room.desk.record.projects[0].id, value="x\x07"
    )
    assert status == 422 and 'data-typed="1"' in refused
    # The top of the page alone: phase, timer, instructions; nothing of any project.
    room.desk.timer = TimerView("S'autoévaluer", 600.0, 30.0, False, 120.0)
    for who in (phone, stranger):
        response = await who.get(f"{BASE}projet/phase")
        fragment = await response.text()
        assert response.status == 200 and response.headers["X-Atelier-Phase"] == "0/3"
        assert response.headers["X-Atelier-Key"] == key
        assert '<span id="timer-digits">00:30</span>' in fragment and 'data-running="0"' in fragment
        assert "Attention : moins de 2 minutes." in fragment  # the caption, in the warning
        assert "Jardin" not in fragment and code[:4] not in fragment and "<h1" not in fragment
    room.desk.phase = 1
    response = await phone.get(f"{BASE}projet/phase")
    assert response.headers["X-Atelier-Phase"] == "1/3"
    room.desk.open = False
    response = await phone.get(f"{BASE}projet/phase")
    assert response.headers["X-Atelier-Phase"] == ""
    assert html.escape(team_pages.CLOSED) in await response.text()
    page = await (await phone.get(f"{BASE}projet")).text()
    assert 'data-phase=""' in page and 'id="timer"' not in page
