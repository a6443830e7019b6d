"""Benchmark: teams fill their grid from their phones while the rest of the room follows.

``measure_grid_phones()`` gives what ``bench/run.py`` reports:

- ``grid_phone_ack_p99_ms``: p99 latency (request → answer) of one change sent from a team's
  phone, answered only once it is on disk (target ≤ 100);
- ``grid_phone_stall_ms``: the longest stall of the app's event loop (a 10 ms heartbeat)
  during the edits (target ≤ 50);
- ``grid_phone_lost_fields``: after the run, fields on disk that differ from the last value a
  phone was told was saved (target 0).

The real app runs headless (``run_test``) in this process, on the self-assessment's phases.
The phones are a separate process: TEAMS teams of two phones (one loopback address per team,
127.0.0.2 upwards) create their project and join it with its code, then each phone sends one
change every 3 s (one a level, the other a comment, each on the 12 criteria in turn) while
FOLLOWERS other phones follow the page by server-sent events (four per address, after the
teams' addresses). Nothing but 127.0.0.x is ever used.

    .venv/bin/python bench/bench_grid_phones.py [TEAMS] [FOLLOWERS]   prints the figures as JSON
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import resource
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TEAMS = 60
FOLLOWERS = 200
EVERY_S = 3.0
HEARTBEAT_S = 0.010
CHILD_TIMEOUT_S = 300.0


def _percentile(samples: list[float], fraction: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def _raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# -- the phones (child process) ----------------------------------------------------------------


async def _phones_main(url: str, teams: int, followers: int, criteria: list[str]) -> None:
    import aiohttp

    _raise_fd_limit()
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None, connect=30)

    def session(address: str) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(local_addr=(address, 0), limit=0),
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=timeout,
        )

    sessions = [session(f"127.0.0.{2 + team}") for team in range(teams)]
    follow_sessions = [session(f"127.0.0.{2 + teams + n // 4}") for n in range(0, followers, 4)]
    streams: list[asyncio.Task[None]] = []

    async def follow(http: aiohttp.ClientSession, ready: asyncio.Event) -> None:
        cookie = {"Cookie": f"atelier_votant={secrets.token_urlsafe(16)}"}
        async with http.get(f"{url}flux", headers=cookie) as stream:
            async for _ in stream.content:
                ready.set()

    readies = []
    for number in range(followers):
        ready = asyncio.Event()
        readies.append(ready)
        streams.append(asyncio.create_task(follow(follow_sessions[number // 4], ready)))
    await asyncio.gather(*(ready.wait() for ready in readies))

    async def post(http: aiohttp.ClientSession, cookie: str, body: dict[str, str]) -> float:
        start = time.perf_counter()
        async with http.post(
            f"{url}projet", json=body, headers={"Cookie": f"atelier_votant={cookie}"}
        ) as response:
            answer = await response.json()
            assert response.status == 200, (response.status, answer)
        body["project"] = body.get("project") or answer["project"]
        return (time.perf_counter() - start) * 1000

    cookies = [(secrets.token_urlsafe(16), secrets.token_urlsafe(16)) for _ in range(teams)]
    projects: list[str] = []
    for team in range(teams):
        body = {"action": "creer", "value": f"Équipe n° {team} « & »"}
        await post(sessions[team], cookies[team][0], body)
        projects.append(body["project"])
        async with sessions[team].get(
            f"{url}projet", headers={"Cookie": f"atelier_votant={cookies[team][0]}"}
        ) as response:
            page = await response.text()
        code = page.split("Code pour rejoindre ce projet : ")[1][:9].replace(" ", "")
        await post(sessions[team], cookies[team][1], {"action": "rejoindre", "value": code})
    sys.stdout.write(json.dumps({"ready": teams}) + "\n")
    sys.stdout.flush()
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)  # « go »

    latencies: list[float] = []
    saved: dict[str, str] = {}  # "project|kind|criterion" → last value acknowledged
    failures = 0

    async def phone(team: int, second: bool) -> None:
        nonlocal failures
        await asyncio.sleep(random.uniform(0, EVERY_S))
        for index, criterion in enumerate(criteria):
            start = time.monotonic()
            if second:
                body = {"action": "commentaire", "value": f"Commentaire {index} : « été » & <b>"}
            else:
                body = {"action": "niveau", "value": ("faible", "fort", "intermediaire")[index % 3]}
            body.update(project=projects[team], target=criterion)
            try:
                latencies.append(await post(sessions[team], cookies[team][second], body))
                saved[f"{projects[team]}|{body['action']}|{criterion}"] = body["value"]
            except (AssertionError, aiohttp.ClientError):
                failures += 1
            await asyncio.sleep(max(0.0, EVERY_S - (time.monotonic() - start)))

    await asyncio.gather(*(phone(team, second) for team in range(teams) for second in (0, 1)))
    sys.stdout.write(json.dumps({"latencies": latencies, "saved": saved, "failures": failures}))
    sys.stdout.write("\n")
    sys.stdout.flush()
    for task in streams:
        task.cancel()
    await asyncio.gather(*streams, return_exceptions=True)
    await asyncio.gather(*(s.close() for s in sessions + follow_sessions))


# -- the app (this process) --------------------------------------------------------------------


async def _measure(teams: int, followers: int) -> dict[str, float | int]:
    from atelier.cli_run import open_or_create_session
    from atelier.domain.clock import SystemClock
    from atelier.store.content_loader import load_workshop, resolve_content_dir
    from atelier.store.session_store import SessionStore
    from atelier.store.settings import Settings
    from atelier.tui.app import AtelierApp
    from atelier.tui.screens.assessment import PHASES, AssessmentScreen
    from atelier.tui.vote import VoteOptions
    from atelier.vote.requests import VoteLimits

    _raise_fd_limit()
    workshop = load_workshop(resolve_content_dir(None))
    assert workshop.grid is not None
    criteria = [criterion.id for criterion in workshop.grid.criteria]
    clock = SystemClock()
    step = next(s for s in workshop.programme if s.kind.value == "assessment")
    with tempfile.TemporaryDirectory() as folder:
        store = SessionStore(Path(folder))
        session = open_or_create_session(store, workshop, "bench", clock)
        session.record.enter_step(step.id, clock.now())
        session.save_all()
        app = AtelierApp(
            workshop,
            session,
            session.record,
            clock,
            Settings(),
            vote=VoteOptions(
                host="127.0.0.1", port=0, autostart=True, limits=VoteLimits(max_streams=5000)
            ),
        )
        result: dict[str, float | int] = {}
        try:
            async with app.run_test(size=(200, 50)) as pilot:
                deadline = time.monotonic() + 20
                while not (
                    isinstance(app.screen, AssessmentScreen) and app.votes and app.votes.running
                ):
                    if time.monotonic() > deadline:
                        raise RuntimeError("the app did not start its server")
                    await pilot.pause(0.05)
                screen = app.screen
                assert isinstance(screen, AssessmentScreen)
                while screen.section != PHASES:
                    await pilot.press("right")
                await pilot.press("f5")  # the phase's timer runs, as in the room
                votes = app.votes
                assert votes is not None
                while not votes.projection.teams_open:
                    await pilot.pause(0.05)
                result = await _run(votes.url, teams, followers, criteria)
            on_disk = store.load("bench")
            lost = 0
            for key, value in result.pop("saved").items():  # type: ignore[union-attr]
                project_id, kind, criterion = key.split("|")
                score = on_disk.project(project_id).scores.get(criterion)
                got = (
                    None if score is None else (score.level if kind == "niveau" else score.comment)
                )
                lost += got != value
            result["grid_phone_lost_fields"] = lost
        finally:
            session.close()
    return result


async def _run(url: str, teams: int, followers: int, criteria: list[str]) -> dict:  # type: ignore[type-arg]
    loop = asyncio.get_running_loop()
    stalls: list[float] = []
    done = asyncio.Event()

    async def heartbeat() -> None:
        last = loop.time()
        while not done.is_set():
            await asyncio.sleep(HEARTBEAT_S)
            now = loop.time()
            stalls.append((now - last - HEARTBEAT_S) * 1000)
            last = now

    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(Path(__file__).resolve()),
        "--phones",
        url,
        str(teams),
        str(followers),
        ",".join(criteria),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        limit=2**24,
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        async with asyncio.timeout(CHILD_TIMEOUT_S):
            ready = json.loads(await child.stdout.readline())
            assert ready == {"ready": teams}, ready
            beat = loop.create_task(heartbeat())
            child.stdin.write(b"go\n")
            await child.stdin.drain()
            report = json.loads(await child.stdout.readline())
            done.set()
            await beat
            await child.wait()
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    latencies = report["latencies"]
    return {
        "grid_phone_ack_p99_ms": round(_percentile(latencies, 0.99), 1),
        "grid_phone_ack_p50_ms": round(_percentile(latencies, 0.50), 1),
        "grid_phone_stall_ms": round(max(stalls, default=0.0), 1),
        "grid_phone_changes": len(latencies),
        "grid_phone_failures": report["failures"],
        "saved": report["saved"],
    }


def measure_grid_phones(teams: int = TEAMS, followers: int = FOLLOWERS) -> dict[str, float | int]:
    return asyncio.run(_measure(teams, followers))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phones":
        asyncio.run(
            _phones_main(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5].split(","))
        )
    else:
        arguments = [int(a) for a in sys.argv[1:3]]
        print(json.dumps(measure_grid_phones(*arguments)))
