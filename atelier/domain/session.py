"""The session record: everything that happened in one live workshop.

This is the only mutable state of the app. It refers to the content by ids (step, quiz item,
criterion, phase, feedback category) so a record stays readable next to the workshop it ran on.
The store decides how it is laid out on disk; this module only says what it holds.
"""

# No « from __future__ import annotations » here: pydantic would then compile and evaluate
# every annotation string when the models are created, ~4 ms more on each start.

import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from atelier.domain.countdown import Countdown

SCHEMA_VERSION = 1

MAX_NAME_BYTES = 255
"""A session is a folder: its name is limited in bytes as file systems limit a name."""

_NAME_FORBIDDEN = re.compile(r"[/\\\x00-\x1f\x7f]")


def check_session_name(name: str) -> str | None:
    """Why ``name`` cannot name a session (in French), or None when it can."""
    if not name or not name.strip():
        return "le nom de session est vide"
    if name != name.strip():
        return "le nom de session commence ou finit par un espace"
    if _NAME_FORBIDDEN.search(name):
        return "le nom de session contient « / », « \\ » ou un caractère de contrôle"
    if name in {".", ".."} or name.startswith("."):
        return "le nom de session ne peut pas commencer par un point"
    if len(name) > 120:
        return "le nom de session dépasse 120 caractères"
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return "le nom de session contient des octets qui ne sont pas du texte UTF-8"
    if size > MAX_NAME_BYTES:
        return (
            f"le nom de session fait {size} octets, plus que les {MAX_NAME_BYTES} qu'un nom de "
            "dossier peut avoir (un emoji ou une lettre accentuée compte pour 2 à 4) ; "
            "raccourcissez-le"
        )
    return None


# One address, the form every mail client accepts: local@domain.tld, no spaces, no list.
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\].]+$")


def check_email(text: str) -> str | None:
    """Why ``text`` is not one e-mail address (in French), or None when it is one."""
    if len(text) > 254:
        return "l'adresse e-mail dépasse 254 caractères"
    if not text.isascii():
        return f"« {text} » : une adresse e-mail s'écrit sans accent ni caractère spécial"
    if not _EMAIL.match(text) or ".." in text:
        return (
            f"« {text} » n'est pas une adresse e-mail (une seule adresse, de la forme "
            "nom@exemple.fr, sans espace)"
        )
    return None


def slugify(text: str) -> str:
    """« Épicerie solidaire ! » → ``epicerie-solidaire`` (ids and file names)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "projet"


class RecordModel(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


class TimerRecord(RecordModel):
    """A countdown as saved: how long it was meant to last and how long it has run.

    A running timer is saved with the time elapsed so far; after a restart it comes back
    stopped with that elapsed time, so the facilitator decides when it goes on."""

    duration_s: float = Field(ge=0)
    elapsed_s: float = Field(default=0.0, ge=0)
    started_at: datetime | None = None  # wall clock of the first start
    ended_at: datetime | None = None  # wall clock when it was closed (next phase / project)

    @property
    def overtime_s(self) -> float:
        return max(0.0, self.elapsed_s - self.duration_s)

    def to_countdown(self, clock: Callable[[], float], warning_s: float) -> Countdown:
        """The countdown this record describes, stopped at its elapsed time."""
        return Countdown(self.duration_s, clock, warning_s=warning_s, elapsed_s=self.elapsed_s)

    def capture(self, countdown: Countdown, now: datetime) -> None:
        """Copy the countdown's duration (± minutes included) and elapsed time."""
        self.duration_s = countdown.duration_s
        self.elapsed_s = round(countdown.elapsed(), 3)
        if countdown.started and self.started_at is None:
            self.started_at = now


class StepLogEntry(RecordModel):
    step_id: str
    started_at: datetime
    ended_at: datetime | None = None


class TallySource(StrEnum):
    HANDS = "hands"  # the facilitator counted a show of hands
    VOTES = "votes"  # participants voted from their phones


class QuizResult(RecordModel):
    item_id: str
    tally: dict[str, int] = Field(default_factory=dict)  # answer id → count
    source: TallySource = TallySource.HANDS
    revealed: bool = False
    revealed_at: datetime | None = None


class CriterionScore(RecordModel):
    level: str | None = None  # a level id of the grid, None while not scored
    comment: str = ""
    progress: bool = False  # « marge de progression » marked in phase 2


class PitchStatus(StrEnum):
    WAITING = "waiting"
    PITCHING = "pitching"
    EXCHANGE = "exchange"
    DONE = "done"
    SKIPPED = "skipped"


class CardStatus(StrEnum):
    PENDING = "pending"  # in the facilitator's inbox
    ACCEPTED = "accepted"  # appended to its category's note
    SET_ASIDE = "set_aside"  # kept here, in no note


