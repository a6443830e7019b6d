"""Where a problem is in a YAML file and what it means, said in French.

A pydantic error ``loc`` is followed through the file's node tree (:func:`node_at`, with a
:class:`NodeIndex` so that thousands of errors stay linear) to a ``file:line:col``, and said
the way an author counts (:func:`describe_location`: « 3e étape du programme › start »).
:func:`pydantic_problems` turns a ``ValidationError`` into located
:class:`~atelier.errors.Problem` items with French messages (unknown fields with a guess,
identifiers with a value that would fit, YAML 1.1 readings explained).
"""

from __future__ import annotations

import difflib
import re
import types
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from atelier.errors import MoreProblems, Problem
from atelier.store.yaml_read import yaml11_hint, yaml11_reading

Location = tuple[str | int, ...]


class NodeIndex:
    """Key lookups in a node tree, each mapping indexed once.

    Locating thousands of errors (a file with 20,000 unknown keys) by scanning a mapping per
    error is quadratic; with the index every lookup is a dict access, so reporting stays
    linear in the size of the file."""

    def __init__(self) -> None:
        self._maps: dict[int, dict[str, tuple[Node, Node]]] = {}

    def lookup(self, node: MappingNode, key: str) -> tuple[Node, Node] | None:
        table = self._maps.get(id(node))
        if table is None:
            table = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode):
                    table.setdefault(key_node.value, (key_node, value_node))
            self._maps[id(node)] = table
        return table.get(key)


def _walk(
    root: Node, loc: Sequence[str | int], index: NodeIndex | None = None
) -> tuple[Node, Node, bool]:
    """Follow ``loc`` from ``root``: (value node reached, node to point at, whole loc found).

    Mapping steps point at the key (a block value starts on the next line); sequence steps at
    the item. When a step is not found, stop at the deepest node reached."""
    index = index if index is not None else NodeIndex()
    node: Node = root
    pointer: Node = root
    for part in loc:
        if part == "[key]":
            return node, pointer, True
        if isinstance(node, MappingNode):
            match = index.lookup(node, str(part))
            if match is None:
                return node, pointer, False
            pointer, node = match
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return node, pointer, False
            node = pointer = node.value[part]
        else:
            return node, pointer, False
    return node, pointer, True


