"""French punctuation never starts a line: a no-break space before « : ; ! ? » and inside « ».

``french_spacing`` puts U+00A0 where French typography wants it (it replaces an ordinary
space, so offsets and spans do not move). Rich and Textual break lines at any Unicode
whitespace, the no-break space included (``\\s`` matches it), so ``keep_no_break_spaces``
narrows their word patterns to break at breakable spaces only. Both patterns are module
globals read at each call; ``tests/tui/test_typography.py`` checks the result on real wrapping,
so a Textual or Rich release that changes them fails a test instead of breaking lines silently.
"""

from __future__ import annotations

import re

NO_BREAK = "\u00a0\u202f"
"""No-break space and narrow no-break space: they join, never break."""

_BEFORE = re.compile(r"[ \t]+([:;!?»])")
_AFTER = re.compile(r"«[ \t]+")
_BREAKABLE = rf"[^\S{NO_BREAK}]"
_SOLID = rf"(?:\S|[{NO_BREAK}])"


def french_spacing(text: str) -> str:
    """« Source : INSEE » → ``«\\u00a0Source\\u00a0:\\u00a0INSEE\\u00a0»`` (spaces that were
    there become no-break; none is added where there was none, so lengths rarely change:
    several spaces become one)."""
    if not any(mark in text for mark in ":;!?«»"):
        return text
    text = _BEFORE.sub(lambda match: "\u00a0" + match[1], text)
    return _AFTER.sub("«\u00a0", text)


def set_apart(before: str, typed: str) -> bool:
    """Whether text typed after text written earlier (a comment or a note the facilitator
    comes back to) must be set apart from it: ``before`` ends with a word and ``typed``
    starts one. A space typed first is the facilitator's own; a comma, a full stop or a
    closing bracket goes against the word before it."""
    if not before or before[-1].isspace() or not typed:
        return False
    return not typed[0].isspace() and typed[0] not in ",.)]}…"


def keep_no_break_spaces() -> None:
    """Make Rich's and Textual's line breaking keep a no-break space inside its word."""
    import rich._wrap
    import textual._wrap

    rich._wrap.re_word = re.compile(rf"{_BREAKABLE}*{_SOLID}+{_BREAKABLE}*")
    textual._wrap.re_chunk = re.compile(rf"{_SOLID}+{_BREAKABLE}*|{_BREAKABLE}+")
