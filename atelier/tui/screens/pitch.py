"""Sequence 4: the pitch round. The step's intro pages (the consignes), then the round — the
queue, the project on stage with its big timer (pitch, then exchange), the pitch prompts, its
pitch preparation for reference and one notes field per feedback category — then the
end-of-round table.

Every rule is in :class:`atelier.domain.pitch.PitchRound`; this screen renders it. The timer
keys are F-keys bound with ``priority`` so they work while a notes field has focus (a focused
TextArea eats printable keys and binds F6/F7 itself). Typed notes go into the record at once
and are saved 0.5 s after typing stops, when the focus leaves a field, on every timer or
queue command, and by :meth:`flush` when the step changes or the app quits.
"""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, OptionList, SelectionList, Static, TextArea
from textual.widgets.option_list import Option

from atelier.domain.content import Step, Workshop, format_clock_time
from atelier.domain.countdown import format_duration
from atelier.domain.pitch import (
    FREE_NOTES,
    PitchRound,
    SummaryRow,
    TimerKind,
    planned_end_of,
)
from atelier.domain.session import PitchStatus, Project
from atelier.tui import labels, safe_text
from atelier.tui.screens.base import StepScreen
from atelier.tui.screens.info import closing_pages, intro_pages, page_counter
from atelier.tui.typography import french_spacing
from atelier.tui.widgets.big_text import BigText
from atelier.tui.widgets.big_timer import BigTimer
from atelier.tui.widgets.key_footer import KeyFooter
from atelier.tui.widgets.slide_view import Page

AUTOSAVE_DELAY_S = 0.5
"""Quiet time after the last keystroke before the notes are saved (the issue asks ≤ 1 s)."""
CHECKPOINT_INTERVAL_S = 10.0
"""While a clock runs, its elapsed time is saved this often (a kill -9 loses at most this)."""
BUDGET_INTERVAL_S = 5.0
"""The « ~6 min chacun » line changes once a minute at most; no need to look more often."""

_INTRO, _ROUND, _SUMMARY = "intro", "round", "summary"
_TIMER_ACTIONS = {"toggle_timer", "exchange", "next_project", "add_minute", "room_mode"}
_QUEUE_ACTIONS = {"add_project", "pick_volunteers", "leave_field"}


# -- what the screen shows, as plain functions (tested without an app) ----------------------------


def minutes_text(minutes: float) -> str:
    """« 2 min », « 1 min 30 s »."""
    whole, seconds = divmod(round(minutes * 60), 60)
    return f"{whole} min {seconds:02d} s" if seconds else f"{whole} min"


def duration_text(seconds: float) -> str:
    return format_duration(round(seconds), pad_minutes=False)


def budget_text(pitch_round: PitchRound) -> str:
    """« 3 projet(s), 20 min → ~6 min chacun », or how late the round runs."""
    budget = pitch_round.budget()
    if budget is None:
        return ""
    end = format_clock_time(budget.planned_end.time())
    if budget.overrun:
        return labels.PITCH_BUDGET_OVER.format(end=end, minutes=-budget.minutes_left)
    if budget.minutes_each is None:
        return labels.PITCH_BUDGET_NONE.format(end=end, minutes=budget.minutes_left)
    return labels.PITCH_BUDGET.format(
        projects=budget.projects, minutes=budget.minutes_left, each=budget.minutes_each
    )


def queue_line(project: Project, position: int, current_id: str | None) -> str:
    status = project.pitch.status
    if project.id != current_id and status in (PitchStatus.PITCHING, PitchStatus.EXCHANGE):
        text = labels.PITCH_PARKED.format(name=project.name)
    else:
        text = labels.PITCH_STATUS[status.value].format(name=project.name)
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
            f"| {labels.PITCH_SUMMARY_STATES[row.status.value]} |"
        )
    return title + "\n".join(lines) + "\n\n*" + labels.PITCH_SUMMARY_LEGEND + "*\n"


# -- widgets -------------------------------------------------------------------------------------


