"""One real browser: headless Chromium opens the vote page served by the running app on
127.0.0.1, taps an answer, and the app's tally changes; at the reveal the page follows by
itself (its polling script) and shows the answer.

Chromium is driven through the DevTools protocol with a few lines of aiohttp websocket. It
is kept off the network: a dead local proxy for everything but loopback, and no DNS.
Skipped, with the reason, when Chromium is not installed (``.ci/run`` installs it)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.session import TallySource
from atelier.tui.screens.quiz import QuizScreen
from atelier.tui.vote import VoteOptions
from atelier.tui.widgets.vote_panel import VotePanel
from tests.tui.factory import close, make_app, wait_for

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-pings",
    "--metrics-recording-only",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
    # Nothing leaves the machine: loopback goes direct, the rest to a closed local port.
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1;localhost",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
    "--window-size=412,915",  # a phone
]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class DevTools:
    """The smallest DevTools-protocol client: send a command, wait for its answer."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.events: list[str] = []  # names of the events received so far

    async def _receive(self) -> dict[str, Any]:
        message = await self.ws.receive()
        if message.type != aiohttp.WSMsgType.TEXT:
            raise AssertionError(f"DevTools connection ended: {message.type}")
        data: dict[str, Any] = json.loads(message.data)
        if "method" in data:
            self.events.append(data["method"])
        return data

    async def call(self, method: str, timeout: float = 10.0, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        await self.ws.send_str(json.dumps({"id": number, "method": method, "params": params}))
        async with asyncio.timeout(timeout):
            while True:
                data = await self._receive()
                if data.get("id") == number:
                    if "error" in data:
                        raise AssertionError(f"{method}: {data['error']}")
                    return dict(data.get("result", {}))

    async def navigate(self, url: str, timeout: float = 15.0) -> None:
        """Open ``url`` and wait for its load event (node ids of the old page die here)."""
        self.events.clear()
        await self.call("Page.navigate", url=url)
        async with asyncio.timeout(timeout):
            while "Page.loadEventFired" not in self.events:
                await self._receive()

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def node(self, selector: str) -> int:
        """The DOM node id of ``selector`` (0: none); works with page scripts disabled.

        A fresh document each time: node ids die with the page (navigation, reload)."""
        for attempt in range(3):
            try:
                root = await self.call("DOM.getDocument", depth=0)
                found = await self.call(
                    "DOM.querySelector", nodeId=root["root"]["nodeId"], selector=selector
                )
                return int(found.get("nodeId", 0))
            except AssertionError:
                if attempt == 2:
                    raise
                await asyncio.sleep(0.1)
        return 0

    async def text(self) -> str:
        for attempt in range(3):
            try:
                body = await self.node("body")
                if not body:
                    return ""
                html = await self.call("DOM.getOuterHTML", nodeId=body)
                return str(html["outerHTML"])
            except AssertionError:
                if attempt == 2:
                    raise
                await asyncio.sleep(0.1)
        return ""

    async def tap(self, selector: str) -> None:
        """A real tap: the pointer goes down and up in the middle of the element."""
        node = await self.node(selector)
        assert node, f"nothing matches {selector}"
        await self.call("DOM.scrollIntoViewIfNeeded", nodeId=node)
        quad = (await self.call("DOM.getBoxModel", nodeId=node))["model"]["border"]
        x, y = (quad[0] + quad[4]) / 2, (quad[1] + quad[5]) / 2
        for kind in ("mousePressed", "mouseReleased"):
            await self.call(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )


@contextlib.asynccontextmanager
async def chromium(binary: str, profile: Path) -> AsyncIterator[DevTools]:
    process = await asyncio.create_subprocess_exec(
        binary,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        active = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (active.exists() and len(active.read_text().split()) >= 2):
            if process.returncode is not None or time.monotonic() > deadline:
                pytest.fail("Chromium did not open its DevTools port within 30 s")
            await asyncio.sleep(0.1)
        port = int(active.read_text().split()[0])
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
                targets = await response.json()
            page = next(t for t in targets if t["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                yield DevTools(ws)
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()


async def _wait_for_page(pilot, devtools: DevTools, selector: str, timeout: float = 15.0) -> None:  # noqa: ANN001
    """Wait (while the app keeps running) until the page has an element matching ``selector``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if await devtools.node(selector):
                return
        except AssertionError:
            pass  # the page is navigating: its document is gone for a moment
        if time.monotonic() > deadline:
            raise AssertionError(f"page never had {selector!r}; it shows: {await devtools.text()}")
        await pilot.pause()
        await asyncio.sleep(0.1)


@pytest.mark.slow
async def test_a_phone_browser_taps_an_answer_and_the_tally_changes(
    atis: Workshop, tmp_path: Path
) -> None:
    binary = _chromium()
    if binary is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    assert atis.quiz is not None
    app = make_app(atis, tmp_path / "sessions", FakeClock())
    app.vote_options = VoteOptions(host="127.0.0.1", port=0, autostart=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        while screen.section != "items":
            await pilot.press("right")
        await wait_for(pilot, lambda: app.votes is not None and app.votes.running)
        assert app.votes is not None and screen.run is not None
        item = screen.run.item
        panel = screen.query_one(VotePanel)
        await wait_for(pilot, lambda: panel.shown_count == 0)

        def tally() -> dict[str, int]:
            result = app.record.quiz.get(item.id)
            return dict(result.tally) if result else {}

        async with chromium(binary, tmp_path / "profile") as devtools:
            await devtools.call("Page.enable")
            await devtools.navigate(app.votes.url)
            await _wait_for_page(pilot, devtools, "button[value=pas-forcement]")
            assert await devtools.evaluate("document.documentElement.lang") == "fr"
            assert item.statement[:20] in await devtools.text()

            # A phone with JavaScript: the tap votes in the background, no page reload.
            await devtools.evaluate("window.sameDocument = true")
            await devtools.tap("button[value=faux]")
            await wait_for(pilot, lambda: panel.shown_count == 1, timeout=15)
            await _wait_for_page(pilot, devtools, "button[aria-pressed=true][value=faux]")
            await wait_for(pilot, lambda: tally().get("faux") == 1, timeout=15)
            assert await devtools.evaluate("window.sameDocument") is True
            await devtools.tap("button[value=vrai]")  # a change of mind: still one vote
            await _wait_for_page(pilot, devtools, "button[aria-pressed=true][value=vrai]")
            await wait_for(pilot, lambda: tally().get("vrai") == 1, timeout=15)
            assert tally() == {"vrai": 1, "faux": 0, "pas-forcement": 0}
            assert app.record.quiz[item.id].source is TallySource.VOTES

            # An old phone without JavaScript: the form posts, the redirect shows the choice.
            await devtools.call("Emulation.setScriptExecutionDisabled", value=True)
            await devtools.navigate(app.votes.url)
            await _wait_for_page(pilot, devtools, "button[aria-pressed=true][value=vrai]")
            await devtools.tap("button[value=pas-forcement]")
            await _wait_for_page(pilot, devtools, "button[aria-pressed=true][value=pas-forcement]")
            await wait_for(pilot, lambda: tally().get("pas-forcement") == 1, timeout=15)
            assert panel.shown_count == 1
            await devtools.call("Emulation.setScriptExecutionDisabled", value=False)
            await devtools.navigate(app.votes.url)
            await _wait_for_page(pilot, devtools, "button[aria-pressed=true][value=pas-forcement]")

            # The reveal on the projector: the page notices by itself (polling) and shows it.
            await pilot.press("enter")  # only Entrée reveals
            assert app.record.quiz[item.id].revealed
            await _wait_for_page(pilot, devtools, "p.answer", timeout=20)
            right = atis.quiz.answer(item.answer)
            page = await devtools.text()
            assert f"Réponse : {right.symbol} {right.label}" in page
            assert "<button" not in page
            shot = await devtools.call("Page.captureScreenshot", format="png")
            (tmp_path / "revealed.png").write_bytes(base64.b64decode(shot["data"]))
    close(app)
    assert tally() == {"vrai": 0, "faux": 0, "pas-forcement": 1}
