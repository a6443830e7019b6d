"""``atelier new``: the workshop it writes validates and runs as written (Pilot), and a copy
made with ``--from`` is the same workshop under the folder's name."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from atelier.cli import main
from atelier.domain.clock import FakeClock
from atelier.domain.content_programme import StepKind
from atelier.store.content_loader import load_workshop
from atelier.store.content_schema import SCHEMA_FILE_NAME, schema_text
from atelier.store.session_store import SessionStore
from atelier.tui.screens.assessment import AssessmentScreen
from atelier.tui.screens.base import StepScreen
from atelier.tui.screens.quiz import QuizScreen
from tests.conftest import ATIS_DIR
from tests.tui.factory import close, make_app, wait_for


async def test_new_workshop_validates_and_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "Mon Atelier d'été"
    assert main(["new", str(folder)]) == 0
    assert "est valide" in capsys.readouterr().out
    assert main(["validate", str(folder)]) == 0
    workshop = load_workshop(folder)
    assert workshop.id == "mon-atelier-d-ete"
    assert {step.kind for step in workshop.programme} == set(StepKind)
    assert workshop.quiz is not None and len(workshop.quiz.answers) == 2
    assert workshop.grid is not None
    assert (len(workshop.grid.criteria), len(workshop.grid.levels)) == (2, 3)
    assert workshop.pitch is not None
    assert (folder / SCHEMA_FILE_NAME).read_text(encoding="utf-8") == schema_text()
    for path in folder.glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema={SCHEMA_FILE_NAME}"

    clock = FakeClock(datetime(2026, 1, 15, 14, 0).astimezone())
    app = make_app(workshop, tmp_path / "sessions", clock)
    yes, no = workshop.quiz.answers
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen))
        for step in workshop.programme:
            await app.go_to_step(step.id)
            await wait_for(
                pilot,
                lambda s=step: isinstance(app.screen, StepScreen) and app.screen.step.id == s.id,
            )
            screen = app.screen
            if step.kind == StepKind.QUIZ:
                assert isinstance(screen, QuizScreen)
                while screen.section != "items":
                    await pilot.press("right")
                await pilot.press(yes.key, no.key, no.key, "enter")  # only Entrée reveals
                assert screen.run is not None and screen.run.revealed
            elif step.kind == StepKind.ASSESSMENT:
                assert isinstance(screen, AssessmentScreen)
            clock.advance(60)
        assert app.record.quiz[workshop.quiz.items[0].id].tally == {yes.id: 1, no.id: 2}
    close(app)
    saved = SessionStore(tmp_path / "sessions").load("test")
    assert [e.step_id for e in saved.step_log][-len(workshop.programme) :] == [
        s.id for s in workshop.programme
    ]


def test_new_from_copies_a_workshop_under_the_folder_name(tmp_path: Path) -> None:
    folder = tmp_path / "atis-bis"
    assert main(["new", str(folder), "--from", str(ATIS_DIR)]) == 0
    copy, original = load_workshop(folder), load_workshop(ATIS_DIR)
    assert copy.id == "atis-bis"
    assert copy.model_copy(update={"id": original.id}) == original
    assert sorted(p.name for p in folder.glob("*.yaml")) == sorted(
        p.name for p in ATIS_DIR.glob("*.yaml")
    )
    for path in folder.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# yaml-language-server: $schema={SCHEMA_FILE_NAME}\n")
        assert "../atelier.schema.json" not in text


def test_new_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("à garder", encoding="utf-8")
    assert main(["new", str(tmp_path)]) == 2
    assert "n'est pas vide" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "à garder"
    assert not list(tmp_path.glob("*.yaml"))


def test_new_from_a_folder_that_is_not_a_workshop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "vide").mkdir()
    assert main(["new", str(tmp_path / "nouveau"), "--from", str(tmp_path / "vide")]) == 2
    assert "aucun fichier .yaml" in capsys.readouterr().err


def test_new_from_a_bundled_workshop_id(tmp_path: Path) -> None:
    folder = tmp_path / "mon-atis"
    assert main(["new", str(folder), "--from", "atis-2020-05-19"]) == 0
    assert load_workshop(folder).id == "mon-atis"
