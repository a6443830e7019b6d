"""Sequence 2 in the real app: the phases against a FakeClock, projects entered from the keyboard,
the whole grid filled for two projects, both summaries read, and what reached the disk."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from atelier.domain import autosave as autosave_timing
from atelier.domain.assessment import room_spread
from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.session import CriterionScore, SessionRecord
from atelier.store.session_store import SessionStore
from atelier.tui.app import AtelierApp
from atelier.tui.screens.assessment import INTRO, PHASES, AssessmentScreen
from atelier.tui.screens.assessment_summary import ProfileScreen, RoomSpreadScreen
from atelier.tui.screens.grid_entry import CriteriaList, GridEntryScreen
from atelier.tui.screens.projects import ConfirmDialog, ProjectDialog
from atelier.tui.widgets.big_timer import BigTimer
from tests.tui.factory import close, make_app, wait_for

SIZE = (120, 40)


def assessment_app(
    workshop: Workshop, tmp_path: Path, clock: FakeClock, *, projects: tuple[str, ...] = ()
) -> AtelierApp:
    """The app opened on the assessment step (with ``projects`` already entered)."""
    app = make_app(workshop, tmp_path, clock)
    for name in projects:
        app.record.add_project(name, now=clock.now())
    step = next(s for s in workshop.programme if s.kind.value == "assessment")
    app.record.enter_step(step.id, clock.now())
    assert app.session is not None
    app.session.save_all()
    return app


def on_disk(tmp_path: Path) -> SessionRecord:
    return SessionStore(tmp_path).load("test")


def screen_text(app: AtelierApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def on_phases(pilot: Pilot, app: AtelierApp) -> AssessmentScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, AssessmentScreen))
    screen = app.screen
    assert isinstance(screen, AssessmentScreen)
    while screen.section != PHASES:
        await pilot.press("right")
    return screen


async def tick(pilot: Pilot, app: AtelierApp) -> BigTimer:
    timer = app.screen.query_one(BigTimer)
    timer.refresh_clock()
    await pilot.pause()
    return timer


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*text)


async def add_project(
    pilot: Pilot, app: AtelierApp, name: str, carriers: str, address: str = ""
) -> None:
    count = len(app.record.projects)
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(app.screen, ProjectDialog))
    await type_text(pilot, name)
    await pilot.press("enter")
    await type_text(pilot, carriers)
    await pilot.press("enter")
    await type_text(pilot, address)
    await pilot.press("enter")
    await wait_for(pilot, lambda: len(app.record.projects) == count + 1)
    await wait_for(pilot, lambda: isinstance(app.screen, AssessmentScreen))


async def open_grid(pilot: Pilot, app: AtelierApp) -> GridEntryScreen:
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, GridEntryScreen))
    screen = app.screen
    assert isinstance(screen, GridEntryScreen)
    await pilot.pause()
    return screen


# -- the phases -------------------------------------------------------------------------------


async def test_intro_then_phases_with_every_timer_key(atis: Workshop, tmp_path: Path) -> None:
    clock = FakeClock()
    app = assessment_app(atis, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, AssessmentScreen))
        screen = app.screen
        assert isinstance(screen, AssessmentScreen)
        assert screen.section == INTRO
        assert "Analyse individuelle de son projet" in screen_text(app)
        await pilot.press("space")  # on the consigne, Espace turns the page
        assert screen.section == PHASES
        text = screen_text(app)
        assert "1/3  S'autoévaluer" in text
        assert "notation « ronde »" in text
        assert (await tick(pilot, app)).text == "10:00"

        await pilot.press("space")  # start
        clock.advance(90)
        assert (await tick(pilot, app)).text == "08:30"
        await pilot.press("space")  # pause
        assert on_disk(tmp_path).phases["autoevaluation"].elapsed_s == 90
        clock.advance(60)
        assert (await tick(pilot, app)).text == "08:30"
        await pilot.press("plus")
        assert (await tick(pilot, app)).text == "09:30"
        await pilot.press("minus", "minus")
        assert (await tick(pilot, app)).text == "07:30"
        assert on_disk(tmp_path).phases["autoevaluation"].duration_s == 540

        await pilot.press("space")
        clock.advance(420)
        timer = await tick(pilot, app)
        assert "Moins d'une minute" in timer.caption
        clock.advance(55)
        timer = await tick(pilot, app)
        assert timer.text == "+0:25"
        assert "Temps écoulé" in timer.caption
        await wait_for(pilot, lambda: on_disk(tmp_path).phases["autoevaluation"].elapsed_s > 540)

        await pilot.press("right")  # next phase: the running one carries on
        assert "2/3  Axes d'amélioration" in screen_text(app)
        first = on_disk(tmp_path).phases["autoevaluation"]
        assert first.elapsed_s == 565 and first.overtime_s == 25 and first.ended_at is not None
        clock.advance(600)
        await pilot.press("right")
        text = screen_text(app)
        assert "3/3  Préparer son pitch" in text
        assert "a) Mon projet en 2 mots" in text
        assert "c) Quels sont les axes d'amélioration" in text
        clock.advance(300)
        await pilot.press("left")  # back: the phase left stops, the previous one waits
        assert on_disk(tmp_path).current_phase_id == "amelioration"
        await pilot.press("right", "right")  # past the last phase: the next step
        await wait_for(pilot, lambda: app.record.current_step_id == "pause")
    close(app)
    saved = on_disk(tmp_path)
    assert saved.phases["amelioration"].elapsed_s == 600
    assert saved.phases["preparation-pitch"].elapsed_s == 300
    assert saved.phases["preparation-pitch"].ended_at is not None


async def test_the_timer_works_with_no_project(mini: Workshop, tmp_path: Path) -> None:
    clock = FakeClock()
    app = assessment_app(mini, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_phases(pilot, app)
        assert "Aucun projet saisi" in screen_text(app)
        for key in ("enter", "e", "delete", "p"):  # nothing to act on: nothing happens
            await pilot.press(key)
            assert app.screen is screen
        await pilot.press("s")  # the room, empty
        await wait_for(pilot, lambda: isinstance(app.screen, RoomSpreadScreen))
        assert "Aucun projet saisi" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("space")
        clock.advance(150)
        timer = await tick(pilot, app)
        assert timer.text == "00:30" and "Moins de 30 secondes" in timer.caption
    close(app)


async def test_restart_mid_phase_comes_back_stopped(atis: Workshop, tmp_path: Path) -> None:
    clock = FakeClock()
    app = assessment_app(atis, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_phases(pilot, app)
        await pilot.press("space")
        clock.advance(120)
        await pilot.press("right")  # phase 2 starts running
        clock.advance(45)
        await pilot.press("ctrl+q")  # quitting flushes the running phase
    close(app)

    again = make_app(atis, tmp_path, FakeClock(monotonic_start=3.0))
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, AssessmentScreen))
        screen = again.screen
        assert isinstance(screen, AssessmentScreen)
        assert screen.section == PHASES  # no consigne again: the step was under way
        assert screen.run is not None and screen.run.phase.id == "amelioration"
        timer = await tick(pilot, again)
        assert timer.text == "09:15"
        assert "En pause" in timer.caption
        assert not screen.run.countdown.running
    close(again)


# -- projects ---------------------------------------------------------------------------------


async def test_add_rename_remove_projects(atis: Workshop, tmp_path: Path) -> None:
    clock = FakeClock()
    app = assessment_app(atis, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_phases(pilot, app)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ProjectDialog))
        await pilot.press("enter")  # an empty name is refused, the dialog stays
        assert isinstance(app.screen, ProjectDialog)
        assert "vide" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert app.record.projects == []

        await add_project(pilot, app, "Recyclerie", "Ana")
        await add_project(pilot, app, "Jardin", "Léo")
        assert [p.id for p in on_disk(tmp_path).projects] == ["recyclerie", "jardin"]
        assert screen.selected == "jardin"
        await pilot.press("up")
        assert screen.selected == "recyclerie"

        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ProjectDialog))
        dialog = app.screen
        assert dialog.query_one("#project-name", Input).value == "Recyclerie"
        dialog.query_one("#project-name", Input).value = "Ressourcerie"
        await pilot.press("enter", "enter", "enter")
        await wait_for(pilot, lambda: app.screen is screen)
        saved = on_disk(tmp_path).project("recyclerie")  # the id (and its file) stay
        assert (saved.name, saved.carriers) == ("Ressourcerie", "Ana")
        assert "Ressourcerie (Ana)" in screen_text(app)

        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")  # no: nothing changes
        await wait_for(pilot, lambda: app.screen is screen)
        assert len(app.record.projects) == 2
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("o", "u", "i")  # a letter never says yes
        assert len(app.record.projects) == 2
        await pilot.press("delete")  # Suppr again
        await wait_for(pilot, lambda: len(app.record.projects) == 1)
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.selected == "jardin"
        assert [p.id for p in on_disk(tmp_path).projects] == ["jardin"]
        deleted = list((tmp_path / "test" / "deleted").glob("recyclerie-*.yaml"))
        assert len(deleted) == 1
        assert not (tmp_path / "test" / "projects" / "recyclerie.yaml").exists()
    close(app)


async def test_project_contact_email_is_checked_and_saved(atis: Workshop, tmp_path: Path) -> None:
    clock = FakeClock()
    app = assessment_app(atis, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_phases(pilot, app)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ProjectDialog))
        await type_text(pilot, "Recyclerie")
        await pilot.press("enter", "enter")
        await type_text(pilot, "ana@exemple")  # not an address: refused, kept as typed
        await pilot.press("enter")
        assert isinstance(app.screen, ProjectDialog)
        assert "adresse e-mail" in screen_text(app)
        field = app.screen.query_one("#project-email", Input)
        assert field.value == "ana@exemple" and app.focused is field
        await type_text(pilot, ".fr")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert on_disk(tmp_path).project("recyclerie").contact_email == "ana@exemple.fr"

        await pilot.press("e")  # the address can be changed, or removed
        await wait_for(pilot, lambda: isinstance(app.screen, ProjectDialog))
        field = app.screen.query_one("#project-email", Input)
        assert field.value == "ana@exemple.fr"
        field.value = ""
        await pilot.press("enter", "enter", "enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert on_disk(tmp_path).project("recyclerie").contact_email is None
    close(app)


# -- the grid, both summaries -----------------------------------------------------------------


async def test_fill_whole_grid_for_two_projects_then_read_both_summaries(
    atis: Workshop, tmp_path: Path
) -> None:
    grid = atis.grid
    assert grid is not None
    criteria = grid.criteria
    levels = [level.id for level in grid.levels]
    clock = FakeClock()
    app = assessment_app(atis, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_phases(pilot, app)
        await add_project(pilot, app, "Épicerie", "Marie, Paul")
        await add_project(pilot, app, "Jardin", "")
        await pilot.press("up")
        assert screen.selected == "epicerie"

        # Project 1: number keys, two « marge » marks, one comment, then the texts.
        grid_screen = await open_grid(pilot, app)
        assert "Portage › Caractère collectif du projet" in screen_text(app)
        for index, criterion in enumerate(criteria):
            assert grid_screen.criterion_id == criterion.id
            await pilot.press(str(index % 4 + 1))
            if index in (1, 6):
                await pilot.press("m")
            if index == 2:
                await pilot.press("c")
                await type_text(pilot, "à voir")
                await pilot.press("enter")  # back to the criteria
                assert isinstance(app.focused, CriteriaList)
            await pilot.press("down")
        assert "12/12 critères notés · ✚ 2" in screen_text(app)
        await pilot.press("ctrl+f")  # ^F, or F4: the texts view
        assert isinstance(app.focused, TextArea) and app.focused.id == "axes"
        await type_text(pilot, "Local")
        for prompt_id in ("a", "b", "c"):
            await pilot.press("tab")
            assert isinstance(app.focused, TextArea) and app.focused.id == f"prompt-{prompt_id}"
            await type_text(pilot, f"r {prompt_id}")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert "Épicerie (Marie, Paul) · 12/12 critères · ✚ 2" in screen_text(app)

        # Project 2: ← → only (the first → picks the first level).
        await pilot.press("down")
        assert screen.selected == "jardin"
        await open_grid(pilot, app)
        for index in range(len(criteria)):
            await pilot.press(*["right"] * (index % 3 + 1))
            if index == 11:
                await pilot.press("left")
            await pilot.press("down")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)

        # Both profiles: length and label per criterion.
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        text = screen_text(app)
        assert "Profil — Jardin" in text
        assert "12/12 critères notés" in text
        assert "3 Intermédiaire" in text and "2 Faible" in text and "1 Inexistant" in text
        await pilot.press("left")
        text = screen_text(app)
        assert "Profil — Épicerie (Marie, Paul)" in text
        assert "✚ 2 « marge de progression »" in text.replace("\xa0", " ")  # « » typeset
        assert "4 Fort" in text
        profile_rows = [line for line in text.splitlines() if "Caractère collectif" in line]
        assert "1 Inexistant" in profile_rows[0]

        # The room: weakest criteria first, as the domain ranks them.
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, RoomSpreadScreen))
        text = screen_text(app)
        assert "La salle — 2 projet(s)" in text
        expected = [s.criterion.name for s in room_spread(grid, app.record.projects)]
        lines = text.splitlines()
        positions = [
            next(i for i, line in enumerate(lines) if name[:14] in line) for name in expected
        ]
        assert positions == sorted(positions)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)

    close(app)
    saved = on_disk(tmp_path)
    first, second = saved.projects
    assert (first.name, first.carriers) == ("Épicerie", "Marie, Paul")
    assert first.scores == {
        criterion.id: CriterionScore(
            level=levels[index % 4],
            progress=index in (1, 6),
            comment="à voir" if index == 2 else "",
        )
        for index, criterion in enumerate(criteria)
    }
    assert first.improvement_axes == "Local"
    assert first.pitch_prep == {"a": "r a", "b": "r b", "c": "r c"}
    expected_second = {
        criterion.id: CriterionScore(level=levels[index % 3])
        for index, criterion in enumerate(criteria)
    }
    expected_second[criteria[11].id] = CriterionScore(level=levels[(11 % 3) - 1])
    assert second.scores == expected_second


async def test_every_change_reaches_the_disk_and_loading_saves_nothing(
    atis: Workshop, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = assessment_app(atis, tmp_path, clock, projects=("Recyclerie",))
    project = app.record.project("recyclerie")
    project.improvement_axes = "déjà écrit"
    project.scores["caractere-collectif"] = CriterionScore(level="fort", comment="vu")
    assert app.session is not None
    app.session.save_all()
    saves: list[None] = []
    persist = app.persist

    async def counting_persist() -> bool:
        saves.append(None)
        return await persist()

    app.persist = counting_persist  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await on_phases(pilot, app)
        saves.clear()
        grid_screen = await open_grid(pilot, app)
        await pilot.press("down", "up", "down", "up")  # the comment field is loaded each time
        await pilot.press("f4", "f4")  # the texts view and back: loaded, not typed
        await pilot.pause()
        assert saves == []

        await pilot.press("down", "3")  # a level: saved at once
        assert on_disk(tmp_path).project("recyclerie").scores["richesse-collectif"].level == (
            "intermediaire"
        )
        await pilot.press("m")
        assert on_disk(tmp_path).project("recyclerie").scores["richesse-collectif"].progress

        await pilot.press("f4")
        await type_text(pilot, " ok")  # typed: saved once typing pauses, ≤ 1 s
        started = time.monotonic()
        await wait_for(
            pilot,
            lambda: on_disk(tmp_path).project("recyclerie").improvement_axes == "déjà écrit ok",
            timeout=3,
        )
        assert time.monotonic() - started < 1.5
        await pilot.press("tab")
        await type_text(pilot, "deux mots")
        await pilot.press("escape")  # leaving the screen saves at once
        await wait_for(pilot, lambda: app.screen is not grid_screen)
        assert on_disk(tmp_path).project("recyclerie").pitch_prep == {"a": "deux mots"}
    close(app)
    saved = on_disk(tmp_path).project("recyclerie")
    assert saved.scores["caractere-collectif"] == CriterionScore(level="fort", comment="vu")


def burst(app: AtelierApp, text: str) -> None:
    """``text`` typed at once, as a hurried facilitator does: every key is in the app's queue
    before the first is handled (``pilot.press`` waits after each key)."""
    from textual import events
    from textual.keys import _character_to_key

    for character in text:
        key = "enter" if character == "\n" else _character_to_key(character)
        app.post_message(events.Key(key, "\r" if character == "\n" else character))


async def test_a_sentence_typed_on_the_criteria_list_is_the_comment(
    atis: Workshop, tmp_path: Path
) -> None:
    """Typing on the list starts the comment with that character (as in a spreadsheet's
    cell); the keys already on their way follow it into the field: nothing typed is lost, no
    digit sets a level, no m marks « marge »."""
    clock = FakeClock()
    app = assessment_app(atis, tmp_path, clock, projects=("Recyclerie",))
    sentence = "Très bien : 3 pistes, m & c « à revoir » !"
    async with app.run_test(size=SIZE) as pilot:
        await on_phases(pilot, app)
        grid_screen = await open_grid(pilot, app)
        assert isinstance(app.focused, CriteriaList)
        criterion = grid_screen.criterion_id
        assert criterion is not None
        burst(app, sentence)
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.pause()
        score = app.record.project("recyclerie").scores[criterion]
        assert score == CriterionScore(comment=sentence)  # no level, no « marge »
        await pilot.press("enter")  # back to the list: its keys are keys again
        assert isinstance(app.focused, CriteriaList)
        await pilot.press("2")
        burst(app, "c")
        burst(app, "2 fois")  # on its way while the focus moves: typed, not a level
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.pause()
        score = app.record.project("recyclerie").scores[criterion]
        assert score.comment == sentence + "2 fois" and score.level == atis.grid.levels[1].id
        # Typed on the list again: more words for the comment, after a space (not glued to
        # « fois »); a comma goes against the word before it.
        await pilot.press("enter")
        burst(app, "et plus")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.pause()
        await pilot.press("enter")
        burst(app, ", voilà")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.pause()
        expected = sentence + "2 fois et plus, voilà"
        assert app.record.project("recyclerie").scores[criterion].comment == expected
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not grid_screen)
    close(app)
    assert on_disk(tmp_path).project("recyclerie").scores[criterion].comment == expected


async def test_a_comment_with_line_breaks_keeps_its_line(atis: Workshop, tmp_path: Path) -> None:
    """A comment typed on a phone may hold line breaks: the one-line field shows them as ⏎
    (the value keeps them) instead of spilling over the screen."""
    from atelier.tui.screens.grid_entry import CommentInput

    clock = FakeClock()
    app = assessment_app(atis, tmp_path, clock, projects=("Recyclerie",))
    project = app.record.project("recyclerie")
    first = atis.grid.dimensions[0].criteria[0].id
    project.scores[first] = CriterionScore(comment="deux\nlignes")
    async with app.run_test(size=SIZE) as pilot:
        await on_phases(pilot, app)
        grid_screen = await open_grid(pilot, app)
        field = grid_screen.query_one(CommentInput)
        assert field.value == "deux\nlignes"
        assert field._value.plain == "deux⏎lignes"
        assert "deux⏎lignes" in screen_text(app)
        assert "lignes" not in screen_text(app).replace("deux⏎lignes", "")
    close(app)


async def test_timer_keys_work_while_typing_in_the_grid(atis: Workshop, tmp_path: Path) -> None:
    clock = FakeClock()
    app = assessment_app(atis, tmp_path, clock, projects=("Recyclerie",))
    async with app.run_test(size=SIZE) as pilot:
        await on_phases(pilot, app)
        await open_grid(pilot, app)
        await pilot.press("f4")
        assert isinstance(app.focused, TextArea)
        await pilot.press("f5")  # start
        clock.advance(60)
        assert (await tick(pilot, app)).text == "09:00"
        await pilot.press("f7")  # + 1 min
        assert (await tick(pilot, app)).text == "10:00"
        await pilot.press("f6", "f6")  # − 2 min
        assert (await tick(pilot, app)).text == "08:00"
        await pilot.press("f5")  # pause
        assert not app.record.phases["autoevaluation"].elapsed_s < 60
        await pilot.press("f8")  # next phase, from the grid
        assert app.record.current_phase_id == "amelioration"
        assert "2/3  Axes d'amélioration" in screen_text(app)
        assert isinstance(app.focused, TextArea)
        assert app.focused.text == ""  # no F-key reached the text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, AssessmentScreen))
        assert "2/3  Axes d'amélioration" in screen_text(app)
    close(app)
    saved = on_disk(tmp_path)
    assert saved.phases["autoevaluation"].duration_s == 540
    assert saved.phases["autoevaluation"].elapsed_s == 60


async def test_another_workshop_three_levels_and_its_own_prompts(
    mini: Workshop, tmp_path: Path
) -> None:
    """Nothing is ATIS-specific: 3 levels (key 4 does nothing), 2 phases, prompts x and y."""
    clock = FakeClock()
    app = assessment_app(mini, tmp_path, clock, projects=("Atelier vélo",))
    async with app.run_test(size=(80, 24)) as pilot:
        await on_phases(pilot, app)
        await open_grid(pilot, app)
        await pilot.press("4")
        assert app.record.project("atelier-velo").scores == {}
        await pilot.press("3", "down", "right", "right", "right", "right")
        scores = app.record.project("atelier-velo").scores
        assert {cid: s.level for cid, s in scores.items()} == {
            "taille": "haut",
            "diversite": "haut",
        }
        await pilot.press("f4", "tab")
        assert isinstance(app.focused, TextArea) and app.focused.id == "prompt-x"
        await type_text(pilot, "vite")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, AssessmentScreen))
        await pilot.press("right")
        assert "2/2  Pistes" in screen_text(app)
        assert "x) Ma piste" in screen_text(app)
    close(app)
    assert on_disk(tmp_path).project("atelier-velo").pitch_prep == {"x": "vite"}


async def test_grid_text_steady_typing_is_saved_at_least_every_second(
    atis: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15 item 4, grid text fields: a key every 0.25 s of the fake clock, no pause, and
    a quiet time too long to ever end: the cap alone keeps the disk ≤ 1 s behind."""
    monkeypatch.setattr(autosave_timing, "QUIET_S", 3600)
    clock = FakeClock()
    app = assessment_app(atis, tmp_path, clock, projects=("Recyclerie",))
    async with app.run_test(size=(80, 24)) as pilot:
        await on_phases(pilot, app)
        grid_screen = await open_grid(pilot, app)
        await pilot.press("f4")
        await pilot.pause()
        typed = ""
        for key in "des axes clairs":
            clock.advance(0.25)
            await pilot.press(key if key != " " else "space")
            typed += key
            keep = typed[: len(typed) - 4]
            await wait_for(
                pilot,
                lambda keep=keep: on_disk(tmp_path)
                .project("recyclerie")
                .improvement_axes.startswith(keep),
            )
        assert grid_screen.autosave.saves >= 3
    close(app)


