"""Sequence 2: « Caractériser l'innovation sociale de son projet ».

First the step's intro pages (the consigne), then the phase view the room watches: which phase
(« 1/3 S'autoévaluer »), its instructions and prompts, the big countdown, and the projects
entered so far. The facilitator runs it from the keyboard:

- ^T (F5, Espace) start / pause, ^R (F6, −) / ^E (F7, +) one minute, ^N (F8) next phase,
  → next phase (past the last one: next step), ← back (docs/keyboard.md);
- ↑ ↓ choose a project, Entrée its grid, a add, e rename, Suppr remove;
- p the chosen project's profile, s the room's spread.

The rules (phase order, what moving on does to the timers) are in
:class:`atelier.domain.phases.PhaseRun`; every key saves the record right away.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static

from atelier.domain.assessment import project_profile
from atelier.domain.content_grid import Grid, Phase
from atelier.domain.content_programme import Step
from atelier.domain.follow import Projection, TimerView
from atelier.domain.page_flow import PageFlow, Section
from atelier.domain.phases import PhaseRun
from atelier.domain.session import Project
from atelier.domain.teams import room_progress
from atelier.domain.wording import format_minutes_short
from atelier.tui import labels
from atelier.tui.screens.base import (
    LETTER_BINDINGS,
    SAFE_BINDINGS_ARROWS_SHOWN,
    TURN_PAGE_BINDINGS,
)
from atelier.tui.screens.info import PagedScreen, intro_pages
from atelier.tui.screens.projects import (
    JoinCodeDialog,
    add_project,
    remove_project,
    rename_project,
)
from atelier.tui.widgets.big_timer import BigTimer
from atelier.tui.widgets.slide_view import Page

INTRO = "assessment-intro"
ROOM_REFRESH_S = 0.5
"""Phones' changes redraw the projector's list (and the room spread) at most this often."""
PHASES = "assessment-phases"

# Actions that only make sense on the phase view (hidden from the footer on the intro pages).
_PHASE_ACTIONS = {
    "choose_project",
    "open_grid",
    "rename_project",
    "remove_project",
    "profile",
    "join_code",
}
_PROJECT_ACTIONS = {"open_grid", "rename_project", "remove_project", "profile"}


def phase_strip(run: PhaseRun) -> str:
    """« ✔ 1 S'autoévaluer 10'   ▶ 2 Axes d'amélioration 12'   ○ 3 … » (symbols, not colour);
    each phase's minutes as its clock has them, ± minutes included."""
    parts = []
    for index, phase in enumerate(run.phases):
        seconds = (
            run.countdown.duration_s if index == run.index else run.timer_record(phase).duration_s
        )
        if index == run.index:
            mark = labels.PHASE_CURRENT
        elif run.timer_record(phase).started_at is not None or index < run.index:
            mark = labels.PHASE_DONE
        else:
            mark = labels.PHASE_TODO
        parts.append(
            labels.PHASE_STRIP_ITEM.format(
                mark=mark,
                number=index + 1,
                name=phase.name,
                minutes=format_minutes_short(seconds / 60),
            )
        )
    return labels.PHASE_STRIP_SEPARATOR.join(parts)


def phase_prompts(phase: Phase) -> str:
    return "\n".join(
        labels.PHASE_PROMPT.format(id=prompt.id, text=prompt.text) for prompt in phase.prompts
    )


def project_line(grid: Grid, project: Project) -> str:
    """« Épicerie solidaire (Marie, Paul) · 8/12 critères · ✚ 2 »."""
    profile = project_profile(grid, project)
    text = project.name
    if project.carriers:
        text += labels.PROJECT_CARRIERS_SUFFIX.format(carriers=project.carriers)
    text += labels.PROJECT_SCORED.format(scored=profile.scored_count, total=profile.criterion_count)
    if profile.progress_count:
        text += labels.PROJECT_PROGRESS_COUNT.format(count=profile.progress_count)
    if project.phones is not None:
        text += labels.PROJECT_FROM_PHONE
    return text


