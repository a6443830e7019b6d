"""The VRAI / FAUX quiz: moving through the statements, the room's tally, the reveal.

``QuizRun`` works on the session record (the facilitator's live run, saved); ``PracticeRun``
is one participant alone at a terminal and keeps its answers in memory only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from atelier.domain.content_quiz import Answer, Quiz, QuizItem
from atelier.domain.session import QuizResult, SessionRecord, TallySource


@dataclass(frozen=True)
class ItemSummary:
    item: QuizItem
    answer: Answer
    result: QuizResult | None

    @property
    def total(self) -> int:
        return sum(self.result.tally.values()) if self.result else 0

    @property
    def right_count(self) -> int:
        return self.result.tally.get(self.answer.id, 0) if self.result else 0

    @property
    def right_share(self) -> float | None:
        """Share of the room that gave the right answer, None when nobody was counted."""
        return self.right_count / self.total if self.total else None


class QuizRun:
    def __init__(self, quiz: Quiz, record: SessionRecord) -> None:
        self.quiz = quiz
        self.record = record
        if record.current_quiz_item not in {i.id for i in quiz.items}:
            record.current_quiz_item = quiz.items[0].id

    # -- position ------------------------------------------------------------------------------

    @property
    def index(self) -> int:
        return [i.id for i in self.quiz.items].index(self.record.current_quiz_item or "")

    @property
    def item(self) -> QuizItem:
        return self.quiz.items[self.index]

    @property
    def count(self) -> int:
        return len(self.quiz.items)

    @property
    def is_last(self) -> bool:
        return self.index == self.count - 1

    def go_to(self, index: int) -> bool:
        """Move to item ``index``; False when it is outside the quiz."""
        if not 0 <= index < self.count:
            return False
        self.record.current_quiz_item = self.quiz.items[index].id
        return True

    def next(self) -> bool:
        return self.go_to(self.index + 1)

    def previous(self) -> bool:
        return self.go_to(self.index - 1)

    # -- tally and reveal ----------------------------------------------------------------------

    @property
    def result(self) -> QuizResult | None:
        return self.record.quiz.get(self.item.id)

    @property
    def right_answer(self) -> Answer:
        return self.quiz.answer(self.item.answer)

    @property
    def revealed(self) -> bool:
        return bool(self.result and self.result.revealed)

    def answer_for_key(self, key: str) -> Answer | None:
        for answer in self.quiz.answers:
            if answer.key == key:
                return answer
        return None

    def add_to_tally(self, answer_id: str, delta: int = 1) -> int:
        """Count ``delta`` more hands for ``answer_id`` (never below zero); the new count."""
        self.quiz.answer(answer_id)  # KeyError for an answer outside the set
        result = self.record.quiz_result(self.item.id)
        count = max(0, result.tally.get(answer_id, 0) + delta)
        result.tally = {**result.tally, answer_id: count}
        result.source = TallySource.HANDS
        return count

    def set_tally(self, counts: dict[str, int]) -> None:
        """Replace the current item's counts (answers left out count zero)."""
        for answer_id in counts:
            self.quiz.answer(answer_id)
        result = self.record.quiz_result(self.item.id)
        result.tally = {a.id: max(0, counts.get(a.id, 0)) for a in self.quiz.answers}
        result.source = TallySource.HANDS

    def reset_tally(self) -> None:
        result = self.record.quiz_result(self.item.id)
        result.tally = {}

    def reveal(self, now: datetime) -> None:
        result = self.record.quiz_result(self.item.id)
        if not result.revealed:
            result.revealed = True
            result.revealed_at = now

    def hide(self) -> None:
        result = self.record.quiz_result(self.item.id)
        result.revealed = False
        result.revealed_at = None

    def summaries(self) -> list[ItemSummary]:
        return [
            ItemSummary(item, self.quiz.answer(item.answer), self.record.quiz.get(item.id))
            for item in self.quiz.items
        ]


@dataclass
class PracticeRun:
    """One participant answering alone: right or wrong at once, a score at the end."""

    quiz: Quiz
    index: int = 0
    answers: dict[str, str] = field(default_factory=dict)  # item id → answer id

    @property
    def item(self) -> QuizItem:
        return self.quiz.items[self.index]

    @property
    def finished(self) -> bool:
        return self.index >= len(self.quiz.items)

    def answer(self, answer_id: str) -> bool:
        """Record the participant's answer to the current item; True when it is right."""
        self.quiz.answer(answer_id)
        self.answers[self.item.id] = answer_id
        return answer_id == self.item.answer

    def next(self) -> None:
        self.index = min(self.index + 1, len(self.quiz.items))

    @property
    def score(self) -> int:
        return sum(1 for item in self.quiz.items if self.answers.get(item.id) == item.answer)
