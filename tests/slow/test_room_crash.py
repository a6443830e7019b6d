"""Kill -9 with cards in the facilitator's inbox: every card a phone was told « sent » is in
the session when it is opened again (each is on disk before the phone's answer)."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from atelier.domain.content import Workshop
from atelier.domain.session import CardStatus
from atelier.store.session_store import SessionStore
from atelier.tui.screens.pitch import PitchScreen
from atelier.tui.widgets.inbox import InboxView
from tests.tui.factory import close, make_app
from tests.tui.test_pitch import at_round_start, on_round

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
async def test_kill_9_with_cards_in_the_inbox_loses_none(atis: Workshop, tmp_path: Path) -> None:
    assert atis.pitch is not None
    sessions, config = tmp_path / "sessions", tmp_path / "config"
    sessions.mkdir()
    config.mkdir()
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.slow.room_child",
        str(sessions),
        str(config),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert child.stdout is not None
        line = await asyncio.wait_for(child.stdout.readline(), 60)
        assert line.startswith(b"url "), line
        url = line.split()[1].decode()
        category = atis.pitch.feedback_categories[0].id
        sent: list[str] = []
        for number in range(12):  # twelve phones, one card each, on their own address
            connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{40 + number}", 0))
            async with aiohttp.ClientSession(connector=connector) as phone:
                text = f"Carte {number} : « été » & <b>"
                fields = {"project": "epicerie-solidaire", "category": category, "text": text}
                async with phone.post(f"{url}retour", json=fields) as response:
                    assert response.status == 200, await response.text()
                    sent.append(text)
        child.send_signal(signal.SIGKILL)
        assert await asyncio.wait_for(child.wait(), 30) == -signal.SIGKILL
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    project = SessionStore(sessions).load("test").project("epicerie-solidaire")
    assert [card.text for card in project.pitch.room_cards] == sent
    assert {card.status for card in project.pitch.room_cards} == {CardStatus.PENDING}

    again = make_app(atis, sessions, at_round_start())
    try:
        async with again.run_test(size=(120, 40)) as pilot:
            screen = await on_round(pilot, again)
            assert isinstance(screen, PitchScreen)
            assert "(12)" in screen.query_one(InboxView).title
    finally:
        close(again)
