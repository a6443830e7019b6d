"""What the projector shows, as the room's phones may follow it: the *projection*.

The app builds a :class:`Projection` from its domain state (the step, the page on screen, the
quiz statement and whether it was revealed, the countdown that runs, the project on stage)
and publishes it; the phones' server only reads it. It is pure data, frozen and typed, with
nothing of Textual inside, and it holds only what the projector shows: never an answer before
its reveal, never a note, never the queue (the parts the pitch screen's room mode hides).

:meth:`Projection.key` changes exactly when a phone's page must change: a new step, page,
statement or reveal, a timer started, paused, lengthened or shortened, another project on
stage. A running timer's seconds do not change it (a phone counts them down itself).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from atelier.domain.countdown import Countdown, RunState


class StageStatus(StrEnum):
    PITCH = "pitch"
    EXCHANGE = "exchange"


@dataclass(frozen=True, slots=True)
class TimerView:
    """A countdown as the projector shows it, at the moment the projection was taken."""

    title: str
    """What it times, in French: « Pause », « Pitch », « Échange », a phase's name."""
    duration_s: float
    remaining_s: float
    """Negative in overtime."""
    running: bool
    warning_s: float
    end_s: float | None = None
    """While running: the monotonic time the countdown reaches zero (steady while it runs)."""

    @classmethod
    def of(cls, title: str, countdown: Countdown, now: float) -> TimerView:
        """``now``: the countdown's clock at this moment (monotonic seconds)."""
        remaining = countdown.remaining()
        running = countdown.state is RunState.RUNNING
        end = now + remaining if running else None
        return cls(title, countdown.duration_s, remaining, running, countdown.warning_s, end)

    @property
    def key(self) -> str:
        """Steady while the countdown runs untouched; changes on start, pause, ± minute."""
        if self.running and self.end_s is not None:
            return f"{self.title}|run|{round(self.end_s)}|{self.duration_s:g}"
        return f"{self.title}|stop|{math.ceil(round(self.remaining_s, 6))}|{self.duration_s:g}"


@dataclass(frozen=True, slots=True)
class AnswerView:
    id: str
    label: str
    symbol: str


@dataclass(frozen=True, slots=True)
class QuizView:
    """The statement on the projector. ``right``, ``explanation`` are set only once revealed."""

    item_id: str
    quiz_title: str
    index: int
    count: int
    statement: str
    answers: tuple[AnswerView, ...]
    revealed: bool
    right: AnswerView | None = None
    reveal_markdown: str = ""


@dataclass(frozen=True, slots=True)
class CategoryView:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class StageView:
    """The project on stage during the pitch round (its name only: never its notes)."""

    project_id: str
    name: str
    status: StageStatus
    position: int
    count: int
    prompts: tuple[str, ...] = ()
    """What the projector lists under the timer: the pitch prompts, then the categories."""
    categories: tuple[CategoryView, ...] = ()
    """The content's feedback categories: what a card from the room can be about."""


@dataclass(frozen=True, slots=True)
class Projection:
    """Everything a phone may show, taken at one moment."""

    workshop_title: str
    step_id: str = ""
    step_number: int | None = None
    """The step's place in the programme (1-based), as the projector's top bar says it."""
    step_count: int | None = None
    """How many steps the programme has (« Étape 6/7 »)."""
    step_title: str = ""
    page_markdown: str = ""
    """The info page on the projector (Markdown of the content, as the screen renders it)."""
    page_position: tuple[int, int] | None = None
    """(n, of) when the step has several pages."""
    heading: str = ""
    """A line the projector shows above the page (a phase's « 1/3 S'autoévaluer »)."""
    quiz: QuizView | None = None
    timer: TimerView | None = None
    stage: StageView | None = None
    extra: tuple[str, ...] = field(default=())
    """Lines shown as a list (an assessment phase's prompts)."""
    teams_open: bool = False
    """The assessment's phases run: teams may fill their own project (« Mon projet »)."""

    @property
    def key(self) -> str:
        """Changes exactly when the page must change (see the module's docstring)."""
        quiz = self.quiz
        stage = self.stage
        parts = [
            self.step_id,
            str(hash((self.page_markdown, self.heading, self.extra))),
            f"{self.page_position}",
            f"{quiz.item_id}:{'r' if quiz.revealed else 'o'}" if quiz else "-",
            self.timer.key if self.timer else "-",
            f"{stage.project_id}:{stage.status.value}" if stage else "-",
            "teams" if self.teams_open else "-",
        ]
        return str(abs(hash(tuple(parts))) % 10**12)

    @property
    def on_stage(self) -> str | None:
        return self.stage.project_id if self.stage else None
