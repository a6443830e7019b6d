"""The exported reports (atelier.report): every section, escaping, one project alone, no remote
asset — on the sample session, played on three workshops (a Python fixture, ATIS, the mini one)."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest

from atelier.domain.assessment import room_spread
from atelier.domain.content import Resource, Workshop
from atelier.domain.session import CriterionScore, Project, SessionRecord
from atelier.domain.wording import pitch_status
from atelier.errors import BadInputError
from atelier.report import model as m
from atelier.report import render_html, render_markdown
from atelier.report.markdown import escape_cell, escape_text

Renderer = Callable[[Workshop, SessionRecord, str | None], str]
SAMPLE_PATH = Path(__file__).resolve().parents[1] / "data" / "sample_session.py"


def _load_sample() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sample_session", SAMPLE_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sample = _load_sample()


@pytest.fixture(params=["fixture", "atis", "mini"])
def workshop(request: pytest.FixtureRequest) -> Workshop:
    if request.param == "fixture":
        return sample.build_fixture_workshop()
    return request.getfixturevalue(request.param)


@pytest.fixture
def record(workshop: Workshop) -> SessionRecord:
    return sample.build_sample_record(workshop)


@pytest.fixture
def fixture_workshop() -> Workshop:
    return sample.build_fixture_workshop()


def _md_plain(markdown: str) -> str:
    """Markdown with its backslash escapes and hard breaks undone, to look for raw text."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("\\\n", "\n"))


def _section(text: str, start: str, stop: str) -> str:
    begin = text.index(start)
    return text[begin : text.index(stop, begin + len(start))]


# -- the sample itself ----------------------------------------------------------------------------


def test_sample_is_what_the_reports_must_survive(workshop: Workshop, record: SessionRecord) -> None:
    assert len(record.projects) == 4
    assert any(c in p.name for p in record.projects for c in "ÉéèôÔç")
    notes = [
        text
        for p in record.projects
        for text in [p.improvement_axes, p.pitch.free_notes, *p.pitch.notes.values()]
    ]
    joined = "\n".join(notes)
    for needle in ["<script>alert(1)</script>", "&", "«", '"', "*gras*", "# titre", "| pipe |"]:
        assert needle in joined
    assert "`code`" in joined
    assert max(len(text) for text in notes) > 3000
    assert any(text.count("\n\n") >= 3 for text in notes)
    assert workshop.grid is not None
    for project in record.projects:
        assert {c.id for c in workshop.grid.criteria} <= set(project.scores)
    assert any(r.tally for r in record.quiz.values())
    assert any(t.overtime_s > 0 for t in record.phases.values())
    assert any(p.pitch.pitch_timer and p.pitch.pitch_timer.overtime_s for p in record.projects)


def test_sample_round_trips_through_json(record: SessionRecord) -> None:
    again = SessionRecord.model_validate_json(record.model_dump_json())
    assert again == record


# -- every section --------------------------------------------------------------------------------


def _expected_texts(workshop: Workshop, record: SessionRecord) -> list[str]:
    assert workshop.grid and workshop.assessment and workshop.pitch and workshop.quiz
    texts = [
        m.HEADING_PROGRAMME,
        m.HEADING_QUIZ,
        m.HEADING_PHASES,
        m.HEADING_SPREAD,
        m.HEADING_PROFILE,
        workshop.axes_heading,
        workshop.pitch_prep_heading,
        m.HEADING_PITCH,
        m.HEADING_FEEDBACK,
        m.HEADING_FREE_NOTES,
        m.HEADING_FACILITATOR_NOTES,
        workshop.title,
        workshop.organiser,
        record.name,
        *(step.title for step in workshop.programme),
        *(item.statement for item in workshop.quiz.items),
        *(answer.label for answer in workshop.quiz.answers),
        *(phase.name for phase in workshop.assessment.phases),
        *(criterion.name for criterion in workshop.grid.criteria),
        *(level.label for level in workshop.grid.levels),
        *(dimension.name for dimension in workshop.grid.dimensions),
        *(prompt.text for phase in workshop.assessment.phases for prompt in phase.prompts),
        *(category.label for category in workshop.pitch.feedback_categories),
        *(resource.title for resource in workshop.resources),
        *(p.name for p in record.projects),
        *(p.carriers for p in record.projects),
        "+6 min",  # the room started late
        "+20 min",  # and finished later still
        "+23 s",  # the first pitch ran over
        "+1 min 52 s",  # and so did its exchange
        m.format_duration(workshop.assessment.phases[0].minutes * 60 + 90),
        m.TALLY_SOURCE_LABELS[sample.TallySource.VOTES],
        pitch_status(sample.PitchStatus.SKIPPED).label,  # the one table (wording)
    ]
    if workshop.contact:
        texts += [m.HEADING_CONTACT, workshop.contact.name]
    if workshop.licence:
        texts += [m.HEADING_LICENCE, workshop.licence.attribution]
    if workshop.resources:
        texts.append(m.HEADING_RESOURCES)
    return texts


