"""The debrief laid out: as Markdown and HTML (``atelier export --animateur``) and as plain
text with a chart (``atelier bilan``, in the terminal).

The debrief is first turned into a few blocks (headings, paragraphs, tables whose first column
heads its row, a chart), then each format lays the blocks out, so the three say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from atelier.report import debrief as d
from atelier.report import model as m
from atelier.report import text as plain


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: str  # one letter per column: l or r


@dataclass(frozen=True, slots=True)
class Chart:
    """Planned and actual minutes per step: drawn as text lines, or as bars in HTML."""

    rows: tuple[tuple[str, float | None, float | None], ...]  # (step, planned, actual)
    ascii_only: bool = False

    @property
    def top(self) -> float:
        return max((v or 0.0) for _, p, a in self.rows for v in (p, a)) or 1.0

    @property
    def lines(self) -> tuple[str, ...]:
        return chart_lines(self)


Block = Heading | Paragraph | Table | Chart

CHART_WIDTH = 36
CHART_LABEL = 26


def _minutes(value: float | None) -> str:
    return m.format_minutes(value)


def _count(n: int) -> str:
    template = d.SESSIONS_COUNT if n == 1 else d.SESSIONS_COUNT_PLURAL
    return template.format(count=n)


def chart_of(debrief: d.Debrief, *, ascii_only: bool = False) -> Chart:
    """Two bars per step: planned, then actual (this session's, or the median of all)."""
    rows = []
    for step in debrief.steps:
        actual = step.actual_minutes if debrief.focus is not None else step.median_minutes
        rows.append((step.step.title, step.planned_minutes, actual))
    return Chart(tuple(rows), ascii_only)


def chart_lines(chart: Chart) -> tuple[str, ...]:
    full, actual_mark = ("#", "=") if chart.ascii_only else ("█", "▒")
    top = chart.top
    lines = []
    for title, planned, actual in chart.rows:
        label = title if len(title) <= CHART_LABEL else title[: CHART_LABEL - 1] + "…"
        for index, (name, value, mark) in enumerate(
            ((d.CHART_PLANNED, planned, full), (d.CHART_ACTUAL, actual, actual_mark))
        ):
            head = label.ljust(CHART_LABEL) if index == 0 else " " * CHART_LABEL
            if value is None:
                missing = d.CHART_UNKNOWN if index else m.EMPTY_TEXT
                lines.append(f"{head} {name} {missing}")
                continue
            bar = mark * max(1, round(value / top * CHART_WIDTH))
            lines.append(f"{head} {name} {bar} {_minutes(value)}")
    return tuple(lines)


def chart(debrief: d.Debrief, *, ascii_only: bool = False) -> tuple[str, ...]:
    """The chart as text lines (the terminal's ``atelier bilan``)."""
    return chart_lines(chart_of(debrief, ascii_only=ascii_only))


def blocks(debrief: d.Debrief, *, ascii_only: bool = False) -> list[Block]:
    workshop = debrief.workshop
    out: list[Block] = [Heading(1, f"{debrief.title} — {workshop.title}")]
    focus = debrief.focus
    if focus is not None:
        facts = [
            (m.LABEL_SESSION, focus.name),
            (m.LABEL_DATE, m.format_day(m.session_day(focus))),
        ]
        out.append(Paragraph("\n".join(f"{label} : {value}" for label, value in facts)))
    if focus is None or len(debrief.sessions) > 1:
        out += [
            Heading(2, d.HEADING_SESSIONS),
            Table(
                d.CAPTION_SESSIONS,
                (d.COL_SESSION, d.COL_DAY, d.COL_PITCHED, d.COL_END_DELTA),
                tuple(
                    (
                        s.name,
                        m.format_day(s.day),
                        f"{s.pitched}/{s.projects}",
                        m.format_delta(s.end_delta_minutes),
                    )
                    for s in debrief.sessions
                ),
                "lrrr",
            ),
        ]
    out += _steps(debrief, ascii_only)
    out += _phases(debrief)
    out += _pitches(debrief)
    out += _quiz(debrief)
    out += _suggested(debrief)
    if focus is not None and focus.facilitator_notes.strip():
        out += [Heading(2, m.HEADING_FACILITATOR_NOTES), Paragraph(focus.facilitator_notes)]
    return out


def _steps(debrief: d.Debrief, ascii_only: bool) -> list[Block]:
    focus = debrief.focus is not None
    header: tuple[str, ...] = (m.COL_STEP, m.COL_PLANNED_DURATION)
    header += (d.COL_THIS_SESSION,) if focus else ()
    header += (d.COL_MEDIAN, d.COL_MEASURES, d.COL_SUGGESTED)
    rows = []
    for step in debrief.steps:
        row: tuple[str, ...] = (step.step.title, _minutes(step.planned_minutes))
        row += (_minutes(step.actual_minutes),) if focus else ()
        row += (
            _minutes(step.median_minutes),
            str(len(step.measures)),
            _minutes(step.suggested_minutes),
        )
        rows.append(row)
    return [
        Heading(2, d.HEADING_STEPS),
        Table(d.CAPTION_STEPS, header, tuple(rows), "l" + "r" * (len(header) - 1)),
        Heading(3, d.HEADING_CHART),
        chart_of(debrief, ascii_only=ascii_only),
    ]


def _phases(debrief: d.Debrief) -> list[Block]:
    if not debrief.phases:
        return []
    rows = [
        (
            row.label,
            m.format_duration(row.planned_s),
            m.format_duration(row.actual_s),
            m.format_overtime(row.overtime_s),
        )
        for row in debrief.phases
    ]
    total = sum(row.overtime_s for row in debrief.phases)
    rows.append((d.ROW_TOTAL, "", "", m.format_overtime(total)))
    header = (m.COL_TIMER, m.COL_PLANNED_DURATION, m.COL_ACTUAL_DURATION, m.COL_OVERTIME)
    return [
        Heading(2, d.HEADING_PHASES),
        Table(d.CAPTION_PHASES, header, tuple(rows), "lrrr"),
    ]


def _pitches(debrief: d.Debrief) -> list[Block]:
    out: list[Block] = [
        Heading(2, d.HEADING_PITCHES),
        Paragraph(d.PITCHED.format(pitched=debrief.pitched, total=debrief.project_count)),
    ]
    if not debrief.pitches:
        return [*out, Paragraph(d.NO_PITCH)]
    several = debrief.focus is None and len(debrief.sessions) > 1
    header = (d.COL_PROJECT,) + ((d.COL_SESSION,) if several else ())
    header += (d.COL_PITCH, d.COL_PITCH_OVER, d.COL_EXCHANGE, d.COL_EXCHANGE_OVER)
    rows = []
    over_pitch = over_exchange = 0.0
    for line in debrief.pitches:
        row = (line.project,) + ((line.session,) if several else ())
        pitch_over = line.pitch.overtime_s if line.pitch else 0.0
        exchange_over = line.exchange.overtime_s if line.exchange else 0.0
        over_pitch += pitch_over
        over_exchange += exchange_over
        row += (
            m.format_duration(line.pitch.actual_s if line.pitch else None),
            m.format_overtime(pitch_over),
            m.format_duration(line.exchange.actual_s if line.exchange else None),
            m.format_overtime(exchange_over),
        )
        rows.append(row)
    total = (d.ROW_TOTAL,) + (("",) if several else ())
    rows.append(total + ("", m.format_overtime(over_pitch), "", m.format_overtime(over_exchange)))
    align = "l" + ("l" if several else "") + "rrrr"
    return [*out, Table(d.CAPTION_PITCHES, header, tuple(rows), align)]


def _quiz(debrief: d.Debrief) -> list[Block]:
    if not debrief.quiz:
        return []
    rows = tuple(
        (
            f"{line.number}. {line.statement}",
            f"{line.right} / {line.total}" if line.total else m.QUIZ_NO_TALLY,
            m.format_percent(line.share) if line.share is not None else m.EMPTY_TEXT,
        )
        for line in debrief.quiz
    )
    return [
        Heading(2, d.HEADING_QUIZ),
        Table(d.CAPTION_QUIZ, (d.COL_STATEMENT, d.COL_RIGHT, d.COL_SHARE), rows, "lrr"),
    ]


def _suggested(debrief: d.Debrief) -> list[Block]:
    count = _count(len(debrief.sessions))
    rule = d.SUGGESTION_RULE if debrief.focus is not None else d.SUGGESTION_RULE_ALL
    rows = [
        (step.step.title, m.format_clock(step.suggested_start), _minutes(step.suggested_minutes))
        for step in debrief.steps
    ]
    rows.append((m.END_ROW_TITLE, m.format_clock(debrief.suggested_end), ""))
    return [
        Heading(2, d.HEADING_SUGGESTED),
        Paragraph(rule.format(count=count)),
        Table(d.CAPTION_SUGGESTED, (m.COL_STEP, d.COL_START, d.COL_DURATION), tuple(rows), "lrr"),
    ]


# -- the three layouts ----------------------------------------------------------------------------


TEXT_FIRST_COLUMN = 52


def _shorten(text: str) -> str:
    """A terminal table stays narrow: a long first cell is cut with « … »."""
    text = " ".join(text.split())
    return text if len(text) <= TEXT_FIRST_COLUMN else text[: TEXT_FIRST_COLUMN - 1] + "…"


def to_text(parts: list[Block]) -> str:
    out = []
    for block in parts:
        if isinstance(block, Heading):
            out.append(plain.heading(block.text, "=" if block.level == 1 else "-"))
        elif isinstance(block, Paragraph):
            out.append(plain.paragraphs(block.text))
        elif isinstance(block, Table):
            rows = tuple((_shorten(row[0]), *row[1:]) for row in block.rows)
            out.append(plain.table(block.header, rows, block.align))
        else:
            out.append("\n".join(block.lines))
    return "\n\n".join(out) + "\n"


def to_markdown(parts: list[Block]) -> str:
    from atelier.report.markdown import escape_cell, escape_heading, escape_text

    out = []
    for block in parts:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {escape_heading(block.text)}")
        elif isinstance(block, Paragraph):
            out.append(escape_text(block.text))
        elif isinstance(block, Table):
            rules = ["---:" if a == "r" else "---" for a in block.align]
            lines = [f"*{escape_heading(block.caption)}*", ""]
            lines.append("| " + " | ".join(escape_cell(c) for c in block.header) + " |")
            lines.append("| " + " | ".join(rules) + " |")
            lines += [
                "| " + " | ".join(escape_cell(c) if c else "" for c in row) + " |"
                for row in block.rows
            ]
            out.append("\n".join(lines))
        else:
            fence = "```"
            out.append(f"{fence}text\n" + "\n".join(block.lines) + f"\n{fence}")
    return "\n\n".join(out) + "\n"


HTML_STYLE = """
@page { size: A4; margin: 15mm; }
html { background: #fff; color: #000; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; font: 11pt/1.45 system-ui, sans-serif; }
h1 { font-size: 1.5em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #000; margin-top: 1.4em; }
h1, h2, h3, caption { break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 .8em; break-inside: avoid; }
caption { text-align: left; font-weight: 600; padding-bottom: .2em; }
th, td { border: 1px solid #555; padding: .2em .45em; text-align: left; vertical-align: top; }
thead th { background: #eee; }
th[scope=row] { font-weight: normal; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
p { white-space: pre-wrap; }
.chart-row { break-inside: avoid; page-break-inside: avoid; margin: 0 0 .35em; font-size: .9em; }
.chart .step { font-weight: 600; }
.bar-line { display: flex; align-items: center; gap: .4em; }
.who { width: 3.5em; }
.bar { display: inline-block; height: .8em; border: 1px solid #000; }
.bar.planned { background: #000; }
.bar.actual {
  background: repeating-linear-gradient(45deg, #000 0 2px, #fff 2px 5px);
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  table { width: calc(100% - 1px); }  /* the right border, otherwise cut at the margin */
}
"""


def _html_chart(chart: Chart) -> str:
    """Bars drawn by length (black: planned, hatched: actual), each with its value written
    out, so the chart reads in black and white."""

    def e(text: str) -> str:
        return escape(text, quote=True)

    rows = []
    for title, planned, actual in chart.rows:
        bars = []
        for name, value, cls in (
            (d.CHART_PLANNED, planned, "planned"),
            (d.CHART_ACTUAL.strip(), actual, "actual"),
        ):
            who = f'<span class="who">{e(name)}</span>'
            if value is None:
                missing = d.CHART_UNKNOWN if cls == "actual" else m.EMPTY_TEXT
                bars.append(f'<div class="bar-line">{who} {e(missing)}</div>')
                continue
            width = value / chart.top * 70
            bars.append(
                f'<div class="bar-line">{who}'
                f'<span class="bar {cls}" style="width: {width:.1f}%"></span> '
                f"{e(_minutes(value))}</div>"
            )
        rows.append(
            f'<div class="chart-row"><div class="step">{e(title)}</div>{"".join(bars)}</div>'
        )
    label = e(d.HEADING_CHART)
    return f'<div class="chart" role="img" aria-label="{label}">{"".join(rows)}</div>'


def to_html(parts: list[Block]) -> str:
    def e(text: str) -> str:
        return escape(text, quote=True)

    title = parts[0].text if parts and isinstance(parts[0], Heading) else d.DEBRIEF_TITLE
    out = []
    for block in parts:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{e(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{e(block.text.strip())}</p>")
        elif isinstance(block, Table):
            num = [' class="num"' if a == "r" else "" for a in block.align]
            head = "".join(
                f'<th scope="col"{num[i]}>{e(c)}</th>' for i, c in enumerate(block.header)
            )
            rows = "".join(
                "<tr>"
                + "".join(
                    f'<th scope="row">{e(c)}</th>' if i == 0 else f"<td{num[i]}>{e(c)}</td>"
                    for i, c in enumerate(row)
                )
                + "</tr>"
                for row in block.rows
            )
            out.append(
                f"<table><caption>{e(block.caption)}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{rows}</tbody></table>"
            )
        else:
            out.append(_html_chart(block))
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{HTML_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(out)
        + "\n</body>\n</html>\n"
    )


def render_debrief(debrief: d.Debrief, fmt: str, *, ascii_only: bool = False) -> str:
    """``fmt``: md, html or text."""
    parts = blocks(debrief, ascii_only=ascii_only)
    if fmt == "md":
        return to_markdown(parts)
    if fmt == "html":
        return to_html(parts)
    return to_text(parts)
