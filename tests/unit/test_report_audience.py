"""The participants' report is the default and safe to forward: dated by the session's day,
numbered from 1, quiz and explanations first, no private note; ``private`` adds them back."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser

import pytest

from atelier.domain.content import Workshop
from atelier.domain.session import SessionRecord
from atelier.report import model as m
from atelier.report import render_html, render_markdown
from tests.data.sample_session import PROJECTS, build_sample_record

FACILITATOR_NOTE = "vidéoprojecteur capricieux"


def _md_plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown.replace("\\\n", "\n"))


def _html_plain(page: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _free_note_lines(record: SessionRecord) -> list[str]:
    """A line of each project's « Notes libres » that appears nowhere else in the record."""
    lines = []
    for project in record.projects:
        if project.pitch.free_notes.strip():
            lines.append(project.pitch.free_notes.strip().splitlines()[0])
    return lines


def _shifted(record: SessionRecord, days: int) -> SessionRecord:
    """The same morning, played ``days`` later."""
    shift = timedelta(days=days)
    copy = record.model_copy(deep=True)
    copy.created_at += shift
    copy.updated_at += shift
    for entry in copy.step_log:
        entry.started_at += shift
        if entry.ended_at is not None:
            entry.ended_at += shift
    return copy


def test_the_report_carries_the_day_the_session_ran(atis: Workshop) -> None:
    record = _shifted(build_sample_record(atis), 14)  # content dated 19/05/2020
    markdown = render_markdown(atis, record)
    assert "- **Date** : 02/06/2020" in markdown
    assert "19/05/2020" not in markdown
    page = render_html(atis, record)
    assert "<dt>Date</dt><dd>02/06/2020</dd>" in page
    assert "19/05/2020" not in page
    assert m.build_report(atis, record, record.projects[0].id).facts[0] == ("Date", "02/06/2020")


def test_no_private_note_in_the_default_report(atis: Workshop) -> None:
    record = build_sample_record(atis)
    free = _free_note_lines(record)
    assert free
    outputs = {
        "md": _md_plain(render_markdown(atis, record)),
        "html": _html_plain(render_html(atis, record)),
    }
    for project in record.projects:
        outputs[f"md {project.id}"] = _md_plain(render_markdown(atis, record, project.id))
        outputs[f"html {project.id}"] = _html_plain(render_html(atis, record, project.id))
    for name, text in outputs.items():
        assert FACILITATOR_NOTE not in text, name
        assert m.HEADING_FACILITATOR_NOTES not in text, name
        assert m.HEADING_FREE_NOTES not in text, name
        for line in free:
            assert " ".join(line.split()) not in text, (name, line)
        # Nor the facilitator's timings.
        assert m.HEADING_PROGRAMME not in text and m.HEADING_PHASES not in text, name


def test_private_notes_with_prive(atis: Workshop) -> None:
    record = build_sample_record(atis)
    for text in (
        _md_plain(render_markdown(atis, record, private=True)),
        _html_plain(render_html(atis, record, private=True)),
    ):
        assert FACILITATOR_NOTE in text
        assert m.HEADING_FREE_NOTES in text and m.HEADING_PROGRAMME in text
        for line in _free_note_lines(record):
            assert " ".join(line.split()) in text
    one = _md_plain(render_markdown(atis, record, record.projects[0].id, private=True))
    assert _free_note_lines(record)[0] in one
    assert _free_note_lines(record)[1] not in one  # still only that project
    assert FACILITATOR_NOTE not in one  # the session's notes are never in a project's report


def test_participants_first_quiz_with_explanations_then_projects(atis: Workshop) -> None:
    record = build_sample_record(atis)
    markdown = render_markdown(atis, record)
    quiz = markdown.index(f"## {m.HEADING_QUIZ}")
    projects = markdown.index(f"## {m.HEADING_PROJECTS}")
    spread = markdown.index(f"## {m.HEADING_SPREAD}")
    assert markdown.index("- **Session**") < quiz < projects < spread
    assert atis.quiz is not None
    explained = [item for item in atis.quiz.items if item.explanation]
    assert explained
    plain = _md_plain(markdown)
    for item in explained:
        assert item.explanation is not None
        first_words = " ".join(item.explanation.replace("**", "").split()[:6])
        assert first_words in " ".join(plain.replace("**", "").split())
    page = render_html(atis, record)
    assert page.index('id="quiz"') < page.index('id="projets"') < page.index('id="spread"')
    assert '<div class="explanation"><p>' in page and "<strong>" in page


def test_pitch_round_is_numbered_from_one(atis: Workshop) -> None:
    record = build_sample_record(atis)
    for index, project in enumerate(record.projects[:3]):
        project.pitch.order = index  # what the pitch screen stores: 0, 1, 2
    markdown = render_markdown(atis, record)
    assert "passage n° 0" not in markdown
    for rank in (1, 2, 3):
        assert f"passage n° {rank}" in markdown


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


@pytest.mark.parametrize("private", [False, True])
def test_headings_never_skip_a_level(atis: Workshop, mini: Workshop, private: bool) -> None:
    for workshop in (atis, mini):
        record = build_sample_record(workshop)
        for project in (None, record.projects[0].id):
            parser = _Headings()
            parser.feed(render_html(workshop, record, project, private=private))
            levels = parser.levels
            assert levels[0] == 1
            for before, after in zip(levels, levels[1:], strict=False):
                assert after <= before + 1, levels
            md = render_markdown(workshop, record, project, private=private)
            md_levels = [len(h) for h in re.findall(r"^(#+) ", md, re.MULTILINE)]
            for before, after in zip(md_levels, md_levels[1:], strict=False):
                assert after <= before + 1, md_levels


def test_every_html_table_has_a_caption_and_row_headers(atis: Workshop) -> None:
    record = build_sample_record(atis)
    page = render_html(atis, record, private=True)
    tables = re.findall(r"<table.*?</table>", page)
    assert len(tables) > 10
    for table in tables:
        assert "<caption>" in table
        assert '<th scope="row"' in table


def test_signatures_stay_in_their_project(atis: Workshop) -> None:
    record = build_sample_record(atis)
    for index, project in enumerate(record.projects):
        text = _md_plain(render_markdown(atis, record, project.id, private=True))
        for other, spec in enumerate(PROJECTS):
            assert (spec["signature"] in text) == (other == index)