def node_at(
    root: Node, loc: Sequence[str | int], index: NodeIndex | None = None
) -> tuple[int, int]:
    """1-based ``(line, column)`` of what ``loc`` names, or of its deepest existing parent.

    Pass the same ``index`` for many lookups in one tree (linear time)."""
    _node, pointer, _found = _walk(root, loc, index)
    return pointer.start_mark.line + 1, pointer.start_mark.column + 1


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _model_at(model: type[BaseModel] | None, loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at ``loc`` under ``model``, if known."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
            continue
        origin = get_origin(current)
        args = get_args(current)
        if origin in (list, tuple, set, frozenset) or (
            isinstance(origin, type) and issubclass(origin, Sequence) and origin is not str
        ):
            current = args[0] if args else None
        elif isinstance(origin, type) and issubclass(origin, Mapping):
            current = args[1] if len(args) == 2 else None
        else:
            return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


# What an item of a list is called, by the key of the list: positions are said the way an
# author counts (« affirmation 2 », « 3e étape du programme »), from 1.
_ITEM_NOUNS: dict[str, str] = {
    "programme": "étape du programme",
    "items": "affirmation",
    "answers": "réponse",
    "slides": "page",
    "intro": "page d'introduction",
    "levels": "niveau",
    "dimensions": "dimension",
    "criteria": "critère",
    "phases": "phase",
    "prompts": "question",
    "pitch_prompts": "question du pitch",
    "feedback_categories": "catégorie de retours",
    "objectives": "objectif",
    "resources": "ressource",
    "bullets": "puce",
    "numbered": "point numéroté",
    "definitions": "définition",
    "cards": "carte",
    "people": "personne",
    "examples": "exemple",
    "initiatives": "initiative",
    "projects": "projet",
    "project_order": "projet listé",
    "step_log": "entrée du journal des étapes",
}
_ORDINAL_NOUNS = frozenset({"programme"})


def _ordinal(number: int) -> str:
    return "1re" if number == 1 else f"{number}e"


def describe_location(
    loc: Sequence[str | int], root: Node | None = None, index: NodeIndex | None = None
) -> str:
    """``("programme", 2, "start")`` → « 3e étape du programme (id: positionnement) › start ».

    Keys stay as the author wrote them; list positions count from 1 and name what the item
    is, with its id when it has one (read from ``root``, the file's node tree)."""
    index = index if index is not None else NodeIndex()
    parts: list[str] = []
    node: Node | None = root
    for position, part in enumerate(loc):
        if part == "[key]":
            continue
        if isinstance(part, int):
            list_key = str(loc[position - 1]) if position else ""
            noun = _ITEM_NOUNS.get(list_key)
            if noun is None:
                text = f"élément {part + 1}"
            elif list_key in _ORDINAL_NOUNS:
                text = f"{_ordinal(part + 1)} {noun}"
            else:
                text = f"{noun} {part + 1}"
            if noun is not None and parts and parts[-1] == list_key:
                parts.pop()  # « affirmation 2 » says it: no « items › » before it
            item = None
            if isinstance(node, SequenceNode) and 0 <= part < len(node.value):
                item = node.value[part]
            if isinstance(item, MappingNode):
                found = index.lookup(item, "id")
                if found is not None and isinstance(found[1], ScalarNode) and found[1].value:
                    text += f" (id: {found[1].value})"
            parts.append(text)
            node = item
        else:
            parts.append(str(part))
            found = index.lookup(node, str(part)) if isinstance(node, MappingNode) else None
            node = found[1] if found is not None else None
    return " › ".join(parts)


DETAILED_PROBLEMS = 1000
"""Validation errors located and explained one by one; more are only counted (only the first
few are printed anyway, and explaining a million unknown keys would take minutes)."""

_TYPE_MESSAGES: dict[str, str] = {
    "string_type": "un texte est attendu",
    "int_type": "un nombre entier est attendu",
    "int_parsing": "un nombre entier est attendu",
    "int_from_float": "un nombre entier est attendu (pas de décimales)",
    "float_type": "un nombre est attendu",
    "float_parsing": "un nombre est attendu",
    "bool_type": "oui ou non (true / false) est attendu",
    "bool_parsing": "oui ou non (true / false) est attendu",
    "model_type": "un bloc de champs « clé: valeur » est attendu ici",
    "model_attributes_type": "un bloc de champs « clé: valeur » est attendu ici",
    "dict_type": "un bloc « clé: valeur » est attendu ici",
    "list_type": "une liste (lignes commençant par « - ») est attendue ici",
    "datetime_type": "une date et heure est attendue (ex. 2020-05-19T09:40:00+02:00)",
    "datetime_parsing": "date et heure illisibles (ex. 2020-05-19T09:40:00+02:00)",
    "datetime_from_date_parsing": "date et heure illisibles (ex. 2020-05-19T09:40:00+02:00)",
    "date_type": "une date est attendue (ex. 2020-05-19)",
    "date_parsing": "date illisible (ex. 2020-05-19)",
    "date_from_datetime_parsing": "date illisible (ex. 2020-05-19)",
    "time_type": "une heure est attendue (ex. 09:40)",
    "time_parsing": "heure illisible (ex. 09:40)",
    "string_too_short": "ce texte est trop court",
    "string_too_long": "ce texte est trop long",
    "too_short": "cette liste est trop courte",
    "too_long": "cette liste est trop longue",
    "none_required": "aucune valeur n'est attendue ici",
}


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
KEY_PATTERN = r"^[a-z0-9]$"


def suggest_identifier(text: str) -> str:
    """« Étape 3 : Pitch » → ``etape-3-pitch``: what an author probably meant as an id."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-_") or "mon-id"


def _pattern_message(value: str, pattern: str) -> str:
    """A pattern error said in words, with a value that would fit."""
    if pattern == IDENTIFIER_PATTERN:
        return (
            f"« {value} » ne peut pas servir d'identifiant : un identifiant s'écrit en lettres "
            "minuscules sans accent, chiffres, « - » et « _ », sans espace, et commence par une "
            f"lettre ou un chiffre ; par exemple « {suggest_identifier(value)} »"
        )
    if pattern == KEY_PATTERN:
        fix = value.lower() if len(value) == 1 and value.lower() != value else "v"
        return (
            f"« {value} » ne peut pas servir de touche : une seule lettre minuscule sans accent "
            f"ou un chiffre est attendue, comme « {fix} »"
        )
    return f"« {value} » n'a pas la forme attendue (motif {pattern})"


def _french_message(error: Mapping[str, Any], allowed: list[str] | None) -> str:
    kind = str(error.get("type", ""))
    loc: Sequence[str | int] = error.get("loc", ())
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    name = str(loc[-1]) if loc else ""
    if kind == "missing":
        return f"champ obligatoire manquant : {name} ; ajoutez la ligne « {name}: … »"
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "ce texte est vide"
    if kind == "extra_forbidden":
        permitted = f" ; champs permis : {', '.join(allowed)}" if allowed else ""
        close = difflib.get_close_matches(name, allowed or [], n=1, cutoff=0.75)
        guess = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
        return f"champ inconnu « {name} »{guess}{permitted}"
    if kind in {"value_error", "assertion_error"}:
        cause = ctx.get("error")
        return str(cause) if cause is not None else str(error.get("msg", ""))
    if kind in {"enum", "literal_error"}:
        expected = str(ctx.get("expected", "")).replace(" or ", " ou ")
        return f"valeur « {error.get('input')} » inconnue ; valeurs permises : {expected}"
    if kind == "string_pattern_mismatch":
        return _pattern_message(str(error.get("input")), str(ctx.get("pattern", "")))
    bounds = {
        "greater_than": "doit être supérieur à {gt}",
        "greater_than_equal": "doit être supérieur ou égal à {ge}",
        "less_than": "doit être inférieur à {lt}",
        "less_than_equal": "doit être inférieur ou égal à {le}",
    }
    if kind in bounds:
        try:
            return bounds[kind].format(**{key: _number(value) for key, value in ctx.items()})
        except (KeyError, IndexError):
            return str(error.get("msg", ""))
    return _TYPE_MESSAGES.get(kind, str(error.get("msg", "")))


def pydantic_problems(
    exc: ValidationError,
    root_node: Node | None,
    path: Path | None,
    *,
    model: type[BaseModel] | None = None,
    top_level_fields: Iterable[str] | None = None,
    loc_prefix: Location = (),
    limit: int = DETAILED_PROBLEMS,
    errors: Sequence[Any] | None = None,
    index: NodeIndex | None = None,
) -> list[Problem]:
    """Each pydantic error of ``exc`` as a located :class:`Problem` with a French message.

    ``model`` (the model that was validated) lets an unknown field list the permitted ones;
    ``top_level_fields`` overrides that list at the top level (when the file's top-level keys
    differ a little from the model). ``loc_prefix`` is prepended to each ``loc`` when the data
    validated was a part of the file. Past ``limit`` errors, the rest are only counted (a
    :class:`~atelier.errors.MoreProblems` at the end of the list). ``errors`` (the list
    ``exc.errors(include_url=False)``) and ``index`` may be passed when the caller has them."""
    problems: list[Problem] = []
    index = index if index is not None else NodeIndex()
    total = exc.error_count()
    if errors is None:  # the caller may pass exc.errors() it already has (it is costly)
        errors = exc.errors(include_url=False)
    allowed_at: dict[Location, list[str] | None] = {}
    for error in errors[:limit]:
        loc: Location = (*loc_prefix, *error.get("loc", ()))
        line = column = None
        reading = hint = None
        if root_node is not None:
            target, pointer, found = _walk(root_node, loc, index)
            line, column = pointer.start_mark.line + 1, pointer.start_mark.column + 1
            kind = str(error.get("type", ""))
            if found and (kind.endswith("_type") or kind.endswith("_parsing")):
                expects_text = kind == "string_type"
                if expects_text:
                    hint = yaml11_hint(target, error.get("input"), expected_text=True)
                else:
                    reading = yaml11_reading(target, error.get("input"), expected_text=False)
        allowed: list[str] | None = None
        if error.get("type") == "extra_forbidden":
            parent = tuple(error.get("loc", ())[:-1])
            if parent not in allowed_at:
                if not parent and top_level_fields is not None:
                    allowed_at[parent] = list(top_level_fields)
                else:
                    sub = _model_at(model, parent) if model is not None else None
                    allowed_at[parent] = list(sub.model_fields) if sub is not None else None
            allowed = allowed_at[parent]
        message = hint or _french_message(error, allowed)
        if reading:
            message = f"{message} ({reading})"
        field = describe_location(
            loc[:-1] if error.get("type") == "missing" else loc, root_node, index
        )
        problems.append(
            Problem(
                message=f"{field} : {message}" if field else message,
                path=path,
                line=line,
                column=column,
            )
        )
    if total > len(problems):
        problems.append(MoreProblems("", path=path, count=total - len(problems)))
    return problems
