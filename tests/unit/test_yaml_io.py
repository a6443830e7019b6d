"""YAML helpers: readable dumps that round-trip exactly, strict loads with file:line:col."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from atelier.domain.session import Project, SessionRecord
from atelier.errors import ContentError, Problem, SessionError
from atelier.store.yaml_dump import dump_yaml
from atelier.store.yaml_problems import node_at, pydantic_problems
from atelier.store.yaml_read import (
    decode_yaml_bytes,
    load_yaml_text,
    parse_yaml_text,
    read_yaml_file,
)

FILE = Path("f.yaml")


def roundtrip(data: object) -> object:
    return load_yaml_text(dump_yaml(data), FILE)


def only_problem(excinfo: pytest.ExceptionInfo[SessionError]) -> Problem:
    assert len(excinfo.value.problems) == 1
    return excinfo.value.problems[0]


# -- dump -------------------------------------------------------------------------------------


def test_dump_keeps_key_order_accents_and_block_style() -> None:
    text = dump_yaml({"zèbre": "été", "abeille": [1, {"b": True, "a": None}], "vide": {}})
    assert text == "zèbre: été\nabeille:\n- 1\n- b: true\n  a: null\nvide: {}\n"


def test_multiline_text_is_a_literal_block() -> None:
    text = dump_yaml({"notes": "Première ligne\n  indentée\nno\n10:00\n"})
    assert text == "notes: |\n  Première ligne\n    indentée\n  no\n  10:00\n"
    assert roundtrip({"notes": "Première ligne\n  indentée\nno\n10:00\n"}) == {
        "notes": "Première ligne\n  indentée\nno\n10:00\n"
    }


def test_emoji_stay_readable() -> None:
    text = dump_yaml({"a": "👍 bravo", "b": "ligne 😀\nsuite"})
    assert "👍 bravo" in text
    assert "b: |-\n  ligne 😀\n  suite\n" in text
    assert roundtrip({"a": "👍 bravo", "b": "ligne 😀\nsuite"}) == {
        "a": "👍 bravo",
        "b": "ligne 😀\nsuite",
    }


def test_emoji_next_to_private_use_characters() -> None:
    value = {"\ue000 👍": "\ue000\ue001 😀 \U0010fffd 👍\nsuite 🎉 \uf8ff\n", "x": ["🎉"]}
    text = dump_yaml(value)
    assert "😀" in text and "\\U" not in text
    assert roundtrip(value) == value


def test_more_emoji_than_stand_ins_still_round_trips() -> None:
    every_private_use = "".join(chr(code) for code in range(0xE000, 0xF900))
    value = {"a": every_private_use + "\n👍\n"}
    assert roundtrip(value) == value


def test_long_lines_are_not_folded() -> None:
    long = "mot " * 200 + "fin"
    text = dump_yaml({"a": long, "b": long + "\nsuite"})
    assert len(text.splitlines()) == 4
    assert roundtrip({"a": long, "b": long + "\nsuite"}) == {"a": long, "b": long + "\nsuite"}


@pytest.mark.parametrize(
    "value",
    [
        "fin avec espace \nsuite",
        "a\r\nb\r\n",
        "tab\tau milieu\nsuite",
        "\tdébut tab\n",
        "  \n  x",
        "a\x85b\nc",
        "a\u2028b\nc",
        "\ufeffbom\n",
        "\n",
        "\n\n",
        "a\n\n\n",
        " espace devant\nx",
        "\ndébut vide",
        "no",
        "yes",
        "on",
        "~",
        "",
        "10:00",
        "012",
        "1.10",
        "2020-05-19",
        "#",
        ": ",
        "---",
        "...",
        "- a",
        "'",
        '"',
        "@",
        "`",
        "!tag",
        "&ancre",
        "*alias",
        "%",
        "{a: 1}",
        "[1]",
    ],
)
def test_tricky_strings_round_trip(value: str) -> None:
    assert roundtrip({"k": value, value: "clé"}) == {"k": value, value: "clé"}


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
@example("ligne\r\nsuivante\r\n")
@example("no\n#\n: \n---\n10:00\n'\n\"\n")
def test_any_text_round_trips(value: str) -> None:
    assert roundtrip({"k": value, "l": [value]}) == {"k": value, "l": [value]}


def test_numbers_and_none_keep_their_type() -> None:
    data = {"i": 600, "f": 1.1, "big": 1e17, "neg": -0.5, "n": None, "t": True, "s": "600"}
    assert roundtrip(data) == data


# -- decode and parse -------------------------------------------------------------------------


def test_bom_is_accepted() -> None:
    assert decode_yaml_bytes("\ufeffa: é\n".encode()) == "a: é\n"


def test_latin1_is_refused_with_position() -> None:
    with pytest.raises(SessionError) as excinfo:
        decode_yaml_bytes(b"a: 1\nb: \xe9t\xe9\n", FILE, error_class=SessionError)
    problem = only_problem(excinfo)
    assert (problem.line, problem.column) == (2, 4)
    assert "UTF-8" in problem.message
    assert problem.location() == "f.yaml:2:4"


def test_utf16_is_refused() -> None:
    with pytest.raises(ContentError) as excinfo:
        decode_yaml_bytes("a: 1\n".encode("utf-16"), FILE, error_class=ContentError)
    assert "UTF-16" in str(excinfo.value)


@pytest.mark.parametrize("text", ["", "\n\n", "# rien que des commentaires\n"])
def test_empty_document_is_an_error(text: str) -> None:
    with pytest.raises(SessionError) as excinfo:
        load_yaml_text(text, FILE, error_class=SessionError)
    assert "vide" in only_problem(excinfo).message


def test_syntax_error_has_line_column_and_french_hint() -> None:
    with pytest.raises(SessionError) as excinfo:
        load_yaml_text("a: 1\nb: c: d\n", FILE, error_class=SessionError)
    problem = only_problem(excinfo)
    assert (problem.line, problem.column) == (2, 5)
    assert problem.message.startswith("erreur de syntaxe YAML")
    assert "guillemets" in problem.message


def test_unclosed_quote() -> None:
    with pytest.raises(SessionError) as excinfo:
        load_yaml_text("a: 'pas fermé\nb: 2\n", FILE, error_class=SessionError)
    assert "guillemet" in only_problem(excinfo).message


@pytest.mark.parametrize("text", ["a:\n\tb: 1\n", "a:\n  b: 1\n\tc: 2\n"])
def test_tab_indentation_gets_a_hint(text: str) -> None:
    with pytest.raises(SessionError) as excinfo:
        load_yaml_text(text, FILE, error_class=SessionError)
    assert "tabulation" in only_problem(excinfo).message


def test_error_class_is_the_callers() -> None:
    with pytest.raises(ContentError):
        load_yaml_text("a: [", FILE, error_class=ContentError)


def test_two_documents_are_refused() -> None:
    with pytest.raises(SessionError) as excinfo:
        load_yaml_text("a: 1\n---\nb: 2\n", FILE, error_class=SessionError)
    assert "plusieurs documents" in only_problem(excinfo).message


def test_python_tags_are_refused() -> None:
    with pytest.raises(SessionError) as excinfo:
        load_yaml_text("a: !!python/object/apply:os.system [ls]\n", error_class=SessionError)
    assert "étiquette" in only_problem(excinfo).message


def test_control_character_is_located() -> None:
    with pytest.raises(SessionError) as excinfo:
        load_yaml_text("é: ok\nb: \x01\n", FILE, error_class=SessionError)
    problem = only_problem(excinfo)
    assert (problem.line, problem.column) == (2, 4)


@pytest.mark.parametrize(
    ("text", "where", "needle"),
    [
        ("a: 1\nb: 2020-13-45\n", (2, 4), "« 2020-13-45 » ne peut pas être lu comme une date"),
        ("a:\n  - !!int x\n", (2, 5), "« x » ne peut pas être lu comme un nombre entier"),
        ("? [1]\n: 2\n", (1, 3), "ne peut pas servir de clé"),
    ],
)
def test_values_yaml_cannot_build_are_located(
    text: str, where: tuple[int, int], needle: str
) -> None:
    with pytest.raises(SessionError) as excinfo:
        load_yaml_text(text, FILE, error_class=SessionError)
    problem = only_problem(excinfo)
    assert (problem.line, problem.column) == where
    assert needle in problem.message


def test_duplicate_keys_are_found_at_any_depth() -> None:
    text = "a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\na: 5\n"
    with pytest.raises(SessionError) as excinfo:
        load_yaml_text(text, FILE, error_class=SessionError)
    problems = excinfo.value.problems
    assert [(p.line, p.column) for p in problems] == [(5, 3), (6, 1)]
    assert "« c » en double (déjà définie ligne 3)" in problems[0].message


def test_keys_equal_after_yaml_typing_are_duplicates() -> None:
    with pytest.raises(SessionError):
        load_yaml_text("yes: 1\ntrue: 2\n", FILE, error_class=SessionError)
    # quoted and plain spellings of one string are one key too
    with pytest.raises(SessionError):
        load_yaml_text("a: 1\n'a': 2\n", FILE, error_class=SessionError)


def test_anchors_and_merge_keys_still_work() -> None:
    data = load_yaml_text("x: &a\n  k: 1\ny: *a\nz:\n  <<: *a\n  k: 2\n", FILE)
    assert data == {"x": {"k": 1}, "y": {"k": 1}, "z": {"k": 2}}


def test_read_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("\ufeffnom: Léa\n".encode())
    data, root = read_yaml_file(path, error_class=SessionError)
    assert data == {"nom": "Léa"}
    assert node_at(root, ("nom",)) == (1, 1)
    with pytest.raises(SessionError) as excinfo:
        read_yaml_file(tmp_path / "absent.yaml", error_class=SessionError)
    assert "introuvable" in str(excinfo.value)


# -- locations --------------------------------------------------------------------------------

NESTED = """\
projects:
  - id: a
    scores:
      c1:
        level: x
  - id: b
    name: B
