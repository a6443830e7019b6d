"""Writing YAML (:func:`dump_yaml`), for session files, rescue copies and imported quizzes.

Files that read and diff well: block style, keys in the order given, accents and emoji as they
are, multi-line text as ``|`` blocks, no folding of long lines. A string that a ``|`` block
cannot carry exactly (trailing spaces, tabs, CR, unusual line breaks) is left to the emitter,
which quotes it: exact round-trip beats looks. libyaml's dumper is used when it is there.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import yaml

from atelier.store.yaml_read import HAS_LIBYAML

_FastDumperBase: type[Any] = yaml.CSafeDumper if HAS_LIBYAML else yaml.SafeDumper

_STR_TAG = "tag:yaml.org,2002:str"

# Wide enough that no scalar is ever folded (libyaml needs a C int).
_NO_FOLD_WIDTH = 2**31 - 1

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
