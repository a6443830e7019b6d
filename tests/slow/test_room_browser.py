"""The follow-along page in a real browser (headless Chromium, driven through the DevTools
protocol, kept off the network; see test_vote_browser.py): it follows the projector through
an info page, a quiz statement, its reveal, a timer and a project on stage; a card sent from
the phone reaches the facilitator's inbox, is accepted and lands in the note on disk. Then its
accessibility tree, its colours in both schemes, and its layout at 200 % zoom.

Skipped, with the reason, when Chromium is not installed."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.session import CardStatus
from atelier.tui.app import AtelierApp
from atelier.tui.screens.pause import PauseScreen
from atelier.tui.screens.quiz import QuizScreen
from atelier.tui.vote import VoteController, VoteOptions
from atelier.vote import page_assets, pages
from tests.slow.test_vote_browser import DevTools, _chromium, _wait_for_page, chromium
from tests.tui.factory import close, wait_for
from tests.tui.test_pitch import at_round_start, on_round, pitch_app, saved

pytestmark = pytest.mark.slow

SIZE = (120, 40)


def _binary() -> str:
    binary = _chromium()
    if binary is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    return binary


def _app(atis: Workshop, tmp_path: Path) -> AtelierApp:
    """The app of a session with three projects, opened at the start of the workshop."""
    app = pitch_app(atis, tmp_path / "sessions", at_round_start())
    app.record.current_step_id = None  # open on the first step, as a new session does
    app.record.step_log.clear()
    assert app.session is not None
    app.session.save_all()
    app.vote_options = VoteOptions(host="127.0.0.1", port=0, autostart=True)
    return app


async def _serving(pilot: Any, app: AtelierApp) -> VoteController:
    await wait_for(pilot, lambda: app.votes is not None and app.votes.running)
    assert app.votes is not None
    return app.votes


async def _until(pilot: Any, devtools: DevTools, expression: str, timeout: float = 15) -> Any:
    """Let the app run until ``expression`` is truthy in the page; its value."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = await devtools.evaluate(expression)
        except AssertionError:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"never true: {expression}; page: {await devtools.text()}")
        await pilot.pause()
        await asyncio.sleep(0.1)


async def _shot(devtools: DevTools, path: Path) -> None:
    """A screenshot of the whole page, kept with the test's files (to look at)."""
    shot = await devtools.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def _h1() -> str:
    return "(document.querySelector('h1') || {}).textContent"


