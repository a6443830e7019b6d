"""The keyboard model of docs/keyboard.md, checked on the real screens.

- no printable key is bound anywhere it could fire while a text field has the focus;
- the typing-safe commands mean the same thing on every screen;
- in the pitch round, a sentence with every letter, the digits, spaces and punctuation typed
  after each action lands whole in the notes of the project on stage, and nowhere else;
- the key tables of docs/keyboard.md and the README say what the bindings do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.binding import BindingsMap
from textual.dom import DOMNode
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

from atelier.domain.content import Workshop
from atelier.domain.session import PitchStatus
from atelier.tui.app import AtelierApp
from atelier.tui.keys import TYPING_SAFE, chord_display, is_printable_key
from atelier.tui.screens.base import StepScreen
from atelier.tui.screens.dialogs import QuitDialog, SaveElsewhereDialog, TallyDialog
from atelier.tui.screens.grid_entry import GridEntryScreen
from atelier.tui.screens.pitch import NoteArea, PitchScreen, QueueList
from atelier.tui.screens.pitch_dialogs import QueueMenu
from atelier.tui.screens.projects import ProjectDialog
from tests.tui.factory import close, make_app, wait_for
from tests.tui.test_pitch import NAMES, area, at_round_start, on_round, pitch_app

ROOT = Path(__file__).resolve().parents[2]
SIZE = (120, 40)

SENTENCE = (
    "Très clair, bravo à toute l'équipe ! The quick brown fox jumps over the lazy dog; "
    "PACK MY BOX WITH FIVE DOZEN LIQUOR JUGS. 0123456789 ? « ok » & (v) [s] {d} +-=*/ % "
    '# @ : _ ~ ^ | \\ < > " ` ç ù ë'
)
"""Every letter (both cases), the digits, space and punctuation: what a note may hold."""


def test_the_sentence_holds_every_letter_and_digit() -> None:
    lowered = SENTENCE.lower()
    assert all(letter in lowered for letter in "abcdefghijklmnopqrstuvwxyz")
    assert all(letter in SENTENCE for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert all(digit in SENTENCE for digit in "0123456789")
    assert all(mark in SENTENCE for mark in " ,;:.!?'\"«»&()[]{}+-=*/%#@_~^|\\<>`")


def test_printable_keys_are_recognised() -> None:
    for key in ("a", "A", "space", "plus", "minus", "question_mark", "greater_than_sign", "0"):
        assert is_printable_key(key), key
    for key in ("ctrl+t", "f5", "enter", "escape", "tab", "left", "delete", "shift+up"):
        assert not is_printable_key(key), key
    for command in TYPING_SAFE:
        assert not is_printable_key(command.chord)
        assert command.alias is None or not is_printable_key(command.alias)


# -- no printable key where text can be typed ----------------------------------------------------


def _printable_bindings(node: DOMNode) -> list[str]:
    bindings: BindingsMap = node._bindings
    return [
        f"{type(node).__name__}: {key} → {binding.action}"
        for key, found in bindings.key_to_bindings.items()
        for binding in found
        if is_printable_key(key)
    ]


def _bound_while_focused(field: Widget) -> list[str]:
    """The printable keys that could fire while ``field`` has the focus: bound on any of its
    ancestors, its screen or the app (the field's own editing keys aside)."""
    found: list[str] = []
    node = field.parent
    while node is not None:
        found += _printable_bindings(node)
        node = node.parent
    found += _printable_bindings(field.app)
    return found


def _text_fields(screen: Screen[object]) -> list[Widget]:
    return [w for w in screen.query("*") if isinstance(w, Input | TextArea)]


def _check_screen(screen: Screen[object], problems: list[str]) -> int:
    fields = _text_fields(screen)
    for field in fields:
        for problem in _bound_while_focused(field):
            problems.append(f"{type(screen).__name__} / {field!r}: {problem}")
    if fields and isinstance(screen, StepScreen):
        # A step screen with a text field has no single-letter command at all.
        problems += [f"{type(screen).__name__}: {p}" for p in _printable_bindings(screen)]
    return len(fields)


async def _open(pilot: Pilot, app: AtelierApp, screen: Screen[object]) -> Screen[object]:
    await app.push_screen(screen)
    await wait_for(pilot, lambda: app.screen is screen)
    await pilot.pause()
    return screen


async def test_no_printable_key_is_bound_where_a_text_field_can_have_the_focus(
    atis: Workshop, tmp_path: Path
) -> None:
    clock = at_round_start()
    app = pitch_app(atis, tmp_path, clock)
    problems: list[str] = []
    fields_seen = 0
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen))
        for step in atis.programme:  # every step screen, as the room sees it
            await app.go_to_step(step.id)
            await wait_for(pilot, lambda s=step: getattr(app.screen, "step", None) == s)
            await pilot.pause()
            fields_seen += _check_screen(app.screen, problems)
        step = next(s for s in atis.programme if s.kind.value == "pitch")
        await app.go_to_step(step.id)
        screen = await on_round(pilot, app)
        await pilot.press("f5")  # a project on stage: its notes are enabled
        fields_seen += _check_screen(screen, problems)
        assessment = next(s for s in atis.programme if s.kind.value == "assessment")
        project = app.record.projects[0].id
        for dialog in (
            GridEntryScreen(assessment, project),
            ProjectDialog("Nouveau projet"),
            SaveElsewhereDialog(),
        ):
            fields_seen += _check_screen(await _open(pilot, app, dialog), problems)
            app.pop_screen()
        assert atis.quiz is not None
        tally = TallyDialog(atis.quiz.answers, {})
        fields_seen += _check_screen(await _open(pilot, app, tally), problems)
        app.pop_screen()
    close(app)
    assert fields_seen >= 10  # the walk did reach the text fields
    assert problems == []