class NoteArea(TextArea):
    """One notes field of the project on stage: a feedback category, or the free notes.

    The cursor does not blink: on a projector a blinking block distracts the room, and it
    would repaint the screen twice a second for nothing."""

    def __init__(self, field: str | None, **kwargs: Any) -> None:
        super().__init__(
            "",
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            placeholder=labels.PITCH_NOTES_PLACEHOLDER,
            **kwargs,
        )
        self.field = field
        self.project_id: str | None = None
        """Whose text the field holds (set when loaded; a Changed from another is ignored)."""
        self.cursor_blink = False


class QueueList(OptionList):
    """The pitching order; the keys act on the highlighted project."""

    # Not in the footer (the timer keys need its room): the hint under the list says them.
    BINDINGS = [
        Binding("enter", "select", labels.KEY_PITCH_TAKE, show=False),
        Binding("s", "screen.skip_highlighted", labels.KEY_PITCH_SKIP, show=False),
        Binding("d", "screen.done_highlighted", labels.KEY_PITCH_DONE, show=False),
        Binding("r,delete", "screen.withdraw_highlighted", labels.KEY_PITCH_WITHDRAW, show=False),
        Binding("shift+up", "screen.move_highlighted(-1)", labels.KEY_PITCH_UP, show=False),
        Binding("shift+down", "screen.move_highlighted(1)", labels.KEY_PITCH_DOWN, show=False),
    ]


class VolunteersDialog(ModalScreen[list[str] | None]):
    """Tick the session's projects that pitch (Space), Enter to keep, Escape to forget."""

    BINDINGS = [
        Binding("enter", "keep", labels.KEY_CLOSE, priority=True),
        Binding("escape", "cancel", labels.KEY_CLOSE),
    ]

    def __init__(self, projects: list[Project]) -> None:
        super().__init__()
        self.projects = projects

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pitch-volunteers"):
            yield Static(labels.PITCH_VOLUNTEERS_TITLE, classes="dialog-title")
            if self.projects:
                yield SelectionList[str](
                    *[(safe_text.plain(p.name), p.id, p.pitch.volunteer) for p in self.projects],
                    id="pitch-volunteer-list",
                )
            else:
                yield Static(labels.PITCH_VOLUNTEERS_NONE)
            yield Static(labels.PITCH_VOLUNTEERS_HINT, classes="dialog-hint")

    def action_keep(self) -> None:
        if not self.projects:
            self.dismiss(None)
            return
        chosen = set(self.query_one(SelectionList).selected)
        self.dismiss([p.id for p in self.projects if p.id in chosen])

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- the screen ----------------------------------------------------------------------------------