def _quiz_shares(workshop: Workshop, record: SessionRecord) -> list[str]:
    assert workshop.quiz
    shares = []
    for item in workshop.quiz.items:
        result = record.quiz[item.id]
        total = sum(result.tally.values())
        if total:
            shares.append(m.format_percent(result.tally[item.answer] / total))
    return shares


def test_markdown_has_every_section(workshop: Workshop, record: SessionRecord) -> None:
    plain = _md_plain(render_markdown(workshop, record, private=True))
    for text in _expected_texts(workshop, record):
        assert " ".join(text.split()) in plain, text
    for share in _quiz_shares(workshop, record):
        assert share in plain
    assert m.QUIZ_NO_TALLY in plain
    assert record.facilitator_notes.splitlines()[0] in plain


def test_html_has_every_section(workshop: Workshop, record: SessionRecord) -> None:
    page = render_html(workshop, record, private=True)
    text = unescape(re.sub(r"<[^>]+>", " ", page))
    text = " ".join(text.split())
    for expected in _expected_texts(workshop, record):
        assert " ".join(expected.split()) in text, expected
    for share in _quiz_shares(workshop, record):
        assert " ".join(share.split()) in text
    for section in ("programme", "quiz", "phases", "spread", "notes"):
        assert f'<section id="{section}">' in page
    for project in record.projects:
        assert f'id="projet-{project.id}"' in page


def test_programme_planned_and_actual(fixture_workshop: Workshop) -> None:
    record = sample.build_sample_record(fixture_workshop)
    report = m.build_report(fixture_workshop, record)
    first = report.programme[0]
    assert m.format_clock(first.planned_start) == "9h40"
    assert m.format_clock(first.actual_start) == "9h46"
    assert first.delta_minutes == 6
    assert m.format_delta(first.delta_minutes) == "+6 min"
    assert first.planned_minutes == 20
    assert report.end is not None and report.end.delta_minutes == 20


def test_steps_never_entered_show_a_dash(fixture_workshop: Workshop) -> None:
    record = sample.build_sample_record(fixture_workshop)
    record.step_log = record.step_log[:1]
    record.step_log[0].ended_at = None
    report = m.build_report(fixture_workshop, record)
    assert report.programme[1].actual_start is None
    assert report.programme[0].actual_minutes is None  # still running
    assert m.format_delta(report.programme[1].delta_minutes) == "—"
    assert "| 10h00 | — | — |" in render_markdown(fixture_workshop, record, private=True)


def test_formatting_helpers() -> None:
    assert m.format_delta(0) == "à l'heure"
    assert m.format_delta(-3) == "−3 min"
    assert m.format_duration(45) == "45 s"
    assert m.format_duration(125) == "2 min 05 s"
    assert m.format_duration(600) == "10 min"
    assert m.format_duration(3900) == "1 h 05 min"
    assert m.format_overtime(0.4) == "—"
    assert m.format_overtime(70) == "+1 min 10 s"
    assert m.format_percent(2 / 3) == "67\u00a0%"
    assert m.format_level_bar(2, 4) == "■■■□"
    assert m.format_level_bar(None, 3) == "□□□"


# -- escaping -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("*gras* et _souligné_", r"\*gras\* et \_souligné\_"),
        ("# titre", r"\# titre"),
        ("- puce", r"\- puce"),
        ("+ puce", r"\+ puce"),
        ("1. premier", r"1\. premier"),
        ("12) douze", r"12\) douze"),
        ("> citation", r"\> citation"),
        ("===", r"\==="),
        ("<tag> & <b>", r"\<tag\> & \<b\>"),
        ("&amp; &#233;", r"\&amp; &\#233;"),  # « &\# » is no entity any more
        ("| a | b |", r"\| a \| b \|"),
        ("`code`", r"\`code\`"),
        ("[lien](http://x)", r"\[lien\](http://x)"),
        ("C:\\dossier", r"C:\\dossier"),
        ('« guillemets » et "doubles"', '« guillemets » et "doubles"'),
        ("    indenté", "\u00a0\u00a0\u00a0\u00a0indenté"),
    ],
)
def test_escape_text_makes_markdown_characters_literal(raw: str, escaped: str) -> None:
    assert escape_text(raw) == escaped


