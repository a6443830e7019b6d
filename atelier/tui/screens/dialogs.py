"""Small modal dialogs: typing the room's tally, choosing another folder to save into,
confirming ctrl+q while the room depends on the app."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from atelier.domain.content_quiz import Answer
from atelier.tui import labels, safe_text


class TallyDialog(ModalScreen[dict[str, int] | None]):
    """One number per answer; Enter keeps them, Escape forgets them."""

    BINDINGS = [Binding("escape", "cancel", labels.KEY_CLOSE)]

    def __init__(self, answers: tuple[Answer, ...], current: dict[str, int]) -> None:
        super().__init__()
        self.answers = answers
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(labels.QUIZ_TALLY_TITLE, classes="dialog-title")
            yield Static(labels.QUIZ_TALLY_HINT)
            with Grid(id="tally-grid"):
                for answer in self.answers:
                    yield Label(safe_text.plain(f"{answer.symbol} {answer.label}"))
                    yield Input(
                        str(self.current.get(answer.id, "")),
                        type="integer",
                        id=f"tally-{answer.id}",
                        placeholder="0",
                    )

    @on(Input.Submitted)
    def submit(self) -> None:
        counts = {}
        for answer in self.answers:
            value = self.query_one(f"#tally-{answer.id}", Input).value.strip()
            counts[answer.id] = max(0, int(value)) if value.lstrip("-").isdigit() else 0
        self.dismiss(counts)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SaveElsewhereDialog(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "cancel", labels.KEY_CLOSE)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(labels.SAVE_ELSEWHERE_TITLE, classes="dialog-title")
            yield Static(labels.SAVE_ELSEWHERE_HINT)
            yield Input(str(Path.home() / "atelier-sessions"), id="folder")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(Path(value).expanduser() if value else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class QuitDialog(ModalScreen[bool]):
    """« Quitter l'atelier ? » — ^Q again quits (the app's ctrl+q sees this dialog and
    confirms it), Entrée / Échap / n stay (staying is the default). No letter quits: a
    sentence typed after a stray ^Q must not answer it. Everything is already saved."""

    BINDINGS = [
        Binding("enter,escape,n", "stay", labels.QUIT_NO),
    ]

    def __init__(self, reason: str, resume_command: str) -> None:
        super().__init__()
        self.reason = reason
        self.resume_command = resume_command

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="quit-dialog"):
            yield Static(labels.QUIT_TITLE, classes="dialog-title")
            yield Static(self.reason, markup=False)
            yield Static(labels.QUIT_DETAIL.format(command=self.resume_command), markup=False)
            yield Static(labels.QUIT_HINT, classes="dialog-hint")

    def action_leave(self) -> None:
        self.dismiss(True)

    def action_stay(self) -> None:
        self.dismiss(False)
