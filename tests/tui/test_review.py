"""``atelier review`` under Pilot: the committed sample session, page by page, searched with
``/``, and left byte for byte as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from atelier.cli import main
from atelier.domain.content import Workshop
from atelier.domain.session import SessionRecord
from atelier.store.session_store import SessionStore
from atelier.tui.review import ReviewApp
from atelier.tui.screens.review import OVERVIEW_PAGE, ReviewScreen, SearchDialog
from atelier.tui.themes import DARK_THEME, LIGHT_THEME
from atelier.tui.widgets.profile_chart import ProfileChart
from tests.data.make_sample_session import SAMPLE_SESSION_NAME, copy_sample_session
from tests.tui.factory import wait_for

SIZE = (100, 30)


@pytest.fixture
def session_folder(tmp_path: Path) -> Path:
    return copy_sample_session(tmp_path)


@pytest.fixture
def record(session_folder: Path) -> SessionRecord:
    return SessionStore(session_folder.parent).load(SAMPLE_SESSION_NAME)


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: a new file (lock, temp, backup) shows up as a new key."""
    return {
        str(path.relative_to(folder)): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        )
        for path in sorted(folder.rglob("*"))
    }


def review_screen(app: ReviewApp) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def shown_project_name(screen: ReviewScreen) -> str:
    page = screen.query_one(f"#{screen.current_page}")
    return str(page.query_one(".review-project-name", Static).visual)


async def test_walk_every_page_and_back(
    atis: Workshop, record: SessionRecord, session_folder: Path
) -> None:
    before = tree_hashes(session_folder)
    app = ReviewApp(atis, record)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = review_screen(app)
        assert screen.current_page == OVERVIEW_PAGE
        assert app.theme == DARK_THEME.name
        for number, project in enumerate(record.projects, start=1):
            await pilot.press("right")
            await wait_for(pilot, lambda n=number: screen.current_page == f"page-{n}")
            assert shown_project_name(screen) == project.name
            assert screen.query_one(f"#page-{number}").query(ProfileChart)
            pages = screen.query_one("#review-pages", OptionList)
            assert pages.highlighted == number
        await pilot.press("right")  # past the last page: stays there
        await pilot.pause()
        assert screen.current_page == f"page-{len(record.projects)}"
        await pilot.press("left", "left")
        await wait_for(pilot, lambda: screen.current_page == f"page-{len(record.projects) - 2}")
        # The list on the left drives the pages too.
        await pilot.press("up")
        await wait_for(pilot, lambda: screen.current_page == f"page-{len(record.projects) - 3}")
        await pilot.press("home")
        await wait_for(pilot, lambda: screen.current_page == OVERVIEW_PAGE)
        await pilot.press("t")
        assert app.theme == LIGHT_THEME.name
        await pilot.press("t")
        assert app.theme == DARK_THEME.name
        await pilot.press("q")
        await wait_for(pilot, lambda: app.return_code is not None)
    assert tree_hashes(session_folder) == before


async def test_search_a_note_and_jump_to_its_project(
    atis: Workshop, record: SessionRecord, session_folder: Path
) -> None:
    before = tree_hashes(session_folder)
    app = ReviewApp(atis, record)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = review_screen(app)
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchDialog))
        dialog = app.screen
        assert isinstance(dialog, SearchDialog)
        # « autoréparation » is in one note of the bike workshop only; typed without accent.
        await pilot.press(*"AUTOREPARATION")
        await wait_for(pilot, lambda: len(dialog.matches) == 1)
        match = dialog.matches[0]
        assert match.field.project is not None
        assert match.field.project.project.id == "rustine-et-cie"
        assert "Préparation du pitch" in match.field.label
        assert dialog.query_one(Input).value == "AUTOREPARATION"  # « t » typed, not a theme
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        await wait_for(pilot, lambda: screen.current_page == "page-3")
        assert shown_project_name(screen) == "Atelier vélo Rustine & Cie"

        # The facilitator's notes lead to the overview; Escape closes without moving.
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchDialog))
        await pilot.press(*"vidéoprojecteur")
        dialog = app.screen
        assert isinstance(dialog, SearchDialog)
        await wait_for(pilot, lambda: len(dialog.matches) == 1)
        assert dialog.matches[0].field.project is None
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.current_page == "page-3"
        await pilot.press("slash", *"vidéoprojecteur")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.current_page == OVERVIEW_PAGE)

        # A word of every project: one line per field, ↓ then Enter opens the second one.
        await pilot.press("slash", *"équipe")
        dialog = app.screen
        assert isinstance(dialog, SearchDialog)
        await wait_for(pilot, lambda: len(dialog.matches) > 4)
        projects = {m.field.project.project.id for m in dialog.matches if m.field.project}
        assert len(projects) == 4
        second = dialog.matches[1].field.project
        assert second is not None
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert shown_project_name(screen) == second.project.name
        await pilot.press("ctrl+q")
    assert tree_hashes(session_folder) == before


async def test_nothing_found_says_so(atis: Workshop, record: SessionRecord) -> None:
    app = ReviewApp(atis, record)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = review_screen(app)
        await pilot.press("slash", *"zzzz")
        dialog = app.screen
        assert isinstance(dialog, SearchDialog)
        await wait_for(pilot, lambda: dialog.query_one(Input).value == "zzzz")
        assert dialog.matches == []
        assert "Rien trouvé" in str(dialog.query_one("#search-count", Static).visual)
        await pilot.press("enter")  # nothing to open: the dialog stays
        await pilot.pause()
        assert app.screen is dialog
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)


def test_review_of_an_unknown_session_lists_them(
    session_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["review", "inconnue", "--sessions-dir", str(session_folder.parent)])
    _, err = capsys.readouterr()
    assert code == 2 and SAMPLE_SESSION_NAME in err


async def test_a_projects_page_lists_the_cards_from_the_room(
    atis: Workshop, record: SessionRecord
) -> None:
    from atelier.domain.cards import accept, add_card, set_aside

    project = record.projects[0]
    when = record.created_at
    taken = add_card(project, "retour-pitch", "Clair <b>et</b> « net »", "Zoé", when)
    accept(project, taken.id)
    aside = add_card(project, "conseils", "Hors sujet", "", when)
    set_aside(project, aside.id)
    add_card(project, "conseils", "En attente", "", when)
    app = ReviewApp(atis, record)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = review_screen(app)
        await pilot.press("right")
        await wait_for(pilot, lambda: screen.current_page == "page-1")
        text = str(screen.query_one("#page-1 .review-room-cards", Static).visual)
        assert "Clair <b>et</b> « net »" in text and "— Zoé" in text and "(accepté)" in text
        assert "Hors sujet" in text and "(écarté)" in text
        assert "En attente" in text and "(en attente)" in text
        # Only pages with cards get the section.
        await pilot.press("right")
        await wait_for(pilot, lambda: screen.current_page == "page-2")
        assert not screen.query("#page-2 .review-room-cards")
