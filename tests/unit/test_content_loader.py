"""The content loader: the bundled workshop is the deck, and every bad input is reported with
its file, line and a fix — never a traceback, never a silent wrong value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from atelier.domain.content import Workshop
from atelier.domain.content_programme import StepKind
from atelier.errors import ContentError
from atelier.store.content_loader import find_workshops, load_workshop, summarize
from tests.conftest import ATIS_DIR, MINI_DIR


def test_bundled_workshop_matches_the_deck(atis: Workshop) -> None:
    assert atis.id == "atis-2020-05-19"
    assert atis.quiz is not None and len(atis.quiz.items) == 7
    assert [a.label for a in atis.quiz.answers] == ["VRAI", "FAUX", "PAS FORCÉMENT"]
    assert [i.answer for i in atis.quiz.items] == [
        "vrai",
        "faux",
        "vrai",
        "faux",
        "faux",
        "vrai",
        "pas-forcement",
    ]
    assert atis.grid is not None
    assert [lv.label for lv in atis.grid.levels] == [
        "Inexistant",
        "Faible",
        "Intermédiaire",
        "Fort",
    ]
    assert [d.name for d in atis.grid.dimensions] == ["Portage", "Contenu", "Contexte"]
    assert [len(d.criteria) for d in atis.grid.dimensions] == [4, 3, 5]
    assert all(len(c.descriptors) == 4 for c in atis.grid.criteria)
    numbered = [s for s in atis.programme if s.number is not None]
    assert len(numbered) == 5 + 1 - 1  # steps 1-5 of the deck's programme
    assert [s.kind for s in atis.programme].count(StepKind.PAUSE) == 1
    assert f"{atis.programme[0].start:%H:%M}" == "09:40" and f"{atis.end:%H:%M}" == "11:50"
    assert atis.assessment is not None
    assert [p.minutes for p in atis.assessment.phases] == [10, 10, 5]
    assert [p.id for p in atis.assessment.phases[2].prompts] == ["a", "b", "c"]
    assert atis.pitch is not None and (atis.pitch.pitch_minutes, atis.pitch.exchange_minutes) == (
        2,
        15,
    )
    assert len(atis.pitch.feedback_categories) == 3
    assert atis.licence is not None and "4.0" in atis.licence.name


def test_mini_workshop_uses_other_numbers(mini: Workshop) -> None:
    assert mini.quiz is not None and len(mini.quiz.answers) == 2
    assert mini.grid is not None and len(mini.grid.levels) == 3
    assert f"{mini.programme[0].start:%H}" == "14"


def test_summary_counts(atis: Workshop) -> None:
    text = summarize(atis, ATIS_DIR)
    assert "7 questions" in text and "12 critères × 4 niveaux" in text


@pytest.fixture
def workshop_copy(tmp_path: Path) -> Path:
    target = tmp_path / "atelier"
    shutil.copytree(MINI_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_workshop(folder)
    return [str(p) for p in caught.value.problems]


def _quiz_file(folder: Path) -> Path:
    return next(p for p in folder.glob("*.yaml") if "quiz:" in p.read_text(encoding="utf-8"))


def test_unknown_answer_names_file_line_and_allowed_values(workshop_copy: Path) -> None:
    quiz = _quiz_file(workshop_copy)
    text = quiz.read_text(encoding="utf-8")
    first_answer = next(line for line in text.splitlines() if line.strip().startswith("answer:"))
    _edit(quiz, first_answer, first_answer.split("answer:")[0] + "answer: peut-etre")
    problems = _problems(workshop_copy)
    line = _line_of(quiz, "answer: peut-etre")
    assert any(f"{quiz}:{line}:" in p and "peut-etre" in p and "permises" in p for p in problems)


def test_duplicate_key_is_an_error_with_both_lines(workshop_copy: Path) -> None:
    workshop = workshop_copy / "workshop.yaml"
    _edit(workshop, "title:", "title: Premier titre\ntitle:")
    problems = _problems(workshop_copy)
    assert any("en double" in p and f"{workshop}:" in p for p in problems)


def test_unknown_field_lists_allowed_fields(workshop_copy: Path) -> None:
    workshop = workshop_copy / "workshop.yaml"
    _edit(workshop, "title:", "titre: faute de frappe\ntitle:")
    problems = _problems(workshop_copy)
    line = _line_of(workshop, "titre:")
    assert any(f"{workshop}:{line}:" in p and "titre" in p for p in problems)


def test_yaml11_time_trap_asks_for_quotes(workshop_copy: Path) -> None:
    workshop = workshop_copy / "workshop.yaml"
    text = workshop.read_text(encoding="utf-8")
    start_line = next(line for line in text.splitlines() if "start:" in line)
    _edit(workshop, start_line, start_line.split("start:")[0] + "start: 10:00")
    problems = _problems(workshop_copy)
    line = _line_of(workshop, "start: 10:00")
    assert any(f"{workshop}:{line}:" in p and "guillemets" in p for p in problems)


def test_yaml11_boolean_trap_in_text_field(workshop_copy: Path) -> None:
    workshop = workshop_copy / "workshop.yaml"
    text = workshop.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    _edit(workshop, title_line, "title: no")
    problems = _problems(workshop_copy)
    assert any(
        f"{workshop}:{_line_of(workshop, 'title: no')}:" in p and "guillemets" in p
        for p in problems
    )


def test_programme_times_must_ascend(workshop_copy: Path) -> None:
    workshop = workshop_copy / "workshop.yaml"
    text = workshop.read_text(encoding="utf-8")
    starts = [line for line in text.splitlines() if "start:" in line]
    _edit(workshop, starts[1], starts[1].split("start:")[0] + 'start: "8h00"')
    problems = _problems(workshop_copy)
    line = _line_of(workshop, 'start: "8h00"')
    assert any(f"{workshop}:{line}:" in p and "ordre" in p for p in problems)


def test_unknown_slide_reference(workshop_copy: Path) -> None:
    workshop = workshop_copy / "workshop.yaml"
    text = workshop.read_text(encoding="utf-8")
    ref = next(
        line
        for line in text.splitlines()
        if line.strip().startswith("- ") and "slides:" in text.split(line)[0].splitlines()[-1]
    )
    _edit(workshop, ref, ref.split("- ")[0] + "- page-inconnue")
    problems = _problems(workshop_copy)
    assert any("page-inconnue" in p and "introuvable" in p for p in problems)


def test_missing_descriptor_for_a_level(workshop_copy: Path) -> None:
    grid_file = next(p for p in workshop_copy.glob("*.yaml") if "grid:" in p.read_text("utf-8"))
    text = grid_file.read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "descriptors:")
    # drop the first descriptor of the first criterion
    del lines[start + 1]
    grid_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = _problems(workshop_copy)
    assert any(f"{grid_file}:" in p and "descripteur" in p for p in problems)


def test_all_errors_of_a_file_at_once(workshop_copy: Path) -> None:
    workshop = workshop_copy / "workshop.yaml"
    _edit(workshop, "title:", "titre: a\ntitle:")
    _edit(workshop, "organiser:", "organisateur: b\norganiser:")
    assert len(_problems(workshop_copy)) >= 2


def test_syntax_error_has_line(workshop_copy: Path) -> None:
    workshop = workshop_copy / "workshop.yaml"
    workshop.write_text("title: [non fermé\nid: x\n", encoding="utf-8")
    problems = _problems(workshop_copy)
    assert any(f"{workshop}:" in p and "syntaxe" in p for p in problems)


def test_tab_indentation_gets_a_hint(workshop_copy: Path) -> None:
    workshop = workshop_copy / "workshop.yaml"
    workshop.write_text("title: x\nprogramme:\n\t- id: a\n", encoding="utf-8")
    problems = _problems(workshop_copy)
    assert any(f"{workshop}:3" in p and "tabulation" in p.lower() for p in problems)


def test_empty_file(workshop_copy: Path) -> None:
    (workshop_copy / "workshop.yaml").write_text("", encoding="utf-8")
    assert any("vide" in p for p in _problems(workshop_copy))


def test_non_utf8_file(workshop_copy: Path) -> None:
    (workshop_copy / "workshop.yaml").write_bytes("title: Équipe\n".encode("latin-1"))
    assert any("UTF-8" in p for p in _problems(workshop_copy))


def test_utf8_bom_is_fine(workshop_copy: Path) -> None:
    workshop = workshop_copy / "workshop.yaml"
    workshop.write_bytes(b"\xef\xbb\xbf" + workshop.read_bytes())
    assert load_workshop(workshop_copy).id


def test_missing_folder_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="introuvable"):
        load_workshop(tmp_path / "nulle-part")
    with pytest.raises(ContentError, match="aucun fichier"):
        find_workshops(tmp_path)


def test_section_defined_in_two_files(workshop_copy: Path) -> None:
    (workshop_copy / "extra.yaml").write_text('end: "17h00"\n', encoding="utf-8")
    problems = _problems(workshop_copy)
    assert any("déjà défini" in p for p in problems)


def test_folder_of_workshops(tmp_path: Path) -> None:
    shutil.copytree(MINI_DIR, tmp_path / "a")
    shutil.copytree(ATIS_DIR, tmp_path / "b")
    assert [p.name for p in find_workshops(tmp_path)] == ["a", "b"]


def test_answer_key_reserved_for_the_facilitator(workshop_copy: Path) -> None:
    quiz = _quiz_file(workshop_copy)
    text = quiz.read_text(encoding="utf-8")
    key_line = next(line for line in text.splitlines() if line.strip().startswith("key:"))
    _edit(quiz, key_line, key_line.split("key:")[0] + 'key: "g"')
    problems = _problems(workshop_copy)
    line = _line_of(quiz, 'key: "g"')
    assert any(f"{quiz}:{line}:" in p and "réservées" in p for p in problems)