async def test_the_page_follows_the_session_and_a_card_lands_in_the_note(
    atis: Workshop, tmp_path: Path
) -> None:
    binary = _binary()
    assert atis.quiz is not None and atis.pitch is not None
    app = _app(atis, tmp_path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            first = atis.programme[0]
            async with chromium(binary, tmp_path / "profile") as devtools:
                await devtools.call("Page.enable")
                await devtools.navigate(votes.url)
                # An info page: the step's title, and the page's text.
                await _until(pilot, devtools, f"{_h1()} === {json.dumps(first.title)}")
                assert await devtools.evaluate("document.documentElement.lang") == "fr"
                await devtools.evaluate("window.sameDocument = true")

                # The quiz: its statement comes to the page by itself (server-sent events).
                quiz_step = next(s for s in atis.programme if s.kind.value == "quiz")
                await app.go_to_step(quiz_step.id)
                screen = app.screen
                assert isinstance(screen, QuizScreen)
                while screen.section != "items":
                    await pilot.press("right")
                item = atis.quiz.items[0]
                await _until(
                    pilot,
                    devtools,
                    "(document.getElementById('question') || {}).textContent === "
                    + json.dumps(f"« {item.statement} »"),
                )
                right = atis.quiz.answer(item.answer)
                page = await devtools.text()
                assert f"Réponse : {right.symbol}" not in page  # never before the reveal
                # A tap: pressed, said in the live region, the choice in words.
                await devtools.tap("button[value=faux]")
                await _wait_for_page(pilot, devtools, "button[aria-pressed=true][value=faux]")
                taken = json.dumps(pages.VOTE_TAKEN.format(label="FAUX"))
                said = await _until(
                    pilot, devtools, f"document.getElementById('annonce').textContent === {taken}"
                )
                await _shot(devtools, tmp_path / "vote.png")
                assert said is True  # the polite live region says the vote was taken
                # The reveal.
                await pilot.press("enter")  # only Entrée reveals
                await _wait_for_page(pilot, devtools, "p.answer", timeout=20)
                page = await devtools.text()
                assert f"Réponse : {right.symbol} {right.label}" in page
                assert pages.YOU_WERE_RIGHT.format(label="FAUX") in page or (
                    pages.YOU_WERE_WRONG.format(label="FAUX") in page
                )

                # The pause: its timer, counting down on the phone.
                pause = next(s for s in atis.programme if s.kind.value == "pause")
                await app.go_to_step(pause.id)
                await wait_for(pilot, lambda: isinstance(app.screen, PauseScreen))
                await _wait_for_page(pilot, devtools, "#timer[data-running='1']")
                digits = await devtools.evaluate(
                    "document.getElementById('timer-digits').textContent"
                )
                await _shot(devtools, tmp_path / "pause.png")
                assert re.fullmatch(r"\d\d:\d\d", digits)
                live = await devtools.evaluate(
                    "document.getElementById('timer').closest('[aria-live]') === null"
                )
                assert live is True  # the seconds are never read out

                # The pitch round: a project on stage, and the card link.
                pitch_step = next(s for s in atis.programme if s.kind.value == "pitch")
                await app.go_to_step(pitch_step.id)
                pitch_screen = await on_round(pilot, app)
                await pilot.press("f5")
                project = app.record.projects[0]
                await _until(
                    pilot,
                    devtools,
                    "(document.getElementById('scene') || {}).textContent === "
                    + json.dumps(pages.STAGE_HEADING.format(name=project.name)),
                )
                assert await devtools.evaluate("window.sameDocument") is True  # never reloaded
                await _wait_for_page(pilot, devtools, "a.button")
                await _shot(devtools, tmp_path / "stage.png")

                # The card: the phone follows the link, ticks a category, types, sends.
                await devtools.tap("a.button")
                await _wait_for_page(pilot, devtools, "textarea#texte")
                category = atis.pitch.feedback_categories[1]
                text = "Pensez aux « voisins » & à l'école <3"
                await devtools.tap(f"input[value={category.id}]")
                await devtools.evaluate(
                    f"document.getElementById('texte').value = {json.dumps(text)};"
                    "document.getElementById('signature').value = 'Zoé'"
                )
                await devtools.tap("button[type=submit]")
                await _wait_for_page(pilot, devtools, "p.sent")
                on_disk = saved(tmp_path / "sessions").project(project.id).pitch.room_cards
                assert [(c.category, c.text, c.signature) for c in on_disk] == [
                    (category.id, text, "Zoé")
                ]
                await wait_for(pilot, lambda: pitch_screen.query_one("#pitch-inbox").display)
                await pilot.press("ctrl+y")
                await wait_for(
                    pilot,
                    lambda: saved(tmp_path / "sessions")
                    .project(project.id)
                    .pitch.room_cards[0]
                    .status
                    is CardStatus.ACCEPTED,
                )
                note = saved(tmp_path / "sessions").project(project.id).pitch.notes
                assert note[category.id].endswith(f"Salle (Zoé) : {text}")
                await _shot(devtools, tmp_path / "card-sent.png")
    finally:
        close(app)


# -- accessibility -------------------------------------------------------------------------------


async def _ax_problems(devtools: DevTools) -> list[str]:
    """What the accessibility tree says is wrong: a control without a name, no heading of
    level 1 or more than one, a heading level skipped."""
    tree = await devtools.call("Accessibility.getFullAXTree")
    problems: list[str] = []
    levels: list[int] = []
    controls = {"button", "link", "textbox", "radio", "checkbox", "combobox"}
    for node in tree["nodes"]:
        if node.get("ignored"):
            continue
        role = node.get("role", {}).get("value")
        name = str(node.get("name", {}).get("value", "")).strip()
        if role in controls and not name:
            problems.append(f"{role} without a name")
        if role == "heading":
            level = next(
                (p["value"]["value"] for p in node.get("properties", []) if p["name"] == "level"),
                0,
            )
            levels.append(int(level))
    if levels.count(1) != 1 or not levels or levels[0] != 1:
        problems.append(f"headings {levels}: one h1, first")
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading level skipped: {levels}")
    return problems


async def _landmarks(devtools: DevTools) -> set[str]:
    tree = await devtools.call("Accessibility.getFullAXTree")
    return {
        str(node.get("role", {}).get("value"))
        for node in tree["nodes"]
        if not node.get("ignored")
        and node.get("role", {}).get("value") in ("main", "banner", "contentinfo", "navigation")
    }


def _luminance(rgb: str) -> float:
    red, green, blue = (int(v) for v in re.findall(r"\d+", rgb)[:3])

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


COLOURS = """(function () {
  function bg(node) {
    while (node) {
      var colour = getComputedStyle(node).backgroundColor;
      if (colour && colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') { return colour; }
      node = node.parentElement;
    }
    return getComputedStyle(document.documentElement).backgroundColor;
  }
  var out = [];
  var nodes = document.querySelectorAll('h1, h2, h3, p, li, a, button, label, legend');
  for (var i = 0; i < nodes.length; i++) {
    var node = nodes[i];
    if (!node.textContent.trim() || node.closest('.sr-only')) { continue; }
    out.push([node.tagName + ' ' + node.textContent.trim().slice(0, 30),
              getComputedStyle(node).color, bg(node)]);
  }
  return JSON.stringify(out);
})()"""


async def _low_contrast(devtools: DevTools) -> list[str]:
    found = json.loads(await devtools.evaluate(COLOURS))
    assert found
    return [f"{what}: {contrast(fg, bg):.2f}" for what, fg, bg in found if contrast(fg, bg) < 4.5]


async def test_accessibility_tree_colours_and_zoom(atis: Workshop, tmp_path: Path) -> None:
    binary = _binary()
    assert atis.quiz is not None
    app = _app(atis, tmp_path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            quiz_step = next(s for s in atis.programme if s.kind.value == "quiz")
            await app.go_to_step(quiz_step.id)
            screen = app.screen
            assert isinstance(screen, QuizScreen)
            while screen.section != "items":
                await pilot.press("right")
            await wait_for(pilot, lambda: votes.projection.quiz is not None)
            pitch_step = next(s for s in atis.programme if s.kind.value == "pitch")
            async with chromium(binary, tmp_path / "profile") as devtools:
                await devtools.call("Page.enable")
                await devtools.call("Accessibility.enable")
                urls = {"vote": votes.url, "speaker": votes.speaker_url}
                for name, url in urls.items():
                    await devtools.navigate(url)
                    assert await devtools.evaluate("document.documentElement.lang") == "fr"
                    assert await _ax_problems(devtools) == [], name
                    assert {"main", "contentinfo"} <= await _landmarks(devtools), name
                await devtools.navigate(votes.url)
                assert await devtools.evaluate("document.querySelectorAll('button').length") == 3
                pressed = await devtools.evaluate(
                    "Array.prototype.every.call(document.querySelectorAll('button'),"
                    " function (b) { return b.getAttribute('aria-pressed') === 'false'; })"
                )
                assert pressed is True

                # Both colour schemes, as the phone's setting chooses them: AA everywhere.
                for scheme in ("light", "dark"):
                    await devtools.call(
                        "Emulation.setEmulatedMedia",
                        features=[{"name": "prefers-color-scheme", "value": scheme}],
                    )
                    background = await devtools.evaluate(
                        "getComputedStyle(document.body).backgroundColor"
                    )
                    expected = (
                        page_assets.LIGHT["bg"] if scheme == "light" else page_assets.DARK["bg"]
                    )
                    assert contrast(background, _rgb(expected)) == pytest.approx(1.0)
                    assert await _low_contrast(devtools) == [], scheme

                # 200 % zoom on a 412 px phone = a 206 px wide layout: nothing wider than the
                # screen, « PAS FORCÉMENT » wraps inside its button.
                await devtools.call(
                    "Emulation.setDeviceMetricsOverride",
                    width=206,
                    height=458,
                    deviceScaleFactor=2,
                    mobile=True,
                )
                await devtools.navigate(votes.url)
                overflow = await devtools.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0
                inside = await devtools.evaluate(
                    "Array.prototype.every.call(document.querySelectorAll('button'),"
                    " function (b) { return b.scrollWidth <= b.clientWidth; })"
                )
                assert inside is True
                await _shot(devtools, tmp_path / "zoom-200.png")

                # The text follows the phone's font size (a setting of the browser).
                size = "parseFloat(getComputedStyle(document.body).fontSize)"
                before = await devtools.evaluate(size)
                await devtools.call("Page.setFontSizes", fontSizes={"standard": 32})
                after = await devtools.evaluate(size)
                assert after == pytest.approx(before * 2)
                await devtools.call("Page.setFontSizes", fontSizes={"standard": 16})
                await devtools.call("Emulation.clearDeviceMetricsOverride")

                # The card page, with a project on stage.
                await app.go_to_step(pitch_step.id)
                await on_round(pilot, app)
                await pilot.press("f5")
                await wait_for(pilot, lambda: votes.projection.stage is not None)
                await devtools.navigate(votes.url)
                assert await _ax_problems(devtools) == []
                await devtools.navigate(f"{votes.url}retour")
                assert await _ax_problems(devtools) == []
                for scheme in ("light", "dark"):
                    await devtools.call(
                        "Emulation.setEmulatedMedia",
                        features=[{"name": "prefers-color-scheme", "value": scheme}],
                    )
                    assert await _low_contrast(devtools) == [], scheme
    finally:
        close(app)


def _rgb(hex_colour: str) -> str:
    value = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(value[i : i + 2], 16) for i in (0, 2, 4)))


