"""YAML in and out, shared by the content loader and the session store.

Reading goes bytes → strict UTF-8 (a BOM is fine) → compose a node tree → refuse duplicate keys
→ construct. The node tree is kept so that a pydantic error ``loc`` can be turned into a
``file:line:col`` (:func:`node_at`, :func:`pydantic_problems`). Every failure is raised as the
caller's error class (``ContentError`` for content, ``SessionError`` for sessions) carrying a
:class:`~atelier.errors.Problem` with the position and a French explanation.

Writing (:func:`dump_yaml`) gives files that read and diff well: block style, keys in the order
given, accents and emoji as they are, multi-line text as ``|`` blocks, no folding of long lines.
A string that a ``|`` block cannot carry exactly (trailing spaces, tabs, CR, unusual line
breaks) is left to the emitter, which quotes it: exact round-trip beats looks.
"""

from __future__ import annotations

import codecs
import difflib
import io
import re
import types
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from atelier.errors import AtelierError, BadInputError, MoreProblems, Problem

Location = tuple[str | int, ...]

HAS_LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False))

_FastLoader: type[Any] = yaml.CSafeLoader if HAS_LIBYAML else yaml.SafeLoader
_FastDumperBase: type[Any] = yaml.CSafeDumper if HAS_LIBYAML else yaml.SafeDumper

_STR_TAG = "tag:yaml.org,2002:str"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_NULL_TAG = "tag:yaml.org,2002:null"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"

# Wide enough that no scalar is ever folded (libyaml needs a C int).
_NO_FOLD_WIDTH = 2**31 - 1

# ---------------------------------------------------------------------------------------------
# Dumping
# ---------------------------------------------------------------------------------------------

