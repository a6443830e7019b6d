from __future__ import annotations

import pytest

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.quiz import PracticeRun, QuizRun
from atelier.domain.session import SessionRecord


def _run(workshop: Workshop) -> QuizRun:
    clock = FakeClock()
    now = clock.now()
    record = SessionRecord(name="s", workshop_id=workshop.id, created_at=now, updated_at=now)
    assert workshop.quiz is not None
    return QuizRun(workshop.quiz, record)


def test_tally_reveal_and_summary(atis: Workshop) -> None:
    run = _run(atis)
    assert run.index == 0 and run.count == 7
    run.add_to_tally("vrai", 3)
    run.add_to_tally("faux")
    run.add_to_tally("faux", -5)  # never below zero
    assert run.result is not None and run.result.tally == {"vrai": 3, "faux": 0}
    assert not run.revealed
    run.reveal(FakeClock().now())
    assert run.revealed and run.right_answer.label == "VRAI"
    summary = run.summaries()[0]
    assert (summary.right_count, summary.total, summary.right_share) == (3, 3, 1.0)
    assert run.summaries()[1].right_share is None


def test_unknown_answer_is_refused(atis: Workshop) -> None:
    with pytest.raises(KeyError):
        _run(atis).add_to_tally("peut-etre")


def test_navigation_stays_inside_the_quiz(atis: Workshop) -> None:
    run = _run(atis)
    assert not run.previous()
    while run.next():
        pass
    assert run.is_last and run.index == 6
    assert not run.next()


def test_set_tally_replaces_counts(atis: Workshop) -> None:
    run = _run(atis)
    run.set_tally({"vrai": 4, "pas-forcement": 2})
    assert run.result is not None
    assert run.result.tally == {"vrai": 4, "faux": 0, "pas-forcement": 2}


def test_answer_keys_come_from_content(mini: Workshop) -> None:
    run = _run(mini)
    assert mini.quiz is not None
    assert {a.key for a in mini.quiz.answers} == {
        a.key for a in mini.quiz.answers if run.answer_for_key(a.key) is a
    }


def test_practice_score(atis: Workshop) -> None:
    assert atis.quiz is not None
    practice = PracticeRun(atis.quiz)
    for item in atis.quiz.items:
        assert practice.answer(item.answer)
        practice.next()
    assert practice.finished and practice.score == 7