async def test_without_server_sent_events_or_without_script_the_page_still_follows(
    atis: Workshop, tmp_path: Path
) -> None:
    binary = _binary()
    app = _app(atis, tmp_path)
    steps = [s for s in atis.programme if s.kind.value in ("info", "quiz", "pause")][:3]
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            async with chromium(binary, tmp_path / "profile") as devtools:
                await devtools.call("Page.enable")
                # An old browser: no EventSource, the page asks every 2 s.
                script = await devtools.call(
                    "Page.addScriptToEvaluateOnNewDocument",
                    source="window.EventSource = undefined;",
                )
                await app.go_to_step(steps[0].id)
                await devtools.navigate(votes.url)
                await _until(pilot, devtools, f"{_h1()} === {json.dumps(steps[0].title)}")
                await app.go_to_step(steps[1].id)
                await _until(pilot, devtools, f"{_h1()} === {json.dumps(steps[1].title)}")
                await devtools.call(
                    "Page.removeScriptToEvaluateOnNewDocument", identifier=script["identifier"]
                )
                # No script at all: the page reloads itself (<meta refresh> in <noscript>).
                await devtools.call("Emulation.setScriptExecutionDisabled", value=True)
                await devtools.navigate(votes.url)
                await app.go_to_step(steps[2].id)
                title = json.dumps(steps[2].title)
                deadline = time.monotonic() + 20
                while "<h1" not in (page := await devtools.text()) or (
                    json.loads(title) not in page
                ):
                    assert time.monotonic() < deadline, page
                    await pilot.pause()
                    await asyncio.sleep(0.2)
    finally:
        close(app)


