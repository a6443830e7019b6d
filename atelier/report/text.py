"""Reports as plain text: the text part of an e-mail draft, and what prints in a terminal.

No markup at all: user text goes out exactly as typed (nothing to escape), headings are
underlined, tables are columns padded with spaces, levels are drawn by length (« ■■■□ »).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from atelier.domain.assessment import ProjectProfile
from atelier.domain.content import Workshop
from atelier.report import model as m

WIDTH = 78


def heading(text: str, rule: str = "-") -> str:
    """``text`` underlined with ``rule`` (« = » for a title, « - » for a section)."""
    line = " ".join(text.split())
    return f"{line}\n{rule * min(len(line), WIDTH)}"


def paragraphs(text: str, indent: str = "") -> str:
    """A person's text, lines kept, each wrapped to the width; « (rien de noté) » if empty."""
    if not text.strip():
        return indent + m.NO_NOTES
    out = []
    for line in text.strip().splitlines():
        if not line.strip():
            out.append("")
            continue
        wrapped = textwrap.wrap(
            line.rstrip(),
            WIDTH - len(indent),
            break_long_words=False,
            break_on_hyphens=False,
            replace_whitespace=False,
        )
        out += [indent + part for part in wrapped] or [indent]
    return "\n".join(out)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """Columns padded with spaces; ``align`` gives one letter per column (l, r)."""
    widths = [len(cell) for cell in header]
    for row in rows:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for index, cell in enumerate(cells):
            right = align[index : index + 1] == "r"
            parts.append(cell.rjust(widths[index]) if right else cell.ljust(widths[index]))
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def _profile(profile: ProjectProfile, project: m.ProjectReport) -> list[str]:
    count = len(profile.levels)
    summary = project.profile_summary(profile)
    out = [heading(m.HEADING_PROFILE), f"{summary} ({project.progress_legend})"]
    for dimension in profile.dimensions:
        lines = [dimension.dimension.name]
        for row in dimension.criteria:
            if row.level is not None and row.level_index is not None:
                level = (
                    f"{m.format_level_bar(row.level_index, count)} {row.level.label} "
                    f"({m.format_level_rank(row.level_index, count)})"
                )
            else:
                level = f"{m.format_level_bar(None, count)} {m.NOT_SCORED}"
            mark = f" {m.PROGRESS_MARK}" if row.progress else ""
            lines.append(f"  {row.criterion.name}{mark} : {level}")
            if row.comment.strip():
                lines.append(paragraphs(row.comment, "      "))
        out.append("\n".join(lines))
    return out


def _footer(workshop: Workshop) -> list[str]:
    out: list[str] = []
    if workshop.resources:
        lines = []
        for resource in workshop.resources:
            line = f"- {resource.title}"
            if resource.note:
                line += f", {resource.note}"
            if resource.url:
                line += f"\n  {resource.url.strip()}"
            lines.append(line)
        out += [heading(m.HEADING_RESOURCES), "\n".join(lines)]
    if workshop.contact:
        contact = workshop.contact
        line = contact.name
        if contact.organisation:
            line += f" – {contact.organisation}"
        if contact.email:
            line += f" — {contact.email.strip()}"
        out += [heading(m.HEADING_CONTACT), line]
    if workshop.licence:
        licence = workshop.licence
        line = licence.name + (f" ({licence.url.strip()})" if licence.url else "")
        out += [heading(m.HEADING_LICENCE), line, paragraphs(licence.attribution)]
    return out


def render_project_text(report: m.Report) -> str:
    """One project's report (``report.single_project``) as plain text."""
    assert report.single_project
    project = report.projects[0]
    out = [heading(f"{m.REPORT_TITLE} — {report.title}", "=")]
    out.append("\n".join(f"{label} : {value}" for label, value in report.facts))
    if project.project.carriers.strip():
        out.append(f"{m.LABEL_CARRIERS} : {project.project.carriers.strip()}")
    if project.profile is not None:
        out += _profile(project.profile, project)
    out += [heading(project.axes_heading), paragraphs(project.improvement_axes)]
    if project.pitch_prep:
        out.append(heading(project.pitch_prep_heading))
        for answer in project.pitch_prep:
            label = answer.prompt_text
            if answer.prompt_id != answer.prompt_text:
                label = f"{answer.prompt_id}) {label}"
            out.append(f"{label}\n{paragraphs(answer.answer, '  ')}")
    pitch = project.pitch
    out += [heading(m.HEADING_PITCH), pitch.status_line]
    if report.private and pitch.timers:
        out.append(
            table(
                [m.COL_TIMER, m.COL_PLANNED_DURATION, m.COL_ACTUAL_DURATION, m.COL_OVERTIME],
                [
                    [
                        row.label,
                        m.format_duration(row.planned_s),
                        m.format_duration(row.actual_s),
                        m.format_overtime(row.overtime_s),
                    ]
                    for row in pitch.timers
                ],
                "lrrr",
            )
        )
    out.append(heading(m.HEADING_FEEDBACK))
    for note in pitch.notes:
        out.append(f"{note.label}\n{paragraphs(note.text, '  ')}")
    if report.private:
        out.append(f"{m.HEADING_FREE_NOTES}\n{paragraphs(pitch.free_notes, '  ')}")
    out += _footer(report.workshop)
    return "\n\n".join(out) + "\n"
