"""No fixed workshop wording in the app: a second workshop, shaped like one an author wrote
from the guide alone, is run screen by screen, reviewed and exported, and no word of the
bundled ATIS workshop shows anywhere. Its own words (axes heading, ✚ label, preparation
heading, phase and category names) do."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.session import CriterionScore
from atelier.report.export import render
from atelier.report.model import build_report
from atelier.store.content_loader import load_workshop
from atelier.tui.app import AtelierApp
from atelier.tui.review import ReviewApp
from atelier.tui.screens.assessment_summary import ProfileScreen, RoomSpreadScreen
from atelier.tui.screens.base import StepScreen
from atelier.tui.screens.grid_entry import GridEntryScreen
from tests.conftest import ROOT
from tests.tui.factory import close, make_app, wait_for

SECOND = ROOT / "tests" / "data" / "second-workshop"

ATIS_WORDS = (
    "ATIS",
    "Axes d'amélioration",
    "axes d'amélioration",
    "marge de progression",
    "Préparation du pitch",
    "S'autoévaluer",
    "Préparer son pitch",
    "Retour sur le pitch",
    "Conseils",
    "VRAI",
    "FAUX",
    "PAS FORCÉMENT",
    "Inexistant",
    "Intermédiaire",
    "innovation sociale",
    "Innovation sociale",
)
OWN_WORDS = ("Deux axes de progrès", "à faire grandir", "Présentation éclair")


@pytest.fixture(scope="module")
def second() -> Workshop:
    return load_workshop(SECOND)


def _text(app: AtelierApp | ReviewApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def _fill(app: AtelierApp, workshop: Workshop) -> str:
    """One project with every text filled, as after the grid and the pitch round."""
    assert workshop.grid is not None and workshop.pitch is not None
    record = app.record
    project = record.add_project("Tiers-lieu « La Clef » & voisins", "Inès & Marc")
    levels = [level.id for level in workshop.grid.levels]
    for index, criterion in enumerate(workshop.grid.criteria):
        project.scores[criterion.id] = CriterionScore(
            level=levels[index % len(levels)], comment="à voir", progress=index < 2
        )
    project.improvement_axes = "Ouvrir le samedi"
    project.pitch_prep = {"x": "Un lieu pour tous"}
    project.pitch.notes = {c.id: f"note {c.label}" for c in workshop.pitch.feedback_categories}
    assert app.session is not None
    app.session.save_all()
    return project.id


def _assert_clean(where: str, text: str) -> None:
    found = [word for word in ATIS_WORDS if word in text]
    assert not found, f"{where}: {found}\n{text}"


async def test_no_atis_word_on_any_screen(second: Workshop, tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 6, 11, 14, 0).astimezone())
    app = make_app(second, tmp_path, clock)
    seen: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen))
        project_id = _fill(app, second)
        for step in second.programme:
            await app.go_to_step(step.id)
            await wait_for(
                pilot,
                lambda s=step: isinstance(app.screen, StepScreen) and app.screen.step.id == s.id,
            )
            for _page in range(8):  # every page of the step, until the next step
                await pilot.pause()
                text = _text(app)
                _assert_clean(f"étape {step.id}", text)
                seen.append(text)
                screen = app.screen
                if not isinstance(screen, StepScreen) or screen.step.id != step.id:
                    break
                await pilot.press("right")
            if step.kind == "assessment":
                await app.go_to_step(step.id)
                await pilot.pause()
                for pushed in (
                    GridEntryScreen(step, project_id),
                    ProfileScreen(step, project_id),
                    RoomSpreadScreen(step),
                ):
                    await app.push_screen(pushed)
                    await wait_for(pilot, lambda p=pushed: app.screen is p)
                    await pilot.pause()
                    if isinstance(pushed, GridEntryScreen):
                        await pilot.press("m")  # the ✚ mark, with the workshop's word
                        await pilot.pause()
                        seen.append(_text(app))
                        await pilot.press("f4")  # the texts: axes and preparation
                        await pilot.pause()
                    text = _text(app)
                    _assert_clean(type(pushed).__name__, text)
                    seen.append(text)
                    app.pop_screen()
                    await pilot.pause()
            clock.advance(60)
    close(app)
    everything = "\n".join(seen)
    for word in OWN_WORDS:
        assert word in everything, word
    assert "Choisir deux axes de progrès" in everything  # a phase name from the content
    assert "Forces repérées" in everything  # a feedback category from the content


async def test_no_atis_word_in_review_or_exports(second: Workshop, tmp_path: Path) -> None:
    app = make_app(second, tmp_path, FakeClock(datetime(2026, 6, 11, 14, 0).astimezone()))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen))
        _fill(app, second)
    close(app)
    record = app.record
    for fmt, private in (("md", False), ("html", False), ("md", True), ("html", True)):
        text = render(build_report(second, record, None, private=private), fmt)
        _assert_clean(f"export {fmt}", text)
        for word in ("Deux axes de progrès", "Présentation éclair", "à faire grandir"):
            assert word in text, (fmt, word)
    review = ReviewApp(second, record)
    async with review.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pages = [_text(review)]
        await pilot.press("right")
        await pilot.pause()
        pages.append(_text(review))
    for page in pages:
        _assert_clean("relecture", page)
    assert "Deux axes de progrès" in pages[1] and "à faire grandir" in pages[1]