async def test_the_timer_is_heard_at_the_warning_not_each_second(
    atis: Workshop, tmp_path: Path
) -> None:
    """The phone counts down by itself; its live region speaks once the warning is crossed
    (and the visible digits are in no live region)."""
    binary = _binary()
    app = _app(atis, tmp_path)
    clock = app.clock
    assert isinstance(clock, FakeClock)
    pause = next(s for s in atis.programme if s.kind.value == "pause")
    try:
        async with app.run_test(size=SIZE) as pilot:
            votes = await _serving(pilot, app)
            await app.go_to_step(pause.id)
            await wait_for(pilot, lambda: isinstance(app.screen, PauseScreen))
            screen = app.screen
            assert isinstance(screen, PauseScreen)
            minutes = round(screen.countdown.duration_s / 60)
            await pilot.press(*["minus"] * (minutes - 2))  # two minutes left
            clock.advance(58.0)  # 62 s left on the projector
            await pilot.press("space", "space")  # pause, go on: the phones hear of it
            async with chromium(binary, tmp_path / "profile") as devtools:
                await devtools.call("Page.enable")
                await devtools.navigate(votes.url)
                await _wait_for_page(pilot, devtools, "#timer[data-running='1']")
                assert (
                    await devtools.evaluate("document.getElementById('annonce').textContent") == ""
                )
                warning = json.dumps(pages.warning_text(60))
                await _until(
                    pilot,
                    devtools,
                    f"document.getElementById('annonce').textContent === {warning}",
                    timeout=10,
                )
                caption = await devtools.evaluate(
                    "document.getElementById('timer-caption').textContent"
                )
                assert caption == pages.warning_text(60)
    finally:
        close(app)