# Characters that must never sit raw inside a ``|`` block: control characters (tab and CR
# included), C1 controls (NEL U+0085 is a YAML 1.1 line break), the Unicode line/paragraph
# separators, the BOM and lone surrogates.
_NOT_IN_LITERAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")
_ODD_BREAKS = re.compile("[\x85\u2028\u2029\ufeff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _literal_block_ok(text: str) -> bool:
    """Whether ``text`` is multi-line and survives a ``|`` block unchanged."""
    if "\n" not in text or _NOT_IN_LITERAL.search(text):
        return False
    # Trailing spaces on a line are not kept by block scalars; whitespace-only lines are
    # ambiguous with indentation.
    return not any(line != line.rstrip(" ") for line in text.split("\n"))


def _represent_str(dumper: Any, text: str) -> Any:
    if _ODD_BREAKS.search(text):
        # The pure-Python emitter writes NEL / U+2028 / U+2029 raw in plain scalars, where a
        # reader takes them for line breaks: double quotes escape them.
        style: str | None = '"'
    elif _literal_block_ok(text):
        style = "|"
    else:
        style = None
    return dumper.represent_scalar(_STR_TAG, text, style=style)


class _FastDumper(_FastDumperBase):  # type: ignore[misc]
    pass


class _PureDumper(yaml.SafeDumper):
    pass


for _dumper_class in (_FastDumper, _PureDumper):
    _dumper_class.add_representer(str, _represent_str)


def _dump_with(dumper_class: type[Any], data: Any) -> str:
    stream = io.StringIO()
    dumper = dumper_class(
        stream,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=_NO_FOLD_WIDTH,
    )
    try:
        dumper.open()
        dumper.represent(data)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(data, list | tuple):
        for item in data:
            yield from _strings(item)


def _translated(data: Any, table: dict[int, str]) -> Any:
    if isinstance(data, str):
        return data.translate(table)
    if isinstance(data, dict):
        return {_translated(k, table): _translated(v, table) for k, v in data.items()}
    if isinstance(data, list):
        return [_translated(item, table) for item in data]
    if isinstance(data, tuple):
        return tuple(_translated(item, table) for item in data)
    return data


def _stand_ins(data: Any) -> dict[str, str] | None:
    """Characters beyond U+FFFF in ``data`` → private-use characters absent from ``data``.

    libyaml writes characters beyond U+FFFF (emoji) as ``\\U0001F600`` and turns the text into
    one quoted line. Standing in for them with private-use characters (which libyaml writes as
    they are, with the same style decisions) and swapping them back in the output keeps emoji
    readable at libyaml's speed. None when there is nothing to do or no room to do it."""
    astral: set[str] = set()
    private: set[str] = set()
    for text in _strings(data):
        if not text.isascii():
            astral.update(_ASTRAL.findall(text))
            private.update(_PRIVATE_USE.findall(text))
    if not astral:
        return None
    free = (chr(code) for code in range(0xE000, 0xF900) if chr(code) not in private)
    stand_ins: dict[str, str] = {}
    for character in sorted(astral):
        stand_in = next(free, None)
        if stand_in is None:
            return None
        stand_ins[character] = stand_in
    return stand_ins


def dump_yaml(data: Any) -> str:
    """``data`` (plain dicts, lists, str, numbers, bools, None) as readable block-style YAML.

    Keys keep their order; multi-line strings become ``|`` blocks when that is exact; long lines
    are never folded; accents and emoji are written as they are. Uses libyaml when available."""
    if not HAS_LIBYAML:
        return _dump_with(_PureDumper, data)
    stand_ins = _stand_ins(data)
    if stand_ins is None:
        if any(_ASTRAL.search(text) for text in _strings(data)):
            return _dump_with(_PureDumper, data)  # thousands of distinct emoji: no room left
        return _dump_with(_FastDumper, data)
    forth = str.maketrans(stand_ins)
    back = str.maketrans({stand_in: char for char, stand_in in stand_ins.items()})
    return _dump_with(_FastDumper, _translated(data, forth)).translate(back)


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _fail(
    error_class: type[AtelierError],
    path: Path | None,
    message: str,
    line: int | None = None,
    column: int | None = None,
) -> AtelierError:
    problem = Problem(message=message, path=path, line=line, column=column)
    where = f" : {path}" if path is not None else ""
    return error_class(f"fichier YAML illisible{where}", problems=[problem])


def decode_yaml_bytes(
    raw: bytes, path: Path | None = None, *, error_class: type[AtelierError] = BadInputError
) -> str:
    """Strict UTF-8 (with or without BOM); anything else is refused with its position."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _fail(
            error_class,
            path,
            "le fichier est en UTF-16 ; réenregistrez-le en UTF-8",
            line=1,
            column=1,
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex().upper()
        raise _fail(
            error_class,
            path,
            f"le fichier n'est pas en UTF-8 (octet 0x{bad}) ; "
            "réenregistrez-le en UTF-8 depuis votre éditeur",
            line=line,
            column=column,
        ) from None


_TAB_MESSAGE = (
    "erreur de syntaxe YAML : une tabulation sert d'indentation ; "
    "YAML n'accepte que des espaces pour indenter"
)

_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("found undefined alias", "alias « * » sans ancre « & » correspondante"),
    (
        "expected a single document",
        "le fichier contient plusieurs documents (« --- ») ; il n'en faut qu'un",
    ),
    (
        "mapping values are not allowed",
        "« : » inattendu ; un texte contenant « : » doit être "
        "entre guillemets, ou l'indentation est décalée",
    ),
    ("could not find expected ':'", "« : » manquant après une clé, ou guillemet non fermé"),
    (
        "found unexpected end of stream",
        "fin de fichier inattendue ; un guillemet n'est sans doute pas fermé",
    ),
    ("did not find expected key", "clé attendue ; vérifiez l'indentation de cette ligne"),
    (
        "did not find expected '-' indicator",
        "élément de liste attendu ; vérifiez l'indentation et les « - »",
    ),
    (
        "found unknown escape character",
        "séquence « \\ » inconnue entre guillemets doubles ; "
        "utilisez des guillemets simples ou doublez la barre",
    ),
    ("could not determine a constructor", "étiquette « ! » non permise"),
    ("found unhashable key", "une liste ou un bloc ne peut pas servir de clé"),
)


def _syntax_message(exc: yaml.YAMLError, text: str) -> str:
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    mark = getattr(exc, "problem_mark", None)
    if mark is not None and isinstance(exc, yaml.scanner.ScannerError):
        lines = text.split("\n")
        line = lines[mark.line] if mark.line < len(lines) else ""
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "tab" in problem or "\\t" in problem or "\t" in indent:
            return _TAB_MESSAGE
    for needle, hint in _SYNTAX_HINTS:
        if needle in problem or needle in context:
            return f"erreur de syntaxe YAML : {hint}"
    detail = f" ({problem})" if problem else ""
    return f"erreur de syntaxe YAML{detail} ; vérifiez l'indentation et les guillemets"


def _mark_position(exc: yaml.YAMLError) -> tuple[int | None, int | None]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def _position_in(text: str, index: int) -> tuple[int, int]:
    if HAS_LIBYAML:
        # libyaml reports a byte offset in the UTF-8 encoding of the text.
        index = len(text.encode("utf-8")[:index].decode("utf-8", errors="ignore"))
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _scalar_key(loader: Any, node: ScalarNode) -> Any:
    """The Python value a scalar key will have (``yes`` and ``true`` are the same key)."""
    if node.tag == _STR_TAG:
        return node.value
    try:
        return loader.construct_object(node)
    except yaml.YAMLError:
        return (node.tag, node.value)


def _duplicate_keys(loader: Any, root: Node) -> list[tuple[str, ScalarNode, ScalarNode]]:
    """Every key that appears twice in one mapping: (key text, first, repeated)."""
    found: list[tuple[str, ScalarNode, ScalarNode]] = []
    seen_nodes: set[int] = set()
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, MappingNode):
            first_at: dict[Any, ScalarNode] = {}
            for key_node, value_node in node.value:
                stack.append(value_node)
                if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE_TAG:
                    continue
                key = _scalar_key(loader, key_node)
                try:
                    previous = first_at.get(key)
                except TypeError:  # an unhashable key: the constructor reports it
                    continue
                if previous is None:
                    first_at[key] = key_node
                else:
                    found.append((key_node.value, previous, key_node))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return found


_CONSTRUCT_ERRORS = (ValueError, TypeError, AttributeError, OverflowError)
_TAG_NAMES = {
    _TIMESTAMP_TAG: "une date",
    _INT_TAG: "un nombre entier",
    _FLOAT_TAG: "un nombre",
    _BOOL_TAG: "un booléen",
}


def _unconstructible_scalar(root: Node) -> ScalarNode | None:
    constructor = yaml.SafeLoader("")
    stack: list[Node] = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.tag == _STR_TAG:
                continue
            try:
                constructor.construct_object(node)
            except (yaml.YAMLError, *_CONSTRUCT_ERRORS):
                return node
        elif isinstance(node, MappingNode):
            for key_node, value_node in reversed(node.value):
                stack.extend((value_node, key_node))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
    return None


def _bad_scalar_message(node: ScalarNode | None) -> str:
    if node is None:
        return (
            "valeur illisible ; vérifiez les dates et les nombres, ou mettez-les entre guillemets"
        )
    kind = _TAG_NAMES.get(node.tag, f"une valeur {node.tag}")
    return (
        f"« {node.value} » ne peut pas être lu comme {kind} ; "
        f'si c\'est un texte, mettez-le entre guillemets : "{node.value}"'
    )


def parse_yaml_text(
    text: str, path: Path | None = None, *, error_class: type[AtelierError] = BadInputError
) -> tuple[Any, Node]:
    """``text`` as Python data plus its root node (for :func:`node_at`).

    Raises ``error_class`` with ``file:line:col`` for a syntax error, a duplicate key or an
    empty document."""
    loader = _FastLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            line, column = _mark_position(exc)
            raise _fail(error_class, path, _syntax_message(exc, text), line, column) from None
        except yaml.reader.ReaderError as exc:
            line, column = _position_in(text, exc.position)
            raise _fail(
                error_class,
                path,
                f"caractère interdit U+{exc.character:04X} dans le fichier ; supprimez-le",
                line,
                column,
            ) from None
        if root is None:
            raise _fail(error_class, path, "le fichier est vide", 1, 1)
        duplicates = _duplicate_keys(loader, root)
        if duplicates:
            problems = [
                Problem(
                    message=f"clé « {key} » en double (déjà définie ligne "
                    f"{first.start_mark.line + 1}) ; gardez-en une seule",
                    path=path,
                    line=again.start_mark.line + 1,
                    column=again.start_mark.column + 1,
                )
                for key, first, again in sorted(
                    duplicates, key=lambda found: found[2].start_mark.index
                )
            ]
            where = f" : {path}" if path is not None else ""
            raise error_class(f"clés en double{where}", problems=problems)
        try:
            data = loader.construct_document(root)
        except yaml.MarkedYAMLError as exc:
            line, column = _mark_position(exc)
            raise _fail(error_class, path, _syntax_message(exc, text), line, column) from None
        except _CONSTRUCT_ERRORS:
            # PyYAML lets a plain scalar that matches a type's pattern but not its range
            # (2020-13-45, !!int x) escape as a bare ValueError: find it to say where.
            bad = _unconstructible_scalar(root)
            if bad is None:
                raise _fail(error_class, path, _bad_scalar_message(bad), None, None) from None
            line, column = bad.start_mark.line + 1, bad.start_mark.column + 1
            raise _fail(error_class, path, _bad_scalar_message(bad), line, column) from None
    finally:
        loader.dispose()
    return data, root


def load_yaml_text(
    text: str, path: Path | None = None, *, error_class: type[AtelierError] = BadInputError
) -> Any:
    """``text`` as Python data (see :func:`parse_yaml_text`)."""
    data, _root = parse_yaml_text(text, path, error_class=error_class)
    return data


def read_yaml_file(
    path: Path, *, error_class: type[AtelierError] = BadInputError
) -> tuple[Any, Node]:
    """Read ``path`` as bytes, decode strict UTF-8, parse: ``(data, root node)``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _fail(error_class, path, "fichier introuvable") from None
    except IsADirectoryError:
        raise _fail(error_class, path, "c'est un dossier, pas un fichier") from None
    except PermissionError:
        raise _fail(error_class, path, "lecture refusée (permissions du fichier)") from None
    except OSError as exc:
        raise _fail(error_class, path, f"lecture impossible ({exc.strerror})") from None
    text = decode_yaml_bytes(raw, path, error_class=error_class)
    return parse_yaml_text(text, path, error_class=error_class)


# ---------------------------------------------------------------------------------------------
# From a pydantic error location to a line
# ---------------------------------------------------------------------------------------------


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


def _quote_hint(raw: str) -> str:
    escaped = raw.replace("\\", "\\\\").replace('"', '\\"')
    return f'mettez la valeur entre guillemets : "{escaped}"'


def yaml11_reading(node: Node, value: Any, *, expected_text: bool) -> str | None:
    """How YAML 1.1 read a plain scalar that looks like text, when that is a surprise.

    ``yes``/``no``/``on`` → a boolean, ``10:00`` → 600 (base 60), ``012`` → 10 (octal), a
    date. With ``expected_text`` any non-string reading counts (``1.10``, ``42``, ``~``).
    Returns e.g. « YAML a lu « no » comme un booléen », or None."""
    if not isinstance(node, ScalarNode) or node.style:  # plain style: None or "" (libyaml)
        return None
    raw = node.value
    reading: str | None = None
    if node.tag == _BOOL_TAG:
        reading = "un booléen"
    elif node.tag == _INT_TAG:
        digits = raw.lstrip("+-").replace("_", "")
        if ":" in raw:
            reading = f"le nombre {value} (base 60)"
        elif len(digits) > 1 and digits.startswith("0") and digits.isdigit():
            reading = f"le nombre octal {value}"
        elif expected_text:
            reading = "un nombre"
    elif node.tag == _TIMESTAMP_TAG:
        reading = "une date"
    elif expected_text and node.tag == _FLOAT_TAG:
        reading = f"le nombre {value}"
    elif expected_text and node.tag == _NULL_TAG:
        reading = "une valeur vide"
    if reading is None:
        return None
    return f"YAML a lu « {raw or '(rien)'} » comme {reading}"


def yaml11_hint(node: Node, value: Any, *, expected_text: bool) -> str | None:
    """:func:`yaml11_reading` plus the fix: quote the value (or write "" for an empty text)."""
    reading = yaml11_reading(node, value, expected_text=expected_text)
    if reading is None:
        return None
    if getattr(node, "tag", None) == _NULL_TAG:
        return f'{reading} ; écrivez "" pour un texte vide'
    return f"{reading} ; {_quote_hint(str(node.value))}"


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


# A plain value that YAML 1.1 reads as octal (010) or base 60 (1:30), after « key: » or « - ».
_SURPRISING_NUMBER = re.compile(
    rb"(?m)(?::|-)[ \t]+[-+]?(?:0[0-7_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+)[ \t]*(?:#.*)?\r?$"
)


def surprising_numbers(
    root: Node, source: bytes | None = None, *, skip_keys: frozenset[str] = frozenset()
) -> list[tuple[ScalarNode, str]]:
    """Plain numbers YAML 1.1 reads in another base than the author meant.

    ``010`` is octal (8) and ``1:30`` is base 60 (90): a duration written that way would be
    silently wrong, so each is returned with a French message and the fix. Values under a key
    of ``skip_keys`` (times of day, which explain base 60 themselves) are left out. With the
    file's bytes ``source``, a quick search first skips the walk when there is no such number."""
    found: list[tuple[ScalarNode, str]] = []
    if source is not None and _SURPRISING_NUMBER.search(source) is None:
        return found
    stack: list[tuple[Node, str]] = [(root, "")]
    seen: set[int] = set()
    while stack:
        node, key = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key_node, value_node in reversed(node.value):
                name = key_node.value if isinstance(key_node, ScalarNode) else ""
                stack.append((value_node, str(name)))
        elif isinstance(node, SequenceNode):
            stack.extend((item, key) for item in reversed(node.value))
        elif (
            isinstance(node, ScalarNode)
            and node.tag == _INT_TAG
            and not node.style
            and key not in skip_keys
        ):
            raw = node.value
            digits = raw.lstrip("+-").replace("_", "")
            if ":" in raw:
                parts = [int(p or 0) for p in digits.split(":") if p.isdigit() or not p]
                value = 0
                for part in parts:
                    value = value * 60 + part
                found.append(
                    (
                        node,
                        f"YAML lit « {raw} » comme le nombre {value} (base 60) ; écrivez le "
                        "nombre voulu tel quel, par exemple 1.5 pour une minute et demie, ou "
                        f'mettez « "{raw}" » entre guillemets si c\'est un texte',
                    )
                )
            elif len(digits) > 1 and digits.startswith("0") and digits.isdigit():
                try:
                    value = int(digits, 8)
                except ValueError:
                    continue
                meant = digits.lstrip("0") or "0"
                found.append(
                    (
                        node,
                        f"YAML lit « {raw} » comme le nombre octal {value} (un zéro devant "
                        f"change la base) ; écrivez {meant}, sans le zéro, ou "
                        f'« "{raw}" » entre guillemets si c\'est un texte',
                    )
                )
    return found
