"""The search behind ``/`` in ``atelier review``: every note, with its project and field;
case and accents ignored; positions in the text as typed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from atelier.domain.content import Workshop
from atelier.report.model import build_report
from atelier.report.search import NoteField, NoteIndex, fold_query, note_fields
from tests.data.sample_session import PROJECTS, SCRIPT_TAG, build_sample_record


def test_every_text_of_every_project_and_the_facilitator_notes(atis: Workshop) -> None:
    record = build_sample_record(atis)
    fields = note_fields(build_report(atis, record, private=True))
    texts = {field.text for field in fields}
    for project in record.projects:
        typed = {
            project.name,
            project.carriers,
            project.improvement_axes,
            project.pitch.free_notes,
            *project.pitch_prep.values(),
            *project.pitch.notes.values(),
            *(score.comment for score in project.scores.values()),
        }
        assert typed - {""} <= texts
    assert record.facilitator_notes in texts
    assert fields[-1].project is None
    assert all(field.text.strip() for field in fields)  # empty fields are not listed


def test_each_match_knows_its_project_and_field(atis: Workshop) -> None:
    index = NoteIndex.of_report(build_report(atis, build_sample_record(atis), private=True))
    for spec in PROJECTS:
        matches = index.search(spec["signature"])
        assert matches
        assert {m.field.project.project.name for m in matches if m.field.project} == {spec["name"]}
    [match] = index.search("autoréparation")
    assert match.field.project is not None and match.field.project.project.id == "rustine-et-cie"
    assert match.field.label.startswith("Préparation du pitch — b) ")


def test_case_and_accents_are_ignored_spans_point_at_the_original(atis: Workshop) -> None:
    index = NoteIndex.of_report(build_report(atis, build_sample_record(atis), private=True))
    matches = index.search("COTE-COUR")  # the signature of « Habitat partagé Côté Cour »
    assert matches
    for match in matches:
        assert {match.field.text[begin:end] for begin, end in match.spans} == {"Côté-Cour"}
    [match] = index.search("videoprojecteur")
    assert match.field.project is None
    assert match.field.text[slice(*match.spans[0])] == "vidéoprojecteur"
    hits = index.search(SCRIPT_TAG)
    assert hits and all(SCRIPT_TAG in m.field.text for m in hits)
    assert index.search("") == [] and index.search("   ") == []
    assert index.search("pas dans les notes") == []


def test_snippet_is_one_line_around_the_first_occurrence(atis: Workshop) -> None:
    index = NoteIndex.of_report(build_report(atis, build_sample_record(atis), private=True))
    match = next(m for m in index.search("franchise") if m.field.label == "Notes libres")
    before, hit, after = match.snippet(60)
    assert hit == "franchise"
    assert "\n" not in before + hit + after
    assert before.startswith("…") and len(before + hit + after) <= 62
    assert match.field.text[slice(*match.spans[0])] == "franchise"


@given(
    text=st.text(alphabet="aAeéÉèôÔçœßx -\n", max_size=40),
    start=st.integers(0, 40),
    length=st.integers(1, 6),
)
def test_any_slice_of_a_text_is_found_where_it_is(text: str, start: int, length: int) -> None:
    needle = text[start : start + length]
    matches = NoteIndex([NoteField(None, "x", text)]).search(needle)
    if not needle.strip():
        assert matches == []
        return
    assert len(matches) == 1, (text, needle)
    spans = matches[0].spans
    assert spans and all(0 <= begin < end <= len(text) for begin, end in spans)
    # The occurrence that was cut out is among those found (same text, case and accents aside).
    assert any(fold_query(text[begin:end]) == fold_query(needle) for begin, end in spans)
