"""User text is text: names, notes and plain content fields are shown exactly as typed, in
every place the TUI shows them (Rich markup and Markdown are never read in them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.content import Content
from textual.visual import visualize
from textual.widgets import OptionList, Static

from atelier.domain.content import Workshop
from atelier.domain.content_quiz import Initiative
from atelier.domain.pitch import SummaryRow
from atelier.domain.session import PitchStatus
from atelier.tui import safe_text
from atelier.tui.screens.pitch import PitchScreen
from atelier.tui.screens.pitch_dialogs import VolunteersDialog
from atelier.tui.screens.pitch_text import summary_markdown
from atelier.tui.screens.quiz import reveal_markdown
from atelier.tui.widgets.markdown_text import inline_content, parse
from atelier.tui.widgets.slide_view import split_title, title_markdown
from tests.tui.factory import close, wait_for
from tests.tui.test_pitch import SIZE, at_round_start, on_round, pitch_app

NAMES = (
    "Compost'Quartier <b>",
    "Projet *Étoile*",
    "[b]gras[/b]",
    "Rayons & Roues / Vélo",
    "a\\b `c` #1 _x_ ~y~ |z|",
    "[@click=app.quit]Quitter[/]",
    "1. Premier",
    "- tiret & <i>",
)


def drawn(option_list: OptionList, prompt: object) -> str:
    """An option's text as the list draws it (a ``str`` prompt would be read as markup)."""
    visual = visualize(option_list, prompt, markup=True)  # type: ignore[arg-type]
    assert isinstance(visual, Content)
    return visual.plain


def markdown_texts(markdown: str) -> list[str]:
    """The text of every inline run of ``markdown`` as it is drawn (paragraphs, cells…)."""
    return [inline_content(token).plain for token in parse(markdown) if token.type == "inline"]


@pytest.mark.parametrize("name", NAMES)
def test_md_shows_the_text_as_typed(name: str) -> None:
    assert markdown_texts(safe_text.md(name)) == [name]
    assert markdown_texts(f"**{safe_text.md(name)}** — suite") == [f"{name} — suite"]
    assert safe_text.unescape_md(safe_text.md(name)) == name


@pytest.mark.parametrize("name", NAMES)
def test_plain_is_never_markup(name: str) -> None:
    content = safe_text.plain(name)
    assert isinstance(content, Content) and content.plain == name
    assert not content.spans


def test_a_url_is_shown_whole() -> None:
    address = "https://www.avise.org/ressources/innovation_sociale?x=1&y=2"
    assert markdown_texts(f"voir  \n{safe_text.url(address)}") == [f"voir\n{address}"]
    assert markdown_texts(safe_text.url("www.exemple.fr/a_b")) == ["www.exemple.fr/a_b"]
    # an address written with spaces is shown as one word, the way a browser shows it
    spaced = "https://les-aides.fr/files/Presentation AMI IS juin 2020_0.pdf"
    shown = markdown_texts(safe_text.url(spaced))
    assert shown == ["https://les-aides.fr/files/Presentation%20AMI%20IS%20juin%202020_0.pdf"]


def test_bilan_des_pitchs_keeps_every_name() -> None:
    rows = [
        SummaryRow(
            position=number,
            project_id=f"p{number}",
            name=name,
            status=PitchStatus.DONE,
            pitch_s=120,
            pitch_overtime_s=0,
            exchange_s=60,
            exchange_overtime_s=0,
        )
        for number, name in enumerate(NAMES, 1)
    ]
    cells = markdown_texts(summary_markdown(rows))
    for name in NAMES:
        assert name in cells


def test_content_fields_in_pages_keep_their_characters(atis: Workshop) -> None:
    workshop = atis.model_copy(update={"title": "Rayons & Roues <b> *Vélo*", "organiser": NAMES[2]})
    title, rest = split_title(title_markdown(workshop))
    assert title == "Rayons & Roues <b> *Vélo*"
    assert f"{NAMES[2]} · 19/05/2020" in markdown_texts(rest)
    assert atis.quiz is not None
    item = atis.quiz.items[2]
    example = item.examples[0].model_copy(
        update={"initiatives": (Initiative(name=NAMES[1], description="Une *vraie* aide."),)}
    )
    item = item.model_copy(update={"examples": (example,)})
    texts = markdown_texts(reveal_markdown(item, []))
    assert any(f"➔ {NAMES[1]} — Une vraie aide." in text for text in texts)


async def test_names_in_the_running_order_dialog_and_notifications(
    atis: Workshop, tmp_path: Path
) -> None:
    clock = at_round_start()
    app = pitch_app(atis, tmp_path, clock, names=NAMES)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_round(pilot, app)
        # the running order
        queue = screen.query_one(OptionList)
        prompts = [
            drawn(queue, queue.get_option_at_index(i).prompt) for i in range(queue.option_count)
        ]
        for name in NAMES:
            assert any(name in prompt for prompt in prompts), name
        # the project on stage, in the head of the round
        await pilot.press("ctrl+n")  # the first project takes the stage
        await wait_for(pilot, lambda: screen.round.current is not None)
        await pilot.pause()
        head = str(screen.query_one("#pitch-name", Static).render())
        assert NAMES[0] in head
        # the volunteers dialog
        screen.action_pick_volunteers()
        await wait_for(pilot, lambda: isinstance(app.screen, VolunteersDialog))
        await wait_for(pilot, lambda: bool(app.screen.query("#pitch-volunteer-list")))
        selection = app.screen.query_one("#pitch-volunteer-list", OptionList)
        shown = [
            drawn(selection, selection.get_option_at_index(i).prompt) for i in range(len(NAMES))
        ]
        # « ✓  name » / « ☐  name »: the glyph, two spaces, then the name exactly as typed
        assert [line.split("  ", 1)[1] for line in shown] == list(NAMES)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PitchScreen))
        # a notification
        screen.action_add_project()
        await wait_for(pilot, lambda: not isinstance(app.screen, PitchScreen))
        await pilot.press(*"[i]Vélo[/i] & *co*", "enter", "enter", "enter")  # no e-mail
        await wait_for(pilot, lambda: len(screen.round.queue) == len(NAMES) + 1)
        await wait_for(pilot, lambda: any(not n.markup for n in app._notifications))
        messages = [n.message for n in app._notifications if not n.markup]
        assert any("[i]Vélo[/i] & *co*" in message for message in messages)
    close(app)


async def test_a_long_name_is_never_broken_in_the_exchange_header(
    atis: Workshop, tmp_path: Path
) -> None:
    """At 80×24 the phase goes under the project's name rather than squeezing it: « Rayons &
    Roues / … » stays on its line."""
    clock = at_round_start()
    name = "Rayons & Roues / Atelier vélo du quartier"
    app = pitch_app(atis, tmp_path, clock, names=(name, "Jardin partagé"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_round(pilot, app)
        await pilot.press("ctrl+n")  # on stage
        await wait_for(pilot, lambda: screen.round.current is not None)
        await pilot.press("ctrl+n")  # the exchange
        await pilot.pause()
        head = screen.query_one("#pitch-head")
        assert head.has_class("-stacked")
        await pilot.pause()
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        assert any(name in line for line in lines), lines[:4]
    close(app)
