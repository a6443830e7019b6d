"""Kill -9 during a burst of phone edits: every change a phone was told « enregistré » is in
the session when it is opened again (each is on disk before the phone's answer)."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from atelier.domain.content import Workshop
from atelier.store.session_store import SessionStore

ROOT = Path(__file__).resolve().parents[2]
TEAMS = 4


def _phone(number: int) -> aiohttp.ClientSession:
    jar = aiohttp.CookieJar(unsafe=True)
    connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{60 + number}", 0))
    return aiohttp.ClientSession(cookie_jar=jar, connector=connector)


async def _send(phone: aiohttp.ClientSession, url: str, fields: dict[str, str]) -> dict[str, str]:
    async with phone.post(f"{url}projet", json=fields) as response:
        assert response.status == 200, await response.text()
        answer: dict[str, str] = await response.json()
        return answer


@pytest.mark.slow
async def test_kill_9_during_a_burst_of_phone_edits_loses_no_acknowledged_change(
    atis: Workshop, tmp_path: Path
) -> None:
    assert atis.grid is not None
    sessions, config = tmp_path / "sessions", tmp_path / "config"
    sessions.mkdir()
    config.mkdir()
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.slow.team_child",
        str(sessions),
        str(config),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    phones = [_phone(number) for number in range(2 * TEAMS)]
    acknowledged: list[tuple[str, str, str, str]] = []  # (project, kind, criterion, value)
    try:
        assert child.stdout is not None
        line = await asyncio.wait_for(child.stdout.readline(), 60)
        assert line.startswith(b"url "), line
        url = line.split()[1].decode()
        projects: list[str] = []
        for team in range(TEAMS):
            answer = await _send(phones[2 * team], url, {"action": "creer", "value": f"É{team}"})
            projects.append(answer["project"])
        for team in range(TEAMS):  # the second phone joins with the code the page shows
            async with phones[2 * team].get(f"{url}projet") as response:
                page = await response.text()
            code = page.split("Code pour rejoindre ce projet : ")[1][:9].replace(" ", "")
            await _send(phones[2 * team + 1], url, {"action": "rejoindre", "value": code})
        levels = [level.id for level in atis.grid.levels]
        killed = asyncio.Event()

        async def edit(number: int, criterion_index: int) -> None:
            team, second = divmod(number, 2)
            criterion = atis.grid.criteria[criterion_index].id  # type: ignore[union-attr]
            if second:
                fields = {"action": "commentaire", "target": criterion,
                          "value": f"« {team}/{criterion} » & <b>"}  # fmt: skip
            else:
                value = levels[(team + criterion_index) % len(levels)]
                fields = {"action": "niveau", "target": criterion, "value": value}
            fields["project"] = projects[team]
            try:
                await _send(phones[number], url, fields)
            except (aiohttp.ClientError, AssertionError):
                assert killed.is_set()
                return
            acknowledged.append((projects[team], fields["action"], criterion, fields["value"]))

        async def phone(number: int) -> None:
            for criterion_index in range(len(atis.grid.criteria)):  # type: ignore[union-attr]
                if killed.is_set():
                    return
                await edit(number, criterion_index)

        async def killer() -> None:
            while len(acknowledged) < 30:
                await asyncio.sleep(0.002)
            child.send_signal(signal.SIGKILL)
            killed.set()

        await asyncio.gather(killer(), *(phone(n) for n in range(2 * TEAMS)))
        assert await asyncio.wait_for(child.wait(), 30) == -signal.SIGKILL
    finally:
        for session in phones:
            await session.close()
        if child.returncode is None:
            child.kill()
            await child.wait()
    assert len(acknowledged) >= 30
    record = SessionStore(sessions).load("test")
    for project_id, kind, criterion, value in acknowledged:
        score = record.project(project_id).scores[criterion]
        assert (score.level if kind == "niveau" else score.comment) == value