def test_the_phase_strip_follows_plus_and_minus(atis: Workshop) -> None:
    """Issue 14: every label follows ± — the strip says 12' once two minutes are added."""
    from atelier.domain.phases import PhaseRun
    from atelier.tui.screens.assessment import phase_strip

    clock = FakeClock()
    now = clock.now()
    record = SessionRecord(name="s", workshop_id=atis.id, created_at=now, updated_at=now)
    assert atis.assessment is not None
    run = PhaseRun(atis.assessment, record, clock)
    first = atis.assessment.phases[0]
    assert f"{first.name} {first.minutes:g}'" in phase_strip(run)
    run.toggle()
    run.add_minutes(2)
    assert f"{first.name} {first.minutes + 2:g}'" in phase_strip(run)
    run.next()  # the first phase keeps its 12' in the strip
    assert f"{first.name} {first.minutes + 2:g}'" in phase_strip(run)


async def test_a_name_typed_right_after_a_opens_the_dialog_is_kept(
    atis: Workshop, tmp_path: Path
) -> None:
    """« a » then the project's name at once: the keys typed while the dialog was still
    taking its focus wait for its field (atelier/tui/typeahead.py)."""
    clock = FakeClock()
    app = assessment_app(atis, tmp_path, clock, projects=("Recyclerie",))
    async with app.run_test(size=SIZE) as pilot:
        await on_phases(pilot, app)
        burst(app, "aRecyclerie & Cie des Chartrons")
        await wait_for(pilot, lambda: isinstance(app.screen, ProjectDialog))
        await wait_for(pilot, lambda: isinstance(app.focused, Input) and bool(app.focused.value))
        await pilot.pause()
        assert isinstance(app.focused, Input)
        assert app.focused.value == "Recyclerie & Cie des Chartrons"
        await pilot.press("escape")
        # The whole dialog typed blind, Entrée between the fields: each in its own.
        count = len(app.record.projects)
        burst(app, "aÉpicerie « Le Panier »\nZoé & Éloi\n\n")
        await wait_for(pilot, lambda: len(app.record.projects) == count + 1)
        await wait_for(pilot, lambda: isinstance(app.screen, AssessmentScreen))
    close(app)
    added = on_disk(tmp_path).projects[-1]
    assert (added.name, added.carriers) == ("Épicerie « Le Panier »", "Zoé & Éloi")


async def test_a_sentence_typed_right_after_entree_on_a_project_is_kept(
    atis: Workshop, tmp_path: Path
) -> None:
    """In the phase with prompts the grid opens on its texts: a sentence typed right after
    Entrée lands in « Axes d'amélioration », whole (it went to the hidden comment field)."""
    clock = FakeClock()
    app = assessment_app(atis, tmp_path, clock, projects=("Recyclerie",))
    async with app.run_test(size=SIZE) as pilot:
        await on_phases(pilot, app)
        await pilot.press("f8", "f8")  # the last phase: the pitch's preparation
        burst(app, "\nTrès bien : 3 pistes, « à revoir » & café !")
        project = app.record.project("recyclerie")
        await wait_for(pilot, lambda: project.improvement_axes.endswith("!"))
        assert project.improvement_axes == "Très bien : 3 pistes, « à revoir » & café !"
        assert project.scores == {}
    close(app)