"""


def test_node_at_walks_mappings_and_sequences() -> None:
    _data, root = parse_yaml_text(NESTED)
    assert node_at(root, ("projects",)) == (1, 1)
    assert node_at(root, ("projects", 1)) == (6, 5)
    assert node_at(root, ("projects", 1, "name")) == (7, 5)
    assert node_at(root, ("projects", 0, "scores", "c1", "level")) == (5, 9)


def test_node_at_falls_back_to_the_deepest_parent() -> None:
    _data, root = parse_yaml_text(NESTED)
    assert node_at(root, ("projects", 0, "scores", "c9", "level")) == (3, 5)
    assert node_at(root, ("projects", 7)) == (1, 1)
    assert node_at(root, ("nothing",)) == (1, 1)


# -- pydantic errors --------------------------------------------------------------------------


def problems_for(text: str, model: type[BaseModel] = Project) -> list[Problem]:
    data, root = parse_yaml_text(text, FILE)
    with pytest.raises(ValidationError) as excinfo:
        model.model_validate(data)
    return pydantic_problems(excinfo.value, root, FILE, model=model)


def test_missing_field_points_at_its_parent() -> None:
    problems = problems_for("name: Épicerie\npitch:\n  notes: {}\n")
    assert [str(p) for p in problems] == [
        "f.yaml:1:1 : champ obligatoire manquant : id ; ajoutez la ligne « id: … »"
    ]


def test_unknown_field_lists_the_permitted_ones() -> None:
    problems = problems_for("id: a\nname: A\npitch:\n  notse: {}\n")
    (problem,) = problems
    assert (problem.line, problem.column) == (4, 3)
    assert problem.message.startswith(
        "pitch › notse : champ inconnu « notse » ; vouliez-vous dire « notes » ? ; champs permis : "
    )
    assert "volunteer, order, status" in problem.message


def test_unknown_field_in_a_dict_of_models() -> None:
    (problem,) = problems_for("id: a\nname: A\nscores:\n  c1:\n    levle: x\n")
    assert "champs permis : level, comment, progress" in problem.message
    assert problem.line == 5


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("no", 'YAML a lu « no » comme un booléen ; mettez la valeur entre guillemets : "no"'),
        ("On", 'YAML a lu « On » comme un booléen ; mettez la valeur entre guillemets : "On"'),
        (
            "10:00",
            "YAML a lu « 10:00 » comme le nombre 600 (base 60) ; "
            'mettez la valeur entre guillemets : "10:00"',
        ),
        (
            "012",
            "YAML a lu « 012 » comme le nombre octal 10 ; "
            'mettez la valeur entre guillemets : "012"',
        ),
        ("42", 'YAML a lu « 42 » comme un nombre ; mettez la valeur entre guillemets : "42"'),
        (
            "1.10",
            'YAML a lu « 1.10 » comme le nombre 1.1 ; mettez la valeur entre guillemets : "1.10"',
        ),
        (
            "2020-05-19",
            "YAML a lu « 2020-05-19 » comme une date ; "
            'mettez la valeur entre guillemets : "2020-05-19"',
        ),
        ("~", 'YAML a lu « ~ » comme une valeur vide ; écrivez "" pour un texte vide'),
    ],
)
def test_yaml11_readings_of_text_fields_get_a_quoting_hint(value: str, expected: str) -> None:
    (problem,) = problems_for(f"id: a\nname: A\ncarriers: {value}\n")
    assert problem.message == f"carriers : {expected}"
    assert (problem.line, problem.column) == (3, 1)


def test_quoted_values_get_no_yaml_hint() -> None:
    class Counted(BaseModel):
        n: int

    (problem,) = problems_for("n: 'dix'\n", Counted)
    assert problem.message == "n : un nombre entier est attendu"


def test_surprising_reading_of_a_non_text_field_is_explained() -> None:
    (problem,) = problems_for(
        "name: s\nworkshop_id: w\ncreated_at: yes\nupdated_at: 2020-05-19 10:00:00\n",
        SessionRecord,
    )
    assert problem.message.startswith("created_at : une date et heure est attendue")
    assert problem.message.endswith("(YAML a lu « yes » comme un booléen)")


def test_value_errors_and_bounds_are_in_french() -> None:
    class Timer(BaseModel):
        model_config = ConfigDict(extra="forbid")
        duration_s: float = Field(ge=0)
        status: Literal["a", "b"] = "a"

    messages = [p.message for p in problems_for("duration_s: -1\nstatus: c\n", Timer)]
    assert messages == [
        "duration_s : doit être supérieur ou égal à 0",
        "status : valeur « c » inconnue ; valeurs permises : 'a' ou 'b'",
    ]


def test_list_and_mapping_shape_errors() -> None:
    messages = [p.message for p in problems_for("id: a\nname: A\nscores: [1]\npitch_prep: x\n")]
    assert messages == [
        "scores : un bloc « clé: valeur » est attendu ici",
        "pitch_prep : un bloc « clé: valeur » est attendu ici",
    ]


def test_top_level_fields_override_and_loc_prefix() -> None:
    data, root = parse_yaml_text("session:\n  nmae: x\n", FILE)

    class Inner(BaseModel):
        model_config = ConfigDict(extra="forbid")
        name: str = ""

    with pytest.raises(ValidationError) as excinfo:
        Inner.model_validate(data["session"])
    (problem,) = pydantic_problems(
        excinfo.value, root, FILE, top_level_fields=["name", "autre"], loc_prefix=("session",)
    )
    assert problem.line == 2
    assert problem.message.endswith("champs permis : name, autre")


def test_dump_output_is_plain_yaml_for_other_readers() -> None:
    value = {"a": "x\ny", "b": "👍"}
    assert yaml.safe_load(dump_yaml(value)) == value
