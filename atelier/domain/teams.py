"""Teams fill their own project from their phones during the self-assessment (issue 20).

A phone creates its team's project (name, carriers) or joins one with the join code the
creating phone shows; from then on it may edit that project, and only that one. Each edit
is one :class:`TeamEdit` that sets one field (a criterion's level, comment or progress mark,
the improvement axes, one pitch-preparation answer, « Je veux pitcher »): the app applies
them in arrival order, so two phones of one team editing at once keep both their fields and
the last write of each field wins.

Rights live in the record (``Project.phones``), as digests of the device cookies, so a
restart keeps them and the session folder never holds a phone's credential. Pure rules, no
network, no files.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from atelier.domain import assessment
from atelier.domain.cards import CardRefused, clean_text
from atelier.domain.content_grid import Assessment, Grid
from atelier.domain.session import PhoneAccess, Project, SessionRecord

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: read aloud or copied from a phone without doubt."""
JOIN_CODE_LENGTH = 8
"""31⁸ ≈ 8.5·10¹¹ codes: at the server's 5 requests/s per address and 10 wrong codes per
address and minute, guessing one of 60 codes takes longer than any workshop by far."""

NAME_MAX = 80
CARRIERS_MAX = 120
COMMENT_MAX = 500
AXES_MAX = 2000
PREP_MAX = 1000
DEVICES_PER_PROJECT = 12
PROJECTS_PER_DEVICE = 3


class EditKind(StrEnum):
    CREATE = "creer"
    JOIN = "rejoindre"
    LEVEL = "niveau"
    COMMENT = "commentaire"
    PROGRESS = "progression"
    AXES = "axes"
    PREP = "preparation"
    VOLUNTEER = "pitcher"


class TeamRefusal(StrEnum):
    """Why an edit was not taken; the server maps each to an HTTP status."""

    CLOSED = "closed"  # the assessment step is not running → 409
    NO_RIGHT = "no_right"  # this phone neither created nor joined that project → 403
    BAD_CODE = "bad_code"  # no project has this join code → 422
    UNKNOWN_FIELD = "unknown_field"  # criterion, level or prompt not in the content → 422
    EMPTY = "empty"  # a project needs a name → 422
    TOO_LONG = "too_long"  # over a field's limit → 422
    CONTROL = "control"  # control characters → 422
    DEVICE_CAP = "device_cap"  # too many projects for one phone, phones for one project → 429
    CODE_CAP = "code_cap"  # too many wrong join codes from this address this minute → 429
    NOT_SAVED = "not_saved"  # applied, but the session could not be written yet → 503


