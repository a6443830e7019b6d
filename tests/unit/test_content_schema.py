"""The JSON Schema of workshop files: shipped equal to what the models generate, valid for a
2020-12 validator, and satisfied by every bundled workshop file (checked with ``jsonschema``,
an independent validator, on the YAML as an editor reads it)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from atelier.cli import main
from atelier.store.content_loader import bundled_content_root
from atelier.store.content_schema import SCHEMA_FILE_NAME, content_schema, schema_text
from tests.conftest import ATIS_DIR, MINI_DIR, ROOT

SECOND_DIR = ROOT / "tests" / "data" / "second-workshop"
SCAFFOLD_DIR = ROOT / "atelier" / "scaffold"

SHIPPED = bundled_content_root() / SCHEMA_FILE_NAME


def _as_editor_reads(data: Any) -> Any:
    """yaml-language-server reads YAML 1.2: an unquoted 2020-05-19 is a string there."""
    if isinstance(data, dict):
        return {str(k): _as_editor_reads(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_as_editor_reads(v) for v in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_the_shipped_schema_is_the_models_schema() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(), (
        "content/atelier.schema.json is out of date: run "
        "`.venv/bin/atelier schema content` and commit it"
    )


def test_the_schema_is_2020_12_and_french() -> None:
    schema = content_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    step = schema["$defs"]["Step"]
    assert step["properties"]["kind"]["$ref"] == "#/$defs/StepKind"
    assert schema["$defs"]["StepKind"]["enum"] == [
        "info",
        "quiz",
        "assessment",
        "pitch",
        "pause",
        "closing",
    ]
    assert "14h15" in json.dumps(step["properties"]["start"], ensure_ascii=False)
    assert schema["$defs"]["Answer"]["properties"]["label"]["examples"] == ["VRAI"]
    assert "required" not in schema  # a file may hold only some of the sections
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    "path",
    [
        *sorted(ATIS_DIR.glob("*.yaml")),
        *sorted(MINI_DIR.glob("*.yaml")),
        *sorted(SECOND_DIR.glob("*.yaml")),
        *sorted(SCAFFOLD_DIR.glob("*.yaml")),
    ],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_bundled_files_satisfy_the_schema(path: Path) -> None:
    data = _as_editor_reads(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_the_schema_catches_what_an_editor_should_underline() -> None:
    bad = {
        "programme": [{"id": "Accueil", "title": "x", "start": "9h40", "kind": "quizz"}],
        "titel": "x",
    }
    messages = [e.message for e in _validator().iter_errors(bad)]
    assert any("titel" in m for m in messages)
    assert any("quizz" in m for m in messages)
    assert any("Accueil" in m for m in messages)


def test_the_schema_underlines_impossible_times_and_reserved_keys() -> None:
    validator = _validator()
    step = {"id": "a", "title": "A", "kind": "info"}
    for good in ("9h40", "14:15", "23h59", "14h"):
        assert not list(validator.iter_errors({"programme": [{**step, "start": good}]})), good
    for bad in ("14h75", "24h00", "neuf heures"):
        assert list(validator.iter_errors({"programme": [{**step, "start": bad}]})), bad
    answer = {"id": "a", "label": "A"}

    def key_errors(key: str) -> list[str]:
        quiz = {"quiz": {"answers": [{**answer, "key": key}]}}
        found, stack = [], list(validator.iter_errors(quiz))
        while stack:  # errors under « anyOf » (quiz or null) are in their context
            error = stack.pop()
            stack.extend(error.context or [])
            if list(error.absolute_path)[-1:] == ["key"]:
                found.append(error.message)
        return found

    assert key_errors("g") and not key_errors("v")


def test_bundled_files_point_at_the_shipped_schema() -> None:
    for path in ATIS_DIR.glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../{SCHEMA_FILE_NAME}", path
        assert (path.parent / ".." / SCHEMA_FILE_NAME).resolve() == SHIPPED.resolve()


def test_atelier_schema_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", str(tmp_path)]) == 0
    written = tmp_path / SCHEMA_FILE_NAME
    assert written.read_text(encoding="utf-8") == schema_text()
    out = capsys.readouterr().out
    assert str(written) in out and "yaml-language-server: $schema=" in out


def test_atelier_schema_on_a_missing_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", str(tmp_path / "absent")]) == 2
    assert "introuvable" in capsys.readouterr().err
