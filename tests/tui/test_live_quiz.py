"""The live quiz, driven by keys as the facilitator would, saved as it goes."""

from __future__ import annotations

from pathlib import Path

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.store.session_store import SessionStore
from atelier.tui.screens.quiz import QuizScreen
from atelier.tui.widgets.slide_view import Page
from tests.tui.factory import close, make_app, wait_for


async def _to_first_statement(pilot, app) -> QuizScreen:  # noqa: ANN001
    screen = app.screen
    assert isinstance(screen, QuizScreen)
    while screen.section != "items":
        await pilot.press("right")
    return screen


async def _through_explanation(pilot, screen: QuizScreen) -> None:  # noqa: ANN001
    """→ shows the explanation's next part first (long reveals are split, never scrolled)."""
    page = screen.query_one("#quiz-explanation", Page)
    await wait_for(pilot, lambda: page.laid_out)
    while page.part_index + 1 < page.part_count:
        await pilot.press("right")


async def test_walk_whole_quiz_with_tallies_and_reveals(atis: Workshop, tmp_path: Path) -> None:
    clock = FakeClock()
    app = make_app(atis, tmp_path, clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = await _to_first_statement(pilot, app)
        assert atis.quiz is not None
        for number, item in enumerate(atis.quiz.items):
            assert screen.run is not None and screen.run.item.id == item.id
            await pilot.press("v", "v", "f")
            await pilot.press("enter")  # only the reveal key reveals
            assert app.record.quiz[item.id].revealed
            assert app.record.quiz[item.id].tally == {"vrai": 2, "faux": 1}
            await _through_explanation(pilot, screen)
            await pilot.press("right")  # next statement (or the summary after the last)
            if number < len(atis.quiz.items) - 1:
                assert screen.section == "items"
        assert screen.section == "after"
    close(app)
    saved = SessionStore(tmp_path).load("test")
    assert all(saved.quiz[item.id].revealed for item in atis.quiz.items)
    assert saved.quiz[atis.quiz.items[-1].id].tally == {"vrai": 2, "faux": 1}


async def test_quit_mid_quiz_and_resume_same_question(atis: Workshop, tmp_path: Path) -> None:
    app = make_app(atis, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = await _to_first_statement(pilot, app)
        await pilot.press("p", "enter")  # 1 hand, reveal
        await _through_explanation(pilot, screen)
        await pilot.press("right")  # next
        await pilot.press("f", "f", "f")
        await pilot.press("ctrl+q")
    close(app)

    again = make_app(atis, tmp_path)
    async with again.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, QuizScreen))
        screen = again.screen
        assert isinstance(screen, QuizScreen)
        assert screen.section == "items"
        assert screen.run is not None and screen.run.index == 1
        assert screen.run.result is not None and screen.run.result.tally == {"faux": 3}
        assert again.record.quiz[atis.quiz.items[0].id].revealed  # type: ignore[union-attr]
    close(again)


# -- spoil-proof (issue 14) -----------------------------------------------------------------------


def _footer_actions(screen: QuizScreen) -> set[str]:
    from atelier.tui.widgets.key_footer import KeyFooter

    return {entry.description for entry in screen.query_one(KeyFooter).entries}


async def test_only_the_reveal_key_reveals_and_the_last_reveal_can_be_hidden(
    atis: Workshop, tmp_path: Path
) -> None:
    app = make_app(atis, tmp_path)
    assert atis.quiz is not None
    first, second = atis.quiz.items[0].id, atis.quiz.items[1].id
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = await _to_first_statement(pilot, app)
        await pilot.press("right", "space", "pagedown")  # paging on: never a reveal
        assert screen.run is not None and screen.run.index == 3
        assert not any(r.revealed for r in app.record.quiz.values())
        await pilot.press("left", "left", "left")
        assert screen.run.item.id == first
        await pilot.press("enter")
        assert app.record.quiz[first].revealed
        await pilot.press("h")  # taken back: hidden again, and saved so
        assert not app.record.quiz[first].revealed
        assert not SessionStore(tmp_path).load("test").quiz[first].revealed
        assert screen.query_one("#quiz-statement-big").display  # the statement, no verdict
        assert not screen.query_one("#quiz-verdict").display
        await pilot.press("enter")  # reveal the first, then (later) the second
        await _through_explanation(pilot, screen)
        await pilot.press("right")
        app.clock.advance(30)  # type: ignore[attr-defined]
        await pilot.press("enter")
        assert app.record.quiz[second].revealed
        await pilot.press("left")
        assert "Cacher la réponse" not in _footer_actions(screen)  # not the last reveal
        await pilot.press("h")
        assert app.record.quiz[first].revealed
    close(app)


async def test_the_summary_shows_no_answer_before_it_is_revealed(
    atis: Workshop, tmp_path: Path
) -> None:
    app = make_app(atis, tmp_path)
    assert atis.quiz is not None
    items = atis.quiz.items
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = await _to_first_statement(pilot, app)
        await pilot.press("enter")  # only the first one revealed
        await pilot.press("home")  # the summary
        assert screen.section == "after"
        summary = screen.summary_markdown()
        right = atis.quiz.answer(items[0].answer)
        assert f"{right.symbol} {right.label}" in summary.split("\n\n")[1]
        for block in summary.split("\n\n")[2 : len(items) + 1]:
            assert "pas encore révélée" in block
            assert not any(f"{a.symbol} {a.label}" in block for a in atis.quiz.answers)
        # The summary's footer offers only what acts on it.
        shown = _footer_actions(screen)
        assert not shown & {"Révéler", "Saisir le vote", "Vote mobiles", "Cacher la réponse"}
        assert "Suivant" in shown
    close(app)


async def test_each_statement_footer_shows_only_keys_that_act(
    atis: Workshop, tmp_path: Path
) -> None:
    app = make_app(atis, tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        await pilot.pause()
        assert "Révéler" not in _footer_actions(screen)  # the title page
        screen = await _to_first_statement(pilot, app)
        await pilot.pause()
        assert {"Révéler", "Saisir le vote"} <= _footer_actions(screen)
        assert "Cacher la réponse" not in _footer_actions(screen)
        await pilot.press("enter")
        await pilot.pause()
        assert "Révéler" not in _footer_actions(screen)
        assert "Cacher la réponse" in _footer_actions(screen)
    close(app)


async def test_a_reveal_never_shows_the_previous_explanation(
    atis: Workshop, tmp_path: Path
) -> None:
    """Between the reveal key and the frame that shows statement 3's explanation, the page
    shows nothing of statement 2's: it was hidden with it, and is laid out only once it has a
    size (it flashed the old text for a frame). Checked at every turn of the event loop."""
    import asyncio

    from textual import events

    from atelier.tui.widgets.markdown_text import MarkdownText

    app = make_app(atis, tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = await _to_first_statement(pilot, app)
        for _ in range(2):  # statements 1 and 2 revealed, then statement 3 (hidden)
            await pilot.press("enter")
            await _through_explanation(pilot, screen)
            await pilot.press("right")
        assert screen.run is not None and screen.run.index == 2 and not screen.run.revealed
        page = screen.query_one("#quiz-explanation", Page)
        text = page.query_one(MarkdownText)
        old = text.source
        assert old.strip()  # statement 2's explanation, kept in the hidden page
        app.post_message(events.Key("enter", "\r"))
        turns = 0
        while not (screen.run.revealed and page.laid_out and text.source != old):
            assert not (page.display and text.display and text.source == old), turns
            await asyncio.sleep(0)
            turns += 1
            assert turns < 10_000
        await pilot.pause()
        assert text.display and text.source != old
    close(app)
