"""Sequence 4: the pitch round. The step's intro pages (the consignes), then the round — the
queue, the project on stage with its big timer (pitch, then exchange), the pitch prompts, its
pitch preparation and one notes field per feedback category — then the end-of-round table.

Every rule is in :class:`atelier.domain.pitch.PitchRound`; this screen renders it. No key of
this screen types (docs/keyboard.md): its commands are the shared ctrl chords, with priority;
whenever a project is on stage the focus is in its notes. Typed notes go into the record at
once and are saved by :class:`atelier.tui.autosave.Autosave`, on every command, and by
:meth:`flush` when the step changes or the app quits.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from atelier.domain import cards as room_cards
from atelier.domain.content_programme import Step
from atelier.domain.page_flow import PageFlow, Section
from atelier.domain.pitch import (
    FREE_NOTES,
    PitchRound,
    TimerKind,
    planned_end_of,
)
from atelier.domain.session import PitchStatus, Project
from atelier.tui import labels, safe_text
from atelier.tui.autosave import Autosave
from atelier.tui.keys import CARD_COMMANDS, typing_safe_bindings
from atelier.tui.screens.base import SAFE_BINDINGS
from atelier.tui.screens.info import PagedScreen, closing_pages, intro_pages
from atelier.tui.screens.pitch_dialogs import QueueMenu
from atelier.tui.screens.pitch_queue import QueueMixin
from atelier.tui.screens.pitch_room import RoomMixin
from atelier.tui.screens.pitch_text import (
    budget_text,
    minutes_text,
    prep_content,
    prep_prompts,
    queue_line,
    summary_markdown,
)
from atelier.tui.screens.pitch_widgets import QUEUE_MENU_ID, NoteArea, QueueList
from atelier.tui.typography import french_spacing
from atelier.tui.widgets.big_text import BigText
from atelier.tui.widgets.big_timer import BigTimer
from atelier.tui.widgets.inbox import InboxView
from atelier.tui.widgets.key_footer import KeyFooter
from atelier.tui.widgets.slide_view import Page

CHECKPOINT_INTERVAL_S = 10.0
"""While a clock runs, its elapsed time is saved this often (a kill -9 loses at most this)."""
BUDGET_INTERVAL_S = 5.0
"""The « ~6 min chacun » line changes once a minute at most; no need to look more often."""

_ROUND_ACTIONS = {"leave_field"}
_PAGE_ACTIONS = {"arrow_page", "scroll_page"}
_CARD_ACTIONS = {"accept_card", "set_card_aside"}


# -- the screen ----------------------------------------------------------------------------------


class PitchScreen(RoomMixin, QueueMixin, PagedScreen, inherit_bindings=False):
    CSS_PATH = "pitch.tcss"
    SECTION_NAMES = {Section.BEFORE: "intro", Section.CORE: "round", Section.AFTER: "summary"}
    PAGES_VIEW = "pitch-pages"
    CORE_VIEW = "pitch-round"

    # Notes are typed here: no binding types (docs/keyboard.md). The shared ctrl / F-key
    # commands come first so the footer shows them first (it cuts what does not fit at 80
    # columns); the arrows turn the intro and summary pages only.
    BINDINGS = [
        Binding("right,pagedown", "arrow_page(1)", labels.KEY_NEXT, key_display="→"),
        Binding("left,pageup", "arrow_page(-1)", labels.KEY_PREVIOUS, key_display="←"),
        *SAFE_BINDINGS,
        # Cards from the room's phones (atelier.domain.cards): chords that never type, as
        # a notes field has the focus; the inbox's title says them.
        *typing_safe_bindings(CARD_COMMANDS),
        Binding("escape", "leave_field", labels.KEY_PITCH_LEAVE_FIELD, show=False),
        Binding("down", "scroll_page(1)", show=False),
        Binding("up", "scroll_page(-1)", show=False),
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
        self.room_mode = False
        self._focus_before_room: Widget | None = None
        self._autosave: Autosave | None = None
        self._shown_head: tuple[str, ...] | None = None
        self._shown_queue: list[tuple[str, str]] | None = None
        self._shown_budget: str | None = None
        self._notes_for: str | None = ""  # "" = never loaded
        self._shown_inbox: tuple[str | None, tuple[str, ...]] | None = None
        self._inbox_timer: Timer | None = None
        self._focused_stage: tuple[str, PitchStatus] | None = None
        """The project and phase whose notes got the focus last (a change: its first field)."""
        self._told_nobody_on_stage = False
        """Text typed on the queue with nobody on stage was said to go nowhere (said once)."""

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
            plan_is_live=app.programme.plan_is_live,
        )
        self.prompts = prep_prompts(app.workshop)
        self.before = intro_pages(app.workshop, self.step)
        self.after = closing_pages(app.workshop, self.step)
        # A round already under way (a resumed session) opens on the round; the closing pages
        # are the end-of-round table, then the step's own slides.
        self.flow = PageFlow.start(
            len(self.before), 1 + len(self.after), resume_in_core=bool(self.round.queue)
        )
        with ContentSwitcher(
            initial=self.CORE_VIEW if self.flow.in_core else self.PAGES_VIEW,
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
                        yield InboxView(id="pitch-inbox")
                        yield Static(
                            app.workshop.pitch_prep_heading,
                            classes="pitch-heading",
                            id="pitch-prep-title",
                            markup=False,
                        )
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
        await self.show_position()

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
        self._render_inbox()
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
            # The minutes of the clock on stage, ± minutes included, and what ^N does next.
            if project.pitch.status is PitchStatus.DONE:
                phase = f"{labels.PITCH_PHASE_DONE} · {labels.PITCH_ONWARD_NEXT}"
            elif kind is TimerKind.PITCH:
                minutes = pitch_round.phase_minutes(project, TimerKind.PITCH)
                phase = labels.PITCH_PHASE_PITCH.format(minutes=minutes_text(minutes))
                phase += f" · {labels.PITCH_ONWARD_EXCHANGE}"
            else:
                minutes = pitch_round.phase_minutes(project, TimerKind.EXCHANGE)
                phase = labels.PITCH_PHASE_EXCHANGE.format(minutes=minutes_text(minutes))
                phase += f" · {labels.PITCH_ONWARD_NEXT}"
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
            queue.add_option(Option(labels.PITCH_QUEUE_EMPTY, id=QUEUE_MENU_ID))
            queue.highlighted = 0

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
                area.move_cursor(area.document.end)  # new notes go after the old ones …
                area.after_old_notes = bool(text)  # … on a line of their own
            area.disabled = project is None
        self._notes_for = project.id if project else None

    # -- sections: intro pages, the round (the flow's core), the summary ---------------------

    def section_pages(self) -> list[str]:
        if self.flow.section == Section.AFTER:
            return [summary_markdown(self.round.summary()), *self.after]
        return super().section_pages()

    def page_shown(self) -> None:
        # Nothing focused: → and ← are the screen's (a focused page would show its own
        # scroll keys in the footer instead); ↑ ↓ scroll the page.
        self.set_focus(None)

    async def show_core(self) -> None:
        self.render_round()
        self.focus_stage()

    def focus_stage(self) -> None:
        """With a project on stage, the focus is in its notes: its first field when it has just
        come on stage or changed phase, else the field already focused (a dialog closed, room
        mode off); with nobody, on the queue; in room mode and on the pages, nowhere."""
        if not self.flow.in_core or self.room_mode:
            return
        current = self.round.current
        if current is not None:
            self._told_nobody_on_stage = False
            stage = (current.id, current.pitch.status)
            focused = self.focused
            if stage == self._focused_stage and isinstance(focused, NoteArea):
                return
            self._focused_stage = stage
            self.set_focus(self.query_one(NoteArea))
        elif not isinstance(self.focused, QueueList):
            self.set_focus(self.query_one(QueueList))

    def on_screen_resume(self) -> None:
        # A dialog, the help or the programme closed: back to the notes of the project on stage.
        self.call_after_refresh(self.focus_stage)

    def live_activity(self) -> str | None:
        current = self.round.current
        if current is not None and current.pitch.status in (
            PitchStatus.PITCHING,
            PitchStatus.EXCHANGE,
        ):
            return labels.QUIT_ON_STAGE.format(name=current.name)
        return labels.QUIT_TIMER_RUNS if self.round.running else None

    # -- which keys act here -----------------------------------------------------------------

    def timer_available(self) -> bool:
        return self.flow.in_core

    def onward_available(self) -> bool | None:
        if not self.flow.in_core:
            return False
        return True if self.round.current is not None or self.round.waiting else None

    def room_mode_available(self) -> bool:
        return self.flow.in_core

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Round keys belong to the round, page keys to the pages: each hidden elsewhere. The
        cards' keys act only while cards wait and the inbox shows (never in room mode)."""
        if action in _CARD_ACTIONS:
            project = self.round.current
            return (
                self.flow.in_core
                and not self.room_mode
                and project is not None
                and bool(room_cards.pending(project))
            )
        if action in _ROUND_ACTIONS:
            return self.flow.in_core
        if action in _PAGE_ACTIONS:
            return not self.flow.in_core
        return super().check_action(action, parameters)

    async def action_arrow_page(self, direction: int) -> None:
        """→ ← on the intro and summary pages (in the round they belong to the fields)."""
        if self.flow.in_core:
            return
        if direction > 0:
            await self.action_page_next()
        else:
            await self.action_page_previous()

    async def core_forward(self) -> bool:
        """^L in the round: its notes and clocks saved, on to the end-of-round table."""
        await self._save()
        return False

    async def core_backward(self) -> bool:
        await self._save()
        return False

    # -- timer keys --------------------------------------------------------------------------

    async def action_timer_toggle(self) -> None:
        """^T / F5: start or pause the clock on stage; with nobody, call the next project."""
        if not self.flow.in_core:
            return
        if self.round.toggle():
            await self._commit()
        self.focus_stage()

    async def action_onward(self) -> None:
        """^N / F8, the round's « next »: the pitch → its exchange; the exchange (or a project
        done) → the next project; nobody on stage → call the next one, clock ready."""
        if not self.flow.in_core:
            return
        current = self.round.current
        if current is not None and current.pitch.status is PitchStatus.PITCHING:
            self.round.to_exchange()
        else:
            self.round.next_project()
        await self._commit()
        if self.round.finished:
            await self.follow(self.flow.jump_to_after())
            return
        self.focus_stage()
        self.refresh_bindings()

    async def action_timer_minus(self) -> None:
        if self.flow.in_core and self.round.add_minutes(-1):
            await self._commit()

    async def action_timer_plus(self) -> None:
        if self.flow.in_core and self.round.add_minutes(1):
            await self._commit()

    def action_room_mode(self) -> None:
        """Hide the notes (and the queue) from the projection; the same key shows them and
        gives the focus back to the notes of the project on stage."""
        if not self.flow.in_core:
            return
        self.room_mode = not self.room_mode
        self.query_one("#pitch-round").set_class(self.room_mode, "-room")
        if self.room_mode:
            self._focus_before_room = self.focused
            self.set_focus(None)
        else:
            previous, self._focus_before_room = self._focus_before_room, None
            if (
                previous is not None
                and previous.is_attached
                and previous.focusable
                and (self.round.current is None or isinstance(previous, NoteArea))
            ):
                self.set_focus(previous)
            self.focus_stage()

    @on(BigTimer.Expired)
    async def _expired(self) -> None:
        await self._save()

    # -- queue keys --------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#pitch-queue")
    def _open_menu(self, event: OptionList.OptionSelected) -> None:
        """Entrée on the queue: what to do with this project (or with the queue)."""
        project_id = event.option.id
        project = (
            self.atelier.record.project(project_id)
            if project_id is not None and project_id != QUEUE_MENU_ID
            else None
        )

        async def chosen(action: str | None) -> None:
            if action is None:
                return
            if action == "volunteers":
                self.action_pick_volunteers()
            elif action == "add":
                self.action_add_project()
            elif project is not None:
                await self._queue_command(action, project.id)

        self.app.push_screen(QueueMenu(project), chosen)

    def type_into_notes(self, text: str) -> bool:
        """Text typed on the queue: the first notes field of the project on stage takes it,
        at its end, and the focus. After a line break when the note already holds text: a new
        remark is not glued to the last one (« …bien posée.Encore »). False with nobody on
        stage: the screen says so once, and the keys do nothing."""
        if not self.flow.in_core or self.room_mode:
            return False
        if self.round.current is None:
            if not self._told_nobody_on_stage:
                self._told_nobody_on_stage = True
                safe_text.notify(self.app, labels.PITCH_NOBODY_TO_NOTE, timeout=6)
            return False
        area = self.query_one(NoteArea)
        self.set_focus(area)
        area.move_cursor(area.document.end)
        area.after_old_notes = False
        area.new_line_before(text)
        area.insert(text)
        return True

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
            self.autosave.changed()

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

    @property
    def autosave(self) -> Autosave:
        """Typed notes are saved once typing pauses, and at least every second while it goes
        on (atelier/tui/autosave.py)."""
        if self._autosave is None:
            self._autosave = Autosave(self, self._save_touched, self.atelier.clock)
        return self._autosave

    async def _save(self) -> None:
        """Save what the notes or the clocks changed, now."""
        self.autosave.cancel()
        await self._save_touched()

    async def _save_touched(self) -> None:
        self.round.capture()
        if self.round.take_touched():  # nothing typed, no clock running: nothing to write
            await self.atelier.persist()

    async def _commit(self) -> None:
        """After a command: show it, then save (the store writes what changed)."""
        self.autosave.cancel()
        self.render_round()
        self.round.capture()
        self.round.take_touched()
        await self.atelier.persist()

    async def flush(self) -> None:
        """Notes typed and clocks running go into the record; the app saves right after."""
        self.autosave.cancel()
        self.round.capture()
        self.round.take_touched()
