"""One project on the characterisation grid: a level per criterion, comments, « marge de
progression » marks, the improvement axes and the pitch preparation answers.

Two views, F4 switches: the **grid** (the chosen criterion's descriptors in full above a
compact table of every criterion with its level) and the **texts** (improvement axes, then one
field per pitch-preparation prompt of the content).

Saving: a level or a mark is saved at once. Typed text goes into the record as it is typed and
is saved 0.5 s after the last key and at least every second while typing goes on
(:class:`atelier.tui.autosave.Autosave`), when the field loses focus, and when the screen
closes (or the app flushes it before a step change or quitting). Loading a value into a field
also posts ``Changed``: the handlers compare with the record, so loading never saves anything,
and the comment field only listens while it has the focus (it is reloaded as ↑ ↓ move).

The phase countdown stays visible (small) and its keys never type, so they work while a text
field has the focus (docs/keyboard.md): ^T / F5 start / pause, ^R / F6 − 1 min, ^E / F7
+ 1 min, ^N / F8 next phase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import ContentSwitcher, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from atelier.domain import assessment
from atelier.domain.content_grid import Criterion, Dimension, Grid, Prompt
from atelier.domain.content_programme import Step
from atelier.domain.phases import PhaseRun
from atelier.domain.session import CriterionScore, Project
from atelier.tui import labels
from atelier.tui.autosave import Autosave
from atelier.tui.keys import (
    GRID_TEXTS,
    ONWARD,
    TIMER_MINUS,
    TIMER_PLUS,
    TIMER_TOGGLE,
    typing_safe_bindings,
)
from atelier.tui.screens.base import AtelierScreen
from atelier.tui.screens.grid_widgets import CommentInput, CriteriaList
from atelier.tui.typography import set_apart
from atelier.tui.widgets.big_timer import BigTimer
from atelier.tui.widgets.key_footer import KeyFooter
from atelier.tui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    pass

SCORES = "grid-scores"
TEXTS = "grid-texts"

_EMPTY_SCORE = CriterionScore()


def level_bar(index: int | None, count: int) -> str:
    """« ██░░ »: one cell per level, filled up to the chosen one; « ···· » when unscored."""
    if index is None:
        return labels.GRID_BAR_NONE * count
    return labels.GRID_BAR_FULL * (index + 1) + labels.GRID_BAR_EMPTY * (count - index - 1)


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with « … », or padded to it."""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)


def criterion_row(grid: Grid, criterion: Criterion, score: CriterionScore, width: int) -> Content:
    """One line of the compact table, ``width`` cells wide: name, bar, level, ✚ (room to
    progress), ✎ (comment). Plain :class:`Content`: cheap to draw again as the cursor moves."""
    ids = [level.id for level in grid.levels]
    index = ids.index(score.level) if score.level in ids else None
    label_width = max(
        max(len(level.label) for level in grid.levels) + 2, len(labels.GRID_NOT_SCORED)
    )
    fixed = len(grid.levels) + label_width + 2 + 4  # the bar, the level, two marks, the gaps
    longest = max(len(c.name) for c in grid.criteria)
    # Never wider than the longest name: on a wide screen the level stays next to the name.
    name_width = max(12, min(longest, width - fixed))
    if index is None:
        level: tuple[str, str] = (_fit(labels.GRID_NOT_SCORED, label_width), "italic")
    else:
        level = (_fit(f"{index + 1} {grid.levels[index].label}", label_width), "bold")
    return Content.assemble(
        _fit(criterion.name, name_width),
        " ",
        level_bar(index, len(grid.levels)),
        " ",
        level,
        " ",
        (labels.GRID_PROGRESS_MARK if score.progress else " ", "bold"),
        " ",
        labels.GRID_COMMENT_MARK if score.comment.strip() else " ",
    )


def descriptors_table(grid: Grid, criterion: Criterion, score: CriterionScore) -> Table:
    """The criterion's descriptors in full, one per level, the chosen one marked « ▶ »."""
    table = Table.grid(expand=True, padding=(0, 1))
    width = max(len(level.label) for level in grid.levels) + 4
    table.add_column(width=width, no_wrap=True)
    table.add_column(ratio=1)
    for number, level in enumerate(grid.levels, 1):
        chosen = level.id == score.level
        marker = labels.GRID_CHOSEN if chosen else labels.GRID_NOT_CHOSEN
        table.add_row(
            Text(f"{marker}{number} {level.label}", style="bold"),
            criterion.descriptors.get(level.id, ""),
            style="reverse" if chosen else None,
        )
    return table


