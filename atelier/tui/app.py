"""The Textual application: a thin shell that receives its dependencies and shows the step.

It owns three things only: which step screen is up, the theme, and turning the store's save
results into what the facilitator sees (the « non enregistré » banner). Every rule lives in
``atelier.domain``; every byte written goes through the session store.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.reactive import reactive
from textual.screen import Screen

from atelier.domain.clock import Clock, SystemClock
from atelier.domain.content import Workshop
from atelier.domain.content_programme import Step, StepKind
from atelier.domain.programme import Programme
from atelier.domain.session import SessionRecord
from atelier.errors import AtelierError
from atelier.store.settings import Settings, write_crash_log
from atelier.tui import keys, labels, safe_text
from atelier.tui.screen_hooks import TakesKeysInOrder
from atelier.tui.themes import DARK_THEME, LIGHT_THEME, THEMES
from atelier.tui.typeahead import TEXT_WIDGETS, TypeAhead

if TYPE_CHECKING:
    from atelier.store.session_store import OpenSession
    from atelier.tui.remote import RemoteController
    from atelier.tui.vote import VoteController, VoteOptions
    from atelier.vote.remote import Remote


def settle_memory() -> None:
    """Collect now, at a moment the facilitator expects a change (start, a new step), then
    move every surviving object out of the collector's sight (``gc.freeze``).

    Without it, a full collection of the app's ~hundreds of thousands of objects pauses the
    event loop for 70-100 ms every few tens of seconds while notes are typed — a visible
    hitch in the countdown (bench/bench_typing.py: ui_stall_ms 90-110 before, ~15 after).

    ``atelier run`` keeps the collector off from its start to the first frame (start-up
    builds objects that live for the whole workshop: walking them again and again cost
    ~20 ms); the first call here turns it back on."""
    gc.collect()
    gc.freeze()
    gc.enable()


def freeze_start_up_heap() -> None:
    """On the process's first app, move what start-up built (modules, the content, the
    session: ~50,000 objects, all alive for good) out of the collector's sight, so that the
    first ``settle_memory`` walks only what the app builds (~40 ms → ~7 ms before the first
    frame). Later apps (tests) skip it: they would freeze their predecessors' garbage."""
    if gc.get_freeze_count() == 0:
        gc.freeze()


def _system_error_text(error: BaseException) -> str:
    """What the banner says about an unexpected failure: French, never the system's English
    text (« trop de fichiers ouverts par atelier », not « [Errno 24] Too many open files »)."""
    if isinstance(error, OSError):
        from atelier.store.atomic import failure_reason

        where = f" ({error.filename})" if error.filename else ""
        return f"non enregistré : {failure_reason(error)}{where}"
    return f"non enregistré : erreur inattendue ({type(error).__name__})"


SAVE_RETRY_S = 5.0
"""After a failed save, how often the app tries again by itself."""


class StepCommands(Provider):
    """The command palette lists the programme's steps: type a few letters, Enter to go."""

    def _commands(self) -> list[tuple[str, Step]]:
        app = self.app
        assert isinstance(app, AtelierApp)
        return [(app.step_caption(step), step) for step in app.workshop.programme]

    async def discover(self) -> Hits:
        app = self.app
        assert isinstance(app, AtelierApp)
        for caption, step in self._commands():
            yield DiscoveryHit(caption, partial(app.go_to_step, step.id), help=labels.KEY_GO)

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, AtelierApp)
        matcher = self.matcher(query)
        for caption, step in self._commands():
            score = matcher.match(caption)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(caption),
                    partial(app.go_to_step, step.id),
                    help=labels.KEY_GO,
                )


