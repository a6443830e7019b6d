"""Authoring mistakes: every one reported in one run, in file order, in the author's words.

Each test writes one (or a few) mistakes into a copy of the bundled workshop, the way an author
would make them, and checks the message says where (file:line:column, and the position as an
author counts it), what is wrong and how to fix it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atelier.domain.content_checks import check_references
from atelier.errors import MAX_PROBLEMS_SHOWN, ContentError, SessionError
from atelier.store.content_loader import MAX_CONTENT_FILE_BYTES, load_workshop
from tests.conftest import ATIS_DIR


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "atelier"
    shutil.copytree(ATIS_DIR, target)
    return target


def _replace(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace the first ``count`` occurrences of ``old``; return the 1-based line of the first."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def _error(folder: Path) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_workshop(folder)
    return caught.value


def _messages(folder: Path) -> list[str]:
    return [str(p) for p in _error(folder).problems]


def _only(folder: Path) -> str:
    messages = _messages(folder)
    assert len(messages) == 1, messages
    return messages[0]


# -- all at once ---------------------------------------------------------------------------------


def test_three_mistakes_in_three_files_give_three_messages_in_one_run(folder: Path) -> None:
    grid_line = _replace(
        folder / "grid.yaml",
        '            inexistant: "Le projet est porté par une seule personne"',
        '            inexistant: "Le projet est porté par une seule personne"\n'
        '            expert: "Un niveau qui n\'existe pas"',
    )
    quiz_line = _replace(folder / "quiz.yaml", "      answer: faux", "      answer: FAUX")
    time_line = _replace(folder / "workshop.yaml", 'start: "9h50"', 'start: "9h75"')
    messages = _messages(folder)
    assert len(messages) == 3, messages
    grid, quiz, workshop = messages  # file order: grid.yaml, quiz.yaml, workshop.yaml
    assert f"grid.yaml:{grid_line + 1}:" in grid and "niveau « expert » inconnu" in grid
    assert f"quiz.yaml:{quiz_line}:" in quiz and "answer: faux" in quiz
    assert f"workshop.yaml:{time_line}:" in workshop and "9h75" in workshop


def test_a_syntax_error_in_one_file_does_not_hide_the_others(folder: Path) -> None:
    _replace(folder / "pitch.yaml", "  pitch_minutes: 2", '  pitch_minutes: "2')
    _replace(
        folder / "grid.yaml",
        '            inexistant: "Le projet est porté par une seule personne"',
        '            inexistant: "Le projet est porté par une seule personne"\n'
        '            expert: "Un niveau qui n\'existe pas"',
    )
    messages = _messages(folder)
    assert any("grid.yaml" in m and "expert" in m for m in messages), messages
    assert any("pitch.yaml" in m and "syntaxe" in m for m in messages), messages
    # The step of kind « pitch » is not blamed for a section that is only unreadable.
    assert not any("pas de section" in m for m in messages), messages


def test_problems_are_in_file_order(folder: Path) -> None:
    _replace(folder / "workshop.yaml", 'start: "10h40"', 'start: "25h00"')
    _replace(folder / "workshop.yaml", 'start: "9h50"', 'start: "9h99"')
    _replace(folder / "quiz.yaml", "      answer: faux", "      answer: Faux")
    problems = _error(folder).problems
    order = [(p.path.name if p.path else "", p.line or 0) for p in problems]
    assert order == sorted(order)


# -- positions said the author's way ------------------------------------------------------------


def test_a_step_is_named_by_its_rank_and_id(folder: Path) -> None:
    _replace(folder / "workshop.yaml", 'start: "10h00"', 'start: "10h99"')
    message = _only(folder)
    assert "3e étape du programme (id: analyse-projet) › start" in message
    assert "programme[2]" not in message


def test_a_quiz_statement_is_counted_from_one(folder: Path) -> None:
    _replace(folder / "quiz.yaml", "      answer: faux", "      answer: peut-etre")
    message = _only(folder)
    assert "quiz › affirmation 2 (id: publics-fragiles) › answer" in message
    assert "items[1]" not in message


def test_the_first_step_is_the_1re(folder: Path) -> None:
    _replace(folder / "workshop.yaml", 'start: "9h40"', "start: 9h40h")
    assert "1re étape du programme (id: contexte)" in _only(folder)


# -- the author's words ------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["VRAI", "Vrai", "vRaI"])
def test_an_answer_written_as_its_label_or_another_case_names_the_id(
    folder: Path, written: str
) -> None:
    line = _replace(folder / "quiz.yaml", "      answer: vrai", f"      answer: {written}")
    message = _only(folder)
    assert f"quiz.yaml:{line}:" in message
    assert f"« {written} »" in message and "« answer: vrai »" in message
    assert "^[a-z0-9]" not in message  # no pattern in the machine's words
    if written == "VRAI":
        assert "libellé affiché" in message
    else:
        assert "minuscules" in message


def test_an_answer_label_with_accents_dropped_is_recognised(folder: Path) -> None:
    _replace(folder / "quiz.yaml", "      answer: pas-forcement", '      answer: "PAS FORCEMENT"')
    message = _only(folder)
    assert "libellé affiché" in message and "« answer: pas-forcement »" in message


def test_a_level_written_as_its_label_names_the_id(folder: Path) -> None:
    line = _replace(
        folder / "grid.yaml",
        "            intermediaire: >-",
        "            Intermédiaire: >-",
    )
    messages = _messages(folder)
    about = [m for m in messages if "Intermédiaire" in m]
    assert len(about) == 1, messages  # one message, not a pattern error as well
    assert f"grid.yaml:{line}:" in about[0] and "« intermediaire: »" in about[0]
    assert "dimension 1 (id: portage) › critère 1 (id: caractere-collectif)" in about[0]


def test_an_unknown_answer_lists_ids_and_labels(folder: Path) -> None:
    _replace(folder / "quiz.yaml", "      answer: vrai", "      answer: oui")
    message = _only(folder)
    assert "réponse « oui » inconnue" in message
    assert "vrai, faux, pas-forcement (affichées VRAI, FAUX, PAS FORCÉMENT)" in message


def test_an_id_pattern_error_is_said_in_words_with_a_suggestion(folder: Path) -> None:
    _replace(folder / "workshop.yaml", "  - id: analyse-projet", '  - id: "Analyse du projet"')
    message = _only(folder)
    assert "ne peut pas servir d'identifiant" in message
    assert "lettres minuscules sans accent" in message
    assert "« analyse-du-projet »" in message
    assert "^[a-z0-9]" not in message


def test_a_key_pattern_error_is_said_in_words(folder: Path) -> None:
    _replace(folder / "quiz.yaml", 'key: "v"', 'key: "V"')
    message = _only(folder)
    assert "ne peut pas servir de touche" in message and "« v »" in message


def test_an_impossible_time_says_what_is_possible(folder: Path) -> None:
    _replace(folder / "workshop.yaml", 'start: "9h50"', 'start: "14h75"')
    message = _only(folder)
    assert "« 14h75 » impossible" in message
    assert 'heures 0–23, minutes 00–59, écrites "14h15"' in message


def test_an_unreadable_time_says_how_to_write_one(folder: Path) -> None:
    _replace(folder / "workshop.yaml", 'start: "9h50"', 'start: "neuf heures"')
    message = _only(folder)
    assert "illisible" in message and '"14h15"' in message


def test_an_unknown_key_suggests_the_close_one(folder: Path) -> None:
    _replace(folder / "pitch.yaml", "  pitch_minutes: 2", "  pitch_minute: 2")
    messages = _messages(folder)
    assert any("vouliez-vous dire « pitch_minutes »" in m for m in messages), messages


def test_the_yaml_octal_trap_is_refused_with_the_fix(folder: Path) -> None:
    line = _replace(folder / "pitch.yaml", "exchange_minutes: 15", "exchange_minutes: 010")
    message = _only(folder)
    assert f"pitch.yaml:{line}:" in message
    assert "octal 8" in message and "écrivez 10" in message


def test_a_base_60_duration_is_refused_with_the_fix(folder: Path) -> None:
    _replace(folder / "pitch.yaml", "pitch_minutes: 2", "pitch_minutes: 1:30")
    message = _only(folder)
    assert "base 60" in message and "1.5" in message


def test_a_quoted_or_plain_ten_is_fine(folder: Path) -> None:
    _replace(folder / "pitch.yaml", "exchange_minutes: 15", "exchange_minutes: 10")
    assert load_workshop(folder).pitch.exchange_minutes == 10  # type: ignore[union-attr]


def test_a_text_written_as_an_octal_number_is_reported_once(folder: Path) -> None:
    _replace(folder / "workshop.yaml", "organiser:", "organiser: 0123\n_old_organiser:")
    messages = [m for m in _messages(folder) if "0123" in m]
    assert len(messages) == 1, messages
    assert "guillemets" in messages[0]


def test_existing_messages_are_kept(folder: Path) -> None:
    # YAML 1.1 boolean in a text field, and 10:00 read as 600: the messages stay.
    _replace(folder / "quiz.yaml", 'key: "v"', "key: on")
    _replace(folder / "workshop.yaml", 'start: "9h50"', "start: 9:50")
    messages = _messages(folder)
    assert any("comme un booléen" in m for m in messages), messages
    assert any('"9h50"' in m and "590" in m for m in messages), messages


# -- many errors: linear, capped -----------------------------------------------------------------


def test_many_unknown_keys_are_counted_not_all_printed(folder: Path) -> None:
    count = 5000
    keys = "".join(f"inconnu_{i}: 1\n" for i in range(count))
    (folder / "extra.yaml").write_text(keys, encoding="utf-8")
    error = _error(folder)
    assert error.problem_count == count
    text = str(error)
    assert text.count("champ inconnu") == MAX_PROBLEMS_SHOWN
    assert f"… et {count - MAX_PROBLEMS_SHOWN:,} autres".replace(",", "\u00a0") in text
    assert "5\u00a0000 problèmes" in text
    first = text.splitlines()[1]
    assert "extra.yaml:1:1 : inconnu_0 : champ inconnu" in first


def test_a_huge_file_is_refused_at_once(folder: Path) -> None:
    big = folder / "journal.yaml"
    big.write_bytes(b"# " + b"x" * (MAX_CONTENT_FILE_BYTES + 10) + b"\n")
    message = _only(folder)
    assert "journal.yaml:1:1" in message and "Mo" in message


def test_a_session_with_many_unknown_keys_is_refused_with_a_count(tmp_path: Path) -> None:
    from atelier.domain.clock import FakeClock
    from atelier.domain.session import SessionRecord
    from atelier.store.session_store import SessionStore

    clock = FakeClock()
    store = SessionStore(tmp_path)
    now = clock.now()
    record = SessionRecord(name="s", workshop_id="w", created_at=now, updated_at=now)
    store.create(record).close()
    session_file = tmp_path / "s" / "session.yaml"
    extra = "".join(f"inconnu_{i}: 1\n" for i in range(3000))
    session_file.write_text(session_file.read_text(encoding="utf-8") + extra, encoding="utf-8")
    with pytest.raises(SessionError) as caught:
        store.load("s")
    assert caught.value.problem_count == 3000
    text = str(caught.value)
    assert text.count("champ inconnu") == MAX_PROBLEMS_SHOWN
    assert "… et 2\u00a0980 autres" in text


# -- robustness ---------------------------------------------------------------------------------

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            [
                "id",
                "kind",
                "start",
                "answer",
                "answers",
                "items",
                "levels",
                "dimensions",
                "criteria",
                "descriptors",
                "slides",
                "intro",
                "key",
                "label",
                "phases",
                "x",
            ]
        )
        | st.text(max_size=4),
        inner,
        max_size=5,
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["programme", "slides", "quiz", "grid", "assessment", "pitch", "end", "title"]
        ),
        _values,
        max_size=8,
    ),
    st.booleans(),
)
def test_cross_checks_never_fail_on_any_data(data: dict[str, object], complete: bool) -> None:
    problems = check_references(data, complete=complete)
    assert all(isinstance(message, str) and isinstance(loc, tuple) for loc, message in problems)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["quiz", "grid", "assessment", "pitch", "programme", "slides"]), _values)
def test_any_section_gives_a_workshop_or_a_content_error(
    tmp_path_factory: pytest.TempPathFactory, section: str, value: object
) -> None:
    import yaml

    target = tmp_path_factory.mktemp("fuzz") / "atelier"
    shutil.copytree(ATIS_DIR, target)
    owner = next(
        p for p in target.glob("*.yaml") if f"\n{section}:" in p.read_text(encoding="utf-8")
    )
    text = owner.read_text(encoding="utf-8")
    kept = {k: v for k, v in (yaml.safe_load(text) or {}).items() if k != section}
    owner.write_text(yaml.safe_dump({**kept, section: value}, allow_unicode=True), encoding="utf-8")
    try:
        load_workshop(target)
    except ContentError as error:
        assert error.problems and str(error)


# -- the existing messages, each one reaching the author through validate ------------------------

SYNTAX_CASES = [
    ("a: b: c\n", "« : » inattendu"),
    ("a: 1\nb\nc: 2\n", "« : » manquant après une clé"),
    ('a: "non fermé\n', "fin de fichier inattendue"),
    ("a:\n  b: 1\n c: 2\n", "clé attendue"),
    ("a:\n  - 1\n  b: 2\n", "élément de liste attendu"),
    ('a: "\\q"\n', "séquence « \\ » inconnue"),
    ("", "le fichier est vide"),
    ("a: \x07\n", "caractère interdit U+0007"),
    ("a: 1\n---\nb: 2\n", "plusieurs documents"),
    ("a: *x\n", "alias « * » sans ancre"),
    ("a: !python/object x\n", "étiquette « ! » non permise"),
    ("a:\n\tb: 1\n", "tabulation"),
    ("a: 1\na: 2\n", "clé « a » en double (déjà définie ligne 1)"),
    ("- a\n- b\n", "liste de champs « nom: valeur »"),
]


@pytest.mark.parametrize(("text", "expected"), SYNTAX_CASES, ids=[c[1] for c in SYNTAX_CASES])
def test_each_yaml_message_reaches_the_author_with_the_other_files_errors(
    folder: Path, text: str, expected: str
) -> None:
    (folder / "notes.yaml").write_text(text, encoding="utf-8")
    _replace(folder / "quiz.yaml", "      answer: faux", "      answer: FAUX")
    messages = _messages(folder)
    assert any("notes.yaml:" in m and expected in m for m in messages), messages
    assert any("quiz.yaml:" in m and "« answer: faux »" in m for m in messages), messages


VALUE_CASES = [
    ("pitch.yaml", "pitch_minutes: 2", "pitch_minutes: 0", "doit être supérieur à 0"),
    ("pitch.yaml", "pitch_minutes: 2", "pitch_minutes: 2000", "inférieur ou égal à 1440"),
    ("pitch.yaml", "pitch_minutes: 2", "pitch_minutes: deux", "un nombre est attendu"),
    (
        "pitch.yaml",
        "pitch_minutes: 2",
        "pitch_warning_seconds: -5\n  pitch_minutes: 2",
        "supérieur ou égal à 0",
    ),
    ("workshop.yaml", "date: 2020-05-19", "date: hier", "date illisible"),
    ("workshop.yaml", "date: 2020-05-19", "date: 2020-13-45", "ne peut pas être lu comme"),
    ("workshop.yaml", 'title: "Etabli - Innovation sociale"', 'title: ""', "ce texte est vide"),
    (
        "workshop.yaml",
        'title: "Etabli - Innovation sociale"',
        "title: [a, b]",
        "un texte est attendu",
    ),
    ("quiz.yaml", 'key: "v"', "key: yes", "comme un booléen"),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"), VALUE_CASES, ids=[c[3] for c in VALUE_CASES]
)
def test_each_value_message(folder: Path, file: str, old: str, new: str, expected: str) -> None:
    line = _replace(folder / file, old, new)
    messages = _messages(folder)
    assert any(f"{file}:{line}:" in m and expected in m for m in messages), messages


def test_a_yaml_entry_that_is_not_a_file_is_named_never_skipped(tmp_path: Path) -> None:
    """Issue 15 item 8: a ``*.yaml`` that is a folder, a FIFO or a dangling link is reported
    by name (and a FIFO is never opened: it would block)."""
    import os

    folder = tmp_path / "atelier"
    shutil.copytree(ATIS_DIR, folder)
    (folder / "extra.yaml").mkdir()
    (folder / "dangling.yaml").symlink_to(tmp_path / "missing.yaml")
    os.mkfifo(folder / "pipe.yaml")
    with pytest.raises(ContentError) as caught:
        load_workshop(folder)
    text = str(caught.value)
    assert "extra.yaml est un dossier" in text
    assert "dangling.yaml est un lien vers un fichier qui n'existe pas" in text
    assert "pipe.yaml n'est ni un fichier ni un dossier" in text
