"""Sequence 1: the VRAI / FAUX quiz, one statement per screen, then its summary and the step's
own pages (definitions, key takeaways).

Only the reveal key (Entrée, r) reveals: → moves to the next statement without revealing
anything, and the last reveal can be hidden again (h, ←-arrière). No page shows an answer
before it is revealed, the summary included. The answer keys of the content (v, f, p) count
one raised hand each (shift: one less), ``s`` types the counts in at once. Each page's footer
shows only the keys that act on it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from atelier.domain.content_programme import Step
from atelier.domain.content_quiz import QuizItem
from atelier.domain.follow import AnswerView, Projection, QuizView
from atelier.domain.page_flow import PageFlow, Section
from atelier.domain.quiz import QuizRun
from atelier.tui import labels
from atelier.tui.safe_text import md
from atelier.tui.screens.info import PagedScreen, closing_pages, intro_pages
from atelier.tui.typography import french_spacing
from atelier.tui.widgets.big_text import BigText
from atelier.tui.widgets.markdown_text import count_blocks
from atelier.tui.widgets.slide_view import Page, slide_markdown
from atelier.tui.widgets.vote_panel import VotePanel, answer_tally_text


def reveal_markdown(item: QuizItem, slides_markdown: list[str]) -> str:
    """The explanation, the examples (need → initiatives) and any slide shown with it."""
    return "\n\n".join(_reveal_parts(item, slides_markdown)[0]) + "\n"


def reveal_counted(item: QuizItem) -> tuple[int, int, str] | None:
    """Which blocks of the reveal are the examples, for « exemples 1–3 / 7 »."""
    if not item.examples:
        return None
    parts, first_example = _reveal_parts(item, [])
    before = "\n\n".join(parts[:first_example]) + "\n"
    return count_blocks(before), len(item.examples), labels.QUIZ_EXAMPLES


def _reveal_parts(item: QuizItem, slides_markdown: list[str]) -> tuple[list[str], int]:
    parts: list[str] = []
    if item.explanation:
        parts.append(item.explanation.strip())
    first_example = len(parts)
    if item.examples:
        if item.examples_intro:
            parts.append(f"**{item.examples_intro.strip()}**")
        first_example = len(parts)
        for example in item.examples:
            lines = []
            if example.need:
                need = example.need
                lines.append(f"**{md(need.theme)}** — {need.text.strip()}")
                if need.source:
                    lines.append(f"*Source : {md(need.source)}*")
            for initiative in example.initiatives:
                name = md(initiative.name)
                lines.append(f"➔ **{name}** — {initiative.description.strip()}")
            parts.append("  \n".join(lines))
    parts.extend(slides_markdown)
    return parts, first_example


class StatementView(Vertical):
    """One statement: its answers with the hands or votes, then the verdict and explanation."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="quiz-top"):
            yield Static("", id="quiz-title")
            yield Static("", id="quiz-progress")
        yield BigText("", wrap=True, id="quiz-statement-big")
        yield Static("", id="quiz-statement")
        yield Horizontal(id="quiz-answers")
        yield BigText("", id="quiz-verdict")
        yield Page("", headline=False, id="quiz-explanation")
        yield Static("", id="quiz-hint", markup=False)


