"""Feedback cards from the room's phones during the pitch round.

A phone may send a short card (one feedback category, ≤ 500 characters, optionally signed)
to the project on stage. The card goes into that project's record at once, *pending*, in the
facilitator's private inbox; the facilitator accepts it (its text is appended to the
category's note, marked as coming from the room) or sets it aside. Nothing a phone sends
reaches a note, hence the projector, without that gesture.

:class:`CardGate` holds the limits that keep a phone (or a script) from flooding the inbox:
a number of cards per device and project, and per client address and minute. Pure rules,
no network, no files.
"""

from __future__ import annotations

import unicodedata
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from atelier.domain.session import CardStatus, Project, RoomCard

CARD_MAX_CHARS = 500
SIGNATURE_MAX_CHARS = 60
ROOM_MARK = "Salle"
"""How an accepted card starts in the note: « Salle (Marie) : … » or « Salle : … »."""


class CardRefusal(StrEnum):
    """Why a card was not taken; the server maps each to an HTTP status."""

    NO_STAGE = "no_stage"  # no project on stage → 409
    NOT_ON_STAGE = "not_on_stage"  # another project than the one on stage → 409
    UNKNOWN_CATEGORY = "unknown_category"  # not a feedback category of the content → 422
    EMPTY = "empty"  # nothing but spaces → 422
    TOO_LONG = "too_long"  # over 500 characters (or a signature over 60) → 422
    CONTROL = "control"  # control characters other than line breaks and tabs → 422
    DEVICE_CAP = "device_cap"  # this phone sent its share of cards for this project → 429
    ADDRESS_CAP = "address_cap"  # too many cards from one address this minute → 429
    NOT_SAVED = "not_saved"  # taken, but the session could not be written yet → 503


class CardRefused(Exception):
    def __init__(self, reason: CardRefusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def clean_text(text: str, limit: int) -> str:
    """The text as the facilitator will read it: line breaks made ``\\n``, outer spaces
    trimmed; nothing else changed (no character dropped or replaced). Raises
    :class:`CardRefused` when it is empty, too long or holds control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    for char in text:
        if char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cs"):
            raise CardRefused(CardRefusal.CONTROL)
    if len(text) > limit:
        raise CardRefused(CardRefusal.TOO_LONG)
    return text


@dataclass(frozen=True)
class CardLimits:
    per_device_per_project: int = 5
    per_address_per_minute: int = 10
    tracked: int = 4096
    """Addresses and devices remembered (oldest forgotten first): bounded memory."""


class CardGate:
    """Counts cards per (device, project) and per address over the last minute."""

    def __init__(
        self, limits: CardLimits | None = None, clock: Callable[[], float] | None = None
    ) -> None:
        import time

        self.limits = limits or CardLimits()
        self.clock = clock or time.monotonic
        self._per_device: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._per_address: OrderedDict[str, deque[float]] = OrderedDict()

    def check(self, project_id: str, device: str, address: str) -> None:
        """Raise :class:`CardRefused` when this card would pass a limit (nothing counted)."""
        if self._per_device.get((device, project_id), 0) >= self.limits.per_device_per_project:
            raise CardRefused(CardRefusal.DEVICE_CAP)
        recent = self._recent(address)
        if recent is not None and len(recent) >= self.limits.per_address_per_minute:
            raise CardRefused(CardRefusal.ADDRESS_CAP)

    def count(self, project_id: str, device: str, address: str) -> None:
        """A card was taken: count it against its device and address."""
        key = (device, project_id)
        self._per_device[key] = self._per_device.pop(key, 0) + 1
        recent = self._recent(address) or deque()
        recent.append(self.clock())
        self._per_address.pop(address, None)
        self._per_address[address] = recent
        for table in (self._per_device, self._per_address):
            while len(table) > self.limits.tracked:
                table.popitem(last=False)

    def _recent(self, address: str) -> deque[float] | None:
        recent = self._per_address.get(address)
        if recent is None:
            return None
        horizon = self.clock() - 60.0
        while recent and recent[0] <= horizon:
            recent.popleft()
        return recent


def check_category(categories: Sequence[str], category: str) -> None:
    if category not in categories:
        raise CardRefused(CardRefusal.UNKNOWN_CATEGORY)


def add_card(project: Project, category: str, text: str, signature: str, now: datetime) -> RoomCard:
    """File a card in ``project``'s inbox (pending); ``text`` already cleaned."""
    cards = project.pitch.room_cards
    number = 1 + max((int(card.id[1:]) for card in cards), default=0)
    card = RoomCard(
        id=f"c{number}", category=category, text=text, signature=signature, received_at=now
    )
    cards.append(card)
    return card


def pending(project: Project) -> list[RoomCard]:
    """The inbox: cards not yet accepted or set aside, oldest first (newest last)."""
    return [card for card in project.pitch.room_cards if card.status is CardStatus.PENDING]


def note_entry(card: RoomCard) -> str:
    """The card as it goes into the note: « Salle (Marie) : texte »."""
    who = f"{ROOM_MARK} ({card.signature})" if card.signature else ROOM_MARK
    return f"{who} : {card.text}"


def accept(project: Project, card_id: str) -> str | None:
    """Append a pending card to its category's note; the note's new text (None: nothing)."""
    card = _pending_card(project, card_id)
    if card is None:
        return None
    notes = project.pitch.notes
    before = notes.get(card.category, "")
    separator = "" if not before.strip() else ("\n" if before.endswith("\n") else "\n\n")
    text = before + separator + note_entry(card)
    notes[card.category] = text
    project.pitch.notes = dict(notes)  # validate_assignment: the record sees the change
    card.status = CardStatus.ACCEPTED
    return text


def set_aside(project: Project, card_id: str) -> bool:
    card = _pending_card(project, card_id)
    if card is None:
        return False
    card.status = CardStatus.SET_ASIDE
    return True


def _pending_card(project: Project, card_id: str) -> RoomCard | None:
    for card in project.pitch.room_cards:
        if card.id == card_id:
            return card if card.status is CardStatus.PENDING else None
    return None