class PitchScreen(StepScreen, inherit_bindings=False):
    CSS_PATH = "pitch.tcss"

    # The timer keys come first so the footer shows them first (it lists bindings in order and
    # cuts what does not fit at 80 columns): the inherited bindings are restated after them.
    BINDINGS = [
        Binding("f5", "toggle_timer", labels.KEY_TIMER_TOGGLE, priority=True),
        Binding("f6", "exchange", labels.KEY_PITCH_EXCHANGE, priority=True),
        Binding("f7", "next_project", labels.KEY_PITCH_NEXT_PROJECT, priority=True),
        Binding("f3", "add_minute(-1)", labels.KEY_MINUS_MINUTE, priority=True),
        Binding("f4", "add_minute(1)", labels.KEY_PLUS_MINUTE, priority=True),
        Binding("f8", "room_mode", labels.KEY_PITCH_ROOM, priority=True),
        # Outside a notes field the keys of the pause screen work too.
        Binding("space", "toggle_timer", labels.KEY_TIMER_TOGGLE, show=False),
        Binding("space", "next", labels.KEY_NEXT, show=False),  # on the pages
        Binding("plus,equals_sign", "add_minute(1)", labels.KEY_PLUS_MINUTE, show=False),
        Binding("minus", "add_minute(-1)", labels.KEY_MINUS_MINUTE, show=False),
        Binding("a", "add_project", labels.KEY_PITCH_ADD, show=False),
        Binding("v", "pick_volunteers", labels.KEY_PITCH_VOLUNTEERS, show=False),
        Binding("escape", "leave_field", labels.KEY_PITCH_LEAVE_FIELD, show=False),
        Binding("down", "scroll_page(1)", show=False),
        Binding("up", "scroll_page(-1)", show=False),
        *StepScreen.BINDINGS,
        *Screen.BINDINGS,
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    # The screen places the focus itself (nothing on the pages, the notes or the queue in the
    # round): Textual's auto-focus gave it to the first page, whose scroll keys then hid
    # « → Suivant » from the footer.
    AUTO_FOCUS = ""

    def __init__(self, step: Step) -> None:
        super().__init__(step)
        self.section = _INTRO
        self.page_index = 0
        self.before: list[str] = []
        self.after: list[str] = []
        self.room_mode = False
        self._focus_before_room: Widget | None = None
        self._autosave_timer: Timer | None = None
        self._shown_head: tuple[str, ...] | None = None
        self._shown_queue: list[tuple[str, str]] | None = None
        self._shown_budget: str | None = None
        self._notes_for: str | None = ""  # "" = never loaded

    # -- building ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        app = self.atelier
        rules = app.workshop.pitch
        assert rules is not None
        self.round = PitchRound(
            rules,
            app.record,
            app.clock,
            planned_end_of(app.workshop, self.step.id),
            shift=app.programme.schedule_shift(),
        )
        self.prompts = prep_prompts(app.workshop)
        self.before = intro_pages(app.workshop, self.step)
        self.after = closing_pages(app.workshop, self.step)
        # A round already under way (a resumed session) opens on the round.
        self.section = _INTRO if self.before and not self.round.queue else _ROUND
        with ContentSwitcher(
            initial="pitch-round" if self.section == _ROUND else "pitch-pages",
            id="pitch-switcher",
        ):
            with Vertical(id="pitch-pages"):
                yield Page(self.before[0] if self.before else "", id="page")
                yield Static("", id="page-counter")
            with Vertical(id="pitch-round"):
                with Horizontal(id="pitch-top"):
                    with Vertical(id="pitch-side"):
                        yield Static(labels.PITCH_QUEUE_TITLE, classes="pitch-heading")
                        yield QueueList(id="pitch-queue")
                        yield Static(labels.PITCH_QUEUE_HINT, id="pitch-queue-hint")
                        yield Static("", id="pitch-budget")
                        yield Static(labels.PITCH_PREP_TITLE, classes="pitch-heading")
                        with VerticalScroll(id="pitch-prep"):
                            yield Static("", id="pitch-prep-text")
                    with Vertical(id="pitch-main"):
                        with Horizontal(id="pitch-head"):
                            yield Static("", id="pitch-name", markup=False)
                            yield Static("", id="pitch-phase", markup=False)
                        yield BigTimer(None, id="pitch-timer")
                        yield Static("", id="pitch-prompts", markup=False)
                        # the room mode: the same prompts in block letters, one a line
                        yield BigText("", wrap=True, id="pitch-prompts-big")
                # Full width under both: long category titles wrap on fewer lines.
                with Grid(id="pitch-notes"):
                    fields = [(c.id, c.label) for c in rules.feedback_categories]
                    fields.append((FREE_NOTES, labels.PITCH_FREE_NOTES))
                    for field, label in fields:
                        with Vertical(classes="pitch-note"):
                            yield Static(label, classes="pitch-note-label", markup=False)
                            yield NoteArea(field, disabled=True)

    async def on_mount(self) -> None:
        # At 80 columns every timer key must fit in the footer: no padding, no palette hint
        # (ctrl+p still opens it).
        footer = self.query_one(KeyFooter)
        footer.compact = True
        footer.show_command_palette = False
        self.render_round()
        self.set_interval(CHECKPOINT_INTERVAL_S, self._checkpoint)
        self.set_interval(BUDGET_INTERVAL_S, self._render_budget)
        if self.section == _INTRO:
            await self._show_pages(_INTRO, 0)
        else:
            self._enter_round()

    # -- rendering ---------------------------------------------------------------------------

    def _stack_head(self) -> None:
        """The project's name on a line of its own, the phase under it, when both do not fit
        side by side: a name is never broken to make room for « ÉCHANGE · 15 min »."""
        if self._shown_head is None:
            return
        name, phase, _prompts = self._shown_head
        head = self.query_one("#pitch-head")
        width = head.size.width or self.size.width
        head.set_class(len(name) + len(phase) + 2 > width, "-stacked")

    def on_resize(self) -> None:
        self._stack_head()

    def render_round(self) -> None:
        """Bring every part of the round up to date with the domain (cheap: each part is
        only touched when its text changed)."""
        pitch_round = self.round
        project = pitch_round.current
        timer = self.query_one("#pitch-timer", BigTimer)
        countdown = pitch_round.active_countdown
        if timer.countdown is not countdown:
            timer.set_countdown(countdown)
        else:
            timer.refresh_clock()
        self._render_head(project)
        self._render_queue()
        self._render_budget()
        if self._notes_for != (project.id if project else None):
            self._load_notes(project)
            self.query_one("#pitch-prep-text", Static).update(prep_content(project, self.prompts))
            self.query_one("#pitch-prep", VerticalScroll).scroll_home(animate=False)

    def _render_head(self, project: Project | None) -> None:
        pitch_round = self.round
        rules = pitch_round.rules
        if project is None:
            name = labels.PITCH_NOBODY
            phase = ""
            prompts = labels.PITCH_ROUND_OVER if pitch_round.finished else labels.PITCH_NOBODY_HINT
            room_prompts = prompts
        else:
            queue = pitch_round.queue
            position = labels.PITCH_POSITION.format(
                position=queue.index(project) + 1, count=len(queue)
            )
            name = f"{position} · {project.name}"
            kind = pitch_round.active_kind
            if project.pitch.status is PitchStatus.DONE:
                phase = labels.PITCH_PHASE_DONE
            elif kind is TimerKind.PITCH:
                phase = labels.PITCH_PHASE_PITCH.format(minutes=minutes_text(rules.pitch_minutes))
            else:
                phase = labels.PITCH_PHASE_EXCHANGE.format(
                    minutes=minutes_text(rules.exchange_minutes)
                )
            # The room reads what the pitch should say, then what the feedback is about.
            items = (
                rules.pitch_prompts
                if kind is TimerKind.PITCH
                else tuple(c.label for c in rules.feedback_categories)
            )
            prompts = "   ".join(f"• {item}" for item in items)
            room_prompts = "\n".join(f"• {item}" for item in items)
        exchange = project is not None and pitch_round.active_kind is TimerKind.EXCHANGE
        self.query_one("#pitch-round").set_class(exchange, "-exchange")
        head = (name, phase, prompts)
        if head == self._shown_head:
            return
        self._shown_head = head
        self._stack_head()
        self.query_one("#pitch-name", Static).update(name)
        self.query_one("#pitch-phase", Static).update(phase)
        self.query_one("#pitch-prompts", Static).update(prompts)
        big = self.query_one("#pitch-prompts-big", BigText)
        big.text = french_spacing(room_prompts)

    def _render_queue(self) -> None:
        pitch_round = self.round
        current = pitch_round.current
        current_id = current.id if current else None
        lines = [(p.id, queue_line(p, n, current_id)) for n, p in enumerate(pitch_round.queue, 1)]
        if lines == self._shown_queue:
            return
        self._shown_queue = lines
        queue = self.query_one(QueueList)
        highlighted = queue.highlighted_option.id if queue.highlighted_option else current_id
        queue.clear_options()
        if lines:
            queue.add_options(
                [Option(safe_text.plain(text), id=project_id) for project_id, text in lines]
            )
            ids = [project_id for project_id, _ in lines]
            if highlighted in ids:
                queue.highlighted = ids.index(highlighted)
            elif current_id in ids:
                queue.highlighted = ids.index(current_id)
            else:
                queue.highlighted = 0
        else:
            queue.add_option(Option(labels.PITCH_QUEUE_EMPTY, disabled=True))

    def _render_budget(self) -> None:
        text = budget_text(self.round)
        if text != self._shown_budget:
            self._shown_budget = text
            self.query_one("#pitch-budget", Static).update(text)

    def _load_notes(self, project: Project | None) -> None:
        """Show the project's notes. ``load_text`` posts Changed: the handler compares with
        the record, so loading never counts as typing (and never saves)."""
        for area in self.query(NoteArea):
            text = self.round.note(project, area.field) if project else ""
            area.project_id = project.id if project else None
            if area.text != text:
                area.load_text(text)
            area.disabled = project is None
        self._notes_for = project.id if project else None

    # -- sections: intro pages, the round, the summary ---------------------------------------

    def _section_pages(self) -> list[str]:
        if self.section == _INTRO:
            return self.before
        return [summary_markdown(self.round.summary()), *self.after]

    def on_page_paginated(self, event: Page.Paginated) -> None:
        if self.section != _ROUND:
            self._update_counter(event.page)

    def _update_counter(self, page: Page) -> None:
        """« 2 / 3 · partie 1 / 2 » under the intro or summary page."""
        count = len(self._section_pages())
        self.query_one("#page-counter", Static).update(page_counter(self.page_index, count, page))

    async def _show_pages(self, section: str, index: int, *, at_end: bool = False) -> None:
        self.section = section
        pages = self._section_pages()
        self.page_index = index
        self.query_one(ContentSwitcher).current = "pitch-pages"
        page = self.query_one("#page", Page)
        await page.show(pages[index], at_end=at_end)
        self._update_counter(page)
        # Nothing focused: → and ← are the screen's (a focused page would show its own
        # scroll keys in the footer instead); ↑ ↓ scroll the page.
        self.set_focus(None)
        self.refresh_bindings()

    def _enter_round(self) -> None:
        self.section = _ROUND
        self.query_one(ContentSwitcher).current = "pitch-round"
        self.render_round()
        if self.round.current is not None:
            self.query_one(NoteArea).focus()
        else:
            self.query_one(QueueList).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Timer and queue keys belong to the round: hidden on the intro and summary pages."""
        if action in _TIMER_ACTIONS or action in _QUEUE_ACTIONS:
            return self.section == _ROUND
        if action == "scroll_page":
            return self.section != _ROUND
        return True

    async def action_next(self) -> None:
        if self.section != _ROUND and self.query_one("#page", Page).next_part():
            return
        if self.section == _ROUND:
            await self._save()
            await self._show_pages(_SUMMARY, 0)
        elif self.page_index + 1 < len(self._section_pages()):
            await self._show_pages(self.section, self.page_index + 1)
        elif self.section == _INTRO:
            self._enter_round()
        else:
            await self.atelier.next_step()

    async def action_previous(self) -> None:
        if self.section != _ROUND and self.query_one("#page", Page).previous_part():
            return
        if self.section == _ROUND:
            if self.before:
                await self._save()
                await self._show_pages(_INTRO, len(self.before) - 1, at_end=True)
            else:
                await self.atelier.previous_step()
        elif self.page_index > 0:
            await self._show_pages(self.section, self.page_index - 1, at_end=True)
        elif self.section == _SUMMARY:
            self._enter_round()
        else:
            await self.atelier.previous_step()

    def action_scroll_page(self, direction: int) -> None:
        page = self.query_one("#page", Page)
        if direction > 0:
            page.scroll_down(animate=False)
        else:
            page.scroll_up(animate=False)

    # -- timer keys --------------------------------------------------------------------------

    async def action_toggle_timer(self) -> None:
        if self.round.toggle():
            await self._commit()

    async def action_exchange(self) -> None:
        if self.round.to_exchange():
            await self._commit()

    async def action_next_project(self) -> None:
        self.round.next_project()
        await self._commit()
        if self.round.finished:
            await self._show_pages(_SUMMARY, 0)

    async def action_add_minute(self, minutes: int) -> None:
        if self.round.add_minutes(minutes):
            await self._commit()

    def action_room_mode(self) -> None:
        """Hide the notes (and the queue) from the projection; the same key shows them."""
        self.room_mode = not self.room_mode
        self.query_one("#pitch-round").set_class(self.room_mode, "-room")
        if self.room_mode:
            self._focus_before_room = self.focused
            self.set_focus(None)
        else:
            previous, self._focus_before_room = self._focus_before_room, None
            if previous is not None and previous.is_attached and previous.focusable:
                previous.focus()

    @on(BigTimer.Expired)
    async def _expired(self) -> None:
        await self._save()

    # -- queue keys --------------------------------------------------------------------------

    def _highlighted_id(self) -> str | None:
        option = self.query_one(QueueList).highlighted_option
        return option.id if option is not None and not option.disabled else None

    @on(OptionList.OptionSelected, "#pitch-queue")
    async def _take(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None and self.round.select(event.option.id):
            await self._commit()
            self.query_one(NoteArea).focus()

    async def action_skip_highlighted(self) -> None:
        project_id = self._highlighted_id()
        if project_id is not None and self.round.skip(project_id):
            await self._commit()

    async def action_done_highlighted(self) -> None:
        project_id = self._highlighted_id()
        if project_id is not None and self.round.mark_done(project_id):
            await self._commit()

    async def action_withdraw_highlighted(self) -> None:
        project_id = self._highlighted_id()
        if project_id is None:
            return
        if project_id == self.round.record.current_pitch_project:
            self.notify(labels.PITCH_CANNOT_WITHDRAW)
        elif self.round.withdraw(project_id):
            await self._commit()

    async def action_move_highlighted(self, delta: int) -> None:
        project_id = self._highlighted_id()
        if project_id is not None and self.round.move(project_id, delta):
            await self._commit()
            ids = [p.id for p in self.round.queue]
            self.query_one(QueueList).highlighted = ids.index(project_id)

    def action_pick_volunteers(self) -> None:
        async def chosen(ids: list[str] | None) -> None:
            if ids is None:
                return
            for project in self.round.queue:
                if project.id not in ids and project.id != self.round.record.current_pitch_project:
                    self.round.withdraw(project.id)
            for project_id in ids:
                self.round.add_volunteer(project_id)
            await self._commit()

        self.app.push_screen(VolunteersDialog(list(self.atelier.record.projects)), chosen)

    def action_add_project(self) -> None:
        """A project that was not in the session pitches too: the projects dialog creates and
        saves it, then it joins the end of the queue."""
        from atelier.tui.screens.projects import add_project

        async def added(project: Project | None) -> None:
            if project is None:
                return
            self.round.add_volunteer(project.id)
            await self._commit()
            ids = [p.id for p in self.round.queue]
            self.query_one(QueueList).highlighted = ids.index(project.id)

        add_project(self.atelier, added)

    def action_leave_field(self) -> None:
        if isinstance(self.focused, NoteArea):
            self.query_one(QueueList).focus()

    # -- notes and saving --------------------------------------------------------------------

    @on(TextArea.Changed)
    def _note_changed(self, event: TextArea.Changed) -> None:
        area = event.text_area
        project = self.round.current
        if not isinstance(area, NoteArea) or project is None or area.project_id != project.id:
            return
        if self.round.set_note(project, area.field, area.text):
            if self._autosave_timer is not None:
                self._autosave_timer.stop()
            self._autosave_timer = self.set_timer(AUTOSAVE_DELAY_S, self._save)

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        # A class rather than :focus-within, which Textual does not recompute on siblings.
        self.query_one("#pitch-side").set_class(isinstance(event.widget, QueueList), "-queue")

    @on(events.DescendantBlur)
    async def _field_left(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, QueueList):
            self.query_one("#pitch-side").remove_class("-queue")
        if isinstance(event.widget, NoteArea) and self.round.touched:
            await self._save()

    async def _checkpoint(self) -> None:
        """While a clock runs, its elapsed time reaches the disk every few seconds."""
        if self.round.running:
            await self._save()

    async def _save(self) -> None:
        """Save the projects whose notes or clocks changed (not session.yaml)."""
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        self.round.capture()
        ids = self.round.take_touched()
        if ids:
            await self.atelier.persist(ids, meta=False)

    async def _commit(self) -> None:
        """After a command: show it, then save the projects touched and session.yaml."""
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        self.render_round()
        self.round.capture()
        await self.atelier.persist(self.round.take_touched())

    async def flush(self) -> list[str]:
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        self.round.capture()
        return self.round.take_touched()
