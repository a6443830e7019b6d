"""What the pitch round writes, as plain functions (tested without an app): the budget line,
the queue's lines, the preparation answers, the end-of-round table. Durations and statuses
come from :mod:`atelier.domain.wording`, as everywhere."""

from __future__ import annotations

from textual.content import Content

from atelier.domain.content import Workshop
from atelier.domain.content_base import format_clock_time
from atelier.domain.pitch import PitchRound, SummaryRow
from atelier.domain.session import PitchStatus, Project
from atelier.domain.wording import format_minutes, format_timer, pitch_status
from atelier.tui import labels, safe_text


def minutes_text(minutes: float) -> str:
    """« 2 min », « 1 min 30 s » (:mod:`atelier.domain.wording`, as everywhere)."""
    return format_minutes(minutes)


def duration_text(seconds: float) -> str:
    """« 2:20 »: a clock's length, written as its digits are."""
    return format_timer(round(seconds), pad_minutes=False)


def budget_text(pitch_round: PitchRound) -> str:
    """« 3 projet(s), 20 min → ~6 min chacun »; with a project on stage, what is left once its
    clocks (± minutes included) have run: « Après celui-ci : 2 projet(s), 13 min → ~6 min
    chacun »; or how late the round runs."""
    budget = pitch_round.budget()
    if budget is None:
        return ""
    end = format_clock_time(budget.planned_end.time())
    if budget.overrun:
        return labels.PITCH_BUDGET_OVER.format(end=end, minutes=-budget.minutes_left)
    if budget.waiting == 0:
        return labels.PITCH_BUDGET_LAST.format(end=end)
    if budget.minutes_each is None:
        return labels.PITCH_BUDGET_NONE.format(end=end, minutes=budget.minutes_left)
    if budget.waiting is not None:
        return labels.PITCH_BUDGET_AFTER.format(
            projects=budget.waiting, minutes=budget.minutes_after_stage, each=budget.minutes_each
        )
    return labels.PITCH_BUDGET.format(
        projects=budget.projects, minutes=budget.minutes_left, each=budget.minutes_each
    )


def queue_line(project: Project, position: int, current_id: str | None) -> str:
    status = project.pitch.status
    wording = pitch_status(status)
    if project.id != current_id and status in (PitchStatus.PITCHING, PitchStatus.EXCHANGE):
        text = labels.PITCH_PARKED.format(name=project.name)
    elif status is PitchStatus.WAITING:
        text = f"{wording.glyph} {project.name}"
    else:
        text = f"{wording.glyph} {project.name} — {wording.label}"
    return f"{position}. {text}"


def prep_prompts(workshop: Workshop) -> dict[str, str]:
    """The preparation questions (a, b, c …) of the assessment, by id."""
    if workshop.assessment is None:
        return {}
    return {
        prompt.id: prompt.text for phase in workshop.assessment.phases for prompt in phase.prompts
    }


def prep_content(project: Project | None, prompts: dict[str, str]) -> Content:
    """The project's pitch preparation answers, each under its question."""
    if project is None:
        return Content("")
    answers = {key: value for key, value in project.pitch_prep.items() if value.strip()}
    if not answers:
        return Content(labels.PITCH_PREP_EMPTY)
    ordered = [key for key in prompts if key in answers] + [k for k in answers if k not in prompts]
    parts: list[Content | str | tuple[str, str]] = []
    for key in ordered:
        if parts:
            parts.append("\n\n")
        parts.append((f"{key}. {prompts.get(key, '')}".rstrip(), "bold"))
        parts.append("\n" + answers[key].strip())
    return Content.assemble(*parts)


def _timing_cell(seconds: float, overtime: float, started: bool) -> str:
    if not started:
        return "—"
    text = duration_text(seconds)
    if round(overtime) > 0:
        text += " " + labels.PITCH_SUMMARY_OVERTIME.format(over=duration_text(overtime))
    return text


def summary_markdown(rows: list[SummaryRow]) -> str:
    """The end-of-round table: each volunteer's pitch and exchange times, overtime marked."""
    title = f"# {labels.PITCH_SUMMARY_TITLE}\n\n"
    if not rows:
        return title + labels.PITCH_SUMMARY_EMPTY + "\n"
    lines = [
        f"| # | {labels.PITCH_SUMMARY_PROJECT} | {labels.PITCH_SUMMARY_PITCH} "
        f"| {labels.PITCH_SUMMARY_EXCHANGE} | {labels.PITCH_SUMMARY_TOTAL} "
        f"| {labels.PITCH_SUMMARY_STATE} |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        name = safe_text.md_cell(row.name)
        lines.append(
            f"| {row.position} | {name} "
            f"| {_timing_cell(row.pitch_s, row.pitch_overtime_s, row.pitch_s > 0)} "
            f"| {_timing_cell(row.exchange_s, row.exchange_overtime_s, row.exchange_s > 0)} "
            f"| {_timing_cell(row.total_s, 0, row.total_s > 0)} "
            f"| {pitch_status(row.status).text} |"
        )
    return title + "\n".join(lines) + "\n\n*" + labels.PITCH_SUMMARY_LEGEND + "*\n"
