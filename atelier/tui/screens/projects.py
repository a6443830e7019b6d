"""The participating projects: add (name, carriers, contact e-mail), rename, remove — from any
screen.

The dialogs return values; the three flows below change the record and save it through the
app (``persist`` never raises; a failed save shows the banner and is retried). A removed
project's file is moved to ``deleted/`` by the store when ``session.yaml`` is rewritten, so
nothing is erased. The assessment screen uses them; the pitch screen can too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from atelier.domain.session import Project, check_email
from atelier.domain.teams import display_code
from atelier.tui import labels, safe_text

if TYPE_CHECKING:
    from atelier.tui.app import AtelierApp


@dataclass(frozen=True, slots=True)
class ProjectDetails:
    name: str
    carriers: str = ""
    contact_email: str = ""


class ProjectDialog(ModalScreen[ProjectDetails | None]):
    """Name, carriers and contact e-mail. Entrée goes to the next field, Entrée in the last one
    validates; Échap cancels. An empty name or an address that is not one is refused with a
    message (the dialog stays, the field keeps what was typed)."""

    BINDINGS = [Binding("escape", "cancel", labels.KEY_CLOSE)]

    def __init__(self, title: str, details: ProjectDetails | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.details = details or ProjectDetails("")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="project-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Label(labels.PROJECT_NAME)
            yield Input(self.details.name, id="project-name", select_on_focus=False)
            yield Label(labels.PROJECT_CARRIERS)
            yield Input(
                self.details.carriers,
                id="project-carriers",
                placeholder=labels.PROJECT_CARRIERS_PLACEHOLDER,
                select_on_focus=False,
            )
            yield Label(labels.PROJECT_EMAIL)
            yield Input(
                self.details.contact_email,
                id="project-email",
                placeholder=labels.PROJECT_EMAIL_PLACEHOLDER,
                select_on_focus=False,
            )
            yield Static("", id="project-error", markup=False)
            yield Static(labels.PROJECT_DIALOG_HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#project-name", Input).focus()

    @on(Input.Submitted, "#project-name")
    def name_entered(self) -> None:
        if self._entered_name():
            self.query_one("#project-carriers", Input).focus()
        else:
            self._refuse()

    @on(Input.Submitted, "#project-carriers")
    def carriers_entered(self) -> None:
        self.query_one("#project-email", Input).focus()

    @on(Input.Submitted, "#project-email")
    def email_entered(self) -> None:
        name = self._entered_name()
        if not name:
            self._refuse()
            return
        address = self.query_one("#project-email", Input).value.strip()
        why = check_email(address) if address else None
        if why is not None:
            self.query_one("#project-error", Static).update(f"⚠ {why}")
            self.query_one("#project-email", Input).focus()
            return
        carriers = self.query_one("#project-carriers", Input).value.strip()
        self.dismiss(ProjectDetails(name, carriers, address))

    def _entered_name(self) -> str:
        return self.query_one("#project-name", Input).value.strip()

    def _refuse(self) -> None:
        self.query_one("#project-error", Static).update(labels.PROJECT_NAME_EMPTY)
        self.query_one("#project-name", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """One question, one answer: the key that asked again (``confirm_key``: Suppr to remove,
    ^Q to quit — keys that never type), or the « Oui » button → True; « n », Entrée, Échap →
    False. No letter says yes: a sentence typed after a stray key must not answer it (« o »
    for « oui » is in half the words of a French sentence). The focus starts on « Non »."""

    BINDINGS = [
        Binding("n,escape", "answer(False)", labels.NO),
        Binding("left,right", "app.focus_next", show=False),
    ]

    def __init__(
        self,
        question: str,
        detail: str = "",
        yes: str = labels.YES,
        *,
        confirm_key: str,
        confirm_display: str,
    ) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.confirm_key = confirm_key
        self.confirm_display = confirm_display

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            if self.detail:
                yield Static(self.detail, markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(self.yes, id="confirm-yes", variant="error", compact=True)
                yield Button(labels.NO, id="confirm-no", compact=True)
            yield Static(
                labels.CONFIRM_HINT.format(key=self.confirm_display, yes=self.yes),
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def on_key(self, event: events.Key) -> None:
        if event.key == self.confirm_key:
            event.stop()
            self.dismiss(True)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class JoinCodeDialog(ModalScreen[None]):
    """The code a team joins its project with, for a project created from a phone (a team
    whose phone showing it is lost asks the facilitator). The laptop's screen is often the
    projector's: the dialog opens with the code hidden, ``v`` shows it, Échap closes (and so
    hides it). No text field here, so single keys are safe."""

    BINDINGS = [
        Binding("escape", "close", labels.KEY_CLOSE, show=False),
        Binding("v", "show_code", show=False),
    ]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.shown = False

    def compose(self) -> ComposeResult:
        phones = self.project.phones
        count = len(phones.devices) if phones is not None else 0
        with Vertical(classes="dialog", id="join-code-dialog"):
            yield Static(
                labels.JOIN_CODE_TITLE.format(name=self.project.name),
                classes="dialog-title",
                markup=False,
            )
            yield Static(
                labels.JOIN_CODE_ORIGIN.format(
                    phones=labels.counted(labels.JOIN_CODE_PHONES, count)
                ),
                markup=False,
            )
            yield Static(labels.JOIN_CODE_HIDDEN, id="join-code", markup=False)
            yield Static(labels.JOIN_CODE_PRIVATE, id="join-code-note", markup=False)
            yield Static(
                labels.JOIN_CODE_KEYS_HIDDEN,
                id="join-code-keys",
                classes="dialog-hint",
                markup=False,
            )

    def action_show_code(self) -> None:
        phones = self.project.phones
        if phones is None or self.shown:
            return
        self.shown = True
        self.query_one("#join-code", Static).update(display_code(phones.join_code))
        self.query_one("#join-code-note", Static).update(labels.JOIN_CODE_SHOWN)
        self.query_one("#join-code-keys", Static).update(labels.JOIN_CODE_KEYS_SHOWN)

    def action_close(self) -> None:
        self.dismiss(None)


# ---------------------------------------------------------------------------------------------
# The flows: ask, change the record, save, then tell the caller (to refresh its view).

Then = Callable[[Project | None], Awaitable[None]]


def add_project(app: AtelierApp, then: Then) -> None:
    """Ask for a new project; ``then(project)`` once it is in the record and saved."""

    async def entered(details: ProjectDetails | None) -> None:
        if details is None:
            return
        project = app.record.add_project(details.name, details.carriers, now=app.clock.now())
        project.contact_email = details.contact_email or None
        await app.persist()
        safe_text.notify(app, labels.PROJECT_ADDED.format(name=project.name))
        await then(project)

    app.push_screen(ProjectDialog(labels.PROJECT_ADD_TITLE), entered)


def rename_project(app: AtelierApp, project: Project, then: Then) -> None:
    """Change a project's name, carriers and contact e-mail (its id, file and scores stay)."""

    async def entered(details: ProjectDetails | None) -> None:
        if details is None:
            return
        address = details.contact_email or None
        before = (project.name, project.carriers, project.contact_email)
        if (details.name, details.carriers, address) != before:
            project.name = details.name
            project.carriers = details.carriers
            project.contact_email = address
            await app.persist()
        await then(project)

    current = ProjectDetails(project.name, project.carriers, project.contact_email or "")
    app.push_screen(ProjectDialog(labels.PROJECT_RENAME_TITLE, current), entered)


def remove_project(app: AtelierApp, project: Project, then: Then) -> None:
    """One confirmation, then the project leaves the record; the store moves its file to
    ``deleted/`` when it rewrites ``session.yaml``. ``then(None)`` once saved."""

    async def answered(yes: bool | None) -> None:
        if not yes:
            return
        app.record.remove_project(project.id)
        await app.persist()
        safe_text.notify(app, labels.PROJECT_REMOVED.format(name=project.name))
        await then(None)

    app.push_screen(
        ConfirmDialog(
            labels.PROJECT_REMOVE_QUESTION.format(name=project.name),
            labels.PROJECT_REMOVE_DETAIL,
            yes=labels.PROJECT_REMOVE_YES,
            confirm_key="delete",
            confirm_display="Suppr",
        ),
        answered,
    )
