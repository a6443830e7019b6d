"""``atelier import-quiz FICHIER.{csv,xlsx}``: a quiz from an online quiz tool's spreadsheet.

The common template of those tools (Kahoot!, Quizizz/Wayground, Wooclap, Google Sheets
exports…) has one question per row: a question column, numbered answer columns (« Answer 1 »,
« Option 2 », « Réponse 3 »…), a correct-answer column (the answer's number, or its text) and
sometimes an explanation. A row becomes a statement of the VRAI / FAUX quiz when its answers
are true / false (and « pas forcément » / nuanced) and exactly one is correct; any other row
is skipped, and said so, with its row number, in the command's output and as a comment in
the quiz.yaml written."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from atelier.domain.content_quiz import Quiz
from atelier.errors import BadInputError, Problem
from atelier.store.content_schema import modeline, write_text_atomically
from atelier.store.yaml_dump import dump_yaml
from atelier.store.yaml_problems import pydantic_problems, suggest_identifier
from atelier.store.yaml_read import read_yaml_file

HEADER_SEARCH_ROWS = 20
"""Templates often start with a title and instructions: the header row is looked for in the
first rows."""

MAX_IMPORT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class AnswerKind:
    id: str
    label: str
    key: str
    symbol: str
    words: frozenset[str]


ANSWER_KINDS = (
    AnswerKind("vrai", "VRAI", "v", "✔", frozenset({"vrai", "true", "v", "juste", "correct"})),
    AnswerKind("faux", "FAUX", "f", "✘", frozenset({"faux", "false", "f", "incorrect"})),
    AnswerKind(
        "pas-forcement",
        "PAS FORCÉMENT",
        "p",
        "◐",
        frozenset(
            {
                "pas forcement",
                "pas forcement vrai",
                "ca depend",
                "cela depend",
                "nuance",
                "nuancee",
                "ni vrai ni faux",
                "vrai et faux",
                "plutot vrai",
                "plutot faux",
                "not necessarily",
                "it depends",
                "maybe",
            }
        ),
    ),
)


@dataclass
class ImportResult:
    """What the import kept and what it skipped (row number → reason)."""

    quiz: Quiz
    text: str
    kept: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w ]+", " ", plain).split())


def _cell(value: Any) -> str:
    """A cell as text: Excel's TRUE/FALSE (VRAI/FAUX in a French Excel) are booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# -- reading the spreadsheet ------------------------------------------------------------------