def test_escape_text_keeps_line_breaks_and_paragraphs() -> None:
    assert escape_text("un\ndeux\n\n\ntrois\r\nquatre  \n") == "un\\\ndeux\n\ntrois\\\nquatre"
    assert escape_text("  \n ") == ""


def test_escape_cell_stays_on_one_line() -> None:
    assert escape_cell("a | b\nc") == r"a \| b<br>c"
    assert escape_cell("") == m.EMPTY_TEXT


def test_markdown_escapes_user_text(workshop: Workshop, record: SessionRecord) -> None:
    markdown = render_markdown(workshop, record)
    assert "<script>" not in markdown
    assert r"\<script\>alert(1)\</script\>" in markdown
    assert "<b>" not in markdown
    assert r"\*gras\*" in markdown and "*gras*" not in markdown.replace(r"\*", "")
    assert r"\`code\`" in markdown
    assert r"\# titre" in markdown
    assert r"\| pipe \|" in markdown
    assert r"\[lien\](http://x.invalid)" in markdown
    # Multi-line notes keep their lines (hard breaks), and their list-like lines stay text.
    assert "Axes pour Panier :\\\n\\- ouvrir le collectif" in markdown
    # The only raw HTML in the Markdown is the line break of a table cell (and the autolink
    # of the contact's address).
    allowed = {"<br>"}
    if workshop.contact and workshop.contact.email:
        allowed.add(f"<{workshop.contact.email}>")
    assert set(re.findall(r"(?<!\\)<[^>]*>", markdown)) <= allowed


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line.replace("\\\\", "")))


def test_markdown_tables_keep_their_columns(workshop: Workshop, record: SessionRecord) -> None:
    lines = render_markdown(workshop, record).splitlines()
    tables = 0
    for index, line in enumerate(lines):
        if line.startswith("| ---") or line.startswith("| :--"):
            tables += 1
            columns = _unescaped_pipes(lines[index - 1])
            assert columns >= 3
            row = index + 1
            while row < len(lines) and lines[row].startswith("|"):
                assert _unescaped_pipes(lines[row]) == columns, lines[row]
                row += 1
    assert tables >= 5


def test_markdown_keeps_the_long_note_whole(workshop: Workshop, record: SessionRecord) -> None:
    long_note = record.projects[0].pitch.free_notes
    assert len(long_note) > 3000
    markdown = render_markdown(workshop, record, private=True)
    assert escape_text(long_note) in markdown
    assert _md_plain(escape_text(long_note)) == long_note


def test_html_escapes_user_text(workshop: Workshop, record: SessionRecord) -> None:
    page = render_html(workshop, record)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>gras</b>" not in page
    assert "&lt;b&gt;gras&lt;/b&gt;" in page
    assert escape("Amélie Durand & Loïc Bérard") in page
    private = render_html(workshop, record, private=True)
    assert escape(record.projects[0].pitch.free_notes.strip()) in private  # whole, breaks kept


def test_html_escapes_project_names_in_titles_and_anchors(fixture_workshop: Workshop) -> None:
    record = sample.build_sample_record(fixture_workshop)
    record.projects[0].name = 'Le "Panier" <i>bio</i> & co'
    page = render_html(fixture_workshop, record, record.projects[0].id)
    assert "<i>bio</i>" not in page
    assert "Le &quot;Panier&quot; &lt;i&gt;bio&lt;/i&gt; &amp; co" in page


# -- HTML: one self-contained, printable page -----------------------------------------------------


