"""What the app and its controllers may ask of a screen, as small Protocols (checked with
``isinstance``) rather than ``getattr`` on a method name: a screen says what it offers by
defining the method, mypy checks its signature where it is called."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class HoldsUnsavedState(Protocol):
    """A screen holding live state the record does not have yet: text typed and not saved, a
    running clock's elapsed time. The app calls :meth:`flush` before it saves on leaving a
    step, on quitting, and before a remote command."""

    async def flush(self) -> None:
        """Copy that state into the record (the app saves right after: the store sees what
        changed by itself)."""


@runtime_checkable
class FollowsRoomCards(Protocol):
    """A screen showing the feedback cards the room's phones send (the pitch round)."""

    def room_cards_changed(self, project_ids: list[str]) -> None:
        """Cards of these projects arrived and are saved: redraw what shows them."""


@runtime_checkable
class FollowsRoomProjects(Protocol):
    """A screen listing projects that teams edit from their phones (the assessment)."""

    async def room_projects_changed(self, project_ids: list[str]) -> None:
        """These projects changed and are saved: redraw what shows them."""


@runtime_checkable
class TakesKeysInOrder(Protocol):
    """A focused widget that decides about some keys as they arrive, in typing order, before
    any binding (``AtelierApp.on_event``): the grid's criteria list, where a letter starts
    the comment, and the pitch round's queue, where a letter goes to the notes on stage; the
    rest of a sentence typed at once must follow it there."""

    def take_key(self, key: str, character: str | None) -> bool:
        """True if the key was used (it goes no further)."""
