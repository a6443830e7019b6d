"""Phone voting in the live app: HTTP votes sent to 127.0.0.1 from the test move the count on
the projector; the split appears only at the reveal; everything is saved as votes."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import aiohttp
import pytest

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.session import TallySource
from atelier.store.session_store import SessionStore
from atelier.tui.app import AtelierApp
from atelier.tui.screens.pause import PauseScreen
from atelier.tui.screens.quiz import QuizScreen
from atelier.tui.vote import FLUSH_INTERVAL_S, VoteController, VoteOptions
from atelier.tui.widgets.vote_panel import VotePanel, qr_text
from tests.tui.factory import close, make_app, wait_for

SIZE = (160, 48)


def _voting_app(workshop: Workshop, tmp_path: Path, *, autostart: bool = False) -> AtelierApp:
    """The app with the default limits, listening on 127.0.0.1 on a free port."""
    app = make_app(workshop, tmp_path, FakeClock())
    app.vote_options = VoteOptions(host="127.0.0.1", port=0, autostart=autostart)
    return app


async def _to_first_statement(pilot, app: AtelierApp) -> QuizScreen:  # noqa: ANN001
    await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
    screen = app.screen
    assert isinstance(screen, QuizScreen)
    while screen.section != "items":
        await pilot.press("right")
    return screen


async def _phone_votes(url: str, item_id: str, answer: str, phone_number: int) -> int:
    """One phone: loads the page (cookie), taps an answer; the vote's HTTP status.

    Each phone has its own address, as on a Wi-Fi network: 127.0.0.<n>, still loopback."""
    jar = aiohttp.CookieJar(unsafe=True)  # cookies from an IP address, as a phone keeps them
    connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{10 + phone_number}", 0))
    async with aiohttp.ClientSession(cookie_jar=jar, connector=connector) as phone:
        async with phone.get(url) as page:
            assert page.status == 200
        async with phone.post(
            f"{url}vote", data={"statement": item_id, "answer": answer}, allow_redirects=False
        ) as response:
            return response.status


def _answer_texts(screen: QuizScreen) -> list[str]:
    return [str(box.content) for box in screen.query(".answer")]


async def test_phone_votes_move_the_projected_count(atis: Workshop, tmp_path: Path) -> None:
    app = _voting_app(atis, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _to_first_statement(pilot, app)
        panel = screen.query_one(VotePanel)
        assert not panel.display
        await pilot.press("w")
        await wait_for(pilot, lambda: app.votes is not None and app.votes.running)
        votes = app.votes
        assert isinstance(votes, VoteController)
        assert votes.url.startswith("http://127.0.0.1:")
        await wait_for(pilot, lambda: panel.display and panel.shown_count == 0)
        assert "█" in str(panel.query_one("#vote-qr").content)  # the QR code is drawn
        assert votes.short_url in str(panel.query_one("#vote-url").content)

        item = screen.run.item.id if screen.run else ""
        answers = ["vrai", "vrai", "faux", "pas-forcement", "vrai"]
        statuses = [
            await _phone_votes(votes.url, item, answer, n) for n, answer in enumerate(answers)
        ]
        assert statuses == [303] * 5
        await wait_for(pilot, lambda: panel.shown_count == 5)
        assert "5 votes" in str(panel.query_one("#vote-count").content)
        # The split stays hidden until the reveal: no count, no bar in the answer boxes.
        assert not any(ch.isdigit() or "█" in ch for text in _answer_texts(screen) for ch in text)
        await wait_for(pilot, lambda: item in app.record.quiz)  # debounced into the record
        assert app.record.quiz[item].source is TallySource.VOTES
        assert app.record.quiz[item].tally == {"vrai": 3, "faux": 1, "pas-forcement": 1}

        await pilot.press("enter")  # reveal: closed, final counts saved, a bar per answer
        assert app.record.quiz[item].revealed
        await wait_for(pilot, lambda: all("█" in t for t in _answer_texts(screen)))
        assert any("3 · 60%" in t for t in _answer_texts(screen))
        assert await _phone_votes(votes.url, item, "faux", 0) == 409
        assert app.record.quiz[item].tally["faux"] == 1
        assert "votes clos" in str(panel.query_one("#vote-count").content)

        # → shows the explanation's next parts, then the next statement: the phones follow,
        # the count restarts
        for _ in range(20):
            await pilot.press("right")
            await pilot.pause()
            if screen.run is not None and screen.run.item.id != item:
                break
        await wait_for(pilot, lambda: panel.shown_count == 0)
        assert screen.run is not None and votes.box.current == screen.run.item.id
        url = votes.url
    close(app)
    saved = SessionStore(tmp_path).load("test")
    assert saved.quiz[item].source is TallySource.VOTES
    assert saved.quiz[item].tally == {"vrai": 3, "faux": 1, "pas-forcement": 1}
    # The server stopped with the app.
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectionError):
            async with session.get(url):
                pass


async def test_a_burst_of_votes_is_saved_a_few_times_not_per_vote(
    atis: Workshop, tmp_path: Path
) -> None:
    app = _voting_app(atis, tmp_path, autostart=True)  # as `atelier run --vote`
    async with app.run_test(size=SIZE) as pilot:
        screen = await _to_first_statement(pilot, app)
        await wait_for(pilot, lambda: app.votes is not None and app.votes.running)
        votes = app.votes
        assert votes is not None
        panel = screen.query_one(VotePanel)
        await wait_for(pilot, lambda: panel.display)
        item = screen.run.item.id if screen.run else ""
        started = time.monotonic()
        statuses = await asyncio.gather(
            *(_phone_votes(votes.url, item, ("vrai", "faux")[n % 2], n) for n in range(30))
        )
        assert statuses == [303] * 30
        await wait_for(pilot, lambda: panel.shown_count == 30)
        await wait_for(
            pilot,
            lambda: item in app.record.quiz and sum(app.record.quiz[item].tally.values()) == 30,
        )
        elapsed = time.monotonic() - started
        # Debounced: one save and one redraw per FLUSH_INTERVAL_S at most, not one per vote.
        assert 1 <= votes.flushes <= elapsed / FLUSH_INTERVAL_S + 2
    close(app)
    assert SessionStore(tmp_path).load("test").quiz[item].tally == {
        "vrai": 15,
        "faux": 15,
        "pas-forcement": 0,
    }


async def test_w_stops_voting_and_the_port_closes(atis: Workshop, tmp_path: Path) -> None:
    app = _voting_app(atis, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _to_first_statement(pilot, app)
        await pilot.press("w")
        await wait_for(pilot, lambda: app.votes is not None and app.votes.running)
        assert app.votes is not None
        url = app.votes.url
        await pilot.press("w")
        await wait_for(pilot, lambda: app.votes is not None and not app.votes.running)
        assert not screen.query_one(VotePanel).display
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.ClientConnectionError):
                async with session.get(url):
                    pass
        await pilot.press("w")  # again: same token, so a QR code already scanned still works
        await wait_for(pilot, lambda: app.votes is not None and app.votes.running)
        assert app.votes.url.split("/")[-2] == url.split("/")[-2]
    close(app)


async def test_speaker_page_shows_the_running_countdown(atis: Workshop, tmp_path: Path) -> None:
    app = _voting_app(atis, tmp_path, autostart=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.votes is not None and app.votes.running)
        assert app.votes is not None
        state_url = f"{app.votes.speaker_url}/etat"
        async with aiohttp.ClientSession() as session:
            async with session.get(state_url) as response:
                assert (await response.json())["label"] == "—"  # the quiz: no countdown
            await app.go_to_step("pause")
            await wait_for(pilot, lambda: isinstance(app.screen, PauseScreen))
            async with session.get(state_url) as response:
                state = await response.json()
            assert state["label"] == "10:00"  # pause_minutes: 10, fake clock
            assert state["title"] == atis.step("pause").title
            async with session.get(app.votes.speaker_url) as response:
                assert "10:00" in await response.text()
    close(app)


def _modules_from_text(text: str) -> list[list[bool]]:
    rows: list[list[bool]] = []
    for line in text.split("\n"):
        rows.append([c in "█▀" for c in line])
        rows.append([c in "█▄" for c in line])
    return rows


def test_the_projected_qr_code_is_the_codes_matrix() -> None:
    import segno

    url = "http://192.168.1.23:8765/TA0iQtkj3LM/"
    text = qr_text(url)
    expected = [
        [bool(m) for m in row]
        for row in segno.make(url, error="l", boost_error=True, micro=False).matrix_iter(
            scale=1, border=2
        )
    ]
    got = _modules_from_text(text)
    assert got[: len(expected)] == expected
    assert all(not m for row in got[len(expected) :] for m in row)  # padding row is light
    assert len(text.split("\n")) <= 18  # fits beside a statement on a 24-row terminal


def test_the_projected_qr_code_scans(tmp_path: Path) -> None:
    """Decode the terminal drawing with zbarimg when it is installed (a real QR reader)."""
    import shutil
    import struct
    import subprocess
    import zlib

    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (Debian zbar-tools) is not installed")
    url = "http://10.0.0.7:8765/TA0iQtkj3LM/"
    rows = [[False, *row, False] for row in _modules_from_text(qr_text(url))]
    scale = 8
    raw = b"".join(
        (b"\x00" + bytes(0 if m else 255 for m in row for _ in range(scale))) * scale
        for row in rows
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", len(rows[0]) * scale, len(rows) * scale, 8, 0, 0, 0, 0)
    png = tmp_path / "qr.png"
    png.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    result = subprocess.run(["zbarimg", "-q", str(png)], capture_output=True, text=True)
    assert result.stdout.strip() == f"QR-Code:{url}"


async def test_a_busy_port_is_reported_not_fatal(
    atis: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    import atelier.vote.requests as requests_module

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        app = make_app(atis, tmp_path, FakeClock())
        app.vote_options = VoteOptions(host="127.0.0.1", port=port)  # asked for: no fallback
        async with app.run_test(size=SIZE) as pilot:
            screen = await _to_first_statement(pilot, app)
            await pilot.press("w")
            await wait_for(pilot, lambda: bool(app._notifications))
            assert app.votes is not None and not app.votes.running
            assert not screen.query_one(VotePanel).display
            assert any("n'a pas pu démarrer" in str(n.message) for n in app._notifications)
            # The default port taken: any free port instead.
            monkeypatch.setattr(requests_module, "DEFAULT_PORT", port)
            app.votes.options = VoteOptions(host="127.0.0.1")
            await pilot.press("w")
            await wait_for(pilot, lambda: app.votes is not None and app.votes.running)
            assert app.votes.server is not None and app.votes.server.port != port
        close(app)
