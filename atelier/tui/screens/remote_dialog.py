"""The facilitator's private dialog: the remote's address as a QR code and as text.

Opened on demand only (F12, or the palette), never part of what the room's phones follow;
``n`` draws a new secret (every remote already opened is refused from then on), Échap closes.
No text field here, so single keys are safe."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from atelier.tui import labels
from atelier.tui.widgets.vote_panel import qr_text

if TYPE_CHECKING:
    from atelier.tui.remote import RemoteController


class RemoteDialog(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,enter", "close", labels.QUIT_NO, show=False),
        Binding("n", "revoke", show=False),
    ]

    def __init__(self, controller: RemoteController) -> None:
        super().__init__()
        self.controller = controller

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="remote-dialog"):
            yield Static(labels.REMOTE_TITLE, classes="dialog-title")
            yield Static(labels.REMOTE_PRIVATE, markup=False)
            yield Static("", id="remote-qr", markup=False)
            yield Static("", id="remote-url", markup=False)
            yield Static(labels.REMOTE_KEYS, classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        url = self.controller.url or ""
        self.query_one("#remote-qr", Static).update(qr_text(url) if url else "")
        self.query_one("#remote-url", Static).update(url)

    def action_revoke(self) -> None:
        self.controller.revoke()
        self._show()
        self.app.notify(labels.REMOTE_REVOKED)

    def action_close(self) -> None:
        self.dismiss(None)
