"""The room's phones in the live app (127.0.0.x only): the follow-along page follows the
projector, and a feedback card sent to the project on stage lands in the facilitator's
private inbox, saved at once, then in the note with ctrl+y (or set aside with ctrl+x)."""

from __future__ import annotations

import html
from pathlib import Path

import aiohttp
from textual.pilot import Pilot

from atelier.domain.cards import CardLimits
from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.session import CardStatus
from atelier.tui.app import AtelierApp
from atelier.tui.screens.assessment import AssessmentScreen
from atelier.tui.screens.pause import PauseScreen
from atelier.tui.screens.pitch import NoteArea, PitchScreen
from atelier.tui.screens.quiz import QuizScreen
from atelier.tui.vote import VoteController, VoteOptions
from atelier.tui.widgets.inbox import InboxView
from atelier.tui.widgets.top_bar import TopBar
from atelier.vote import pages
from tests.tui.factory import close, make_app, wait_for
from tests.tui.test_pitch import at_round_start, on_round, pitch_app, saved

SIZE = (120, 40)


def _phone(number: int) -> aiohttp.ClientSession:
    """One phone: its own cookies and its own loopback address, 127.0.0.<n>."""
    jar = aiohttp.CookieJar(unsafe=True)
    connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{20 + number}", 0))
    return aiohttp.ClientSession(cookie_jar=jar, connector=connector)


async def _serving(pilot: Pilot, app: AtelierApp) -> VoteController:
    await wait_for(pilot, lambda: app.votes is not None and app.votes.running)
    assert app.votes is not None
    return app.votes


async def _get(phone: aiohttp.ClientSession, url: str) -> str:
    async with phone.get(url) as response:
        assert response.status == 200
        return await response.text()


async def _send_card(
    phone: aiohttp.ClientSession, url: str, fields: dict[str, str]
) -> tuple[int, str]:
    async with phone.post(f"{url}retour", data=fields, allow_redirects=False) as response:
        return response.status, await response.text()


def _voting_pitch_app(workshop: Workshop, tmp_path: Path, **limits: int) -> AtelierApp:
    app = pitch_app(workshop, tmp_path, at_round_start())
    app.vote_options = VoteOptions(
        host="127.0.0.1", port=0, autostart=True, card_limits=CardLimits(**limits)
    )
    return app


async def test_a_card_reaches_the_inbox_then_the_note_on_disk(
    atis: Workshop, tmp_path: Path
) -> None:
    app = _voting_pitch_app(atis, tmp_path)
    assert atis.pitch is not None
    category = atis.pitch.feedback_categories[0]
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            screen = await on_round(pilot, app)
            async with _phone(1) as phone:
                page = await _get(phone, votes.url)
                assert html.escape(pages.CARD_NO_STAGE) not in page
                status, _ = await _send_card(
                    phone,
                    votes.url,
                    {"project": "epicerie-solidaire", "category": category.id, "text": "Top"},
                )
                assert status == 409  # nobody on stage yet
                await pilot.press("f5")  # the first project pitches
                project = app.record.projects[0]
                await wait_for(pilot, lambda: votes.projection.on_stage == project.id)
                page = await _get(phone, votes.url)
                assert html.escape(pages.GIVE_FEEDBACK.format(name=project.name)) in page
                assert html.escape(pages.STAGE_PITCH) in page
                form = await _get(phone, f"{votes.url}retour")
                for each in atis.pitch.feedback_categories:
                    assert f'value="{each.id}"' in form
                text = "Bravo <b>&</b> « merci » 🌱\nSeconde ligne"
                status, _ = await _send_card(
                    phone,
                    votes.url,
                    {
                        "project": project.id,
                        "category": category.id,
                        "text": text,
                        "signature": "Zoé",
                    },
                )
                assert status == 303
                # Saved before the phone was answered: on disk, pending.
                on_disk = saved(tmp_path).project(project.id).pitch.room_cards
                assert [(c.text, c.signature, c.status) for c in on_disk] == [
                    (text, "Zoé", CardStatus.PENDING)
                ]
                inbox = screen.query_one("#pitch-inbox")
                await wait_for(pilot, lambda: inbox.display)
                assert "(1)" in screen.query_one(InboxView).title
                assert "<b>&</b>" in screen.query_one(InboxView).cards.plain
                # Nothing of it on the phones' page (only the facilitator may show it).
                assert "Bravo" not in await _get(phone, votes.url)

                # Room mode hides the inbox and its keys do nothing.
                await pilot.press("ctrl+o")
                assert not screen.query_one("#pitch-side").display or not inbox.region.height
                await pilot.press("ctrl+y")
                assert project.pitch.room_cards[0].status is CardStatus.PENDING
                await pilot.press("ctrl+o")

                target = next(a for a in screen.query(NoteArea) if a.field == category.id)
                target.focus()
                await pilot.press(*"vu")  # typing in that very note: the chord still works
                assert isinstance(app.focused, NoteArea)
                await pilot.press("ctrl+y")
                await wait_for(
                    pilot,
                    lambda: saved(tmp_path).project(project.id).pitch.room_cards[0].status
                    is CardStatus.ACCEPTED,
                )
                note = saved(tmp_path).project(project.id).pitch.notes[category.id]
                assert note == f"vu\n\nSalle (Zoé) : {text}"
                areas = [a for a in screen.query(NoteArea) if a.field == category.id]
                assert areas[0].text == note
                assert not inbox.display  # empty: hidden

                # A second card is set aside: kept in the session, in no note.
                status, _ = await _send_card(
                    phone,
                    votes.url,
                    {"project": project.id, "category": category.id, "text": "Hors sujet"},
                )
                assert status == 303
                await wait_for(pilot, lambda: inbox.display)
                await pilot.press("ctrl+x")
                await wait_for(
                    pilot,
                    lambda: saved(tmp_path).project(project.id).pitch.room_cards[-1].status
                    is CardStatus.SET_ASIDE,
                )
                assert "Hors sujet" not in saved(tmp_path).project(project.id).pitch.notes.get(
                    category.id, ""
                )

                # Another project is not on stage: 409, nothing filed.
                other = app.record.projects[1]
                status, body = await _send_card(
                    phone,
                    votes.url,
                    {"project": other.id, "category": category.id, "text": "Pour l'autre"},
                )
                assert status == 409 and html.escape(pages.ERRORS["not_on_stage"]) in body
                assert "Pour l&#x27;autre" in body  # what was typed is given back
                assert other.pitch.room_cards == []
    finally:
        close(app)


