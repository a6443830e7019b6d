"""The one-line footer: which keys it shows, what a click on a key does, what happens when
the keys do not fit."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from atelier.tui.widgets.key_footer import ELLIPSIS, KeyFooter
from tests.tui.factory import wait_for


class FooterApp(App[None]):
    BINDINGS = [
        Binding("right", "count('suivant')", "Suivant"),
        Binding("ctrl+right", "count('suivant')", "Suivant bis"),  # same action: shown once
        Binding("g", "count('programme')", "Programme"),
        Binding("x", "count('blocked')", "Bloqué"),
        Binding("h", "count('hidden')", "Caché", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.counts: dict[str, int] = {}
        self.bells = 0
        self.blocked = True

    def compose(self) -> ComposeResult:
        yield Static("contenu")
        yield KeyFooter()

    def action_count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "count" and parameters == ("blocked",) and self.blocked:
            return None  # shown, but disabled
        return True

    def bell(self) -> None:
        self.bells += 1


def _line(app: App[None]) -> str:
    return app.screen.query_one(KeyFooter).render().plain


async def test_shows_each_action_once_and_hides_show_false() -> None:
    app = FooterApp()
    async with app.run_test(size=(100, 10)) as pilot:
        footer = app.screen.query_one(KeyFooter)
        await wait_for(pilot, lambda: "Programme" in _line(app))
        descriptions = [entry.description for entry in footer.entries]
        assert descriptions == ["Suivant", "Programme", "Bloqué"]
        line = _line(app)
        assert "Suivant bis" not in line and "Caché" not in line
        assert line.rstrip().endswith("palette")
        assert [entry.enabled for entry in footer.entries] == [True, True, False]


async def test_click_presses_the_key_and_a_disabled_key_rings() -> None:
    app = FooterApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await wait_for(pilot, lambda: "Programme" in _line(app))
        line = _line(app)
        await pilot.click(KeyFooter, offset=(line.index("Programme"), 0))
        await wait_for(pilot, lambda: app.counts.get("programme") == 1)
        await pilot.click(KeyFooter, offset=(line.index("Bloqué"), 0))
        await wait_for(pilot, lambda: app.bells == 1)
        assert "blocked" not in app.counts


async def test_redraws_when_a_key_becomes_available() -> None:
    app = FooterApp()
    async with app.run_test(size=(100, 10)) as pilot:
        footer = app.screen.query_one(KeyFooter)
        await wait_for(pilot, lambda: len(footer.entries) == 3)
        app.blocked = False
        app.refresh_bindings()
        await wait_for(pilot, lambda: all(entry.enabled for entry in footer.entries))


async def test_keys_that_do_not_fit_end_in_an_ellipsis() -> None:
    app = FooterApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await wait_for(pilot, lambda: ELLIPSIS in _line(app))
        line = _line(app)
        assert len(line) == 40
        assert "Suivant" in line and "Bloqué" not in line
        assert line.rstrip().endswith("palette")  # the palette key keeps its place


async def test_compact_without_palette() -> None:
    app = FooterApp()
    async with app.run_test(size=(100, 10)) as pilot:
        footer = app.screen.query_one(KeyFooter)
        footer.compact = True
        footer.show_command_palette = False
        await wait_for(pilot, lambda: "palette" not in _line(app))
        assert _line(app).startswith("→ Suivant g Programme")
