"""Search every note of a saved session: what ``/`` finds in ``atelier review``.

Pure: built from the report model, so the search sees exactly the texts the report prints, each
with its project and the field it was typed in. Matching ignores case and accents (« epicerie »
finds « Épicerie »), and gives back positions in the original text so a screen can highlight
the words as they were typed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from atelier.report import model as m

FIELD_NAME = "Nom du projet"
FIELD_SEPARATOR = " — "
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class NoteField:
    """One text of the session: where it belongs (a project, or None for the facilitator's
    notes), what it is (French label), and the text."""

    project: m.ProjectReport | None
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class NoteMatch:
    """A field where the query occurs; ``spans`` are (start, end) in ``field.text``."""

    field: NoteField
    spans: tuple[tuple[int, int], ...]

    def snippet(self, width: int = 70) -> tuple[str, str, str]:
        """(before, match, after) around the first occurrence, on one line, about ``width``
        characters long, with « … » where the text was cut."""
        start, end = self.spans[0]
        text = self.field.text
        hit = _one_line(text[start:end])
        room = max(width - len(hit), 10)
        lead = room // 3
        before = _one_line(text[max(0, start - lead) : start])
        if start - lead > 0:
            # Cut at a word boundary, never in the middle of a word.
            space = before.find(" ")
            before = ELLIPSIS + (before[space + 1 :] if 0 <= space < len(before) - 1 else before)
        stop = end + room - len(before)
        after = _one_line(text[end:stop])
        if stop < len(text):
            space = after.rfind(" ")
            after = (after[:space] if space > 0 else after).rstrip() + ELLIPSIS
        return before, hit, after


def _one_line(text: str) -> str:
    return " ".join(text.replace("\r", "\n").split("\n")).replace("\t", " ")


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` without case, accents and runs of white space, and for each folded character
    the index of the original character it came from (plus ``len(text)`` at the end)."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():  # a run of spaces, tabs or line breaks is one space
            if folded and folded[-1] == " ":
                continue
            base = " "
        elif char.isascii():
            base = char.lower()
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        folded.append(base)
        origin.extend([index] * len(base))
    origin.append(len(text))
    return "".join(folded), origin


def fold_query(query: str) -> str:
    return _fold(query.strip())[0]


def note_fields(report: m.Report) -> tuple[NoteField, ...]:
    """Every text a person typed in the session, in report order: for each project its name,
    carriers, criterion comments, improvement axes, pitch preparation, feedback and free notes;
    then the facilitator's notes."""
    fields: list[NoteField] = []
    for project in report.projects:

        def add(label: str, text: str, project: m.ProjectReport = project) -> None:
            if text.strip():
                fields.append(NoteField(project, label, text))

        add(FIELD_NAME, project.project.name)
        add(m.LABEL_CARRIERS, project.project.carriers)
        if project.profile is not None:
            for row in project.profile.rows:
                add(f"{m.COL_COMMENT}{FIELD_SEPARATOR}{row.criterion.name}", row.comment)
        add(project.axes_heading, project.improvement_axes)
        for answer in project.pitch_prep:
            prompt = answer.prompt_text
            if answer.prompt_id != answer.prompt_text:
                prompt = f"{answer.prompt_id}) {prompt}"
            add(f"{project.pitch_prep_heading}{FIELD_SEPARATOR}{prompt}", answer.answer)
        for note in project.pitch.notes:
            add(f"{m.HEADING_FEEDBACK}{FIELD_SEPARATOR}{note.label}", note.text)
        add(m.HEADING_FREE_NOTES, project.pitch.free_notes)
    if report.facilitator_notes.strip():
        fields.append(NoteField(None, m.HEADING_FACILITATOR_NOTES, report.facilitator_notes))
    return tuple(fields)


class NoteIndex:
    """The session's texts, folded once, searched on every keystroke."""

    def __init__(self, fields: Iterable[NoteField]) -> None:
        self.fields = tuple(fields)
        self._folded = [_fold(field.text) for field in self.fields]

    @classmethod
    def of_report(cls, report: m.Report) -> NoteIndex:
        return cls(note_fields(report))

    def search(self, query: str) -> list[NoteMatch]:
        """The fields containing ``query`` (case and accents ignored, spaces collapsed), in
        report order; nothing for an empty query."""
        needle = fold_query(query)
        if not needle:
            return []
        matches = []
        for field, (folded, origin) in zip(self.fields, self._folded, strict=True):
            spans = []
            at = folded.find(needle)
            while at != -1:
                spans.append((origin[at], origin[at + len(needle) - 1] + 1))
                at = folded.find(needle, at + len(needle))
            if spans:
                matches.append(NoteMatch(field, tuple(spans)))
        return matches
