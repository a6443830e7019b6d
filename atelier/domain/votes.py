"""The ballot box for votes cast from phones during the quiz.

Pure rules, no network: the server hands each request's statement, answer, device id (a
cookie) and client address to :class:`BallotBox.cast`, which accepts it or says why not.

- Only the statement on the projector is open; one vote per device, which it may change
  until the reveal; after the reveal the statement is closed for good.
- A cap per client address bounds what one phone that keeps clearing its cookies can add
  (several real phones may share an address behind a router, hence a cap and not one vote).
- The counts become the statement's tally in the session record, marked as votes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from atelier.domain.content_quiz import Quiz
from atelier.domain.session import QuizResult, SessionRecord, TallySource

DEFAULT_DEVICES_PER_ADDRESS = 4
"""Distinct devices counted per client address and statement (a shared router, a family)."""


class Refusal(StrEnum):
    """Why a vote was not counted; the server maps each to an HTTP status."""

    UNKNOWN_STATEMENT = "unknown_statement"  # not a statement of this quiz → 404
    UNKNOWN_ANSWER = "unknown_answer"  # not an answer of this quiz → 422
    NOT_OPEN = "not_open"  # a statement that is not the one on screen → 409
    CLOSED = "closed"  # the answer was revealed → 409
    ADDRESS_CAP = "address_cap"  # too many devices from one address → 429


class VoteRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass
class _Ballot:
    votes: dict[str, str] = field(default_factory=dict)  # device id → answer id
    devices_by_address: dict[str, set[str]] = field(default_factory=dict)
    closed: bool = False


@dataclass(frozen=True)
class Cast:
    """An accepted vote: ``changed`` is False when the device repeated its previous answer."""

    item_id: str
    answer_id: str
    changed: bool
    first: bool  # the device's first vote on this statement (the total went up)


@dataclass(frozen=True)
class PublicState:
    """What every phone may know: which statement is up and whether it was revealed."""

    item_id: str | None
    revealed: bool

    @property
    def key(self) -> str:
        """Changes exactly when the phones' page must change (polled by the page)."""
        if self.item_id is None:
            return "-"
        return f"{self.item_id}:{'r' if self.revealed else 'o'}"


class BallotBox:
    def __init__(
        self, quiz: Quiz, *, devices_per_address: int = DEFAULT_DEVICES_PER_ADDRESS
    ) -> None:
        if devices_per_address < 1:
            raise ValueError("devices_per_address must be at least 1")
        self.quiz = quiz
        self.devices_per_address = devices_per_address
        self._item_ids = {item.id for item in quiz.items}
        self._answer_ids = tuple(answer.id for answer in quiz.answers)
        self._ballots: dict[str, _Ballot] = {}
        self._current: str | None = None
        self.version = 0
        """Goes up with every change (votes included): cheap « anything new? » for the app."""

    # -- what is on the projector ----------------------------------------------------------

    @property
    def current(self) -> str | None:
        return self._current

    def show(self, item_id: str | None, *, revealed: bool = False) -> None:
        """The projector shows ``item_id`` (None: no statement, e.g. the quiz's intro pages).

        ``revealed`` closes it (a statement revealed in an earlier run of the app); a
        statement once closed stays closed."""
        if item_id is not None and item_id not in self._item_ids:
            raise KeyError(item_id)
        changed = item_id != self._current
        self._current = item_id
        if item_id is not None and revealed and not self._ballot(item_id).closed:
            self._ballot(item_id).closed = True
            changed = True
        if changed:
            self.version += 1

    def close(self, item_id: str) -> None:
        """The reveal: no vote on ``item_id`` is accepted any more."""
        if item_id not in self._item_ids:
            raise KeyError(item_id)
        ballot = self._ballot(item_id)
        if not ballot.closed:
            ballot.closed = True
            self.version += 1

    def is_closed(self, item_id: str) -> bool:
        ballot = self._ballots.get(item_id)
        return bool(ballot and ballot.closed)

    def public_state(self) -> PublicState:
        current = self._current
        return PublicState(current, current is not None and self.is_closed(current))

    # -- voting ----------------------------------------------------------------------------

    def cast(self, item_id: str, answer_id: str, device: str, address: str) -> Cast:
        """Count ``device``'s answer to ``item_id``, or raise :class:`VoteRefused`.

        A refused vote changes nothing."""
        if item_id not in self._item_ids:
            raise VoteRefused(Refusal.UNKNOWN_STATEMENT)
        if answer_id not in self._answer_ids:
            raise VoteRefused(Refusal.UNKNOWN_ANSWER)
        ballot = self._ballots.get(item_id)
        if ballot is not None and ballot.closed:
            raise VoteRefused(Refusal.CLOSED)
        if item_id != self._current:
            raise VoteRefused(Refusal.NOT_OPEN)
        ballot = self._ballot(item_id)
        previous = ballot.votes.get(device)
        if previous is None:
            devices = ballot.devices_by_address.get(address, set())
            if len(devices) >= self.devices_per_address:
                raise VoteRefused(Refusal.ADDRESS_CAP)
            ballot.devices_by_address.setdefault(address, set()).add(device)
        ballot.votes[device] = answer_id
        changed = previous != answer_id
        if changed:
            self.version += 1
        return Cast(item_id, answer_id, changed=changed, first=previous is None)

    def vote_of(self, item_id: str, device: str) -> str | None:
        ballot = self._ballots.get(item_id)
        return ballot.votes.get(device) if ballot else None

    def counts(self, item_id: str) -> dict[str, int]:
        """Votes per answer id, every answer of the quiz present (zero when nobody chose it)."""
        counts = dict.fromkeys(self._answer_ids, 0)
        ballot = self._ballots.get(item_id)
        if ballot is not None:
            for answer_id in ballot.votes.values():
                counts[answer_id] += 1
        return counts

    def total(self, item_id: str) -> int:
        ballot = self._ballots.get(item_id)
        return len(ballot.votes) if ballot else 0

    def voted_items(self) -> list[str]:
        return [item_id for item_id, ballot in self._ballots.items() if ballot.votes]

    # -- into the session record -----------------------------------------------------------

    def record_into(self, record: SessionRecord, item_id: str) -> QuizResult | None:
        """Write ``item_id``'s votes as its tally (source VOTES); None while nobody voted,
        so a statement counted by hands is left alone until the first phone answers."""
        if not self.total(item_id):
            return None
        result = record.quiz_result(item_id)
        counts = self.counts(item_id)
        if result.tally != counts or result.source is not TallySource.VOTES:
            result.tally = counts
            result.source = TallySource.VOTES
        return result

    def _ballot(self, item_id: str) -> _Ballot:
        ballot = self._ballots.get(item_id)
        if ballot is None:
            ballot = self._ballots[item_id] = _Ballot()
        return ballot