class _PageParser(HTMLParser):
    VOID = {"meta", "br", "link", "img", "input", "hr", "wbr", "source", "col"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()


def _parse(page: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(page)
    parser.close()
    return parser


def test_html_is_well_formed(workshop: Workshop, record: SessionRecord) -> None:
    for project_id in (None, record.projects[0].id):
        parser = _parse(render_html(workshop, record, project_id))
        assert parser.errors == []
        assert parser.stack == []


def test_html_is_a_french_utf8_html5_page(workshop: Workshop, record: SessionRecord) -> None:
    page = render_html(workshop, record)
    assert page.startswith("<!DOCTYPE html>\n")
    assert '<html lang="fr">' in page
    assert '<meta charset="utf-8">' in page
    assert "<title>" in page and "<style>" in page


def test_html_prints_on_a4(workshop: Workshop, record: SessionRecord) -> None:
    page = render_html(workshop, record)
    style = _section(page, "<style>", "</style>")
    assert "@page { size: A4; margin: 15mm; }" in style
    # A project starts a page and may flow; a table never splits (test_report_print.py
    # prints it in Chromium).
    assert "break-before: page" in _section(style, ".full section.project {", "}")
    assert "break-inside: avoid" in _section(style, "table {", "}")
    assert "background: #fff; color: #000;" in style
    assert "@media print" in style


def test_html_loads_nothing_from_anywhere(workshop: Workshop, record: SessionRecord) -> None:
    page = render_html(workshop, record)
    parser = _parse(page)
    tags = {tag for tag, _ in parser.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base", "video"}
    style = _section(page, "<style>", "</style>")
    assert "url(" not in style and "@import" not in style
    content_urls = {r.url for r in workshop.resources if r.url}
    if workshop.licence and workshop.licence.url:
        content_urls.add(workshop.licence.url)
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert name != "src"
            if tag == "a" and name == "href":
                assert value in content_urls or (value or "").startswith("mailto:"), value
            else:
                assert "http" not in (value or ""), (tag, name, value)
    # Outside the resource links, an address in the page is text someone typed, escaped.
    rest = page
    for url in content_urls:
        rest = rest.replace(escape(url), "")
    for found in re.findall(r"https?://[^\s<\"']*", rest):
        assert found == "http://x.invalid)", found


def test_html_links_only_to_safe_addresses(fixture_workshop: Workshop) -> None:
    workshop = fixture_workshop.model_copy(
        update={
            "resources": (
                Resource(title="Piège", url="javascript:alert(1)"),
                Resource(title="Guide", url="https://example.org/guide?a=1&b=2"),
            )
        }
    )
    page = render_html(workshop, sample.build_sample_record(workshop))
    assert "javascript:" not in page
    assert '<a href="https://example.org/guide?a=1&amp;b=2">Guide</a>' in page
    assert "Piège" in page


def test_html_profile_is_a_bar_chart_with_labels(fixture_workshop: Workshop) -> None:
    record = sample.build_sample_record(fixture_workshop)
    project = record.projects[0]
    project.scores = {
        "collectif": CriterionScore(level="fort"),
        "beneficiaires": CriterionScore(level="inexistant", progress=True),
    }
    page = render_html(fixture_workshop, record, project.id)
    assert '<span class="fill" style="width: 100.0%"></span>' in page
    assert '<span class="level-label">Fort · 4/4</span>' in page
    assert '<span class="fill" style="width: 25.0%"></span>' in page
    assert '<span class="level-label">Inexistant · 1/4</span>' in page
    assert page.count('class="level unscored"') == 4
    assert f'<span class="level-label">{m.NOT_SCORED}</span>' in page
    assert m.PROGRESS_MARK in page


# -- one project, for its carriers ----------------------------------------------------------------


@pytest.mark.parametrize("render", [render_markdown, render_html])
def test_project_report_holds_that_project_only(
    workshop: Workshop, record: SessionRecord, render: Renderer
) -> None:
    for index, project in enumerate(record.projects):
        output = render(workshop, record, project.id)
        plain = _md_plain(output) if render is render_markdown else unescape(output)
        assert project.name in plain
        assert sample.PROJECTS[index]["signature"] in plain
        for other_index, other in enumerate(record.projects):
            if other is project:
                continue
            assert other.name not in plain
            assert sample.PROJECTS[other_index]["signature"] not in plain
        # No room-wide section either: programme, quiz, spread, the facilitator's notes.
        for heading in (m.HEADING_PROGRAMME, m.HEADING_QUIZ, m.HEADING_SPREAD, m.HEADING_PHASES):
            assert heading not in plain
        assert record.facilitator_notes.splitlines()[0] not in plain
        # But the workshop header and the footer are there.
        assert workshop.title in plain
        assert m.HEADING_PROFILE in plain and m.HEADING_FEEDBACK in plain
        if workshop.resources:
            assert m.HEADING_RESOURCES in plain
        if workshop.licence:
            assert workshop.licence.attribution.split(",")[0] in plain


def test_project_can_be_named_instead_of_identified(fixture_workshop: Workshop) -> None:
    record = sample.build_sample_record(fixture_workshop)
    by_id = render_markdown(fixture_workshop, record, "ressourcerie-chartrons")
    by_name = render_markdown(fixture_workshop, record, "  ressourcerie DES chartrons ")
    assert by_id == by_name


def test_unknown_project_lists_the_projects(fixture_workshop: Workshop) -> None:
    record = sample.build_sample_record(fixture_workshop)
    with pytest.raises(BadInputError) as caught:
        render_html(fixture_workshop, record, "inconnu")
    message = str(caught.value)
    assert "inconnu" in message
    assert "ressourcerie-chartrons" in message
    assert caught.value.exit_code == 2


# -- the room's spread and the profiles in the report ---------------------------------------------


def test_spread_in_reports_is_weakest_first(workshop: Workshop, record: SessionRecord) -> None:
    assert workshop.grid is not None
    spread = room_spread(workshop.grid, record.projects)
    means = [s.mean_index for s in spread if s.mean_index is not None]
    assert means == sorted(means) and len(set(means)) > 1
    names = [s.criterion.name for s in spread]

    markdown = render_markdown(workshop, record)
    table = _md_plain(_section(markdown, f"## {m.HEADING_SPREAD}", "## "))
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows[1:]] == names

    page = render_html(workshop, record)
    section = unescape(_section(page, '<section id="spread">', "</section>"))
    positions = [section.index(f'<th scope="row">{name}</th>') for name in names]
    assert positions == sorted(positions)


def test_profile_with_unscored_criteria(fixture_workshop: Workshop) -> None:
    record = sample.build_sample_record(fixture_workshop)
    project = record.projects[1]
    project.scores = {
        "collectif": CriterionScore(level="faible", comment="à *ouvrir*"),
        "rupture": CriterionScore(level=None, comment="pas d'avis"),
        "territoire": CriterionScore(level="niveau-retire"),
    }
    markdown = render_markdown(fixture_workshop, record, project.id)
    assert "1 critères évalués sur 6" in markdown
    assert markdown.count(f"□□□□ {m.NOT_SCORED}") == 5
    assert "■■□□ Faible (2/4)" in markdown
    assert r"à \*ouvrir\*" in markdown
    assert "pas d'avis" in markdown
    assert "niveau-retire" in markdown  # what the record says is not lost

    spread = m.build_report(fixture_workshop, record).spread
    rupture = next(s for s in spread if s.criterion.id == "rupture")
    assert rupture.unscored == 1 and rupture.scored == 3


# -- edge cases -----------------------------------------------------------------------------------


def test_empty_session_renders(workshop: Workshop, record: SessionRecord) -> None:
    empty = SessionRecord(
        name="vide",
        workshop_id=workshop.id,
        created_at=record.created_at,
        updated_at=record.created_at,
    )
    markdown = render_markdown(workshop, empty)
    assert m.NO_PROJECTS in markdown
    assert m.HEADING_PROGRAMME in render_markdown(workshop, empty, private=True)
    assert m.HEADING_SPREAD not in markdown
    page = render_html(workshop, empty)
    assert m.NO_PROJECTS in unescape(page)
    assert _parse(page).errors == []


def test_minimal_workshop_renders(fixture_workshop: Workshop) -> None:
    bare = fixture_workshop.model_copy(
        update={
            "quiz": None,
            "grid": None,
            "assessment": None,
            "pitch": None,
            "resources": (),
            "contact": None,
            "licence": None,
            "subtitle": None,
            "date": None,
        }
    )
    record = sample.build_sample_record(fixture_workshop)
    record.projects.append(Project(id="seul", name="Seul"))
    markdown = render_markdown(bare, record)
    page = render_html(bare, record)
    for heading in (m.HEADING_QUIZ, m.HEADING_SPREAD, m.HEADING_PROFILE, m.HEADING_RESOURCES):
        assert heading not in markdown
        assert heading not in unescape(page)
    assert "Seul" in markdown and "<footer>" not in page
    # Notes for categories the content no longer has are still shown, under their id.
    assert "retour-pitch" in markdown


def test_reports_are_deterministic(workshop: Workshop, record: SessionRecord) -> None:
    assert render_markdown(workshop, record) == render_markdown(workshop, record)
    assert render_html(workshop, record) == render_html(workshop, record)


def test_practice_sessions_say_so(fixture_workshop: Workshop) -> None:
    record = sample.build_sample_record(fixture_workshop)
    record.practice = True
    assert m.LABEL_PRACTICE in render_markdown(fixture_workshop, record)
    assert m.LABEL_PRACTICE in unescape(render_html(fixture_workshop, record))


def test_a_header_fact_without_a_value_is_left_out_of_both_reports(
    fixture_workshop: Workshop,
) -> None:
    workshop = fixture_workshop.model_copy(update={"organiser": ""})
    record = sample.build_sample_record(workshop)
    assert m.LABEL_ORGANISER not in dict(m.build_report(workshop, record).facts)
    markdown = render_markdown(workshop, record, None)
    html = render_html(workshop, record, None)
    assert f"**{m.LABEL_ORGANISER}**" not in markdown
    assert f"<dt>{m.LABEL_ORGANISER}</dt>" not in html
    assert f"**{m.LABEL_SESSION}** : " in markdown and f"<dt>{m.LABEL_SESSION}</dt>" in html
