"""The JSON Schema of workshop files, for editors that complete and check YAML as one types.

Generated from the content models (:mod:`atelier.domain.content`): French descriptions,
examples, the step kinds as an enum. A copy ships with the bundled workshops
(``content/atelier.schema.json``) and ``atelier schema DOSSIER`` writes one next to a
workshop; each YAML file points at it with a first line that VS Code (extension « YAML »),
Neovim, Helix, Zed, … read through yaml-language-server::

    # yaml-language-server: $schema=atelier.schema.json

Relative paths in that line are resolved from the YAML file's own folder.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode
from pydantic_core import CoreSchema

from atelier.domain.content import Workshop
from atelier.errors import BadInputError

SCHEMA_FILE_NAME = "atelier.schema.json"


def modeline(schema_path: str = SCHEMA_FILE_NAME) -> str:
    """The comment line that tells editors which schema checks a YAML file."""
    return f"# yaml-language-server: $schema={schema_path}"


class _Generator(GenerateJsonSchema):
    """pydantic's generator, plus the ``$schema`` key it does not emit (draft 2020-12), and
    without the English titles it derives from field names (the descriptions say it)."""

    def generate(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> Any:
        generated = super().generate(schema, mode=mode)
        return {"$schema": self.schema_dialect, **generated}

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def content_schema() -> dict[str, Any]:
    """The schema of one workshop file.

    A workshop folder may split its top-level keys across several files, so no key is
    required in a single file: ``atelier validate`` checks that the folder has them all."""
    schema: dict[str, Any] = Workshop.model_json_schema(
        mode="validation", schema_generator=_Generator
    )
    required = schema.pop("required", [])
    schema["title"] = "Fichier d'atelier (atelier)"
    schema["description"] = (
        "Une partie (ou tout) d'un atelier : ses clés de premier niveau. Le dossier doit "
        f"avoir en tout {', '.join(required)} ; chaque clé dans un seul fichier. "
        "Guide : content/README.md ; vérification complète : atelier validate DOSSIER."
    )
    return schema


def schema_text() -> str:
    """The schema as written to disk: indented, accents as they are, a final newline."""
    return json.dumps(content_schema(), ensure_ascii=False, indent=2) + "\n"


def write_schema(folder: Path) -> Path:
    """Write ``atelier.schema.json`` into ``folder`` (atomically); return its path."""
    if not folder.is_dir():
        raise BadInputError(
            f"{folder} : dossier introuvable ; donnez le dossier de l'atelier "
            "(par exemple content/mon-atelier)."
        )
    target = folder / SCHEMA_FILE_NAME
    write_text_atomically(target, schema_text())
    return target


def write_text_atomically(target: Path, text: str) -> None:
    """``text`` into ``target`` through a temporary file renamed over it: a reader never sees
    half a file, and a failure leaves the previous file as it was."""
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise BadInputError(
            f"{target} : écriture impossible ({exc.strerror}) ; vérifiez le dossier et ses droits."
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise BadInputError(
            f"{target} : écriture impossible ({exc.strerror}) ; rien n'a été remplacé."
        ) from None
