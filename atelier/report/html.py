"""The report as one self-contained HTML5 page: inline CSS, no script, no remote asset.

Open it in any browser, mail it, or print it on A4. Every text from a person or from the
content is escaped with :func:`html.escape`; the only addresses in the page are the links to
the content's resources and licence (``http``, ``https`` and ``mailto`` only).

The profile is a bar chart in plain HTML/CSS: each level is drawn by the *length* of its bar
and written out (« Intermédiaire · 3/4 »), so it reads in black and white and without colour.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from html import escape
from urllib.parse import urlsplit

from atelier.domain.assessment import CriterionSpread, ProjectProfile
from atelier.domain.content import Workshop
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
h2 { font-size: 1.3em; margin: 1.6em 0 .5em; border-bottom: 2px solid #000; }
h3 { font-size: 1.12em; margin: 1.2em 0 .4em; }
h4 { font-size: 1.02em; margin: 1.1em 0 .3em; border-bottom: 1px solid #888; }
h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
.subtitle { margin: 0 0 .8em; font-style: italic; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 .8em; font-size: .95em; }
th, td { border: 1px solid #555; padding: .25em .45em; text-align: left; vertical-align: top; }
thead th { background: #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: .2em 0 .8em; }
.empty { color: #444; font-style: italic; }
.note-label { font-weight: 600; margin: .8em 0 .1em; }
.muted { color: #333; font-size: .92em; }
.quiz-item { break-inside: avoid; page-break-inside: avoid; margin-bottom: 1em; }
.quiz-item h3 { font-weight: 600; }
.verdict { margin: .2em 0 .4em; }
section.project {
  break-inside: avoid; page-break-inside: avoid;
  border-top: 1px solid #000; padding-top: .4em; margin-top: 1.6em;
}
h2 + section.project, main > section.project:first-child { border-top: 0; margin-top: 0; }
table.tally { width: auto; min-width: 50%; }
.tally th[scope=row] { font-weight: normal; }
.profile th.dimension { background: #f4f4f4; font-variant: small-caps; }
.profile td.criterion { width: 34%; }
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


def _table(header: Iterable[tuple[str, str]], rows: Iterable[Iterable[str]], cls: str = "") -> str:
    """``header`` is (escaped text, class) pairs; ``rows`` are ready ``<td>``/``<th>`` cells."""
    attr = _class(cls)
    head = "".join(f'<th scope="col"{_class(c)}>{t}</th>' for t, c in header)
    body = "".join(f"<tr>{''.join(row)}</tr>" for row in rows)
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


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
            f'<th scope="row">{_e(row.step.title)}</th>',
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
                f'<th scope="row">{_e(m.END_ROW_TITLE)}</th>',
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
        f"{_table(header, rows, 'programme')}</section>"
    )


def _quiz(report: m.Report) -> str:
    out = [f'<section id="quiz"><h2>{_e(m.HEADING_QUIZ)}</h2>']
    for row in report.quiz:
        out.append(
            f'<div class="quiz-item"><h3>{row.number}. {_e(row.item.statement)}</h3>'
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
        out.append("</p>")
        if row.total:
            rows = [
                [
                    f'<th scope="row">{_e(c.label)}{_right_mark(c.right)}</th>',
                    _cell(str(c.count), "num"),
                ]
                for c in row.counts
            ]
            out.append(_table([(_e(m.COL_ANSWER), ""), (_e(m.COL_COUNT), "num")], rows, "tally"))
        out.append("</div>")
    out.append("</section>")
    return "".join(out)


def _right_mark(right: bool) -> str:
    return f' <strong class="right">{_e(m.QUIZ_RIGHT_MARK)}</strong>' if right else ""


def _timer_table(rows: Iterable[m.TimerRow]) -> str:
    return _table(
        [
            (_e(m.COL_TIMER), ""),
            (_e(m.COL_PLANNED_DURATION), "num"),
            (_e(m.COL_ACTUAL_DURATION), "num"),
            (_e(m.COL_OVERTIME), "num"),
        ],
        (
            [
                f'<th scope="row">{_e(row.label)}</th>',
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
            f'<th scope="row">{_e(s.criterion.name)}</th>',
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
        f'<p class="muted">{_e(note)}</p>{_table(header, rows, "spread")}</section>'
    )


def _level_bar(index: int | None, count: int, label: str) -> str:
    width = 0.0 if index is None else (index + 1) / count * 100
    fill = f'<span class="fill" style="width: {width:.1f}%"></span>' if index is not None else ""
    return (
        f'<span class="bar"><span class="track" aria-hidden="true">{fill}</span>'
        f'<span class="level-label">{label}</span></span>'
    )


def _profile(profile: ProjectProfile, project: m.ProjectReport) -> str:
    count = len(profile.levels)
    summary = project.profile_summary(profile)
    out = [
        f"<h4>{_e(m.HEADING_PROFILE)}</h4>",
        f'<p class="legend">{_e(summary)} — {_e(project.progress_legend)}</p>',
    ]
    if not profile.scored_count:
        out.append(f'<p class="empty">{_e(m.NO_SCORES)}</p>')
    rows = []
    for dimension in profile.dimensions:
        rows.append([f'<th class="dimension" colspan="3">{_e(dimension.dimension.name)}</th>'])
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
            rows.append([_cell(name, "criterion"), level, _cell(comment)])
    out.append(
        _table(
            [(_e(m.COL_CRITERION), ""), (_e(m.COL_LEVEL), ""), (_e(m.COL_COMMENT), "")],
            rows,
            "profile",
        )
    )
    return "".join(out)


def _project(report: m.Report, project: m.ProjectReport) -> str:
    level = "h2" if report.single_project else "h3"
    out = [
        f'<section class="project" id="{_e(project.anchor)}">'
        f"<{level}>{_e(project.project.name)}</{level}>"
    ]
    if project.project.carriers.strip():
        out.append(
            f"<p><strong>{_e(m.LABEL_CARRIERS)}</strong> : {_e(project.project.carriers)}</p>"
        )
    if project.profile is not None:
        out.append(_profile(project.profile, project))
    out.append(f"<h4>{_e(project.axes_heading)}</h4>{_text(project.improvement_axes)}")
    if project.pitch_prep:
        out.append(f"<h4>{_e(project.pitch_prep_heading)}</h4>")
        for answer in project.pitch_prep:
            label = answer.prompt_text
            if answer.prompt_id != answer.prompt_text:
                label = f"{answer.prompt_id}) {label}"
            out.append(f'<p class="note-label">{_e(label)}</p>{_text(answer.answer)}')
    pitch = project.pitch
    status = [pitch.status_label]
    if pitch.volunteer:
        status.append(m.PITCH_VOLUNTEER)
    if pitch.order is not None:
        status.append(m.PITCH_ORDER.format(order=pitch.order))
    out.append(f"<h4>{_e(m.HEADING_PITCH)}</h4><p>{_e(' · '.join(status))}</p>")
    if pitch.timers:
        out.append(_timer_table(pitch.timers))
    out.append(f"<h4>{_e(m.HEADING_FEEDBACK)}</h4>")
    for note in pitch.notes:
        out.append(f'<p class="note-label">{_e(note.label)}</p>{_text(note.text)}')
    out.append(f'<p class="note-label">{_e(m.HEADING_FREE_NOTES)}</p>{_text(pitch.free_notes)}')
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
    title = f"{m.REPORT_TITLE} — {report.workshop.title}"
    if report.single_project:
        title += f" — {report.projects[0].project.name}"
    else:
        title += f" — {report.record.name}"
    body = [_header(report), "<main>"]
    if not report.single_project:
        body.append(_programme(report))
        if report.quiz:
            body.append(_quiz(report))
        if report.phases:
            body.append(
                f'<section id="phases"><h2>{_e(m.HEADING_PHASES)}</h2>'
                f"{_timer_table(report.phases)}</section>"
            )
        if report.projects:
            body.append(_spread(report, report.spread))
        body.append(f'<h2 id="projets">{_e(m.HEADING_PROJECTS)}</h2>')
        if not report.projects:
            body.append(f'<p class="empty">{_e(m.NO_PROJECTS)}</p>')
    body += [_project(report, project) for project in report.projects]
    if not report.single_project and report.facilitator_notes.strip():
        body.append(
            f'<section id="notes"><h2>{_e(m.HEADING_FACILITATOR_NOTES)}</h2>'
            f"{_text(report.facilitator_notes)}</section>"
        )
    body += ["</main>", _footer(report.workshop)]
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


def render_html(workshop: Workshop, record: SessionRecord, project_id: str | None = None) -> str:
    """The session's report as one self-contained HTML page; with ``project_id`` (id or name),
    that project's report alone, to send to its carriers."""
    return render_report(m.build_report(workshop, record, project_id))