class GridEntryScreen(AtelierScreen):
    CSS_PATH = "assessment.tcss"

    # Short screens (80×24) get the countdown on one plain line, tall ones in block digits.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    AUTO_FOCUS = None  # the view decides (_focus_view), not the first field composed
    # Text fields live here: only keys that never type (docs/keyboard.md). The criteria
    # list's own keys (1–4, m, c) act only while the list, not a field, has the focus.
    BINDINGS = [
        Binding("escape", "close", labels.KEY_BACK),
        Binding(GRID_TEXTS, "switch_view", labels.KEY_GRID_TEXTS, priority=True, key_display="^F"),
        *typing_safe_bindings((TIMER_TOGGLE, TIMER_MINUS, TIMER_PLUS, ONWARD)),
    ]

    def __init__(self, step: Step | None, project_id: str, run: PhaseRun | None = None) -> None:
        super().__init__()
        self.step = step
        self.project_id = project_id
        self.run = run
        self.criterion_id: str | None = None
        """The criterion the detail pane and the comment field show."""
        self._dirty = False
        self._autosave: Autosave | None = None

    # -- record access -----------------------------------------------------------------------

    @property
    def project(self) -> Project:
        return self.atelier.record.project(self.project_id)

    def prompts(self) -> list[Prompt]:
        workshop_assessment = self.atelier.workshop.assessment
        if workshop_assessment is None:
            return []
        return [prompt for phase in workshop_assessment.phases for prompt in phase.prompts]

    def score(self, criterion_id: str) -> CriterionScore:
        return self.project.scores.get(criterion_id, _EMPTY_SCORE)

    def criterion(self, criterion_id: str) -> tuple[Dimension, Criterion]:
        for dimension in self.grid.dimensions:
            for criterion in dimension.criteria:
                if criterion.id == criterion_id:
                    return dimension, criterion
        raise KeyError(criterion_id)

    # -- composing ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        project = self.project
        grid = self.grid
        yield TopBar(self.step)
        with Horizontal(id="grid-head"):
            with Vertical(id="grid-project"):
                yield Static("", id="grid-project-name", markup=False)
                yield Static("", id="grid-project-status", markup=False)
            if self.run is not None:
                yield BigTimer(self.run.countdown, id="grid-timer")
        initial = TEXTS if self.run is not None and self.run.phase.prompts else SCORES
        with ContentSwitcher(initial=initial, id="grid-views"):
            with Vertical(id=SCORES):
                with VerticalScroll(id="criterion-detail", can_focus=False):
                    yield Static("", id="criterion-name", markup=False)
                    yield Static("", id="criterion-levels")
                with Horizontal(id="comment-row"):
                    yield Static(labels.GRID_COMMENT_LABEL, id="comment-label", markup=False)
                    yield CommentInput(
                        id="criterion-comment",
                        placeholder=labels.GRID_COMMENT_PLACEHOLDER,
                        compact=True,
                        select_on_focus=False,
                    )
                options: list[Option] = []
                for dimension in grid.dimensions:
                    options.append(
                        Option(
                            Content.styled(dimension.name.upper(), "bold underline"),
                            id=f"dimension:{dimension.id}",
                            disabled=True,
                        )
                    )
                    for criterion in dimension.criteria:
                        row = criterion_row(
                            grid, criterion, self.score(criterion.id), self._row_width()
                        )
                        options.append(Option(row, id=criterion.id))
                yield CriteriaList(*options, id="criteria")
                yield Static(
                    labels.GRID_KEYS_HINT.format(count=len(grid.levels)),
                    id="grid-hint",
                    markup=False,
                )
            with VerticalScroll(id=TEXTS):
                yield Static(
                    self.atelier.workshop.axes_heading, classes="grid-text-label", markup=False
                )
                yield TextArea(
                    project.improvement_axes, id="axes", soft_wrap=True, classes="grid-text"
                )
                prompts = self.prompts()
                if prompts:
                    yield Static(
                        self.atelier.workshop.pitch_prep_heading,
                        classes="grid-text-title",
                        markup=False,
                    )
                for prompt in prompts:
                    yield Static(
                        labels.PHASE_PROMPT.format(id=prompt.id, text=prompt.text),
                        classes="grid-text-label",
                        markup=False,
                    )
                    yield TextArea(
                        project.pitch_prep.get(prompt.id, ""),
                        id=f"prompt-{prompt.id}",
                        soft_wrap=True,
                        classes="grid-text",
                    )
                yield Static(labels.GRID_TEXTS_HINT, id="grid-texts-hint", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        criteria = self.query_one(CriteriaList)
        first = next(i for i, option in enumerate(criteria.options) if not option.disabled)
        criteria.highlighted = first
        self.criterion_id = criteria.options[first].id
        self.refresh_detail()
        self.refresh_head()
        for area in self.query(TextArea):  # new text goes after what is already written
            area.move_cursor(area.document.end)
        self._focus_view()

    # -- showing -----------------------------------------------------------------------------

    def refresh_head(self) -> None:
        """« Épicerie solidaire (Marie, Paul) » / « 8/12 critères notés · ✚ 2 · 1/3 S'au… »."""
        project = self.project
        profile = assessment.project_profile(self.grid, project)
        name = project.name
        if project.carriers:
            name += labels.PROJECT_CARRIERS_SUFFIX.format(carriers=project.carriers)
        status = labels.GRID_SCORED.format(
            scored=profile.scored_count, total=profile.criterion_count
        )
        if profile.progress_count:
            status += labels.PROJECT_PROGRESS_COUNT.format(count=profile.progress_count)
        if self.run is not None:
            status += labels.GRID_PHASE_SEPARATOR + labels.PHASE_HEADING.format(
                index=self.run.index + 1, count=self.run.count, name=self.run.phase.name
            )
        self.query_one("#grid-project-name", Static).update(name)
        self.query_one("#grid-project-status", Static).update(status)

    def refresh_detail(self) -> None:
        """Show the chosen criterion's descriptors and load its comment (loading saves nothing:
        the comment handler only listens while the field has the focus)."""
        if self.criterion_id is None:
            return
        dimension, criterion = self.criterion(self.criterion_id)
        score = self.score(criterion.id)
        title = labels.GRID_CRITERION_TITLE.format(
            dimension=dimension.name, criterion=criterion.name
        )
        if score.progress:
            title += labels.GRID_PROGRESS_SUFFIX.format(label=self.atelier.workshop.progress_label)
        self.query_one("#criterion-name", Static).update(title)
        self.query_one("#criterion-levels", Static).update(
            descriptors_table(self.grid, criterion, score)
        )
        comment = self.query_one("#criterion-comment", Input)
        if comment.value != score.comment:
            comment.value = score.comment
            comment.cursor_position = len(score.comment)

    def _row_width(self) -> int:
        """Cells for one criterion line: what the list offers once laid out; before that, the
        screen less the list's padding and scrollbar (the first resize corrects it)."""
        criteria = self.query(CriteriaList)
        width = criteria.first().row_width if criteria else 0
        return max(30, width if width > 0 else self.app.size.width - 6)

    def refresh_row(self, criterion_id: str) -> None:
        _, criterion = self.criterion(criterion_id)
        self.query_one(CriteriaList).replace_option_prompt(
            criterion_id,
            criterion_row(self.grid, criterion, self.score(criterion_id), self._row_width()),
        )

    def refresh_rows(self) -> None:
        for criterion in self.grid.criteria:
            self.refresh_row(criterion.id)

    def _focus_view(self) -> None:
        # set_focus, not focus(): now, not at the next turn of the queue — the sentence typed
        # right after Entrée on a project must find the field it was typed for.
        if self.query_one(ContentSwitcher).current == TEXTS:
            self.set_focus(self.query_one("#axes", TextArea))
        else:
            self.set_focus(self.query_one(CriteriaList))

    # -- the grid ----------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#criteria")
    def criterion_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None and not event.option.disabled:
            self.criterion_id = event.option.id
            self.refresh_detail()

    @on(OptionList.OptionSelected, "#criteria")
    def criterion_selected(self) -> None:
        self.action_edit_comment()

    async def _score_changed(self, changed: bool) -> None:
        if not changed or self.criterion_id is None:
            return
        self.refresh_row(self.criterion_id)
        self.refresh_detail()
        self.refresh_head()
        await self.atelier.persist()

    async def action_set_level(self, number: int) -> None:
        """Number key ``number`` (1-based) picks that level."""
        if self.criterion_id is None or not 1 <= number <= len(self.grid.levels):
            return
        level_id = self.grid.levels[number - 1].id
        await self._score_changed(assessment.set_level(self.project, self.criterion_id, level_id))

    async def action_shift_level(self, delta: int) -> None:
        if self.criterion_id is None:
            return
        changed = assessment.shift_level(self.grid, self.project, self.criterion_id, delta)
        await self._score_changed(changed)

    async def action_clear_level(self) -> None:
        if self.criterion_id is None:
            return
        await self._score_changed(assessment.set_level(self.project, self.criterion_id, None))

    async def action_toggle_progress(self) -> None:
        if self.criterion_id is None:
            return
        changed = assessment.toggle_progress(self.project, self.criterion_id)
        await self._score_changed(changed)

    def action_edit_comment(self) -> None:
        self.start_comment()

    def start_comment(self, text: str = "") -> None:
        """Edit the chosen criterion's comment (from ``c``, or from a character typed on the
        list: it is the comment's first). The focus moves now (``set_focus``, not at the next
        turn of the queue): the keys typed after find the field."""
        if self.criterion_id is None:
            return
        comment = self.query_one("#criterion-comment", Input)
        self.set_focus(comment)
        if text:
            if set_apart(comment.value[: comment.cursor_position], text):
                text = " " + text  # more words for a comment already written: not glued to it
            comment.insert_text_at_cursor(text)

    @on(Input.Submitted, "#criterion-comment")
    def comment_submitted(self) -> None:
        self.query_one(CriteriaList).focus()

    # -- typed text --------------------------------------------------------------------------

    @on(Input.Changed, "#criterion-comment")
    def comment_changed(self, event: Input.Changed) -> None:
        if not event.input.has_focus or self.criterion_id is None:
            return  # a value loaded as the cursor moved, not typed
        criterion_id = self.criterion_id
        if assessment.set_comment(self.project, criterion_id, event.value):
            self.refresh_row(criterion_id)
            self._text_changed()

    @on(TextArea.Changed, "#axes")
    def axes_changed(self, event: TextArea.Changed) -> None:
        if assessment.set_improvement_axes(self.project, event.text_area.text):
            self._text_changed()

    @on(TextArea.Changed, ".grid-text")
    def prompt_changed(self, event: TextArea.Changed) -> None:
        area_id = event.text_area.id or ""
        if not area_id.startswith("prompt-"):
            return
        prompt_id = area_id.removeprefix("prompt-")
        if assessment.set_pitch_prep(self.project, prompt_id, event.text_area.text):
            self._text_changed()

    @property
    def autosave(self) -> Autosave:
        if self._autosave is None:
            self._autosave = Autosave(self, self._save_dirty, self.atelier.clock)
        return self._autosave

    def _text_changed(self) -> None:
        """The record holds the new text; save it once typing pauses, and at least every
        second while it goes on."""
        self._dirty = True
        self.autosave.changed()

    async def save_text(self) -> None:
        """Save typed text now if any is waiting (debounce end, field left, screen left)."""
        self.autosave.cancel()
        await self._save_dirty()

    async def _save_dirty(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        if not await self.atelier.persist():
            self._dirty = True  # the banner shows; the next change or leaving retries

    async def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, Input | TextArea):
            await self.save_text()

    # -- views, closing ----------------------------------------------------------------------

    async def action_switch_view(self) -> None:
        await self.save_text()
        switcher = self.query_one(ContentSwitcher)
        switcher.current = SCORES if switcher.current == TEXTS else TEXTS
        self._focus_view()

    async def action_close(self) -> None:
        await self.save_text()
        self.dismiss(None)

    async def flush(self) -> None:
        """Before a step change or quitting: the record already holds the text, which the
        app's save right after finds changed (screen_hooks.HoldsUnsavedState)."""
        self.autosave.cancel()
        self._dirty = False

    # -- the phase timer ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"timer_toggle", "timer_minus", "timer_plus", "onward"} and self.run is None:
            return False
        if action == "onward" and self.run is not None and self.run.is_last:
            return None
        return True

    def live_activity(self) -> str | None:
        running = self.run is not None and self.run.countdown.running
        return labels.QUIT_TIMER_RUNS if running else None

    async def _timer_changed(self) -> None:
        self.query_one(BigTimer).refresh_clock()
        self.refresh_head()
        await self.atelier.persist()

    async def action_timer_toggle(self) -> None:
        if self.run is not None:
            self.run.toggle()
            await self._timer_changed()

    async def action_timer_minus(self) -> None:
        if self.run is not None:
            self.run.add_minutes(-1)
            await self._timer_changed()

    async def action_timer_plus(self) -> None:
        if self.run is not None:
            self.run.add_minutes(1)
            await self._timer_changed()

    async def action_onward(self) -> None:
        if self.run is not None and self.run.next():
            self.query_one(BigTimer).set_countdown(self.run.countdown)
            await self._timer_changed()
            self.refresh_bindings()

    @on(BigTimer.Expired)
    async def expired(self) -> None:
        if self.run is not None:
            self.run.capture()
            await self.atelier.persist()
