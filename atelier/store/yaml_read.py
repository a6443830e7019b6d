"""Reading YAML, shared by the content loader and the session store.

Reading goes bytes → strict UTF-8 (a BOM is fine) → compose a node tree → refuse duplicate keys
→ construct. The node tree is kept so that a pydantic error ``loc`` can be turned into a
``file:line:col`` (:mod:`atelier.store.yaml_problems`). Every failure is raised as the
caller's error class (``ContentError`` for content, ``SessionError`` for sessions) carrying a
:class:`~atelier.errors.Problem` with the position and a French explanation.

YAML 1.1's traps are said here too: a plain value read as a boolean, a date, an octal or a
base-60 number where the author meant text or another number (:func:`yaml11_reading`,
:func:`surprising_numbers`).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from atelier.errors import AtelierError, BadInputError, Problem

HAS_LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False))

_FastLoader: type[Any] = yaml.CSafeLoader if HAS_LIBYAML else yaml.SafeLoader

_STR_TAG = "tag:yaml.org,2002:str"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_NULL_TAG = "tag:yaml.org,2002:null"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"


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
