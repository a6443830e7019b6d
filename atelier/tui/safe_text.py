"""User text is text: every name, note and content string the TUI shows goes through here.

Textual reads a ``str`` given to ``Option``, ``SelectionList``, ``Static`` (unless
``markup=False``) or ``notify`` as markup: ``[b]gras[/b]`` turns bold and ``[@click=…]`` is an
action. The projected pages are Markdown: ``*Étoile*`` turns italic, ``<b>`` vanishes as HTML.
So a string that comes from a person (a project's name, its carriers, a note, the session's
name) or from a plain field of the content (a title, a source, a name: the fields the content
guide does not call Markdown) is passed as:

- ``plain(text)``: a ``Content``, which Textual never parses, for widgets and options;
- ``notify(app, message)``: a notification whose message is not parsed;
- ``md(text)``: Markdown that shows exactly ``text`` (one line, as the exports escape it).

Textual's own ``markup.escape`` is not used: it doubles backslashes that its parser then shows
doubled, so ``\\`` would not come back as typed.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from textual.app import App
from textual.content import Content

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~$!&])")
"""Characters that can start Markdown syntax anywhere in a line (``&`` an entity, ``!`` an
image): each is written with a backslash, which CommonMark allows before any punctuation."""
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,31}:")
_LINE_START = re.compile(r"^([-+=>]|\d+(?=[.)]))")
"""What means something only at the start of a line: a list item, a quote, a numbered item."""


def plain(text: str) -> Content:
    """``text`` as it is, for a widget or an option (never read as markup)."""
    return Content(text)


def md(text: str) -> str:
    """``text`` as Markdown that shows it exactly, on one line (line breaks become spaces)."""
    line = " ".join(text.split())
    line = _MARKDOWN_SPECIAL.sub(r"\\\1", line)
    match = _LINE_START.match(line)
    if match:
        end = match.end()
        line = f"{line[:end]}\\{line[end:]}" if line[0].isdigit() else f"\\{line}"
    return line


def url(address: str) -> str:
    """A web address as a Markdown autolink: shown whole, as written, and clickable."""
    address = address.strip()
    if not _SCHEME.match(address):
        return md(address)
    # spaces and the like percent-encoded: one word, the way a browser shows it
    return "<" + quote(address, safe=_URL_SAFE) + ">"


def unescape_md(text: str) -> str:
    """What ``md`` escaped, back as typed (a page title drawn in block letters)."""
    return _ESCAPED.sub(r"\1", text)


def md_cell(text: str) -> str:
    """``md`` for a table cell: ``|`` is escaped too (it is, by ``md``)."""
    return md(text)


def notify(app: App[Any], message: str, **kwargs: Any) -> None:
    """``app.notify`` with a message that holds a name or a path: shown as typed."""
    app.notify(message, markup=False, **kwargs)