async def test_cards_are_limited_per_device_and_per_address(atis: Workshop, tmp_path: Path) -> None:
    app = _voting_pitch_app(atis, tmp_path, per_device_per_project=2, per_address_per_minute=3)
    assert atis.pitch is not None
    category = atis.pitch.feedback_categories[0].id
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            await on_round(pilot, app)
            await pilot.press("f5")
            project = app.record.projects[0]
            await wait_for(pilot, lambda: votes.projection.on_stage == project.id)
            fields = {"project": project.id, "category": category, "text": "Oui"}
            async with _phone(2) as phone:
                await _get(phone, votes.url)
                statuses = [(await _send_card(phone, votes.url, fields))[0] for _ in range(3)]
            assert statuses == [303, 303, 429]  # two per device and project
            async with _phone(2) as same_address:  # cookies cleared: same address
                await _get(same_address, votes.url)
                statuses = [
                    (await _send_card(same_address, votes.url, fields))[0] for _ in range(2)
                ]
            assert statuses == [303, 429]  # three per address and minute
            assert len(project.pitch.room_cards) == 3
    finally:
        close(app)


async def test_the_projection_follows_the_projector(atis: Workshop, tmp_path: Path) -> None:
    """Info page → quiz statement → reveal → pause timer, each seen in the published
    projection and on the phone's page; an unrevealed answer is never on the page."""
    clock = FakeClock()
    app = make_app(atis, tmp_path, clock)
    app.vote_options = VoteOptions(host="127.0.0.1", port=0, autostart=True)
    assert atis.quiz is not None
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            first = votes.projection
            await wait_for(pilot, lambda: votes.projection.step_id == atis.programme[0].id)
            assert votes.projection.page_markdown
            async with _phone(3) as phone:
                page = await _get(phone, votes.url)
                assert "<h1" in page and page.count("<h1") == 1
                quiz_step = next(s for s in atis.programme if s.kind.value == "quiz")
                await app.go_to_step(quiz_step.id)
                screen = app.screen
                assert isinstance(screen, QuizScreen)
                while screen.section != "items":
                    await pilot.press("right")
                await wait_for(pilot, lambda: votes.projection.quiz is not None)
                item = atis.quiz.items[0]
                right = atis.quiz.answer(item.answer)
                page = await _get(phone, votes.url)
                assert html.escape(item.statement) in page
                assert 'aria-pressed="false"' in page
                answer = pages.ANSWER_IS.format(symbol=right.symbol, label=right.label)
                verdict = html.escape(answer)
                assert verdict not in page  # never before the reveal
                key = votes.projection.key
                await pilot.press("enter")  # reveal (only Entrée reveals)
                await wait_for(pilot, lambda: votes.projection.key != key)
                page = await _get(phone, votes.url)
                assert verdict in page
                assessment = next(s for s in atis.programme if s.kind.value == "assessment")
                await app.go_to_step(assessment.id)
                step_screen = app.screen
                assert isinstance(step_screen, AssessmentScreen)
                while step_screen.section != "assessment-phases":
                    await pilot.press("right")  # past the step's intro pages
                await wait_for(
                    pilot,
                    lambda: votes.projection.step_id == assessment.id and votes.projection.timer,
                )
                page = await _get(phone, votes.url)
                assert atis.assessment is not None
                phase = atis.assessment.phases[0]
                assert html.escape(phase.name) in page and 'id="timer"' in page
                pause = next(s for s in atis.programme if s.kind.value == "pause")
                await app.go_to_step(pause.id)
                await wait_for(pilot, lambda: isinstance(app.screen, PauseScreen))
                await wait_for(
                    pilot,
                    lambda: votes.projection.step_id == pause.id and votes.projection.timer,
                )
                page = await _get(phone, votes.url)
                assert 'id="timer"' in page and 'data-running="1"' in page
                assert first.key != votes.projection.key
                # The phone names the step as the projector's top bar does (the pause has no
                # number in the content's programme: its place is still said).
                top = app.screen.query_one(TopBar)._step_text()
                said = top.split(" · ")[0]  # « Étape 4/7 »
                assert said == f"Étape {atis.step_index(pause.id) + 1}/{len(atis.programme)}"
                assert f'<p class="kicker">{said}</p>' in page
    finally:
        close(app)


