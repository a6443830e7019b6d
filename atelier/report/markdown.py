"""The report as Markdown (CommonMark + GitHub tables), for mail, a wiki or pandoc.

Every text that comes from a person or the content goes through :func:`escape_text` (blocks)
or :func:`escape_cell` (table cells, headings), so a note containing ``*``, ``_``, ``#``,
``<tag>`` or ``|`` reads as typed instead of turning into formatting, HTML or a broken table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from atelier.domain.assessment import CriterionSpread, ProjectProfile
from atelier.domain.content import Workshop
from atelier.domain.session import SessionRecord
from atelier.report import model as m

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~$])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What only means something at the start of a line: list items, block quotes, setext
# underlines, ordered lists.
_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}


def _escape_line(line: str) -> str:
    stripped = line.lstrip(" \t")
    indent = line[: len(line) - len(stripped)]
    # Leading spaces would make a code block after a blank line; no-break spaces keep the
    # indentation visible without meaning anything to Markdown.
    indent = indent.replace("\t", "    ").replace(" ", "\u00a0")
    text = _INLINE_SPECIAL.sub(r"\\\1", stripped.rstrip())
    text = _ENTITY.sub(r"\\&", text)
    match = _LINE_START.match(text)
    if match:
        end = match.end()
        text = f"{text[:end]}\\{text[end:]}" if text[0].isdigit() else f"\\{text}"
    return indent + text


def escape_text(text: str) -> str:
    """User text as Markdown paragraphs: literal characters, line breaks kept (hard breaks),
    blank lines kept as paragraph breaks. Empty text gives an empty string."""
    paragraphs: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            paragraphs[-1].append(_escape_line(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\\\n".join(lines) for lines in paragraphs if lines)


def content_text(text: str) -> str:
    """A text of the workshop's content (an explanation): escaped like a person's text, except
    its ``*`` and ``**`` emphasis, which the author meant (the content guide's Markdown)."""
    return escape_text(text).replace("\\*", "*")


def escape_cell(text: str) -> str:
    """User text for a table cell or a heading: one line, ``<br>`` where the text broke."""
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    return "<br>".join(_escape_line(line.strip()) for line in lines) or m.EMPTY_TEXT


def escape_heading(text: str) -> str:
    return " ".join(_escape_line(line.strip()) for line in text.splitlines() if line.strip())


def _url(url: str) -> str:
    return "".join(_URL_UNSAFE.get(char, char) for char in url.strip())


def _table(header: Iterable[str], rows: Iterable[Iterable[str]], align: str = "") -> str:
    """A GitHub table; ``align`` gives one letter per column (l, r), left by default."""
    columns = list(header)
    rules = ["---:" if align[i : i + 1] == "r" else "---" for i in range(len(columns))]
    lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join(rules) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _block(text: str) -> str:
    return escape_text(text) or m.NO_NOTES


# -- sections ---------------------------------------------------------------------------------


def _header(report: m.Report) -> list[str]:
    out = [f"# {m.REPORT_TITLE} — {escape_heading(report.title)}"]
    if report.workshop.subtitle:
        out.append(f"*{escape_heading(report.workshop.subtitle)}*")
    out.append("\n".join(f"- **{label}** : {escape_cell(value)}" for label, value in report.facts))
    return out


def _programme(report: m.Report) -> list[str]:
    rows = [
        [
            str(row.step.number) if row.step.number is not None else "",
            escape_cell(row.step.title),
            m.format_clock(row.planned_start),
            m.format_clock(row.actual_start),
            m.format_delta(row.delta_minutes),
            m.format_minutes(row.planned_minutes),
            m.format_minutes(row.actual_minutes),
        ]
        for row in report.programme
    ]
    if report.end is not None:
        end = report.end
        rows.append(
            [
                "",
                m.END_ROW_TITLE,
                m.format_clock(end.planned),
                m.format_clock(end.actual),
                m.format_delta(end.delta_minutes),
                "",
                "",
            ]
        )
    header = [
        m.COL_NUMBER,
        m.COL_STEP,
        m.COL_PLANNED_START,
        m.COL_ACTUAL_START,
        m.COL_DELTA,
        m.COL_PLANNED_DURATION,
        m.COL_ACTUAL_DURATION,
    ]
    return [f"## {m.HEADING_PROGRAMME}", _table(header, rows, "rlrrrrr")]


def _quiz(report: m.Report, *, explain: bool = True) -> list[str]:
    out = [f"## {m.HEADING_QUIZ}"]
    for row in report.quiz:
        out.append(f"### {row.number}. {escape_heading(row.item.statement)}")
        verdict = f"**{m.QUIZ_RIGHT_ANSWER}** : {row.right_symbol} {escape_cell(row.right_label)}"
        if not row.played:
            verdict += f" — {m.QUIZ_NOT_PLAYED}"
        elif row.right_share is None:
            verdict += f" — {m.QUIZ_NO_TALLY}"
        else:
            share = m.QUIZ_RIGHT_SHARE.format(
                percent=m.format_percent(row.right_share), right=row.right_count, total=row.total
            )
            verdict += f" — {share}"
            if row.source is not None:
                verdict += f", {m.TALLY_SOURCE_LABELS[row.source]}"
        if row.played and not row.revealed:
            verdict += f" ({m.QUIZ_NOT_REVEALED})"
        out.append(verdict)
        if explain:
            out += _quiz_explanation(row)
        if row.total:
            out.append(
                _table(
                    [m.COL_ANSWER, m.COL_COUNT],
                    (
                        [
                            f"**{escape_cell(c.label)}** {m.QUIZ_RIGHT_MARK}"
                            if c.right
                            else escape_cell(c.label),
                            str(c.count),
                        ]
                        for c in row.counts
                    ),
                    "lr",
                )
            )
    return out


def _quiz_explanation(row: m.QuizRow) -> list[str]:
    """The content's explanation of the answer and its examples (need → initiatives)."""
    item = row.item
    explanation = (item.explanation or "").strip()
    out = [content_text(explanation)] if explanation else []
    if item.examples:
        intro = item.examples_intro or m.HEADING_QUIZ_EXAMPLES
        lines = []
        for example in item.examples:
            parts = []
            if example.need is not None:
                need = f"**{escape_cell(example.need.theme)}** : {escape_cell(example.need.text)}"
                if example.need.source:
                    need += f" ({escape_cell(example.need.source)})"
                parts.append(need)
            parts += [
                f"{escape_cell(i.name)} : {escape_cell(i.description)}" for i in example.initiatives
            ]
            lines.append("- " + " → ".join(parts))
        out += [f"*{escape_heading(intro)}*", "\n".join(lines)]
    return out


def _timer_table(rows: Iterable[m.TimerRow]) -> str:
    return _table(
        [m.COL_TIMER, m.COL_PLANNED_DURATION, m.COL_ACTUAL_DURATION, m.COL_OVERTIME],
        (
            [
                escape_cell(row.label),
                m.format_duration(row.planned_s),
                m.format_duration(row.actual_s),
                m.format_overtime(row.overtime_s),
            ]
            for row in rows
        ),
        "lrrr",
    )


def _spread(report: m.Report, spread: tuple[CriterionSpread, ...]) -> list[str]:
    grid = report.grid
    if grid is None:
        return []
    levels = grid.levels
    out = [
        f"## {m.HEADING_SPREAD}",
        escape_text(
            m.SPREAD_NOTE.format(
                first=levels[0].label,
                count=len(levels),
                last=levels[-1].label,
                label=report.workshop.progress_label,
            )
        ),
    ]
    header = [
        m.COL_CRITERION,
        m.COL_DIMENSION,
        *(escape_cell(level.label) for level in levels),
        m.COL_UNSCORED,
        m.COL_MEAN,
        m.COL_PROGRESS,
    ]
    rows = [
        [
            escape_cell(s.criterion.name),
            escape_cell(s.dimension.name),
            *(str(c.count) for c in s.counts),
            str(s.unscored),
            m.EMPTY_TEXT if s.mean_index is None else m.format_decimal(s.mean_index + 1),
            str(s.progress),
        ]
        for s in spread
    ]
    out.append(_table(header, rows, "ll" + "r" * (len(levels) + 3)))
    return out


def _profile(profile: ProjectProfile, heading: str, project: m.ProjectReport) -> list[str]:
    out = [f"{heading} {m.HEADING_PROFILE}"]
    if not profile.scored_count:
        out.append(m.NO_SCORES)
    out.append(f"*{project.profile_summary(profile)} ({project.progress_legend})*")
    count = len(profile.levels)
    for dimension in profile.dimensions:
        rows = []
        for row in dimension.criteria:
            name = escape_cell(row.criterion.name)
            if row.progress:
                name += f" {m.PROGRESS_MARK}"
            if row.level is not None and row.level_index is not None:
                level = (
                    f"{m.format_level_bar(row.level_index, count)} {escape_cell(row.level.label)}"
                    f" ({m.format_level_rank(row.level_index, count)})"
                )
            else:
                level = f"{m.format_level_bar(None, count)} {m.NOT_SCORED}"
                if row.raw_level_id:
                    level += " — " + escape_cell(m.UNKNOWN_LEVEL.format(raw=row.raw_level_id))
            comment = escape_cell(row.comment) if row.comment.strip() else ""
            rows.append([name, level, comment])
        out.append(f"{heading}# {escape_heading(dimension.dimension.name)}")
        out.append(_table([m.COL_CRITERION, m.COL_LEVEL, m.COL_COMMENT], rows))
    return out


def _project(report: m.Report, project: m.ProjectReport) -> list[str]:
    # One project's report: its name is in the title, its sections are level 2.
    out = [] if report.single_project else [f"### {escape_heading(project.project.name)}"]
    sub = "##" if report.single_project else "####"
    if project.project.carriers.strip():
        out.append(f"**{m.LABEL_CARRIERS}** : {escape_cell(project.project.carriers)}")
    if project.profile is not None:
        out += _profile(project.profile, sub, project)
    return out + _project_details(project, sub, private=report.private)


def _project_details(project: m.ProjectReport, sub: str, *, private: bool) -> list[str]:
    """What follows the profile: axes, pitch preparation, pitch and timers, feedback."""
    out = [f"{sub} {project.axes_heading}", _block(project.improvement_axes)]
    if project.pitch_prep:
        out.append(f"{sub} {project.pitch_prep_heading}")
        for answer in project.pitch_prep:
            label = answer.prompt_text
            if answer.prompt_id != answer.prompt_text:
                label = f"{answer.prompt_id}) {label}"
            out += [f"**{escape_heading(label)}**", _block(answer.answer)]
    pitch = project.pitch
    out.append(f"{sub} {m.HEADING_PITCH}")
    out.append(escape_text(pitch.status_line))
    if private and pitch.timers:
        out.append(_timer_table(pitch.timers))
    out.append(f"{sub} {m.HEADING_FEEDBACK}")
    for note in pitch.notes:
        out += [f"**{escape_heading(note.label)}**", _block(note.text)]
    if private:
        out += [f"**{m.HEADING_FREE_NOTES}**", _block(pitch.free_notes)]
    return out


def _footer(workshop: Workshop) -> list[str]:
    out: list[str] = []
    if workshop.resources:
        out.append(f"## {m.HEADING_RESOURCES}")
        items = []
        for resource in workshop.resources:
            title = escape_cell(resource.title)
            item = f"[{title}]({_url(resource.url)})" if resource.url else title
            if resource.note:
                item += f", {escape_cell(resource.note)}"
            items.append(f"- {item}")
        out.append("\n".join(items))
    if workshop.contact:
        contact = workshop.contact
        out.append(f"## {m.HEADING_CONTACT}")
        line = escape_cell(contact.name)
        if contact.organisation:
            line += f" – {escape_cell(contact.organisation)}"
        if contact.email:
            line += f" — <{_url(contact.email)}>"
        out.append(line)
    if workshop.licence:
        licence = workshop.licence
        out.append(f"## {m.HEADING_LICENCE}")
        name = escape_heading(licence.name)
        out.append(f"[{name}]({_url(licence.url)})" if licence.url else name)
        out.append(escape_text(licence.attribution))
    return out


def render_report(report: m.Report) -> str:
    """Participants first: the quiz and its explanations, each project's feedback, the room
    criterion by criterion; then, in a private report only, the timings and the facilitator's
    notes; the workshop's resources, contact and licence last."""
    out = _header(report)
    if not report.single_project:
        if report.quiz:
            out += _quiz(report)
        out.append(f"## {m.HEADING_PROJECTS}")
        if not report.projects:
            out.append(m.NO_PROJECTS)
    for project in report.projects:
        out += _project(report, project)
    if not report.single_project:
        if report.projects:
            out += _spread(report, report.spread)
        if report.private:
            if report.phases:
                out += [f"## {m.HEADING_PHASES}", _timer_table(report.phases)]
            out += _programme(report)
            if report.facilitator_notes.strip():
                out += [f"## {m.HEADING_FACILITATOR_NOTES}", escape_text(report.facilitator_notes)]
    out += _footer(report.workshop)
    return "\n\n".join(block for block in out if block) + "\n"


def render_markdown(
    workshop: Workshop,
    record: SessionRecord,
    project: str | None = None,
    *,
    private: bool = False,
) -> str:
    """The session's participants' report as Markdown; with ``project`` (id or name), that
    project's report alone, to send to its carriers (no other project, no room-wide sections);
    ``private`` adds the free notes, the timings and the facilitator's notes."""
    return render_report(m.build_report(workshop, record, project, private=private))


# -- pages of the review screen (``atelier review``) -------------------------------------------


def overview_markdown(report: m.Report) -> str:
    """The room-wide part of ``report`` on one page: header, programme, quiz, grid phases,
    room spread, facilitator notes (no project, no footer)."""
    out = _header(report) + _programme(report)
    if report.quiz:
        out += _quiz(report, explain=False)
    if report.phases:
        out += [f"## {m.HEADING_PHASES}", _timer_table(report.phases)]
    if report.projects:
        out += _spread(report, report.spread)
    if report.facilitator_notes.strip():
        out += [f"## {m.HEADING_FACILITATOR_NOTES}", escape_text(report.facilitator_notes)]
    return "\n\n".join(block for block in out if block) + "\n"


def project_details_markdown(project: m.ProjectReport) -> str:
    """One project's texts after its profile (axes, pitch preparation, pitch and timers,
    feedback), with ``##`` headings: a page of its own."""
    blocks = _project_details(project, "##", private=True)
    return "\n\n".join(block for block in blocks if block) + "\n"