class RoomCard(RecordModel):
    """A feedback card sent from a phone in the room during a project's pitch round.

    Saved as soon as it arrives, whatever the facilitator does with it later."""

    id: str = Field(pattern=r"^c[0-9]{1,6}$")
    category: str  # a feedback category id of the content
    text: str = Field(min_length=1, max_length=500)
    signature: str = Field(default="", max_length=60)
    received_at: datetime
    status: CardStatus = CardStatus.PENDING


class PitchRecord(RecordModel):
    volunteer: bool = False
    order: int | None = None
    status: PitchStatus = PitchStatus.WAITING
    pitch_timer: TimerRecord | None = None
    exchange_timer: TimerRecord | None = None
    notes: dict[str, str] = Field(default_factory=dict)  # feedback category id → text
    free_notes: str = ""
    room_cards: list[RoomCard] = Field(default_factory=list)  # oldest first


class PhoneAccess(RecordModel):
    """A project created or joined from the room's phones (issue 20).

    ``devices`` holds a digest of each phone's device cookie, never the cookie itself: the
    session folder does not carry the phones' credentials. Kept in the session so a restart
    keeps every phone's rights."""

    join_code: str = Field(pattern=r"^[A-Z2-9]{8}$")
    devices: list[str] = Field(default_factory=list, max_length=64)
    wants_to_pitch: bool = False  # « Je veux pitcher », ticked on a phone in the last phase


class Project(RecordModel):
    id: str
    name: str
    carriers: str = ""
    contact_email: str | None = None  # where the project's report is sent (export --eml)
    created_at: datetime | None = None
    scores: dict[str, CriterionScore] = Field(default_factory=dict)  # criterion id → score
    improvement_axes: str = ""
    pitch_prep: dict[str, str] = Field(default_factory=dict)  # prompt id (a, b, c) → answer
    pitch: PitchRecord = Field(default_factory=PitchRecord)
    phones: PhoneAccess | None = None  # set when a phone created the project

    @field_validator("contact_email")
    @classmethod
    def _one_address(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        why = check_email(value)
        if why is not None:
            raise ValueError(why)
        return value


class SessionRecord(RecordModel):
    schema_version: int = SCHEMA_VERSION
    name: str
    workshop_id: str
    content_hash: str = ""
    # The workshop folder the session was created with (absolute), so review, export and
    # resume find it without --content; None for sessions older than this field.
    content_dir: str | None = None
    created_at: datetime
    updated_at: datetime
    practice: bool = False
    current_step_id: str | None = None
    step_log: list[StepLogEntry] = Field(default_factory=list)
    current_quiz_item: str | None = None
    quiz: dict[str, QuizResult] = Field(default_factory=dict)  # quiz item id → result
    pause_timer: TimerRecord | None = None
    current_phase_id: str | None = None
    phases: dict[str, TimerRecord] = Field(default_factory=dict)  # assessment phase id → timer
    current_pitch_project: str | None = None
    projects: list[Project] = Field(default_factory=list)
    facilitator_notes: str = ""

    # -- projects ----------------------------------------------------------------------------

    def project(self, project_id: str) -> Project:
        for project in self.projects:
            if project.id == project_id:
                return project
        raise KeyError(project_id)

    def new_project_id(self, name: str) -> str:
        base = slugify(name)
        taken = {p.id for p in self.projects}
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def add_project(self, name: str, carriers: str = "", now: datetime | None = None) -> Project:
        project = Project(
            id=self.new_project_id(name), name=name, carriers=carriers, created_at=now
        )
        self.projects.append(project)
        return project

    def remove_project(self, project_id: str) -> Project:
        project = self.project(project_id)
        self.projects.remove(project)
        if self.current_pitch_project == project_id:
            self.current_pitch_project = None
        return project

    # -- steps ---------------------------------------------------------------------------------

    def enter_step(self, step_id: str, now: datetime) -> None:
        """Log that the room moved to ``step_id`` (closing the step it leaves)."""
        if self.current_step_id == step_id and self.step_log:
            return
        if self.step_log and self.step_log[-1].ended_at is None:
            self.step_log[-1].ended_at = now
        self.step_log.append(StepLogEntry(step_id=step_id, started_at=now))
        self.current_step_id = step_id

    def first_start(self, step_id: str) -> datetime | None:
        for entry in self.step_log:
            if entry.step_id == step_id:
                return entry.started_at
        return None

    def quiz_result(self, item_id: str) -> QuizResult:
        if item_id not in self.quiz:
            self.quiz[item_id] = QuizResult(item_id=item_id)
        return self.quiz[item_id]