def test_screens_without_text_fields_are_the_only_ones_with_letters() -> None:
    """The classes themselves: the pitch screen and the grid bind no printable key."""
    for screen_class in (PitchScreen, GridEntryScreen):
        keys = [b.key for b in screen_class._merge_bindings().key_to_bindings.values() for b in b]
        assert not [k for k in keys if is_printable_key(k)], screen_class.__name__


# -- one meaning on every screen -------------------------------------------------------------------


def _step_screen_classes() -> list[type[Screen[object]]]:
    import atelier.tui.screens.assessment
    import atelier.tui.screens.info
    import atelier.tui.screens.pause
    import atelier.tui.screens.pitch
    import atelier.tui.screens.quiz  # noqa: F401

    found: list[type[Screen[object]]] = [GridEntryScreen]
    pending = [StepScreen]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending += cls.__subclasses__()
    return found


def test_typing_safe_commands_mean_the_same_on_every_screen() -> None:
    for screen_class in _step_screen_classes():
        bindings = screen_class._merge_bindings().key_to_bindings
        for command in TYPING_SAFE:
            for key in filter(None, (command.chord, command.alias)):
                actions = {b.action for b in bindings.get(key, [])}
                assert actions <= {command.action}, (screen_class.__name__, key, actions)
                if screen_class is not GridEntryScreen:
                    assert actions == {command.action}, (screen_class.__name__, key)
                for binding in bindings.get(key, []):
                    assert binding.priority, (screen_class.__name__, key)


# -- text is sacred in the pitch round ------------------------------------------------------------


async def type_text(pilot: Pilot, text: str) -> None:
    """Each character as a terminal sends it: a key event carrying the character. (Pilot's
    ``press`` drops « and », whose Unicode names it cannot look up.)"""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for char in text:
        event = events.Key(char if char.isalnum() else _character_to_key(char), char)
        event.set_sender(app)
        driver.send_message(event)
    await pilot.pause()


def _notes(app: AtelierApp) -> dict[str, tuple[dict[str, str], str]]:
    return {p.id: (dict(p.pitch.notes), p.pitch.free_notes) for p in app.record.projects}


def _stage(app: AtelierApp) -> tuple[str | None, list[tuple[str, PitchStatus]]]:
    return app.record.current_pitch_project, [(p.id, p.pitch.status) for p in app.record.projects]


