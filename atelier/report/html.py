"""The report as one self-contained HTML5 page: inline CSS, no script, no remote asset.

Open it in any browser, mail it, or print it on A4. Every text from a person or from the
content is escaped with :func:`html.escape`; the only addresses in the page are the links to
the content's resources and licence (``http``, ``https`` and ``mailto`` only).

The profile is a bar chart in plain HTML/CSS: each level is drawn by the *length* of its bar
and written out (« Intermédiaire · 3/4 »), so it reads in black and white and without colour.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, time
from html import escape
from urllib.parse import urlsplit

from atelier.domain.assessment import CriterionSpread, ProjectProfile
from atelier.domain.content import Workshop
from atelier.domain.content_quiz import QuizItem
from atelier.domain.session import SessionRecord
from atelier.report import model as m

_SAFE_SCHEMES = {"http", "https", "mailto"}

STYLE = """
@page { size: A4; margin: 15mm; }
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { background: #fff; color: #000; }
body {
  margin: 0 auto; max-width: 60rem; padding: 1.5rem;
  font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
h1 { font-size: 1.6em; margin: 0 0 .2em; }
h2 { font-size: 1.3em; margin: 1.4em 0 .5em; border-bottom: 2px solid #000; }
h3 { font-size: 1.12em; margin: 1.1em 0 .4em; }
h4 { font-size: 1.02em; margin: 1em 0 .3em; border-bottom: 1px solid #888; }
h1, h2, h3, h4, caption, .note-label, .keep-next {
  break-after: avoid; page-break-after: avoid;
}
.keep { break-inside: avoid; page-break-inside: avoid; }
.subtitle { margin: 0 0 .8em; font-style: italic; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table {
  border-collapse: collapse; width: 100%; margin: .4em 0 .8em; font-size: .95em;
  break-inside: avoid; page-break-inside: avoid;
}
caption { text-align: left; font-weight: 600; padding: 0 0 .2em; }
th, td { border: 1px solid #555; padding: .25em .45em; text-align: left; vertical-align: top; }
thead th { background: #eee; }
th[scope=row] { font-weight: normal; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
p, li { orphans: 3; widows: 3; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: .2em 0 .8em; }
.empty { color: #444; font-style: italic; }
.note-label { font-weight: 600; margin: .8em 0 .1em; }
.muted { color: #333; font-size: .92em; }
.quiz-item { margin-bottom: 1em; }
.quiz-item h3 { font-weight: 600; }
.verdict { margin: .2em 0 .4em; }
.explanation p { margin: .2em 0 .5em; }
.examples { margin: .2em 0 .6em; padding-left: 1.2em; }
.examples li { break-inside: avoid; page-break-inside: avoid; margin-bottom: .25em; }
section.project { border-top: 1px solid #000; padding-top: .4em; margin-top: 1.6em; }
.single section.project { border-top: 0; padding-top: 0; margin-top: 1em; }
table.tally { width: auto; min-width: 50%; }
.profile td.criterion, .profile th.criterion { width: 34%; }
.profile td.level { width: 36%; }
.bar { display: flex; align-items: center; gap: .5em; }
.track {
  flex: 0 0 7.5em; height: .9em; border: 1px solid #000; background: #fff;
  position: relative;
}
.fill {
  display: block; height: 100%; background: #333; border-right: 1px solid #000;
}
.level-label { white-space: nowrap; }
.unscored .level-label { font-style: italic; }
.unscored .track { border-style: dashed; }
.progress { font-weight: 700; }
.legend { font-size: .9em; margin: .2em 0 .4em; }
footer { margin-top: 2.5em; border-top: 2px solid #000; }
footer h2 { border: 0; }
a { color: #000; }
.url { overflow-wrap: anywhere; font-size: .9em; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  table { width: calc(100% - 1px); }  /* the right border, otherwise cut at the margin */
  table.tally { width: auto; }
  a { text-decoration: none; }
  /* Each project starts a page (and may flow over the next ones). */
  .full section.project { break-before: page; page-break-before: always; border-top: 0; }
  .full h2#projets { break-before: page; page-break-before: always; }
  .full h2#projets + section.project { break-before: auto; page-break-before: auto; }
  .full #after-projects { break-before: page; page-break-before: always; }
}
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _e_clock(moment: time | datetime | None) -> str:
    return _e(m.format_clock(moment))


def _safe_href(url: str) -> str | None:
    """``url`` if it is a plain web or mail address; None for anything else (``javascript:``,
    a relative path, a typo) so the page never links somewhere surprising."""
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in _SAFE_SCHEMES else None


def _text(text: str) -> str:
    """A person's text: line breaks and paragraphs kept (``pre-wrap``), or « rien de noté »."""
    if not text.strip():
        return f'<p class="text empty">{_e(m.NO_NOTES)}</p>'
    return f'<p class="text">{_e(text.strip())}</p>'


def _class(cls: str) -> str:
    return f' class="{cls}"' if cls else ""


def _cell(text: str, cls: str = "") -> str:
    """A ``<td>``; ``text`` is HTML already escaped."""
    return f"<td{_class(cls)}>{text}</td>"


def _table(
    caption: str,
    header: Iterable[tuple[str, str]],
    rows: Iterable[Iterable[str]],
    cls: str = "",
) -> str:
    """``caption`` is plain text; ``header`` is (escaped text, class) pairs; ``rows`` are
    ready ``<td>``/``<th>`` cells (the first cell of a row is its ``<th scope="row">``)."""
    attr = _class(cls)
    head = "".join(f'<th scope="col"{_class(c)}>{t}</th>' for t, c in header)
    body = "".join(f"<tr>{''.join(row)}</tr>" for row in rows)
    return (
        f"<table{attr}><caption>{_e(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _row_header(text: str, cls: str = "") -> str:
    """A row's header cell; ``text`` is HTML already escaped."""
    return f'<th scope="row"{_class(cls)}>{text}</th>'


def _content_html(text: str) -> str:
    """A text of the workshop's content (an explanation): paragraphs, with the content
    guide's ``**bold**`` and ``*italic*``; everything else escaped."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    out = []
    for paragraph in paragraphs:
        html = _BOLD.sub(r"<strong>\1</strong>", _e(paragraph))
        html = _ITALIC.sub(r"<em>\1</em>", html)
        out.append(f"<p>{html}</p>")
    return "".join(out)


_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", re.DOTALL)


# -- sections ---------------------------------------------------------------------------------


def _header(report: m.Report) -> str:
    out = [f"<header><h1>{_e(m.REPORT_TITLE)} — {_e(report.title)}</h1>"]
    if report.workshop.subtitle:
        out.append(f'<p class="subtitle">{_e(report.workshop.subtitle)}</p>')
    out.append(
        '<dl class="facts">'
        + "".join(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in report.facts)
        + "</dl></header>"
    )
    return "".join(out)


def _programme(report: m.Report) -> str:
    rows = [
        [
            _cell(str(row.step.number) if row.step.number is not None else "", "num"),
            _row_header(_e(row.step.title)),
            _cell(_e_clock(row.planned_start), "num"),
            _cell(_e_clock(row.actual_start), "num"),
            _cell(_e(m.format_delta(row.delta_minutes)), "num"),
            _cell(_e(m.format_minutes(row.planned_minutes)), "num"),
            _cell(_e(m.format_minutes(row.actual_minutes)), "num"),
        ]
        for row in report.programme
    ]
    if report.end is not None:
        end = report.end
        rows.append(
            [
                _cell("", "num"),
                _row_header(_e(m.END_ROW_TITLE)),
                _cell(_e_clock(end.planned), "num"),
                _cell(_e_clock(end.actual), "num"),
                _cell(_e(m.format_delta(end.delta_minutes)), "num"),
                _cell(""),
                _cell(""),
            ]
        )
    header = [
        (_e(m.COL_NUMBER), "num"),
        (_e(m.COL_STEP), ""),
        (_e(m.COL_PLANNED_START), "num"),
        (_e(m.COL_ACTUAL_START), "num"),
        (_e(m.COL_DELTA), "num"),
        (_e(m.COL_PLANNED_DURATION), "num"),
        (_e(m.COL_ACTUAL_DURATION), "num"),
    ]
    return (
        f'<section id="programme"><h2>{_e(m.HEADING_PROGRAMME)}</h2>'
        f"{_table(m.PROGRAMME_CAPTION, header, rows, 'programme')}</section>"
    )


def _quiz_examples(item: QuizItem) -> str:
    if not item.examples:
        return ""
    items = []
    for example in item.examples:
        parts = []
        if example.need is not None:
            need = f"<strong>{_e(example.need.theme)}</strong> : {_e(example.need.text)}"
            if example.need.source:
                need += f" ({_e(example.need.source)})"
            parts.append(need)
        parts += [
            f"<strong>{_e(i.name)}</strong> : {_e(i.description)}" for i in example.initiatives
        ]
        items.append(f"<li>{' → '.join(parts)}</li>")
    intro = item.examples_intro or m.HEADING_QUIZ_EXAMPLES
    return f'<p class="note-label">{_e(intro)}</p><ul class="examples">{"".join(items)}</ul>'


def _quiz(report: m.Report) -> str:
    out = [f'<section id="quiz"><h2>{_e(m.HEADING_QUIZ)}</h2>']
    for row in report.quiz:
        out.append(
            f'<div class="quiz-item"><div class="keep"><h3>{row.number}. '
            f"{_e(row.item.statement)}</h3>"
            f'<p class="verdict"><strong>{_e(m.QUIZ_RIGHT_ANSWER)}</strong> : '
            f"{_e(row.right_symbol)} {_e(row.right_label)}"
        )
        if not row.played:
            out.append(f" — {_e(m.QUIZ_NOT_PLAYED)}")
        elif row.right_share is None:
            out.append(f" — {_e(m.QUIZ_NO_TALLY)}")
        else:
            share = m.QUIZ_RIGHT_SHARE.format(
                percent=m.format_percent(row.right_share), right=row.right_count, total=row.total
            )
            out.append(f" — {_e(share)}")
            if row.source is not None:
                out.append(f", {_e(m.TALLY_SOURCE_LABELS[row.source])}")
        if row.played and not row.revealed:
            out.append(f" ({_e(m.QUIZ_NOT_REVEALED)})")
        out.append("</p></div>")
        explanation = (row.item.explanation or "").strip()
        if explanation:
            out.append(f'<div class="explanation">{_content_html(explanation)}</div>')
        out.append(_quiz_examples(row.item))
        if row.total:
            rows = [
                [_row_header(f"{_e(c.label)}{_right_mark(c.right)}"), _cell(str(c.count), "num")]
                for c in row.counts
            ]
            out.append(
                _table(
                    m.QUIZ_ITEM_CAPTION.format(number=row.number),
                    [(_e(m.COL_ANSWER), ""), (_e(m.COL_COUNT), "num")],
                    rows,
                    "tally",
                )
            )
        out.append("</div>")
    out.append("</section>")
    return "".join(out)


def _right_mark(right: bool) -> str:
    return f' <strong class="right">{_e(m.QUIZ_RIGHT_MARK)}</strong>' if right else ""


def _timer_table(rows: Iterable[m.TimerRow], caption: str = m.TIMERS_CAPTION) -> str:
    return _table(
        caption,
        [
            (_e(m.COL_TIMER), ""),
            (_e(m.COL_PLANNED_DURATION), "num"),
            (_e(m.COL_ACTUAL_DURATION), "num"),
            (_e(m.COL_OVERTIME), "num"),
        ],
        (
            [
                _row_header(_e(row.label)),
                _cell(_e(m.format_duration(row.planned_s)), "num"),
                _cell(_e(m.format_duration(row.actual_s)), "num"),
                _cell(_e(m.format_overtime(row.overtime_s)), "num"),
            ]
            for row in rows
        ),
        "timers",
    )


def _spread(report: m.Report, spread: tuple[CriterionSpread, ...]) -> str:
    grid = report.grid
    if grid is None:
        return ""
    levels = grid.levels
    note = m.SPREAD_NOTE.format(
        first=levels[0].label,
        count=len(levels),
        last=levels[-1].label,
        label=report.workshop.progress_label,
    )
    header = [
        (_e(m.COL_CRITERION), ""),
        (_e(m.COL_DIMENSION), ""),
        *((_e(level.label), "num") for level in levels),
        (_e(m.COL_UNSCORED), "num"),
        (_e(m.COL_MEAN), "num"),
        (_e(m.COL_PROGRESS), "num"),
    ]
    rows = [
        [
            _row_header(_e(s.criterion.name)),
            _cell(_e(s.dimension.name)),
            *(_cell(str(c.count), "num") for c in s.counts),
            _cell(str(s.unscored), "num"),
            _cell(
                m.EMPTY_TEXT if s.mean_index is None else m.format_decimal(s.mean_index + 1),
                "num",
            ),
            _cell(str(s.progress), "num"),
        ]
        for s in spread
    ]
    return (
        f'<section id="spread"><h2>{_e(m.HEADING_SPREAD)}</h2>'
        f'<p class="muted keep-next">{_e(note)}</p>'
        f"{_table(m.SPREAD_CAPTION, header, rows, 'spread')}</section>"
    )


def _level_bar(index: int | None, count: int, label: str) -> str:
    width = 0.0 if index is None else (index + 1) / count * 100
    fill = f'<span class="fill" style="width: {width:.1f}%"></span>' if index is not None else ""
    return (
        f'<span class="bar"><span class="track" aria-hidden="true">{fill}</span>'
        f'<span class="level-label">{label}</span></span>'
    )


def _profile(profile: ProjectProfile, heading: str, project: m.ProjectReport) -> str:
    """The profile, one table per dimension (a table never splits across pages)."""
    count = len(profile.levels)
    summary = project.profile_summary(profile)
    out = [
        f"<{heading}>{_e(m.HEADING_PROFILE)}</{heading}>",
        f'<p class="legend keep-next">{_e(summary)} — {_e(project.progress_legend)}</p>',
    ]
    if not profile.scored_count:
        out.append(f'<p class="empty keep-next">{_e(m.NO_SCORES)}</p>')
    for dimension in profile.dimensions:
        rows = []
        for row in dimension.criteria:
            name = _e(row.criterion.name)
            if row.progress:
                name += f' <span class="progress" title="{_e(project.progress_legend)}">'
                name += f"{_e(m.PROGRESS_MARK)}</span>"
            if row.level is not None and row.level_index is not None:
                label = f"{_e(row.level.label)} · {m.format_level_rank(row.level_index, count)}"
                level = _cell(_level_bar(row.level_index, count, label), "level")
            else:
                label = _e(m.NOT_SCORED)
                if row.raw_level_id:
                    label += " — " + _e(m.UNKNOWN_LEVEL.format(raw=row.raw_level_id))
                level = _cell(_level_bar(None, count, label), "level unscored")
            comment = f'<span class="text">{_e(row.comment.strip())}</span>' if row.comment else ""
            rows.append([_row_header(name, "criterion"), level, _cell(comment)])
        out.append(
            _table(
                m.PROFILE_CAPTION.format(dimension=dimension.dimension.name),
                [(_e(m.COL_CRITERION), ""), (_e(m.COL_LEVEL), ""), (_e(m.COL_COMMENT), "")],
                rows,
                "profile",
            )
        )
    return "".join(out)


def _note(label: str, text: str) -> str:
    return f'<p class="note-label">{_e(label)}</p>{_text(text)}'


def _project(report: m.Report, project: m.ProjectReport) -> str:
    # A one-project report has the project's name in its title: its sections are h2.
    # In the whole report, projects are h3 under « Projets », their sections h4.
    single = report.single_project
    sub = "h2" if single else "h4"
    out = [f'<section class="project" id="{_e(project.anchor)}">']
    if not single:
        out.append(f"<h3>{_e(project.project.name)}</h3>")
    if project.project.carriers.strip():
        out.append(
            f'<p class="keep-next"><strong>{_e(m.LABEL_CARRIERS)}</strong> : '
            f"{_e(project.project.carriers)}</p>"
        )
    if project.profile is not None:
        out.append(_profile(project.profile, sub, project))
    out.append(f"<{sub}>{_e(project.axes_heading)}</{sub}>{_text(project.improvement_axes)}")
    if project.pitch_prep:
        out.append(f"<{sub}>{_e(project.pitch_prep_heading)}</{sub}>")
        for answer in project.pitch_prep:
            label = answer.prompt_text
            if answer.prompt_id != answer.prompt_text:
                label = f"{answer.prompt_id}) {label}"
            out.append(_note(label, answer.answer))
    pitch = project.pitch
    out.append(f"<{sub}>{_e(m.HEADING_PITCH)}</{sub}><p>{_e(pitch.status_line)}</p>")
    if report.private and pitch.timers:
        out.append(_timer_table(pitch.timers))
    out.append(f"<{sub}>{_e(m.HEADING_FEEDBACK)}</{sub}>")
    for note in pitch.notes:
        out.append(_note(note.label, note.text))
    if report.private:
        out.append(_note(m.HEADING_FREE_NOTES, pitch.free_notes))
    out.append("</section>")
    return "".join(out)


def _link(url: str | None, text: str) -> str:
    href = _safe_href(url) if url else None
    return f'<a href="{_e(href)}">{_e(text)}</a>' if href else _e(text)


def _footer(workshop: Workshop) -> str:
    out = ["<footer>"]
    if workshop.resources:
        items = []
        for resource in workshop.resources:
            item = _link(resource.url, resource.title)
            if resource.note:
                item += f", {_e(resource.note)}"
            if resource.url and _safe_href(resource.url):
                item += f'<br><span class="url">{_e(resource.url.strip())}</span>'
            items.append(f"<li>{item}</li>")
        out.append(f"<h2>{_e(m.HEADING_RESOURCES)}</h2><ul>{''.join(items)}</ul>")
    if workshop.contact:
        contact = workshop.contact
        line = _e(contact.name)
        if contact.organisation:
            line += f" – {_e(contact.organisation)}"
        if contact.email:
            line += " — " + _link(f"mailto:{contact.email.strip()}", contact.email.strip())
        out.append(f"<h2>{_e(m.HEADING_CONTACT)}</h2><p>{line}</p>")
    if workshop.licence:
        licence = workshop.licence
        out.append(
            f"<h2>{_e(m.HEADING_LICENCE)}</h2><p>{_link(licence.url, licence.name)}</p>"
            f"<p>{_e(licence.attribution)}</p>"
        )
    out.append("</footer>")
    return "".join(out) if len(out) > 2 else ""


def render_report(report: m.Report) -> str:
    """Participants first (quiz, projects, the room criterion by criterion); the timings and
    the facilitator's notes only in a private report; the content's footer last."""
    title = f"{m.REPORT_TITLE} — {report.workshop.title}"
    if report.single_project:
        title += f" — {report.projects[0].project.name}"
    else:
        title += f" — {report.record.name}"
    body = [_header(report), "<main>"]
    if not report.single_project:
        if report.quiz:
            body.append(_quiz(report))
        body.append(f'<h2 id="projets">{_e(m.HEADING_PROJECTS)}</h2>')
        if not report.projects:
            body.append(f'<p class="empty">{_e(m.NO_PROJECTS)}</p>')
    body += [_project(report, project) for project in report.projects]
    if not report.single_project:
        after = []
        if report.projects:
            after.append(_spread(report, report.spread))
        if report.private:
            if report.phases:
                after.append(
                    f'<section id="phases"><h2>{_e(m.HEADING_PHASES)}</h2>'
                    f"{_timer_table(report.phases)}</section>"
                )
            after.append(_programme(report))
            if report.facilitator_notes.strip():
                after.append(
                    f'<section id="notes"><h2>{_e(m.HEADING_FACILITATOR_NOTES)}</h2>'
                    f"{_text(report.facilitator_notes)}</section>"
                )
        if after and report.projects:
            body.append(f'<div id="after-projects">{"".join(after)}</div>')
        else:
            body += after
    body += ["</main>", _footer(report.workshop)]
    kind = "single" if report.single_project else "full"
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f'<body class="{kind}">\n'
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


def render_html(
    workshop: Workshop,
    record: SessionRecord,
    project: str | None = None,
    *,
    private: bool = False,
) -> str:
    """The session's participants' report as one self-contained HTML page; with ``project``
    (id or name), that project's report alone, to send to its carriers; ``private`` adds the
    free notes, the timings and the facilitator's notes."""
    return render_report(m.build_report(workshop, record, project, private=private))