def _read_csv(path: Path, raw: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise BadInputError(f"{path} : encodage illisible ; enregistrez le fichier en UTF-8.")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise BadInputError(f"{path} : fichier CSV illisible ({exc}).") from None


def _read_xlsx(path: Path) -> list[list[str]]:
    import openpyxl  # only this command needs it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BadInputError(
            f"{path} : classeur Excel illisible ({exc.__class__.__name__}) ; ouvrez-le et "
            "réenregistrez-le au format .xlsx, ou exportez-le en CSV."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_rows(path: Path) -> list[list[str]]:
    """Every row of the file's first sheet, as text cells."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx", ".xlsm"}:
        raise BadInputError(
            f"{path} : format non pris en charge ; donnez un fichier .csv ou .xlsx "
            "(un .xls ou .ods s'enregistre en .xlsx depuis le tableur)."
        )
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise BadInputError(f"{path} : fichier de plus de 20 Mo ; ce n'est pas un quiz.")
        if suffix == ".csv":
            return _read_csv(path, path.read_bytes())
    except FileNotFoundError:
        raise BadInputError(f"{path} : fichier introuvable.") from None
    except IsADirectoryError:
        raise BadInputError(f"{path} : c'est un dossier ; donnez le fichier du quiz.") from None
    except OSError as exc:
        raise BadInputError(f"{path} : lecture impossible ({exc.strerror}).") from None
    return _read_xlsx(path)


# -- understanding the columns ------------------------------------------------------------------


@dataclass
class Columns:
    header_row: int  # 0-based index in the rows
    question: int
    answers: list[int]
    correct: int
    explanation: int | None


_ANSWER_HEADER = re.compile(r"^(answer|option|reponse|choix|choice|proposition)\s*(\d+)\b")


def _find_columns(rows: list[list[str]]) -> Columns | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [_fold(cell) for cell in row]
        question = next(
            (
                i
                for i, n in enumerate(names)
                if (n.startswith(("question", "enonce", "affirmation", "intitule")))
                and "type" not in n
                and "time" not in n
            ),
            None,
        )
        answers = [i for i, n in enumerate(names) if _ANSWER_HEADER.match(n)]
        correct = next(
            (
                i
                for i, n in enumerate(names)
                if "correct" in n or "bonne reponse" in n or "bonnes reponses" in n
            ),
            None,
        )
        if question is None or not answers or correct is None:
            continue
        explanation = next(
            (i for i, n in enumerate(names) if "explanation" in n or "explication" in n), None
        )
        answers.sort(key=lambda i: int(_ANSWER_HEADER.match(names[i]).group(2)))  # type: ignore[union-attr]
        return Columns(index, question, answers, correct, explanation)
    return None


def _kind_of(answer: str) -> AnswerKind | None:
    folded = _fold(answer)
    return next((kind for kind in ANSWER_KINDS if folded in kind.words), None)


def _correct_indexes(text: str, answers: list[str]) -> list[int] | str:
    """The 0-based indexes of the correct answers, or why they cannot be read."""
    parts = [p.strip() for p in re.split(r"[,;/|]", text) if p.strip()]
    if not parts:
        return "pas de bonne réponse indiquée"
    if all(p.isdigit() for p in parts):
        indexes = [int(p) - 1 for p in parts]
        wrong = [p for p, i in zip(parts, indexes, strict=True) if not 0 <= i < len(answers)]
        if wrong:
            return (
                f"bonne réponse « {text} » : il n'y a pas de réponse n° {wrong[0]} "
                f"(réponses 1 à {len(answers)})"
            )
        return indexes
    folded = [_fold(a) for a in answers]
    if _fold(text) in folded:
        return [folded.index(_fold(text))]
    kind = _kind_of(text)
    if kind is not None:
        matching = [i for i, a in enumerate(answers) if _kind_of(a) is kind]
        if matching:
            return matching[:1]
    return (
        f"bonne réponse « {text} » : ni un numéro de réponse ni le texte d'une réponse "
        f"({', '.join(answers)})"
    )


def _row_problem(row: list[str], columns: Columns) -> tuple[str, AnswerKind | None, str]:
    """(question, the correct answer kind or None, why the row is skipped or "")."""

    def cell(index: int | None) -> str:
        return row[index] if index is not None and index < len(row) else ""

    question = cell(columns.question)
    answers = [cell(i) for i in columns.answers if cell(i)]
    explanation = cell(columns.explanation)
    if not question:
        return "", None, "la question est vide"
    if len(answers) < 2:
        return question, None, "moins de deux réponses"
    kinds = [_kind_of(a) for a in answers]
    if any(kind is None for kind in kinds):
        return (
            question,
            None,
            f"réponses « {' », « '.join(answers)} » : ce n'est pas un VRAI / FAUX "
            "(ni « pas forcément »)",
        )
    if len(set(kinds)) != len(kinds):
        return question, None, "la même réponse apparaît deux fois"
    correct = _correct_indexes(cell(columns.correct), answers)
    if isinstance(correct, str):
        return question, None, correct
    if len(correct) != 1:
        return question, None, "plusieurs bonnes réponses ; le VRAI / FAUX n'en a qu'une"
    return question, kinds[correct[0]], explanation


# -- writing quiz.yaml ---------------------------------------------------------------------------


def _comment(text: str) -> str:
    return " ".join(text.split())


def import_quiz(path: Path) -> ImportResult:
    """Read ``path`` and build the quiz (not written): what was kept and skipped."""
    rows = read_rows(path)
    columns = _find_columns(rows)
    if columns is None:
        raise BadInputError(
            f"{path} : colonnes introuvables. Il faut, sur une ligne d'en-tête, une colonne "
            "« Question », des colonnes de réponses numérotées (« Answer 1 », « Option 2 », "
            "« Réponse 1 »…) et une colonne de bonne réponse (« Correct answer », « Bonne "
            "réponse ») ; une colonne « Explication » est facultative."
        )
    items: list[dict[str, Any]] = []
    used: set[str] = set()
    kinds_used: set[str] = set()
    result_kept: list[int] = []
    skipped: list[tuple[int, str]] = []
    for index in range(columns.header_row + 1, len(rows)):
        row = rows[index]
        number = index + 1  # the row number the spreadsheet shows
        if not any(row):
            continue
        question, kind, detail = _row_problem(row, columns)
        if kind is None:
            skipped.append((number, f"{detail}" + (f" — « {question} »" if question else "")))
            continue
        base = suggest_identifier(question)[:40].strip("-_") or "q"
        item_id, n = base, 2
        while item_id in used:
            item_id, n = f"{base}-{n}", n + 1
        used.add(item_id)
        kinds_used.add(kind.id)
        item: dict[str, Any] = {"id": item_id, "statement": question, "answer": kind.id}
        if detail:
            item["explanation"] = detail
        items.append(item)
        result_kept.append(number)
    if not items:
        reasons = "\n".join(f"  - ligne {n} : {why}" for n, why in skipped) or "  (aucune ligne)"
        raise BadInputError(
            f"{path} : aucune question VRAI / FAUX à importer ; rien n'a été écrit.\n{reasons}"
        )
    answers = [
        {"id": k.id, "label": k.label, "key": k.key, "symbol": k.symbol}
        for k in ANSWER_KINDS
        if k.id in kinds_used or k.id in {"vrai", "faux"}
    ]
    data = {"quiz": {"title": path.stem, "answers": answers, "items": items}}
    try:
        quiz = Quiz.model_validate(data["quiz"])
    except ValidationError as exc:  # a question of blanks only, say
        raise BadInputError(
            f"{path} : le quiz importé n'est pas valide",
            problems=pydantic_problems(exc, None, path),
        ) from None
    header = [
        modeline(),
        f"# Quiz importé de {path.name} par « atelier import-quiz » :",
        f"# {len(items)} question(s) gardée(s), {len(skipped)} ligne(s) ignorée(s).",
        "# Relisez les affirmations : le quiz VRAI / FAUX les affiche entre « » et la salle y",
        "# répond à main levée. Le guide des champs : content/README.md.",
    ]
    if skipped:
        header.append("#")
        header.append("# Lignes ignorées (numéros de ligne du tableur) :")
        header += [f"#   ligne {n} : {_comment(why)}" for n, why in skipped]
    text = "\n".join(header) + "\n\n" + dump_yaml(data)
    return ImportResult(quiz=quiz, text=text, kept=result_kept, skipped=skipped)


def write_quiz(result: ImportResult, target: Path, *, force: bool = False) -> None:
    """Write the imported quiz to ``target`` and read it back as the app will."""
    if target.exists() and not force:
        raise BadInputError(
            f"{target} existe déjà ; rien n'a été écrit. Choisissez un autre fichier (-o) ou "
            "ajoutez --force pour le remplacer."
        )
    if target.exists() and not target.is_file():
        raise BadInputError(f"{target} : ce n'est pas un fichier ordinaire ; rien n'a été écrit.")
    write_text_atomically(target, result.text)
    data, root = read_yaml_file(target, error_class=BadInputError)
    try:
        Quiz.model_validate(data["quiz"])
    except (ValidationError, KeyError, TypeError) as exc:  # pragma: no cover - dump is exact
        problems = (
            pydantic_problems(exc, root, target, loc_prefix=("quiz",))
            if isinstance(exc, ValidationError)
            else [Problem("section « quiz: » absente", target)]
        )
        raise BadInputError(f"{target} : le quiz écrit ne se relit pas", problems) from None
