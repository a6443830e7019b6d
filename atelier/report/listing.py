"""``atelier sessions``: the saved sessions as a plain-text table."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from atelier.store.session_list import SessionState, SessionSummary

HEADERS = ("Session", "Atelier", "Créée le", "Modifiée le", "Projets", "État")
NO_SESSIONS = "Aucune session dans {root}. Lancez « atelier » pour en créer une."
FOOTER = "{count} session(s) dans {root}."


def _when(moment: datetime | None) -> str:
    return f"{moment:%d/%m/%Y %H:%M}" if moment else "—"


def format_session_table(root: Path, summaries: list[SessionSummary]) -> str:
    if not summaries:
        return NO_SESSIONS.format(root=root)
    rows = [
        (
            summary.name,
            summary.workshop_id or "—",
            _when(summary.created_at),
            _when(summary.updated_at),
            "—" if summary.project_count is None else str(summary.project_count),
            summary.state.value
            if summary.state is SessionState.OK
            else f"{summary.state.value} : {summary.problem or ''}".rstrip(" :"),
        )
        for summary in summaries
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADERS[:-1])]
    lines = []
    for row in (HEADERS, *rows):
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    lines.insert(1, "  ".join("─" * w for w in widths) + "  " + "─" * len(HEADERS[-1]))
    lines.append("")
    lines.append(FOOTER.format(count=len(summaries), root=root))
    return "\n".join(lines)
