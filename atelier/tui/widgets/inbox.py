"""The facilitator's inbox of feedback cards from the room's phones (pitch screen).

Cards are moderated: nothing a phone sends reaches the projector without the facilitator, and
the inbox itself is hidden in room mode (atelier.domain.cards has the rules)."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widget import Widget

from atelier.domain.session import RoomCard
from atelier.tui import labels

INBOX_KEYS = labels.PITCH_INBOX_KEYS
INBOX_NEWEST = 3
"""Besides the card the keys act on, the newest cards listed (one line each): a room of 300
must neither push the inbox off the screen nor make each new card cost more to draw."""
INBOX_FIRST_LINES = 6
"""Lines given to the card the keys act on (longer text ends with « … » until it is taken)."""


def _one_line(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(1, width - 1)] + "…"


def inbox_content(
    cards: list[RoomCard],
    labels_by_id: dict[str, str],
    width: int = 40,
    newest: int = INBOX_NEWEST,
) -> Content:
    """The facilitator's inbox of cards from the room: the oldest first (the one the keys act
    on, marked ▶, in full up to :data:`INBOX_FIRST_LINES` lines), then how many wait, then the
    newest last, one line each. The text is shown as typed (never read as markup); the
    whole of every card is in the session and in ``atelier review``."""
    if not cards:
        return Content("")
    width = max(10, width)
    first = cards[0]
    category = labels_by_id.get(first.category, first.category)
    head = f"▶ {category} : "
    text = first.text + (f" — {first.signature}" if first.signature else "")
    room = max(width, width * INBOX_FIRST_LINES - len(head))
    parts: list[Content | str | tuple[str, str]] = [(head, "bold"), _one_line(text, room)]
    others = cards[1:]
    listed = others[-newest:] if newest else []
    hidden = len(others) - len(listed)
    if hidden:
        more = labels.PITCH_INBOX_MORE if listed else labels.PITCH_INBOX_MORE_END
        parts.append(("\n" + more.format(count=hidden), "italic"))
    for card in listed:  # the text first: the category's long title would hide it
        category = labels_by_id.get(card.category, card.category)
        parts.append("\n  " + _one_line(f"{card.text} · {category}", width - 2))
    return Content.assemble(*parts)


class InboxView(Widget):
    """The facilitator's inbox of cards from the room: a title with the count, the keys, then
    the cards. Its height is fixed, so a new card repaints this box only (no layout of the
    whole screen, which cost the projector 100-170 ms a card at 1,000 phones)."""

    DEFAULT_CSS = """
    InboxView {
        height: 1fr;
        min-height: 6;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pending: list[RoomCard] = []
        self.names: dict[str, str] = {}

    def show(self, pending: list[RoomCard], names: dict[str, str]) -> None:
        self.pending = pending
        self.names = names
        self.refresh()

    @property
    def title(self) -> str:
        return labels.PITCH_INBOX_TITLE.format(count=len(self.pending))

    @property
    def cards(self) -> Content:
        width = self.content_size.width or 40
        height = self.content_size.height or 12
        if not self.pending:
            return Content("")
        first = self.pending[0]
        length = len(first.text) + len(first.signature) + 40
        first_lines = min(INBOX_FIRST_LINES, -(-length // max(10, width)))
        head_lines = sum(-(-len(line) // max(10, width)) for line in (self.title, INBOX_KEYS))
        newest = max(0, height - head_lines - first_lines - 1)
        return inbox_content(self.pending, self.names, width, newest)

    def render(self) -> Content:
        return Content.assemble(
            (self.title, "bold"), "\n", (INBOX_KEYS, "italic"), "\n", self.cards
        )