class AtelierApp(App[None]):
    CSS_PATH = "atelier.tcss"
    TITLE = labels.APP_TITLE
    COMMANDS = App.COMMANDS | {StepCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    COMMAND_PALETTE_DISPLAY = "^P"

    BINDINGS = [
        Binding("ctrl+q", "request_quit", labels.KEY_QUIT, priority=True, key_display="^Q"),
        Binding("f1", "help", labels.KEY_HELP, show=False),
        Binding("f2", "save_elsewhere", labels.KEY_SAVE_ELSEWHERE, show=False, priority=True),
        Binding("f9", "toggle_contrast", labels.KEY_THEME, show=False, priority=True),
        Binding(keys.REMOTE, "remote", labels.KEY_REMOTE, show=False, priority=True),
    ]

    save_problem: reactive[str | None] = reactive(None)
    """Why the last save failed (French), None when everything is on disk."""

    def __init__(
        self,
        workshop: Workshop,
        session: OpenSession | None,
        record: SessionRecord,
        clock: Clock | None = None,
        settings: Settings | None = None,
        *,
        practice: bool = False,
        vote: VoteOptions | None = None,
        resume_command: str | None = None,
    ) -> None:
        freeze_start_up_heap()
        super().__init__()
        self.workshop = workshop
        self.session = session
        self.record = record
        self.clock: Clock = clock or SystemClock()
        self.settings = settings or Settings()
        self.practice = practice
        self.programme = Programme(workshop, record)
        self._save_lock = asyncio.Lock()
        self._typeahead = TypeAhead(self)
        self.event_loop: asyncio.AbstractEventLoop | None = None
        for theme in THEMES:
            self.register_theme(theme)
        self._start_with_theme(
            self.settings.theme
            if self.settings.theme in {t.name for t in THEMES}
            else DARK_THEME.name
        )
        self.vote_options = vote
        self.votes: VoteController | None = None  # phone voting, created when first started
        self.remote: RemoteController | None = None  # the facilitator's remote (tui/remote.py)
        self.resume_command = resume_command or f"atelier run --session {record.name}"
        """What the facilitator types to pick up where this run stops (said on every exit)."""
        self.start_notice: str | None = None
        """Said once the first screen is up (« Reprise de la session du jour … »)."""

    # -- start-up --------------------------------------------------------------------------

    def _start_with_theme(self, name: str) -> None:
        """Choose the theme before the first CSS parse, as Textual sets its default one.

        ``self.theme = name`` would run the theme watcher, which queues a CSS refresh: before the
        first frame it parses every stylesheet in a copy and throws it away, so atelier.tcss got
        parsed twice (~25 ms of start-up). Setting the value without the watcher and giving the
        app what the watcher gives it (the theme's CSS variables, its classes, its ANSI colours)
        starts the same; later changes (``t``, F9) go through ``self.theme`` as usual."""
        self.set_reactive(App.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())
        dark = self.current_theme.dark
        self.update_classes(
            {f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark}, update=False
        )
        self._refresh_truecolor_filter(self.ansi_theme)

    def on_mount(self) -> None:
        self.event_loop = asyncio.get_running_loop()  # for the CLI's signal handlers
        if self.session is not None and self.session.notice:
            safe_text.notify(self, self.session.notice, timeout=10)
        self._reconcile_with_content()
        self.set_interval(SAVE_RETRY_S, self._retry_unsaved)
        if self.start_notice:
            safe_text.notify(self, self.start_notice, timeout=10)
        if self.practice:
            from atelier.tui.screens.practice import PracticeScreen

            self.push_screen(PracticeScreen())
            self.call_after_refresh(settle_memory)
            return
        step_id = self.record.current_step_id or self.workshop.programme[0].id
        if self.record.current_step_id is None:
            self.record.enter_step(step_id, self.clock.now())
            self.run_worker(self.persist(), exclusive=False)
        self.push_screen(self.screen_for(self.workshop.step(step_id)))
        self.call_after_refresh(settle_memory)
        if self.vote_options is not None and self.vote_options.autostart:
            self.run_worker(self.action_toggle_votes(), exclusive=False)

    async def _retry_unsaved(self) -> None:
        """While « NON ENREGISTRÉ » shows, try again every few seconds even if nothing
        changes: a disk that frees up (or a stick put back) clears the banner by itself."""
        if self.save_problem is not None and not self._save_lock.locked():
            await self.persist()

    def _reconcile_with_content(self) -> None:
        """A session saved with other content (a step renamed, a hand-edited file) resumes
        at the nearest sensible place, with a notice, never a crash (domain/drift.py)."""
        from atelier.domain.drift import reconcile

        notices = reconcile(self.workshop, self.record)
        if notices:
            safe_text.notify(self, "\n".join(notices), severity="warning", timeout=20)
            self.run_worker(self.persist(), exclusive=False)

    def request_quit(self) -> None:
        """Quit as ctrl+q does (live state saved first), without a question: a signal cannot
        answer one (the CLI writes a rescue copy if the save fails). Safe from a signal."""
        self.run_worker(self._save_and_exit(), exclusive=True)

    async def _save_and_exit(self) -> None:
        await self.flush_screen()
        await self.persist()
        self.exit()

    async def on_event(self, event: events.Event) -> None:
        """Keys in the order they were typed. Keys typed while a new screen is still taking
        its focus wait for its text field (atelier/tui/typeahead.py); a command key acts as it
        arrives (:meth:`_bound_in_order`)."""
        if isinstance(event, events.Key) and not event.is_forwarded and await self._in_order(event):
            self.app_focus = True
            return
        await super().on_event(event)

    async def _in_order(self, event: events.Key) -> bool:
        return self._typeahead.hold(event) or await self._bound_in_order(event)

    async def _bound_in_order(self, event: events.Key) -> bool:
        """Run the binding of ``event`` now, when no text field has the focus. Textual runs a
        key's (non-priority) binding once the key has gone down to the focused widget and
        bubbled back up to the app — behind the keys typed after it: « a » then a name typed
        at once gave the name's letters to the list (« e » : renommer…) before the dialog
        « a » opens. The same bindings, checked the same way, but in typing order."""
        focused = self.screen.focused
        if isinstance(focused, TEXT_WIDGETS):
            return False  # a text field: every key types (its own ctrl chords are bindings)
        if isinstance(focused, TakesKeysInOrder) and focused.take_key(event.key, event.character):
            return True
        if await self._check_bindings(event.key, priority=True):
            return True
        return await self._check_bindings(event.key)

    # -- steps -------------------------------------------------------------------------------

    def step_caption(self, step: Step) -> str:
        number = f"{step.number}. " if step.number is not None else ""
        from atelier.domain.content_base import format_clock_time

        return f"{format_clock_time(step.start)}  {number}{step.title}"

    def screen_for(self, step: Step) -> Screen[None]:
        # Each screen's module is imported when its first step comes up: start-up imports only
        # the first one.
        if step.kind == StepKind.QUIZ and self.workshop.quiz is not None:
            from atelier.tui.screens.quiz import QuizScreen

            return QuizScreen(step)
        if step.kind == StepKind.PAUSE:
            from atelier.tui.screens.pause import PauseScreen

            return PauseScreen(step)
        if step.kind == StepKind.ASSESSMENT and self.workshop.assessment is not None:
            from atelier.tui.screens.assessment import AssessmentScreen

            return AssessmentScreen(step)
        if step.kind == StepKind.PITCH and self.workshop.pitch is not None:
            from atelier.tui.screens.pitch import PitchScreen

            return PitchScreen(step)
        from atelier.tui.screens.info import InfoScreen

        return InfoScreen(step)

    async def go_to_step(self, step_id: str) -> None:
        step = self.workshop.step(step_id)
        await self.flush_screen()
        self.record.enter_step(step_id, self.clock.now())
        await self.persist()
        # Screens opened over the step (a project's grid, a summary) close with it.
        from atelier.tui.screens.base import StepScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, StepScreen):
            await self.pop_screen()
        await self.switch_screen(self.screen_for(step))
        self.call_after_refresh(settle_memory)

    async def next_step(self) -> None:
        following = self.programme.next_step()
        if following is not None:
            await self.go_to_step(following.id)

    async def previous_step(self) -> None:
        preceding = self.programme.previous_step()
        if preceding is not None:
            await self.go_to_step(preceding.id)

    async def flush_screen(self) -> None:
        """Ask the screens holding live state (text typed, a running clock) to put it into the
        record, before a save."""
        from atelier.tui.screen_hooks import HoldsUnsavedState

        for screen in self.screen_stack:
            if isinstance(screen, HoldsUnsavedState):
                await screen.flush()

    # -- saving ------------------------------------------------------------------------------

    async def persist(self) -> bool:
        """Write what changed in the record; True once it is on disk. The store finds what
        changed itself (``OpenSession.save_changed``): callers need not know its files.

        Never raises: a failed save leaves the data in memory, shows the banner, and the next
        change tries again (with everything, so nothing stays behind)."""
        if self.session is None:
            return True
        session = self.session
        retry_all = self.save_problem is not None
        async with self._save_lock:
            try:
                await asyncio.to_thread(session.save_all if retry_all else session.save_changed)
            except AtelierError as error:
                self.save_problem = error.message
                return False
            except Exception as error:  # noqa: BLE001 - a save must never end the workshop
                self.save_problem = _system_error_text(error)
                return False
        if self.save_problem is not None:
            self.notify(labels.SAVED)
        self.save_problem = None
        return True

    def action_save_elsewhere(self) -> None:
        if self.session is None:
            return
        from atelier.tui.screens.dialogs import SaveElsewhereDialog

        def moved(path: Path | None) -> None:
            if path is not None:
                self.run_worker(self._move_session(path))

        self.push_screen(SaveElsewhereDialog(), moved)

    async def _move_session(self, folder: Path) -> None:
        assert self.session is not None
        try:
            await asyncio.to_thread(self.session.move_to, folder)
        except AtelierError as error:
            self.save_problem = error.message
            return
        self.save_problem = None
        safe_text.notify(
            self, labels.SAVE_ELSEWHERE_DONE.format(path=self.session.path), timeout=10
        )

    # -- the unexpected ----------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """A bug must not show a traceback to the room: Textual still ends the app (its
        contract), the session is saved by the CLI right after, the details go to a log file,
        and the facilitator reads one French paragraph saying how to resume."""
        super()._handle_exception(error)
        log = write_crash_log(error)
        self._exit_renderables[:] = [
            labels.CRASHED.format(
                log=log or labels.CRASH_LOG_UNAVAILABLE, command=self.resume_command
            )
        ]

    # -- voting from phones (atelier/tui/vote.py) ---------------------------------------------

    async def action_toggle_votes(self) -> None:
        """Start the vote server (in this event loop), or stop it."""
        if self.votes is None:
            if self.workshop.quiz is None or self.practice:
                self.notify(labels.VOTE_NO_QUIZ, severity="warning")
                return
            from atelier.tui.vote import VoteController

            self.votes = VoteController(self, self.vote_options)
        await self.votes.toggle()
        sync = getattr(self.screen, "sync_votes", None)  # the quiz screen shows the QR code
        if sync is not None:
            sync()

    def remote_endpoint(self) -> Remote:
        """The facilitator's remote, created with the phones' server (its routes live there)."""
        if self.remote is None:
            from atelier.tui.remote import RemoteController

            self.remote = RemoteController(self)
        return self.remote.remote

    async def action_remote(self) -> None:
        """F12 / the palette: the remote's private dialog (starts the phones' server)."""
        from atelier.tui.screens.remote_dialog import RemoteDialog

        if isinstance(self.screen, RemoteDialog):
            return
        if self.votes is None or not self.votes.running:
            await self.action_toggle_votes()
        if self.votes is None or not self.votes.running or self.remote is None:
            self.notify(labels.REMOTE_NEEDS_SERVER, severity="warning")
            return
        self.push_screen(RemoteDialog(self.remote))

    async def on_unmount(self) -> None:
        if self.remote is not None:
            self.remote.stop()
        if self.votes is not None:  # the server stops with the app; the CLI saves after
            await self.votes.stop(save=False)

    # -- app-wide actions --------------------------------------------------------------------

    async def action_quit(self) -> None:
        await self.flush_screen()
        await self.persist()
        if self.save_problem is not None:
            self._ask_quit_unsaved()
            return
        self.exit()

    def _ask_quit_unsaved(self) -> None:
        """ctrl+q while « NON ENREGISTRÉ » shows: ask first, and say where the rescue copy
        goes (written by the CLI after the app ends: cli._final_save)."""
        from atelier.store.rescue import rescue_places
        from atelier.tui.screens.projects import ConfirmDialog

        if self.session is None:
            self.exit()
            return
        reason = (self.save_problem or "").removeprefix("non enregistré : ")
        question = labels.QUIT_UNSAVED.format(reason=reason)
        detail = labels.QUIT_UNSAVED_DETAIL.format(
            place=rescue_places(self.session.path)[0], name=self.session.name
        )

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit()

        dialog = ConfirmDialog(
            question,
            detail,
            labels.QUIT_UNSAVED_YES,
            confirm_key=keys.QUIT,
            confirm_display=keys.QUIT_DISPLAY,
        )
        self.push_screen(dialog, answered)

    # -- ctrl+q: quit, asking first while the room depends on the app ---------------------------

    def quit_question(self) -> str | None:
        """Why ctrl+q should ask (« Un minuteur tourne. »…), None to quit at once."""
        if self.practice:
            return None
        for screen in reversed(self.screen_stack):
            live_activity = getattr(screen, "live_activity", None)
            if live_activity is not None:
                reason = live_activity()
                if reason:
                    return str(reason)
        return None

    async def action_request_quit(self) -> None:
        """ctrl+q: save first; then quit at once, or — while a timer runs or a project is on
        stage — ask (^Q again to confirm, staying is the default). Signals never ask
        (:meth:`request_quit`)."""
        from atelier.tui.screens.dialogs import QuitDialog
        from atelier.tui.screens.projects import ConfirmDialog

        screen = self.screen
        if isinstance(screen, QuitDialog) or (
            isinstance(screen, ConfirmDialog) and screen.confirm_key == keys.QUIT
        ):
            screen.dismiss(True)  # ^Q again: the answer to « Quitter ? »
            return
        await self.flush_screen()
        await self.persist()
        if self.save_problem is not None:  # unsaved: the question says where the copy goes
            self._ask_quit_unsaved()
            return
        reason = self.quit_question()
        if reason is None:
            self.exit()
            return

        async def answered(leave: bool | None) -> None:
            if leave:
                await self.action_quit()

        self.push_screen(QuitDialog(reason, self.resume_command), answered)

    def action_command_palette(self) -> None:
        """Textual's palette, with its placeholder in French."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(placeholder=labels.PALETTE_PLACEHOLDER, id="--command-palette")
            )

    def action_help(self) -> None:
        from atelier.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_contrast(self) -> None:
        self.theme = LIGHT_THEME.name if self.theme != LIGHT_THEME.name else DARK_THEME.name
        self.settings.theme = self.theme
        self.settings.save()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand(labels.KEY_THEME, labels.THEME_HELP, self.action_toggle_contrast)
        if self.workshop.quiz is not None and not self.practice:
            yield SystemCommand(
                labels.KEY_PHONES,
                labels.PHONES_HELP,
                lambda: self.run_worker(self.action_toggle_votes(), exclusive=False),
            )
            yield SystemCommand(
                labels.KEY_REMOTE,
                labels.REMOTE_HELP,
                lambda: self.run_worker(self.action_remote(), exclusive=False),
            )
        yield SystemCommand(labels.KEY_HELP, labels.HELP_TITLE, self.action_help)
        if self.session is not None:
            yield SystemCommand(
                labels.KEY_SAVE_ELSEWHERE, labels.SAVE_ELSEWHERE_TITLE, self.action_save_elsewhere
            )
        yield SystemCommand(labels.KEY_QUIT, labels.KEY_QUIT, self.action_request_quit)