def projects_title(grid: Grid, projects: list[Project]) -> str:
    """« 5 projets, 3 grilles complètes — ↑↓ choisir · Entrée : sa grille » (and the key of
    the teams' join codes once a project came from a phone)."""
    progress = room_progress(grid, projects)
    title = labels.PROJECTS_TITLE_PHONES if progress.from_phones else labels.PROJECTS_TITLE
    return title.format(
        projects=labels.counted(labels.PROJECTS_COUNT, progress.projects),
        complete=labels.counted(labels.PROJECTS_COMPLETE, progress.complete),
    )


class AssessmentScreen(PagedScreen, inherit_bindings=False):
    """The step's intro pages, then its phases (the flow's core); no closing pages."""

    CSS_PATH = "assessment.tcss"
    SECTION_NAMES = {Section.BEFORE: INTRO, Section.CORE: PHASES, Section.AFTER: "-"}
    PAGES_VIEW = INTRO
    CORE_VIEW = PHASES

    # Not inherited but listed, so the footer shows this screen's keys first. This screen has
    # no text field (the dialogs and the grid are screens of their own): single keys work.
    BINDINGS = [
        *TURN_PAGE_BINDINGS,
        *SAFE_BINDINGS_ARROWS_SHOWN,
        Binding("enter", "open_grid", labels.KEY_GRID),
        Binding("a", "add_project", labels.KEY_ADD_PROJECT),
        Binding("e", "rename_project", labels.KEY_RENAME_PROJECT),
        Binding("delete", "remove_project", labels.KEY_REMOVE_PROJECT, key_display="Suppr"),
        Binding("p", "profile", labels.KEY_PROFILE),
        Binding("s", "room", labels.KEY_ROOM),
        Binding("c", "join_code", labels.KEY_JOIN_CODE),  # a phone's project only: private
        Binding("down", "choose_project(1)", labels.KEY_CHOOSE_PROJECT, show=False),
        Binding("up", "choose_project(-1)", labels.KEY_CHOOSE_PROJECT, show=False),
        *LETTER_BINDINGS,
        Binding("space", "page_next", show=False),  # on the intro pages (no timer there)
        *Screen.BINDINGS,
    ]

    def __init__(self, step: Step) -> None:
        super().__init__(step)
        self.run: PhaseRun | None = None
        self.selected: str | None = None
        """Id of the chosen project (Entrée, e, Suppr, p act on it)."""
        self._row_ids: list[str] = []
        self._room_refresh_due = False

    # -- composing ---------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        app = self.atelier
        assert app.workshop.assessment is not None
        self.run = PhaseRun(app.workshop.assessment, app.record, app.clock)
        self.before = intro_pages(app.workshop, self.step)
        # A step already under way (a resumed session) opens on its current phase.
        self.flow = PageFlow.start(len(self.before), 0, resume_in_core=self.run.begun)
        if app.record.projects:
            self.selected = app.record.projects[0].id
        with ContentSwitcher(initial=self.section, id="assessment"):
            with Vertical(id=INTRO):
                yield Page(self.before[0] if self.before else "", id="page")
                yield Static("", id="page-counter")
            with Vertical(id=PHASES):
                yield Static("", id="phase-strip", markup=False)
                yield Static("", id="phase-title", markup=False)
                yield Static("", id="phase-instructions", markup=False)
                with Center(id="phase-prompts-box"):
                    yield Static("", id="phase-prompts", markup=False)
                yield BigTimer(self.run.countdown, id="phase-timer")
                with Vertical(id="assessment-projects"):
                    yield Static("", id="projects-title", markup=False)
                    yield VerticalScroll(id="project-rows", can_focus=False)

    async def on_mount(self) -> None:
        if self.flow.in_core:
            await self.show_position()
        else:
            page = self.query_one("#page", Page)
            self.query_one("#page-counter", Static).update(self._page_counter(page))

    # -- showing -----------------------------------------------------------------------------

    async def prepare_core(self) -> None:
        run = self.run
        assert run is not None
        if not run.begun:
            run.begin()
            await self.atelier.persist()

    async def show_core(self) -> None:
        self.set_focus(None)  # every key of the phase view is the screen's own
        self.refresh_phase()
        await self.refresh_projects()

    def projection(self) -> Projection:
        run = self.run
        if run is None or not self.flow.in_core:
            return super().projection()
        phase = run.phase
        heading = labels.PHASE_HEADING.format(index=run.index + 1, count=run.count, name=phase.name)
        return self.projected(
            heading=heading,
            page_markdown=phase.instructions.strip(),
            extra=tuple(labels.PHASE_PROMPT.format(id=p.id, text=p.text) for p in phase.prompts),
            timer=TimerView.of(phase.name, run.countdown, self.atelier.clock.monotonic()),
            teams_open=True,
        )

    def refresh_phase(self) -> None:
        run = self.run
        assert run is not None
        phase = run.phase
        self.query_one("#phase-strip", Static).update(phase_strip(run))
        self.query_one("#phase-title", Static).update(
            labels.PHASE_HEADING.format(index=run.index + 1, count=run.count, name=phase.name)
        )
        self.query_one("#phase-instructions", Static).update(phase.instructions.strip())
        self.query_one("#phase-prompts", Static).update(phase_prompts(phase))
        self.query_one("#phase-prompts-box").display = bool(phase.prompts)
        timer = self.query_one(BigTimer)
        if timer.countdown is not run.countdown:
            timer.set_countdown(run.countdown)
        else:
            timer.refresh_clock()

    async def refresh_projects(self) -> None:
        app = self.atelier
        grid = app.workshop.grid
        assert grid is not None
        projects = app.record.projects
        ids = [p.id for p in projects]
        if self.selected not in ids:
            self.selected = ids[0] if ids else None
        self.query_one("#projects-title", Static).update(
            projects_title(grid, projects) if projects else labels.PROJECTS_NONE
        )
        rows = self.query_one("#project-rows", VerticalScroll)
        rows.display = bool(projects)
        existing = list(rows.children)
        if ids == self._row_ids and len(existing) == len(projects):
            # Same projects (a phone changed one): new texts in place, no remount.
            for row, project in zip(existing, projects, strict=True):
                is_chosen = project.id == self.selected
                marker = labels.PROJECT_CHOSEN if is_chosen else labels.PROJECT_NOT_CHOSEN
                if isinstance(row, Static):
                    row.update(f"{marker}{project_line(grid, project)}")
                row.set_class(is_chosen, "-chosen")
                if is_chosen:
                    rows.scroll_to_widget(row, animate=False, immediate=True)
            self.refresh_bindings()
            return
        await rows.remove_children()
        self._row_ids = ids
        chosen: Static | None = None
        for project in projects:
            is_chosen = project.id == self.selected
            marker = labels.PROJECT_CHOSEN if is_chosen else labels.PROJECT_NOT_CHOSEN
            row = Static(
                f"{marker}{project_line(grid, project)}",
                markup=False,
                classes="project-row -chosen" if is_chosen else "project-row",
            )
            await rows.mount(row)
            if is_chosen:
                chosen = row
        if chosen is not None:
            rows.scroll_to_widget(chosen, animate=False, immediate=True)
        self.refresh_bindings()

    def chosen_project(self) -> Project | None:
        if self.selected is None:
            return None
        try:
            return self.atelier.record.project(self.selected)
        except KeyError:
            return None

    # -- bindings ----------------------------------------------------------------------------

    def timer_available(self) -> bool:
        # Espace has two bindings: the timer on the phase view, the next page on the intro.
        return self.flow.in_core

    def onward_available(self) -> bool | None:
        if not self.flow.in_core:
            return False
        return None if self.run is not None and self.run.is_last else True

    def live_activity(self) -> str | None:
        running = self.run is not None and self.run.countdown.running
        return labels.QUIT_TIMER_RUNS if running else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _PHASE_ACTIONS and not self.flow.in_core:
            return False
        if action in _PROJECT_ACTIONS:
            return self.chosen_project() is not None
        if action == "join_code":
            project = self.chosen_project()
            return project is not None and project.phones is not None
        return super().check_action(action, parameters)

    # -- timer -------------------------------------------------------------------------------

    async def _timer_changed(self) -> None:
        self.refresh_phase()
        await self.atelier.persist()

    async def action_timer_toggle(self) -> None:
        assert self.run is not None
        self.run.toggle()
        await self._timer_changed()

    async def action_timer_minus(self) -> None:
        assert self.run is not None
        self.run.add_minutes(-1)
        await self._timer_changed()

    async def action_timer_plus(self) -> None:
        assert self.run is not None
        self.run.add_minutes(1)
        await self._timer_changed()

    async def action_onward(self) -> None:
        """^N / F8: the next phase (never past the last one: that is the next page)."""
        assert self.run is not None
        if self.flow.in_core and self.run.next():
            await self._timer_changed()
            self.refresh_bindings()

    @on(BigTimer.Expired)
    async def expired(self) -> None:
        assert self.run is not None
        self.run.capture()
        await self.atelier.persist()

    # -- moving ------------------------------------------------------------------------------

    async def core_forward(self) -> bool:
        """→ on the phases: the next phase; past the last one the step is over."""
        run = self.run
        assert run is not None
        if run.next():
            await self._timer_changed()
            self.refresh_bindings()
            return True
        run.finish()
        return False

    async def core_backward(self) -> bool:
        run = self.run
        assert run is not None
        if run.previous():
            await self._timer_changed()
            self.refresh_bindings()
            return True
        return False

    # -- projects ----------------------------------------------------------------------------

    async def action_choose_project(self, delta: int) -> None:
        ids = [p.id for p in self.atelier.record.projects]
        if not ids:
            return
        index = ids.index(self.selected) if self.selected in ids else 0
        self.selected = ids[(index + delta) % len(ids)]
        await self.refresh_projects()

    async def _projects_changed(self, project: Project | None) -> None:
        if project is not None:
            self.selected = project.id
        if self.flow.in_core:
            await self.refresh_projects()

    def action_add_project(self) -> None:
        add_project(self.atelier, self._projects_changed)

    def action_rename_project(self) -> None:
        project = self.chosen_project()
        if project is not None:
            rename_project(self.atelier, project, self._projects_changed)

    def action_remove_project(self) -> None:
        project = self.chosen_project()
        if project is not None:
            remove_project(self.atelier, project, self._projects_changed)

    def action_open_grid(self) -> None:
        project = self.chosen_project()
        if project is None:
            return
        from atelier.tui.screens.grid_entry import GridEntryScreen

        async def closed(_: None) -> None:
            await self.refresh_projects()
            self.refresh_phase()

        self.app.push_screen(GridEntryScreen(self.step, project.id, self.run), closed)

    def action_profile(self) -> None:
        project = self.chosen_project()
        if project is None:
            return
        from atelier.tui.screens.assessment_summary import ProfileScreen

        self.app.push_screen(ProfileScreen(self.step, project.id), self._summary_closed)

    def action_join_code(self) -> None:
        project = self.chosen_project()
        if project is not None and project.phones is not None:
            self.app.push_screen(JoinCodeDialog(project))

    def action_room(self) -> None:
        from atelier.tui.screens.assessment_summary import RoomSpreadScreen

        self.app.push_screen(RoomSpreadScreen(self.step), self._summary_closed)

    async def _summary_closed(self, _: None) -> None:
        if self.flow.in_core:
            await self.refresh_projects()

    async def room_projects_changed(self, project_ids: list[str]) -> None:
        """Phones changed these projects (saved already): the list and its counts follow,
        redrawn at most every :data:`ROOM_REFRESH_S` however many phones write."""
        if not self.flow.in_core or not self.is_mounted or self._room_refresh_due:
            return
        self._room_refresh_due = True
        self.set_timer(ROOM_REFRESH_S, self._room_refresh)

    async def _room_refresh(self) -> None:
        self._room_refresh_due = False
        if self.flow.in_core and self.is_mounted:
            await self.refresh_projects()

    # -- saving ------------------------------------------------------------------------------

    async def flush(self) -> None:
        if self.run is not None:
            self.run.capture()
