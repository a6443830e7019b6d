"""Benchmark: 60 phones vote at once, 10 rounds, while the projector keeps running.

``measure_vote()`` gives what ``bench/run.py`` reports:

- ``vote_p99_ms``: p99 latency of a vote (POST → response) seen by the phones (target ≤ 50);
- ``vote_ui_stall_ms``: the longest event-loop stall seen by a 10 ms heartbeat running in the
  app's loop during the bursts (target ≤ 50): what would freeze the projected screen.

The real app runs headless (``run_test``) on the quiz with voting on 127.0.0.1, port chosen
by the system. The phones are a separate process (so their own work does not count as the
app's stall), each with its own loopback address 127.0.0.<n> as on a Wi-Fi network, so the
per-address limits stay the real ones. Loopback only; bounded counts and time.

    .venv/bin/python bench/bench_vote.py        prints the figures and details as JSON
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CLIENTS = 60
ROUNDS = 10
ROUND_GAP_S = 0.05
HEARTBEAT_S = 0.010
CHILD_TIMEOUT_S = 120.0
REQUEST_TIMEOUT_S = 10.0


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


# -- the phones (child process) ----------------------------------------------------------------


async def _phones(url: str, item_id: str, clients: int, rounds: int) -> list[float]:
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    sessions = [
        aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(local_addr=(f"127.0.0.{10 + n}", 0), limit=1),
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=timeout,
        )
        for n in range(clients)
    ]
    try:

        async def load(session: aiohttp.ClientSession) -> None:
            async with session.get(url) as response:  # the scan: page + device cookie
                assert response.status == 200, response.status
                await response.read()

        await asyncio.gather(*(load(s) for s in sessions))
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)

        latencies: list[float] = []

        async def vote(session: aiohttp.ClientSession, answer: str) -> None:
            start = time.perf_counter()
            async with session.post(
                f"{url}vote", json={"statement": item_id, "answer": answer}
            ) as response:  # what the page's script sends when a button is tapped
                await response.read()
                assert response.status == 200, response.status
            latencies.append((time.perf_counter() - start) * 1000)

        for number in range(rounds):
            answers = ("vrai", "faux", "pas-forcement")
            await asyncio.gather(
                *(vote(s, answers[(n + number) % 3]) for n, s in enumerate(sessions))
            )
            await asyncio.sleep(ROUND_GAP_S)
        return latencies
    finally:
        await asyncio.gather(*(s.close() for s in sessions))


def _child_main(argv: list[str]) -> None:
    url, item_id, clients, rounds = argv[0], argv[1], int(argv[2]), int(argv[3])
    latencies = asyncio.run(_phones(url, item_id, clients, rounds))
    sys.stdout.write(json.dumps(latencies) + "\n")


# -- the app (this process) --------------------------------------------------------------------


async def _measure(clients: int, rounds: int) -> dict[str, float | int]:
    from atelier.cli_run import open_or_create_session
    from atelier.domain.clock import SystemClock
    from atelier.store.content_loader import load_workshop, resolve_content_dir
    from atelier.store.session_store import SessionStore
    from atelier.store.settings import Settings
    from atelier.tui.app import AtelierApp
    from atelier.tui.screens.quiz import QuizScreen
    from atelier.tui.vote import VoteOptions

    workshop = load_workshop(resolve_content_dir(None))
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as folder:
        session = open_or_create_session(SessionStore(Path(folder)), workshop, "bench", clock)
        app = AtelierApp(
            workshop,
            session,
            session.record,
            clock,
            Settings(),
            vote=VoteOptions(host="127.0.0.1", port=0, autostart=True),
        )
        try:
            async with app.run_test(size=(200, 50)) as pilot:
                deadline = time.monotonic() + 20
                while not (
                    isinstance(app.screen, QuizScreen)
                    and app.votes is not None
                    and app.votes.running
                ):
                    if time.monotonic() > deadline:
                        raise RuntimeError("the app did not start voting")
                    await pilot.pause(0.05)
                screen = app.screen
                assert isinstance(screen, QuizScreen) and screen.run is not None
                while screen.section != "items":
                    await pilot.press("right")
                await pilot.pause()
                item_id = screen.run.item.id
                url = app.votes.url
                result = await _burst(url, item_id, clients, rounds)
                deadline = time.monotonic() + 5
                while sum(app.record.quiz[item_id].tally.values()) != clients:
                    if time.monotonic() > deadline:
                        raise RuntimeError("the votes did not all reach the record")
                    await pilot.pause(0.05)
                result["flushes"] = app.votes.flushes
                result["refused"] = app.votes.server.requests_refused if app.votes.server else 0
        finally:
            session.close()
    return result


async def _burst(url: str, item_id: str, clients: int, rounds: int) -> dict[str, float | int]:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        os.path.abspath(__file__),
        "--phones",
        url,
        item_id,
        str(clients),
        str(rounds),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None
    loop = asyncio.get_running_loop()
    stalls: list[float] = []
    measuring = asyncio.Event()
    done = asyncio.Event()

    async def heartbeat() -> None:
        last = loop.time()
        while not done.is_set():
            await asyncio.sleep(HEARTBEAT_S)
            now = loop.time()
            if measuring.is_set():
                stalls.append((now - last - HEARTBEAT_S) * 1000)
            last = now

    beat = loop.create_task(heartbeat())
    try:
        async with asyncio.timeout(CHILD_TIMEOUT_S):
            ready = await child.stdout.readline()
            if ready.strip() != b"ready":
                raise RuntimeError(f"the phones did not start: {ready!r}")
            measuring.set()
            started = time.perf_counter()
            child.stdin.write(b"go\n")
            await child.stdin.drain()
            line = await child.stdout.readline()
            elapsed = time.perf_counter() - started
            measuring.clear()
            await child.wait()
    finally:
        done.set()
        await beat
        if child.returncode is None:
            child.kill()
            await child.wait()
    latencies = json.loads(line)
    if len(latencies) != clients * rounds:
        raise RuntimeError(f"{len(latencies)} votes answered out of {clients * rounds}")
    return {
        "vote_p99_ms": round(_percentile(latencies, 0.99), 1),
        "vote_ui_stall_ms": round(max(stalls, default=0.0), 1),
        "vote_p50_ms": round(_percentile(latencies, 0.50), 1),
        "vote_max_ms": round(max(latencies), 1),
        "votes": len(latencies),
        "burst_s": round(elapsed, 2),
    }


def measure_vote(
    clients: int = CLIENTS, rounds: int = ROUNDS, *, details: bool = False
) -> dict[str, float | int]:
    """``{"vote_p99_ms", "vote_ui_stall_ms"}`` (and more with ``details``)."""
    result = asyncio.run(_measure(clients, rounds))
    if details:
        return result
    return {key: result[key] for key in ("vote_p99_ms", "vote_ui_stall_ms")}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phones":
        _child_main(sys.argv[2:])
    else:
        print(json.dumps(measure_vote(details=True)))
