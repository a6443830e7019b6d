"""The projector's side of phone voting: the QR code, the short address, the live count.

The split between answers stays hidden until the reveal (the room must not follow the
crowd); the panel only says how many have voted. After the reveal the answer boxes show a
bar per answer (:func:`answer_tally_text`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from atelier.domain.session import QuizResult, TallySource
from atelier.tui import labels

if TYPE_CHECKING:
    from atelier.tui.vote import VoteController

QR_BORDER = 2
"""Quiet zone in modules (the panel adds one light column each side): a projected code is
clean, and every row saved matters on a 24-row terminal."""

BAR_WIDTH = 10

_HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


@lru_cache(maxsize=8)
def qr_text(data: str, border: int = QR_BORDER) -> str:
    """``data`` as a QR code in half-block characters: two modules per character cell, dark
    modules drawn in the foreground colour (the stylesheet sets black on white)."""
    import segno  # lazily: only when voting starts

    code = segno.make(data, error="l", boost_error=True, micro=False)
    rows = [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=border)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    lines = []
    for top, bottom in zip(rows[0::2], rows[1::2], strict=True):
        lines.append("".join(_HALF_BLOCKS[pair] for pair in zip(top, bottom, strict=True)))
    return "\n".join(lines)


def count_text(count: int) -> str:
    if count == 0:
        return labels.VOTE_COUNT_ZERO
    if count == 1:
        return labels.VOTE_COUNT_ONE
    return labels.VOTE_COUNT_MANY.format(count=count)


def bar(share: float, width: int = BAR_WIDTH) -> str:
    full = round(max(0.0, min(1.0, share)) * width)
    return labels.SUMMARY_BAR_FULL * full + labels.SUMMARY_BAR_REST * (width - full)


def answer_tally_text(result: QuizResult | None, answer_id: str, revealed: bool) -> str:
    """What an answer box shows under its label: hands as counted; votes hidden until the
    reveal, then a bar with the count and share."""
    if result is None:
        return ""
    count = result.tally.get(answer_id)
    if result.source is not TallySource.VOTES:
        return labels.QUIZ_HANDS.format(count=count) if count is not None else ""
    if not revealed:
        return ""
    total = sum(result.tally.values())
    count = count or 0
    share = count / total if total else 0.0
    return f"{bar(share)}\n{labels.VOTE_SHARE.format(count=count, share=share)}"


class VotePanel(Vertical):
    """Hidden until voting runs; ``sync()`` is called by the quiz screen whenever what it
    shows changes, and the panel follows the votes through the controller's signal."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._controller: VoteController | None = None
        self._item_id: str | None = None
        self._revealed = False
        self.shown_count: int | None = None
        """The count on screen (None: no statement up); tests read it."""

    def compose(self) -> ComposeResult:
        # Empty until voting first starts (most workshops never do): five fewer widgets to
        # style before the quiz's first frame.
        return iter(())

    def on_mount(self) -> None:
        self.display = False

    def _build(self) -> None:
        if self.children:
            return
        self.mount_all(
            [
                Static(labels.VOTE_SCAN, id="vote-title", markup=False),
                Static("", id="vote-qr", markup=False),
                Static("", id="vote-url", markup=False),
                Static("", id="vote-count", markup=False),
                Static("", id="vote-warning", markup=False),
            ]
        )

    def sync(self, controller: VoteController | None, item_id: str | None, revealed: bool) -> None:
        """Show what voting is doing for the statement ``item_id`` (None: not on a statement)."""
        self._item_id, self._revealed = item_id, revealed
        if controller is None or not controller.running:
            self.display = False
            self.shown_count = None
            return
        controller.show(item_id, revealed=revealed)
        self._build()
        if controller is not self._controller:
            self._controller = controller
            controller.changed.unsubscribe(self)
            controller.changed.subscribe(self, self._votes_changed)
        self.query_one("#vote-qr", Static).update(qr_text(controller.url))
        self.query_one("#vote-url", Static).update(controller.short_url)
        warning = self.query_one("#vote-warning", Static)
        warning.update(labels.VOTE_LOOPBACK_ONLY if controller.loopback_only else "")
        warning.display = controller.loopback_only
        self.display = True
        self._show_count()

    def _votes_changed(self, item_id: str) -> None:
        if item_id == self._item_id:
            self._show_count()

    def _show_count(self) -> None:
        controller = self._controller
        count_box = self.query_one("#vote-count", Static)
        if controller is None or self._item_id is None:
            self.shown_count = None
            count_box.update(labels.VOTE_WAITING)
            return
        count = controller.box.total(self._item_id)
        self.shown_count = count
        text = count_text(count)
        if self._revealed:
            text = f"{text} · {labels.VOTE_CLOSED}"
        count_box.update(text)