class TeamRefused(Exception):
    def __init__(self, reason: TeamRefusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class TeamEdit:
    """One change sent by a phone. ``project_id`` is empty for CREATE and JOIN; ``target``
    is the criterion or prompt id; ``value`` the text, level id, code, or "1"/"" for marks;
    ``extra`` the carriers of a new project."""

    kind: EditKind
    project_id: str = ""
    target: str = ""
    value: str = ""
    extra: str = ""


def device_digest(device: str) -> str:
    """What the record keeps of a device cookie: enough to recognise it, useless to forge."""
    return hashlib.sha256(b"atelier-team:" + device.encode()).hexdigest()[:32]


def new_join_code(taken: Iterable[str] = (), draw: Callable[[str], str] = secrets.choice) -> str:
    used = set(taken)
    while True:
        code = "".join(draw(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if code not in used:
            return code


def display_code(code: str) -> str:
    """« ABCD EFGH »: the code as a phone and the facilitator show it (read aloud in two)."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"


def normalise_code(text: str) -> str:
    """What a person typed (« abcd efgh », « ABCD-EFGH ») as a code to compare."""
    return "".join(char for char in text.upper() if char.isalnum())


def projects_of(record: SessionRecord, device: str) -> list[Project]:
    """The projects this phone created or joined, in the record's order."""
    digest = device_digest(device)
    return [p for p in record.projects if p.phones is not None and digest in p.phones.devices]


def may_edit(project: Project, device: str) -> bool:
    return project.phones is not None and device_digest(device) in project.phones.devices


def _text(value: str, limit: int, *, single_line: bool = False) -> str:
    try:
        text = clean_text(value, limit)
    except CardRefused as refused:
        reason = refused.reason.value
        raise TeamRefused(
            TeamRefusal.TOO_LONG if reason == "too_long" else TeamRefusal.CONTROL
        ) from refused
    if single_line and ("\n" in text or "\t" in text):
        raise TeamRefused(TeamRefusal.CONTROL)
    return text


def apply_edit(
    record: SessionRecord,
    grid: Grid,
    workshop_assessment: Assessment,
    edit: TeamEdit,
    device: str,
    now: datetime,
) -> Project:
    """Apply ``edit`` from ``device`` to the record; the project it touched, or
    :class:`TeamRefused` (nothing changed). The caller checks the step is running."""
    if edit.kind is EditKind.CREATE:
        return _create(record, edit, device, now)
    if edit.kind is EditKind.JOIN:
        return _join(record, edit, device)
    try:
        project = record.project(edit.project_id)
    except KeyError:
        raise TeamRefused(TeamRefusal.NO_RIGHT) from None
    if not may_edit(project, device):
        raise TeamRefused(TeamRefusal.NO_RIGHT)
    criteria = {criterion.id for criterion in grid.criteria}
    scored = edit.kind in (EditKind.LEVEL, EditKind.COMMENT, EditKind.PROGRESS)
    if scored and edit.target not in criteria:
        raise TeamRefused(TeamRefusal.UNKNOWN_FIELD)
    if edit.kind is EditKind.LEVEL:
        levels = {level.id for level in grid.levels}
        if edit.value and edit.value not in levels:
            raise TeamRefused(TeamRefusal.UNKNOWN_FIELD)
        assessment.set_level(project, edit.target, edit.value or None)
    elif edit.kind is EditKind.COMMENT:
        assessment.set_comment(project, edit.target, _text(edit.value, COMMENT_MAX))
    elif edit.kind is EditKind.PROGRESS:
        score = project.scores.get(edit.target)
        if bool(score and score.progress) != (edit.value == "1"):
            assessment.toggle_progress(project, edit.target)
    elif edit.kind is EditKind.AXES:
        assessment.set_improvement_axes(project, _text(edit.value, AXES_MAX))
    elif edit.kind is EditKind.PREP:
        prompts = {p.id for phase in workshop_assessment.phases for p in phase.prompts}
        if edit.target not in prompts:
            raise TeamRefused(TeamRefusal.UNKNOWN_FIELD)
        assessment.set_pitch_prep(project, edit.target, _text(edit.value, PREP_MAX))
    elif edit.kind is EditKind.VOLUNTEER:
        assert project.phones is not None
        project.phones.wants_to_pitch = edit.value == "1"
    return project


def _create(record: SessionRecord, edit: TeamEdit, device: str, now: datetime) -> Project:
    name = _text(edit.value, NAME_MAX, single_line=True)
    carriers = _text(edit.extra, CARRIERS_MAX, single_line=True)
    if not name:
        raise TeamRefused(TeamRefusal.EMPTY)
    if len(projects_of(record, device)) >= PROJECTS_PER_DEVICE:
        raise TeamRefused(TeamRefusal.DEVICE_CAP)
    taken = [p.phones.join_code for p in record.projects if p.phones is not None]
    project = record.add_project(name, carriers, now=now)
    project.phones = PhoneAccess(join_code=new_join_code(taken), devices=[device_digest(device)])
    return project


def _join(record: SessionRecord, edit: TeamEdit, device: str) -> Project:
    code = normalise_code(edit.value)
    for project in record.projects:
        phones = project.phones
        if phones is not None and secrets.compare_digest(phones.join_code, code):
            digest = device_digest(device)
            if digest in phones.devices:
                return project
            if len(phones.devices) >= DEVICES_PER_PROJECT:
                raise TeamRefused(TeamRefusal.DEVICE_CAP)
            if len(projects_of(record, device)) >= PROJECTS_PER_DEVICE:
                raise TeamRefused(TeamRefusal.DEVICE_CAP)
            phones.devices = [*phones.devices, digest]
            return project
    raise TeamRefused(TeamRefusal.BAD_CODE)


class CodeGate:
    """Wrong join codes per address over the last minute: past the limit, 429."""

    def __init__(
        self, per_minute: int = 10, tracked: int = 4096, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_minute = per_minute
        self.tracked = tracked
        self.clock = clock
        self._misses: OrderedDict[str, deque[float]] = OrderedDict()

    def check(self, address: str) -> None:
        misses = self._misses.get(address)
        if misses is None:
            return
        horizon = self.clock() - 60.0
        while misses and misses[0] <= horizon:
            misses.popleft()
        if len(misses) >= self.per_minute:
            raise TeamRefused(TeamRefusal.CODE_CAP)

    def miss(self, address: str) -> None:
        misses = self._misses.pop(address, None) or deque()
        misses.append(self.clock())
        self._misses[address] = misses
        while len(self._misses) > self.tracked:
            self._misses.popitem(last=False)


@dataclass(frozen=True, slots=True)
class RoomProgress:
    """« 5 projets, 3 grilles complètes »: what the projector says of the room's work."""

    projects: int
    complete: int
    from_phones: int


def room_progress(grid: Grid, projects: Iterable[Project]) -> RoomProgress:
    total = complete = phones = 0
    for project in projects:
        total += 1
        profile = assessment.project_profile(grid, project)
        complete += profile.scored_count == profile.criterion_count
        phones += project.phones is not None
    return RoomProgress(total, complete, phones)


def wants_to_pitch(project: Project) -> bool:
    return project.phones is not None and project.phones.wants_to_pitch