async def test_keys_held_as_a_dialog_closes_arrive_even_if_their_turn_is_lost(
    atis: Workshop, tmp_path: Path
) -> None:
    """Textual runs an after-refresh callback on the screen current when it was asked for:
    asked as « Nouveau projet » closed on Échap, the type-ahead's turn went with the dialog
    and the sentence typed next never reached the notes (seen under load in CI). Here every
    such turn is lost: the watchdog takes over and the sentence lands whole."""
    clock = at_round_start()
    app = pitch_app(atis, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await on_round(pilot, app)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.focused, NoteArea))
        await pilot.press("escape", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueMenu))
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        original = app.call_after_refresh
        lost: list[object] = []

        def losing(callback: Callable[..., object], *args: object, **kwargs: object) -> bool:
            if getattr(callback, "func", None) == app._typeahead._pump:
                lost.append(callback)
                return True
            return original(callback, *args, **kwargs)

        app.call_after_refresh = losing  # type: ignore[method-assign]
        try:
            await pilot.press("escape")
            await _type_and_check(pilot, app, "new project dialog closed, its turn lost")
        finally:
            app.call_after_refresh = original  # type: ignore[method-assign]
        assert lost
    close(app)


async def _type_and_check(
    pilot: Pilot, app: AtelierApp, after: str, *, new_line: bool = False
) -> None:
    """Type the sentence: only the first notes field of the project on stage changes, by the
    sentence appended, and nothing else happens (no command fired, no dialog opened). With
    ``new_line`` (notes loaded again, the cursor put after them by the app) the sentence
    starts a line of its own."""
    screen = app.screen
    assert isinstance(screen, PitchScreen), after
    await wait_for(pilot, lambda: isinstance(app.focused, NoteArea))
    current = screen.round.current
    assert current is not None, after
    field = area(screen, 0)
    assert field.has_focus, f"after {after}: the focus is on {app.focused!r}"
    before_notes, before_stage = _notes(app), _stage(app)
    category = field.field
    assert category is not None
    old = current.pitch.notes.get(category, "")
    expected_text = old + ("\n" if new_line and old else "") + SENTENCE
    await type_text(pilot, SENTENCE)
    await wait_for(pilot, lambda: len(field.text) >= len(expected_text) or app.screen is not screen)
    await pilot.pause()
    assert app.screen is screen, f"after {after}: a key opened {app.screen!r}"
    assert field.text == expected_text, after
    assert _stage(app) == before_stage, f"after {after}: a key changed the round"
    after_notes = _notes(app)
    for project_id, (notes, free) in after_notes.items():
        if project_id == current.id:
            assert notes == {**before_notes[project_id][0], category: expected_text}, after
            assert free == before_notes[project_id][1], after
        else:
            assert (notes, free) == before_notes[project_id], f"after {after}: {project_id}"


async def test_typing_after_each_pitch_action_reaches_only_the_notes_on_stage(
    atis: Workshop, tmp_path: Path
) -> None:
    clock = at_round_start()
    app = pitch_app(atis, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_round(pilot, app)
        assert isinstance(app.focused, QueueList)  # nobody on stage yet

        await pilot.press("ctrl+t")  # call the first project, its pitch starts
        await _type_and_check(pilot, app, "call")
        await pilot.press("ctrl+n")  # the exchange
        await _type_and_check(pilot, app, "exchange")
        await pilot.press("ctrl+o")  # room mode: nothing is typed anywhere
        assert app.focused is None
        await pilot.press(*"abc", "space", "s", "v")
        assert screen.room_mode and app.screen is screen
        await pilot.press("ctrl+o")
        await _type_and_check(pilot, app, "room mode on and off")
        await pilot.press("ctrl+n")  # next project
        await _type_and_check(pilot, app, "next project")

        # Every dialog, closed: the focus comes back to the notes.
        await pilot.press("f1")
        await wait_for(pilot, lambda: app.screen is not screen)
        await pilot.press("escape")
        await _type_and_check(pilot, app, "help closed")
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: app.screen is not screen)
        await pilot.press("escape")
        await _type_and_check(pilot, app, "programme closed")
        await pilot.press("ctrl+q")  # a project on stage: it asks; Entrée stays
        await wait_for(pilot, lambda: isinstance(app.screen, QuitDialog))
        await pilot.press("enter")
        await _type_and_check(pilot, app, "quit question answered « stay »")
        await pilot.press("escape", "enter")  # the queue, its menu
        await wait_for(pilot, lambda: isinstance(app.screen, QueueMenu))
        await pilot.press("escape")
        await _type_and_check(pilot, app, "queue menu closed")
        await pilot.press("escape", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueMenu))
        await pilot.press("v")  # the volunteers dialog
        await wait_for(pilot, lambda: type(app.screen).__name__ == "VolunteersDialog")
        await pilot.press("escape")
        await _type_and_check(pilot, app, "volunteers dialog closed")
        await pilot.press("escape", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueMenu))
        await pilot.press("a")  # the new project dialog
        await wait_for(pilot, lambda: isinstance(app.screen, ProjectDialog))
        await pilot.press("escape")
        await _type_and_check(pilot, app, "new project dialog closed")
        await pilot.press("f2")  # save elsewhere
        await wait_for(pilot, lambda: isinstance(app.screen, SaveElsewhereDialog))
        await pilot.press("escape")
        await _type_and_check(pilot, app, "save-elsewhere dialog closed")
        await pilot.press("ctrl+p")  # the command palette
        await wait_for(pilot, lambda: app.screen is not screen)
        await pilot.press("escape")
        await _type_and_check(pilot, app, "palette closed")
        on_stage = screen.round.current
        assert on_stage is not None and on_stage.name == NAMES[1]
    close(app)

    again = make_app(atis, tmp_path, clock)  # resume: the round comes back as it was
    async with again.run_test(size=SIZE) as pilot:
        await on_round(pilot, again)
        await _type_and_check(pilot, again, "resume", new_line=True)
    close(again)


