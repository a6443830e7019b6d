"""Practice mode (``atelier run --practice``): one participant takes the quiz alone.

They answer with the answer keys, see at once whether it was right with the explanation, and
get a score at the end. Nothing is written: the run lives in a :class:`PracticeRun` only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from atelier.domain.quiz import PracticeRun
from atelier.tui import labels
from atelier.tui.screens.base import AtelierScreen
from atelier.tui.screens.quiz import reveal_markdown
from atelier.tui.widgets.big_text import BigText
from atelier.tui.widgets.key_footer import KeyFooter
from atelier.tui.widgets.markdown_text import MarkdownText
from atelier.tui.widgets.slide_view import slide_markdown
from atelier.tui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    pass


class PracticeScreen(AtelierScreen):
    CSS_PATH = "practice.tcss"

    BINDINGS = [
        Binding("right,enter,space", "next", labels.KEY_NEXT, priority=True),
        Binding("question_mark", "app.help", labels.KEY_HELP),
        Binding("t", "app.toggle_contrast", labels.KEY_THEME),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.run: PracticeRun | None = None
        self.answered: str | None = None  # the answer given to the current item

    def compose(self) -> ComposeResult:
        quiz = self.atelier.workshop.quiz
        assert quiz is not None
        self.run = PracticeRun(quiz)
        for answer in quiz.answers:
            self._bindings.bind(answer.key, f"answer('{answer.id}')", show=False)
        yield TopBar(None)
        with VerticalScroll(id="quiz-item"):
            with Horizontal(id="quiz-top"):
                yield Static(Content(quiz.title), id="quiz-title")
                yield Static("", id="quiz-progress")
            yield Static("", id="quiz-statement")
            yield BigText("", id="quiz-verdict")
            yield Static("", id="practice-result")
            yield MarkdownText(id="practice-explanation")
            yield Static("", id="quiz-hint")
        yield KeyFooter()

    async def on_mount(self) -> None:
        await self.refresh_item()

    async def refresh_item(self) -> None:
        run = self.run
        assert run is not None
        verdict = self.query_one("#quiz-verdict", BigText)
        result = self.query_one("#practice-result", Static)
        explanation = self.query_one("#practice-explanation", MarkdownText)
        keys = " ".join(f"[{a.key}] {a.label}" for a in run.quiz.answers)
        if run.finished:
            count = len(run.quiz.items)
            self.query_one("#quiz-progress", Static).update("")
            self.query_one("#quiz-statement", Static).update(
                Content(labels.PRACTICE_SCORE.format(score=run.score, count=count))
            )
            verdict.display = True
            verdict.text = f"{run.score}/{count}"
            result.update(Content(labels.PRACTICE_AGAIN))
            explanation.display = False
            self.query_one("#quiz-hint", Static).update("")
            return
        item = run.item
        self.query_one("#quiz-progress", Static).update(
            labels.QUIZ_PROGRESS.format(index=run.index + 1, count=len(run.quiz.items))
        )
        self.query_one("#quiz-statement", Static).update(Content(f"« {item.statement} »"))
        answered = self.answered is not None
        verdict.display = answered
        explanation.display = answered
        if answered:
            right = run.quiz.answer(item.answer)
            verdict.text = right.label
            good = self.answered == item.answer
            result.update(
                Content(
                    f"{labels.PRACTICE_RIGHT if good else labels.PRACTICE_WRONG} "
                    f"{labels.QUIZ_ANSWER_IS} {right.symbol} {right.label}"
                )
            )
            result.set_class(good, "-right")
            result.set_class(not good, "-wrong")
            workshop = self.atelier.workshop
            slides = [slide_markdown(workshop.slide(s)) for s in item.slides]
            await explanation.update(reveal_markdown(item, slides))
            self.query_one("#quiz-hint", Static).update(Content(f"→ {labels.KEY_NEXT}"))
        else:
            result.update("")
            self.query_one("#quiz-hint", Static).update(
                Content(labels.PRACTICE_HINT.format(keys=keys))
            )

    async def action_answer(self, answer_id: str) -> None:
        run = self.run
        assert run is not None
        if run.finished or self.answered is not None:
            return
        run.answer(answer_id)
        self.answered = answer_id
        await self.refresh_item()

    async def action_next(self) -> None:
        run = self.run
        assert run is not None
        if run.finished:
            self.run = PracticeRun(run.quiz)
        elif self.answered is None:
            return
        else:
            run.next()
        self.answered = None
        await self.refresh_item()