class QuizScreen(PagedScreen):
    BINDINGS = [
        Binding("enter,r", "reveal", labels.KEY_REVEAL),
        Binding("h,backspace", "hide", labels.KEY_HIDE),
        Binding("s", "enter_tally", labels.KEY_TALLY),
        Binding("0", "reset_tally", labels.KEY_TALLY_RESET, show=False),
        Binding("home", "summary", labels.KEY_SUMMARY, show=False),
        Binding("w", "toggle_votes", labels.KEY_VOTE),
    ]
    # « before » (title page, intro slides) → « items » (the statements, the flow's core)
    # → « after » (the summary, then the step's own slides).
    SECTION_NAMES = {Section.BEFORE: "before", Section.CORE: "items", Section.AFTER: "after"}
    PAGES_VIEW = "quiz-pages"
    CORE_VIEW = "quiz-item"

    def __init__(self, step: Step) -> None:
        super().__init__(step)
        self.run: QuizRun | None = None

    def compose_body(self) -> ComposeResult:
        app = self.atelier
        assert app.workshop.quiz is not None
        self.run = QuizRun(app.workshop.quiz, app.record)
        self.before = intro_pages(app.workshop, self.step)
        self.after = closing_pages(app.workshop, self.step)
        # A quiz already under way (a resumed session) opens on its current statement; the
        # closing pages are the summary, then the step's own slides.
        self.flow = PageFlow.start(
            len(self.before), 1 + len(self.after), resume_in_core=bool(app.record.quiz)
        )
        for answer in self.run.quiz.answers:
            self._bindings.bind(answer.key, f"tally('{answer.id}', 1)", show=False)
            self._bindings.bind(answer.key.upper(), f"tally('{answer.id}', -1)", show=False)
        # The two views side by side in the screen, one of them hidden (``show_view``): no
        # ContentSwitcher around them, one layer less under every line of a reveal.
        in_core = self.section == "items"
        if in_core:  # else added by prepare_core: not on the first frame
            yield StatementView(id="quiz-item", classes="quiz-view")
        pages = Vertical(id="quiz-pages", classes="quiz-view")
        pages.display = not in_core
        with pages:
            yield Page(self.before[0] if self.before else "", id="page")
            yield Static("", id="page-counter")
        yield VotePanel(id="quiz-vote")  # beside the statement or page while phones vote

    async def on_mount(self) -> None:
        await self.show_position()

    async def refresh_item(self) -> None:
        run = self.run
        assert run is not None
        if self.section != "items":
            return
        item = run.item
        self.query_one("#quiz-title", Static).update(run.quiz.title)
        self.query_one("#quiz-progress", Static).update(
            labels.QUIZ_PROGRESS.format(index=run.index + 1, count=run.count)
        )
        revealed = run.revealed
        statement = self.query_one("#quiz-statement", Static)
        statement.update(Content(french_spacing(f"« {item.statement} »")))
        statement.display = revealed
        big_statement = self.query_one("#quiz-statement-big", BigText)
        big_statement.text = french_spacing(item.statement)
        big_statement.display = not revealed
        answers = self.query_one("#quiz-answers", Horizontal)
        boxes = list(answers.query_children(Static))
        if len(boxes) != len(run.quiz.answers):  # once: then updated in place (a mount is
            await answers.remove_children()  # a CSS pass and a layout: a stall per page)
            boxes = [Static(classes="answer", markup=False) for _ in run.quiz.answers]
            await answers.mount_all(boxes)
        result = run.result
        for box, answer in zip(boxes, run.quiz.answers, strict=True):
            tally = answer_tally_text(result, answer.id, revealed)
            is_right = revealed and answer.id == item.answer
            marker = f"{answer.symbol} " if is_right else ""
            box.update(Content(f"[{answer.key}]  {marker}{answer.label}\n{tally}"))
            box.set_class(is_right, "-right")
            box.set_class(revealed and not is_right, "-wrong")
        verdict = self.query_one("#quiz-verdict", BigText)
        explanation = self.query_one("#quiz-explanation", Page)
        verdict.display = revealed
        if revealed:
            right = run.right_answer
            verdict.text = f"{right.label}"
            slides = [slide_markdown(self.atelier.workshop.slide(s)) for s in item.slides]
            markdown = reveal_markdown(item, slides)
            alone = not markdown.strip()  # no explanation: the verdict takes the whole room
            verdict.set_class(alone, "-alone")
            explanation.display = not alone
            await explanation.show(markdown, counted=reveal_counted(item))
            self._update_hint()
        else:
            explanation.display = False
            keys = " ".join(f"[{a.key}] {a.label}" for a in run.quiz.answers)
            self.query_one("#quiz-hint", Static).update(
                Content(labels.QUIZ_ANSWER_HINT.format(keys=keys))
            )
        self.sync_votes()
        self.refresh_bindings()  # the footer: Révéler or Cacher, as this statement needs

    def _update_hint(self) -> None:
        """« La réponse est ✔ VRAI », and where the explanation's parts are."""
        run = self.run
        if run is None or not run.revealed or not self.query("#quiz-explanation"):
            return
        right = run.right_answer
        hint = f"{labels.QUIZ_ANSWER_IS} {right.symbol} {right.label}"
        caption = self.query_one("#quiz-explanation", Page).part_caption()
        self.query_one("#quiz-hint", Static).update(f"{hint} · {caption}" if caption else hint)

    def on_page_paginated(self, event: Page.Paginated) -> None:
        if event.page.id == "quiz-explanation":
            self._update_hint()
        else:
            super().on_page_paginated(event)

    def sync_votes(self) -> None:
        """Tell phone voting which statement is up (none on the intro and summary pages)."""
        run = self.run
        if run is None or not self.is_mounted:
            return
        on_item = self.section == "items"
        self.query_one(VotePanel).sync(
            self.atelier.votes, run.item.id if on_item else None, on_item and run.revealed
        )

    def projection(self) -> Projection:
        run = self.run
        if run is None or self.section != "items":
            return super().projection()
        item = run.item
        quiz = run.quiz
        answers = tuple(AnswerView(a.id, a.label, a.symbol) for a in quiz.answers)
        revealed = run.revealed
        right = None
        reveal = ""
        if revealed:
            answer = run.right_answer
            right = AnswerView(answer.id, answer.label, answer.symbol)
            slides = [slide_markdown(self.atelier.workshop.slide(s)) for s in item.slides]
            reveal = reveal_markdown(item, slides)
        return self.projected(
            quiz=QuizView(
                item_id=item.id,
                quiz_title=quiz.title,
                index=run.index + 1,
                count=run.count,
                statement=item.statement,
                answers=answers,
                revealed=revealed,
                right=right,
                reveal_markdown=reveal,
            )
        )

    def on_unmount(self) -> None:
        if self.atelier.votes is not None:
            self.atelier.votes.show(None, revealed=False)

    # -- pages after the items ---------------------------------------------------------------

    def summary_markdown(self) -> str:
        """Each statement with its answer and how the room did: a list, not a table, so it
        reads at 80 columns as well as on the projector."""
        run = self.run
        assert run is not None
        blocks = [f"# {labels.QUIZ_SUMMARY_TITLE}"]
        for number, summary in enumerate(run.summaries(), 1):
            if summary.result is None or not summary.result.revealed:
                room = labels.QUIZ_NOT_REVEALED
            elif summary.right_share is None:
                room = labels.QUIZ_NOT_COUNTED
            else:
                room = labels.QUIZ_RIGHT_SHARE.format(
                    share=summary.right_share, right=summary.right_count, total=summary.total
                )
            if summary.result is None or not summary.result.revealed:
                blocks.append(f"**{number}. {summary.item.statement}**  \n{room}")
                continue
            blocks.append(
                f"**{number}. {md(summary.item.statement)}**  \n"
                f"{summary.answer.symbol} {summary.answer.label} — {room}"
            )
        return "\n\n".join(blocks) + "\n"

    def section_pages(self) -> list[str]:
        if self.flow.section == Section.AFTER:
            return [self.summary_markdown(), *self.after]
        return super().section_pages()

    async def prepare_core(self) -> None:
        if not self.query_children(StatementView):
            view = StatementView(id="quiz-item", classes="quiz-view")
            view.display = False  # until show_view
            await self.mount(view, before="#quiz-pages")

    def show_view(self, view: str) -> None:
        with self.app.batch_update():
            for widget in self.query_children(".quiz-view"):
                shown = widget.id == view
                if widget.display != shown:
                    widget.display = shown

    async def show_core(self) -> None:
        await self.refresh_item()

    def page_shown(self) -> None:
        self.sync_votes()

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        run = self.run
        on_item = self.section == "items" and run is not None
        if action == "reveal":
            return on_item and run is not None and not run.revealed
        if action == "hide":
            return on_item and self._hideable()
        if action in {"enter_tally", "reset_tally", "tally", "toggle_votes"}:
            return on_item
        if action == "summary":
            return self.section != "after"
        return super().check_action(action, parameters)

    def _hideable(self) -> bool:
        """The statement on screen is the last one revealed: its answer can be hidden again."""
        run = self.run
        if run is None or not run.revealed:
            return False
        result = run.result
        assert result is not None
        latest = max(
            (
                r.revealed_at
                for r in self.atelier.record.quiz.values()
                if r.revealed and r.revealed_at
            ),
            default=None,
        )
        return result.revealed_at is None or latest is None or result.revealed_at >= latest

    def _current_page(self) -> Page:
        """The page → and ← move through first: the explanation, or the section's page."""
        return self.query_one("#quiz-explanation" if self.section == "items" else "#page", Page)

    async def core_forward(self) -> bool:
        """→ on a statement: the explanation's next part, else the next statement."""
        run = self.run
        assert run is not None
        if run.revealed and self._current_page().next_part():
            return True
        if run.next():
            await self.atelier.persist()
            await self.refresh_item()
            return True
        return False

    async def core_backward(self) -> bool:
        run = self.run
        assert run is not None
        if run.revealed and self._current_page().previous_part():
            return True
        if run.previous():
            await self.atelier.persist()
            await self.refresh_item()
            return True
        return False

    async def action_summary(self) -> None:
        await self.follow(self.flow.jump_to_after())

    async def action_reveal(self) -> None:
        run = self.run
        assert run is not None
        if self.section != "items" or run.revealed:
            return
        if self.atelier.votes is not None:  # no vote after this; the final counts are saved
            await self.atelier.votes.reveal(run.item.id)
        run.reveal(self.atelier.clock.now())
        await self.atelier.persist()
        await self.refresh_item()
        self.refresh_bindings()

    async def action_hide(self) -> None:
        """Take back the last reveal (a key pressed too early): the answer is hidden again."""
        run = self.run
        assert run is not None
        if self.section != "items" or not self._hideable():
            return
        run.hide()
        await self.atelier.persist()
        await self.refresh_item()
        self.refresh_bindings()

    async def action_tally(self, answer_id: str, delta: int) -> None:
        run = self.run
        assert run is not None
        if self.section != "items":
            return
        run.add_to_tally(answer_id, delta)
        await self.atelier.persist()
        await self.refresh_item()

    async def action_toggle_votes(self) -> None:
        await self.atelier.action_toggle_votes()

    async def action_reset_tally(self) -> None:
        run = self.run
        assert run is not None
        if self.section != "items":
            return
        run.reset_tally()
        await self.atelier.persist()
        await self.refresh_item()

    def action_enter_tally(self) -> None:
        run = self.run
        assert run is not None
        if self.section != "items":
            return
        from atelier.tui.screens.dialogs import TallyDialog

        result = run.result
        current = dict(result.tally) if result else {}

        async def entered(counts: dict[str, int] | None) -> None:
            if counts is None:
                return
            run.set_tally(counts)
            await self.atelier.persist()
            await self.refresh_item()

        self.app.push_screen(TallyDialog(run.quiz.answers, current), entered)