# -- the written tables say what the bindings do ------------------------------------------------


def _doc_rows(path: Path) -> dict[str, str]:
    """« | Commande | ^T | F5 | … | » rows of the command table, by their first cell."""
    rows: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 3:
            rows[cells[0]] = line
    return rows


def test_the_keyboard_doc_and_the_readme_list_every_command_with_its_keys() -> None:
    for path in (ROOT / "docs" / "keyboard.md", ROOT / "README.md"):
        text = path.read_text(encoding="utf-8")
        rows = _doc_rows(path)
        for command in TYPING_SAFE:
            row = next((r for r in rows.values() if f"`{command.display}`" in r), None)
            assert row is not None, f"{path.name}: no row for {command.display}"
            assert command.description.lower() in row.lower() or command.action in row, (
                path.name,
                command.description,
                row,
            )
            if command.alias is not None:
                assert f"`{chord_display(command.alias)}`" in row, (path.name, row)
        # No stale F-key meaning from before the keyboard model.
        assert not re.search(r"F3 / F4 \| −1 / \+1|F6 / F7 retirent", text)


def test_help_links_the_keyboard_page() -> None:
    from atelier.tui import labels

    assert "docs/keyboard.md" in labels.HELP_FOOTER


def test_hints_name_only_keys_that_are_bound_to_what_they_say() -> None:
    """Every « ^X » a hint or caption writes is a bound chord, and « ^T (F5) » / « ^T ou F5 »
    pairs name the same command."""
    from atelier.tui import labels
    from atelier.tui.keys import CARD_COMMANDS, GRID_TEXTS, QUIT
    from atelier.tui.widgets import big_timer

    chords = {chord_display(c.chord): c for c in TYPING_SAFE}
    others = {chord_display(k) for k in (QUIT, "ctrl+p", *GRID_TEXTS.split(","))}
    others |= {command.display for command in CARD_COMMANDS}
    texts = [v for v in vars(labels).values() if isinstance(v, str)]
    texts += [big_timer.CAPTION_PAUSED, big_timer.CAPTION_READY]  # « {key} »: built from keys
    seen = 0
    for text in texts:
        for chord in re.findall(r"\^[A-Z]", text):
            seen += 1
            assert chord in chords or chord in others, (chord, text)
        for chord, fkey in re.findall(r"(\^[A-Z]) (?:\(|ou )(F\d+)", text):
            assert chords[chord].alias == fkey.lower(), text
    assert seen >= 4
    assert "^N" in labels.PITCH_ONWARD_EXCHANGE and chords["^N"].action == "onward"


def test_the_quiz_letters_are_reserved_from_answer_keys() -> None:
    """A content's answer key (« v », « f », « p »…) never collides with a quiz command."""
    from atelier.domain.content_quiz import RESERVED_ANSWER_KEYS
    from atelier.tui.screens.quiz import QuizScreen

    letters = {
        key
        for key in QuizScreen._merge_bindings().key_to_bindings
        if len(key) == 1 and key.isalnum()
    }
    assert letters <= RESERVED_ANSWER_KEYS, letters - RESERVED_ANSWER_KEYS
