"""The pitch round's small windows, none with a text field (single letters are safe there):
the menu of a project in the queue, and the volunteers to tick (« ✓ » / « ☐ »)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from atelier.domain.session import Project
from atelier.domain.teams import wants_to_pitch
from atelier.tui import labels, safe_text


class QueueMenu(ModalScreen[str | None]):
    """What to do with the highlighted project (or, with none, with the queue): one key each.
    Dismissed with the chosen action's name, or None."""

    BINDINGS = [
        *(
            Binding(key, f"choose('{action}')", show=False)
            for key, action, _, _ in labels.PITCH_MENU
        ),
        Binding("escape", "choose('')", labels.KEY_CLOSE),
    ]

    def __init__(self, project: Project | None) -> None:
        super().__init__()
        self.project = project

    def _entries(self) -> list[tuple[str, str, str, str]]:
        if self.project is None:
            return [e for e in labels.PITCH_MENU if e[1] in {"volunteers", "add"}]
        return list(labels.PITCH_MENU)

    def compose(self) -> ComposeResult:
        title = (
            labels.PITCH_MENU_TITLE.format(name=self.project.name)
            if self.project is not None
            else labels.PITCH_MENU_NOBODY
        )
        lines = "\n".join(f"{shown:>6}  {text}" for _, _, shown, text in self._entries())
        with Vertical(classes="dialog", id="pitch-menu"):
            yield Static(title, classes="dialog-title", markup=False)
            yield Static(lines, markup=False)
            yield Static(labels.PITCH_MENU_HINT, classes="dialog-hint")

    def action_choose(self, action: str) -> None:
        allowed = {e[1] for e in self._entries()}
        self.dismiss(action if action in allowed else None)


def volunteer_line(project: Project, ticked: bool) -> str:
    """« ✓ Épicerie solidaire » / « ☐ Vélo-école »: the glyph says it, not the colour."""
    mark = labels.PITCH_TICKED if ticked else labels.PITCH_UNTICKED
    return f"{mark}  {project.name}"


def took_part_in_assessment(project: Project) -> bool:
    """The project was worked on during the self-assessment (a level, a text)."""
    return (
        any(
            score.level or score.comment.strip() or score.progress
            for score in project.scores.values()
        )
        or bool(project.improvement_axes.strip())
        or any(text.strip() for text in project.pitch_prep.values())
    )


def preticked(projects: list[Project]) -> set[str]:
    """Who starts ticked: the volunteers already chosen and the teams that asked from their
    phone (« Je veux pitcher »); before any, the projects of the assessment."""
    chosen = {p.id for p in projects if p.pitch.volunteer or wants_to_pitch(p)}
    if chosen:
        return chosen
    return {p.id for p in projects if took_part_in_assessment(p)}


class VolunteersDialog(ModalScreen[list[str] | None]):
    """Tick the session's projects that pitch (Espace), Entrée to keep, Échap to forget.
    Ticked rows show « ✓ », unticked « ☐ »; confirming with none ticked says so and stays."""

    BINDINGS = [
        Binding("space", "toggle", labels.KEY_PITCH_VOLUNTEERS, show=False),
        Binding("enter", "keep", labels.KEY_CLOSE, priority=True),
        Binding("escape", "cancel", labels.KEY_CLOSE),
    ]

    def __init__(self, projects: list[Project]) -> None:
        super().__init__()
        self.projects = projects
        self.ticked: set[str] = preticked(projects)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pitch-volunteers"):
            yield Static(labels.PITCH_VOLUNTEERS_TITLE, classes="dialog-title")
            if self.projects:
                yield OptionList(
                    *[
                        Option(safe_text.plain(volunteer_line(p, p.id in self.ticked)), id=p.id)
                        for p in self.projects
                    ],
                    id="pitch-volunteer-list",
                )
            else:
                yield Static(labels.PITCH_VOLUNTEERS_NONE)
            yield Static("", id="pitch-volunteers-error", markup=False)
            yield Static(labels.PITCH_VOLUNTEERS_HINT, classes="dialog-hint")

    def action_toggle(self) -> None:
        if not self.projects:
            return
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            return
        project = self.projects[index]
        self.ticked ^= {project.id}
        options.replace_option_prompt_at_index(
            index, safe_text.plain(volunteer_line(project, project.id in self.ticked))
        )
        self.query_one("#pitch-volunteers-error", Static).update("")

    def action_keep(self) -> None:
        if not self.projects:
            self.dismiss(None)
            return
        if not self.ticked:
            self.query_one("#pitch-volunteers-error", Static).update(
                labels.PITCH_VOLUNTEERS_NONE_TICKED
            )
            self.app.bell()
            return
        self.dismiss([p.id for p in self.projects if p.id in self.ticked])

    def action_cancel(self) -> None:
        self.dismiss(None)