async def test_cards_survive_a_restart(atis: Workshop, tmp_path: Path) -> None:
    """Cards in the inbox are in the session: the app opened again shows them, pending."""
    app = _voting_pitch_app(atis, tmp_path)
    assert atis.pitch is not None
    category = atis.pitch.feedback_categories[0].id
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            await on_round(pilot, app)
            await pilot.press("f5")
            project = app.record.projects[0]
            await wait_for(pilot, lambda: votes.projection.on_stage == project.id)
            async with _phone(4) as phone:
                for text in ("un", "deux"):
                    fields = {"project": project.id, "category": category, "text": text}
                    assert (await _send_card(phone, votes.url, fields))[0] == 303
    finally:
        app.session.close() if app.session is not None else None  # no final save: a crash
    again = make_app(atis, tmp_path, at_round_start())
    try:
        async with again.run_test(size=SIZE) as pilot:
            screen = await on_round(pilot, again)
            assert isinstance(screen, PitchScreen)
            assert "(2)" in screen.query_one(InboxView).title
    finally:
        close(again)


async def test_the_command_palette_starts_the_phones_page_on_any_step(
    atis: Workshop, tmp_path: Path
) -> None:
    app = make_app(atis, tmp_path, FakeClock())
    app.vote_options = VoteOptions(host="127.0.0.1", port=0)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+p")
            await pilot.press(*"Téléphones")
            await pilot.pause()
            await pilot.press("enter")
            votes = await _serving(pilot, app)
            async with _phone(5) as phone:
                page = await _get(phone, votes.url)
            assert html.escape(atis.programme[0].title) in page
    finally:
        close(app)


async def test_a_vote_is_answered_once_it_is_on_disk(atis: Workshop, tmp_path: Path) -> None:
    from atelier.store.session_store import SessionStore

    app = make_app(atis, tmp_path, FakeClock())
    app.vote_options = VoteOptions(host="127.0.0.1", port=0, autostart=True)
    quiz_step = next(s for s in atis.programme if s.kind.value == "quiz")
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            await app.go_to_step(quiz_step.id)
            screen = app.screen
            assert isinstance(screen, QuizScreen)
            while screen.section != "items":
                await pilot.press("right")
            assert screen.run is not None
            item = screen.run.item.id
            async with _phone(6) as phone:
                await _get(phone, votes.url)
                body = {"statement": item, "answer": "faux"}
                async with phone.post(f"{votes.url}vote", json=body) as response:
                    assert response.status == 200
                # No waiting: the phone's answer came after the save.
                assert SessionStore(tmp_path).load("test").quiz[item].tally["faux"] == 1
                body = {"statement": item, "answer": "vrai"}
                async with phone.post(f"{votes.url}vote", json=body) as response:
                    assert response.status == 200
                tally = SessionStore(tmp_path).load("test").quiz[item].tally
                assert (tally["faux"], tally["vrai"]) == (0, 1)
            assert votes.commits >= 2
    finally:
        close(app)
