"""``atelier import-quiz``: a quiz tool's spreadsheet (CSV or XLSX) becomes a VRAI / FAUX
quiz.yaml; rows that do not fit are skipped and named by their row number."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from atelier.cli import main
from atelier.domain.content_quiz import Quiz
from atelier.store.quiz_import import import_quiz
from atelier.store.yaml_read import read_yaml_file

HEADER = ["Question", "Answer 1", "Answer 2", "Answer 3", "Correct answer(s)", "Explanation"]
ROWS = [
    ["L'innovation sociale répond à des besoins mal satisfaits", "Vrai", "Faux", "", "1", ""],
    ["Elle ne concerne que les publics fragiles", "VRAI", "FAUX", "", "2", "Pas seulement."],
    ["Capitale de la France ?", "Paris", "Lyon", "Lille", "1", ""],  # not a VRAI / FAUX
    ["Un projet & ses « porteurs »", "True", "False", "Pas forcément", "3", "Ça dépend."],
    ["Une ligne abîmée", "Vrai", "Faux", "", "5", ""],  # the bad row: there is no answer 5
]


def _check(quiz_file: Path) -> Quiz:
    data, _root = read_yaml_file(quiz_file)
    return Quiz.model_validate(data["quiz"])


def _assert_imported(quiz: Quiz, text: str) -> None:
    assert [i.answer for i in quiz.items] == ["vrai", "faux", "pas-forcement"]
    assert [a.label for a in quiz.answers] == ["VRAI", "FAUX", "PAS FORCÉMENT"]
    assert quiz.items[2].statement == "Un projet & ses « porteurs »"
    assert quiz.items[1].explanation == "Pas seulement."
    assert "ligne 4 : réponses « Paris », « Lyon », « Lille »" in text
    assert "ligne 6 : bonne réponse « 5 » : il n'y a pas de réponse n° 5" in text


def test_csv_with_one_bad_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "mon-quiz.csv"
    lines = [HEADER, *ROWS]
    source.write_text(
        "\n".join(";".join(f'"{c}"' for c in row) for row in lines) + "\n", encoding="utf-8"
    )
    target = tmp_path / "quiz.yaml"
    assert main(["import-quiz", str(source), "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert "3 question(s) importée(s)" in out
    assert "ligne 6 : bonne réponse « 5 »" in err and "ligne 4" in err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=atelier.schema.json\n")
    _assert_imported(_check(target), text)


def test_xlsx_with_one_bad_row_and_excel_booleans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "kahoot.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Quiz template"])  # templates start with a title row
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet.append(["Une case cochée", True, False, None, 1, None])  # VRAI / FAUX as booleans
    workbook.save(source)
    target = tmp_path / "quiz.yaml"
    assert main(["import-quiz", str(source), "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    quiz = _check(target)
    assert quiz.items[-1].answer == "vrai"
    # One more row above the header: every row number is one more than in the CSV.
    assert "ligne 5 : réponses « Paris »" in text
    assert "ligne 7 : bonne réponse « 5 »" in text
    assert "ligne 7" in capsys.readouterr().err


def test_an_existing_quiz_is_not_replaced_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "q.csv"
    source.write_text("Question,Answer 1,Answer 2,Correct answer\nA,Vrai,Faux,1\n", "utf-8")
    target = tmp_path / "quiz.yaml"
    target.write_text("à garder", encoding="utf-8")
    assert main(["import-quiz", str(source), "-o", str(target)]) == 2
    assert "existe déjà" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "à garder"
    assert main(["import-quiz", str(source), "-o", str(target), "--force"]) == 0
    assert _check(target).items[0].answer == "vrai"


def test_a_file_without_the_template_columns_says_which_are_needed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "notes.csv"
    source.write_text("Nom,Prénom\nDupont,Anne\n", encoding="utf-8")
    assert main(["import-quiz", str(source)]) == 2
    err = capsys.readouterr().err
    assert "colonnes introuvables" in err and "Question" in err and "Traceback" not in err


def test_a_file_with_no_true_false_question_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "qcm.csv"
    source.write_text("Question,Answer 1,Answer 2,Correct answer\nA ?,Oui,Non,1\n", "utf-8")
    with pytest.raises(Exception, match="ligne 2"):
        import_quiz(source)


def test_a_broken_xlsx_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "abime.xlsx"
    source.write_bytes(b"ceci n'est pas un classeur")
    assert main(["import-quiz", str(source)]) == 2
    assert "classeur Excel illisible" in capsys.readouterr().err
