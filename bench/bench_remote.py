"""Benchmark: the facilitator's remote while the room follows.

``measure_remote()`` gives what ``bench/run.py`` reports:

- ``remote_key_p99_ms``: p99 over PRESSES presses of the remote, from the request sent to the
  projector's next frame drawn after the command's action ran (target ≤ 200); the phone's
  answer comes once it is also saved;
- ``remote_key_only_p99_ms``: the same actions run directly (as the key does), for
  comparison: what the projector's redraw costs by itself on this machine;
- ``remote_stall_ms``: the longest stall of the app's event loop (a 10 ms heartbeat) during
  the presses (target ≤ 50).

The real app runs headless (``run_test``) in this process, on the quiz's statements: the
presses alternate « page suivante » and « page précédente », each issued with the state key of
the previous answer, as a phone does. PHONES phones follow the session by server-sent events
from a separate process (bench_room.py's phones, spread over 127.0.0.2–127.0.0.76); each
press changes the projector, so every one of them hears it and fetches its new page. The
remote itself is on 127.0.0.1. Nothing but 127.0.0.x is ever used.

    .venv/bin/python bench/bench_remote.py [PHONES] [PRESSES]    prints the figures as JSON
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_room import HEARTBEAT_S, _percentile, _raise_fd_limit  # noqa: E402

PHONES = 300
PRESSES = 200
CHILD_TIMEOUT_S = 300.0


async def _measure(phones: int, presses: int) -> dict[str, float | int]:
    import aiohttp

    from atelier.cli_run import open_or_create_session
    from atelier.domain.clock import SystemClock
    from atelier.store.content_loader import load_workshop, resolve_content_dir
    from atelier.store.session_store import SessionStore
    from atelier.store.settings import Settings
    from atelier.tui.app import AtelierApp
    from atelier.tui.screens.quiz import QuizScreen
    from atelier.tui.vote import VoteOptions
    from atelier.vote.requests import VoteLimits

    _raise_fd_limit()
    workshop = load_workshop(resolve_content_dir(None))
    clock = SystemClock()
    quiz_step = next(s for s in workshop.programme if s.kind.value == "quiz")
    with tempfile.TemporaryDirectory() as folder:
        session = open_or_create_session(SessionStore(Path(folder)), workshop, "bench", clock)
        session.record.enter_step(quiz_step.id, clock.now())
        session.save_all()
        limits = VoteLimits(max_streams=phones + 100, burst=10 * presses, rate_per_s=1000.0)
        app = AtelierApp(
            workshop,
            session,
            session.record,
            clock,
            Settings(),
            vote=VoteOptions(host="127.0.0.1", port=0, autostart=True, limits=limits),
        )
        try:
            async with app.run_test(size=(200, 50)) as pilot:
                deadline = time.monotonic() + 20
                while not (isinstance(app.screen, QuizScreen) and app.votes and app.votes.running):
                    if time.monotonic() > deadline:
                        raise RuntimeError("the app did not start its server")
                    await pilot.pause(0.05)
                screen = app.screen
                assert isinstance(screen, QuizScreen)
                while screen.section != "items":
                    await pilot.press("right")
                await pilot.pause()
                assert app.votes is not None and app.remote is not None
                remote_url = app.remote.url
                assert remote_url is not None
                async with aiohttp.ClientSession() as client:
                    return await _presses(app, client, app.votes.url, remote_url, phones, presses)
        finally:
            session.close()


async def _presses(
    app: object, client: object, room_url: str, remote_url: str, phones: int, presses: int
) -> dict[str, float | int]:
    from atelier.tui.app import AtelierApp

    assert isinstance(app, AtelierApp) and app.remote is not None
    controller = app.remote
    loop = asyncio.get_running_loop()
    redraws: list[float] = []
    original = controller._save

    async def timed() -> bool:
        # The action has run: the projector's next frame shows it (the save that follows
        # runs in a thread, the answer to the phone waits for it, the frame does not).
        app.call_after_refresh(lambda: redraws.append(time.perf_counter()))
        return await original()

    controller._save = timed  # type: ignore[method-assign]
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
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_room.py"),
        "--phones",
        room_url,
        str(phones),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        limit=2**24,
    )
    assert child.stdin is not None and child.stdout is not None
    latencies: list[float] = []
    key_only: list[float] = []
    refused = 0
    beat: asyncio.Task[None] | None = None
    try:
        async with asyncio.timeout(CHILD_TIMEOUT_S):
            ready = json.loads(await child.stdout.readline())
            assert ready == {"ready": phones}, ready
            async with client.get(f"{remote_url}/etat") as response:  # type: ignore[attr-defined]
                key = (await response.json())["state_key"]
            beat = loop.create_task(heartbeat())
            for number in range(presses):
                action = "page_next" if number % 2 == 0 else "page_previous"
                seen = len(redraws)
                start = time.perf_counter()
                async with client.post(  # type: ignore[attr-defined]
                    f"{remote_url}/commande", json={"action": action, "key": key}
                ) as response:
                    data = await response.json()
                if response.status != 200:
                    refused += 1
                key = data["state"]["state_key"]
                while len(redraws) == seen:
                    await asyncio.sleep(0.001)
                latencies.append((redraws[seen] - start) * 1000)
            # The same actions as the key runs them, with the phones still following.
            screen = app.screen
            for number in range(presses):
                seen = len(redraws)
                start = time.perf_counter()
                if number % 2 == 0:
                    await screen.action_page_next()  # type: ignore[attr-defined]
                else:
                    await screen.action_page_previous()  # type: ignore[attr-defined]
                app.call_after_refresh(lambda: redraws.append(time.perf_counter()))
                while len(redraws) == seen:
                    await asyncio.sleep(0.001)
                key_only.append((redraws[seen] - start) * 1000)
            child.stdin.write(b"quit\n")
            await child.stdin.drain()
            await child.wait()
    finally:
        done.set()
        if beat is not None:
            await beat
        if child.returncode is None:
            child.kill()
            await child.wait()
    return {
        "remote_key_p99_ms": round(_percentile(latencies, 0.99), 1),
        "remote_key_p50_ms": round(_percentile(latencies, 0.5), 1),
        "remote_key_only_p99_ms": round(_percentile(key_only, 0.99), 1),
        "remote_key_only_p50_ms": round(_percentile(key_only, 0.5), 1),
        "remote_stall_ms": round(max(stalls, default=0.0), 1),
        "remote_presses": len(latencies),
        "remote_refused": refused,
        "remote_phones": phones,
    }


def measure_remote(
    phones: int = PHONES, presses: int = PRESSES, *, details: bool = False
) -> dict[str, float | int]:
    result = asyncio.run(_measure(phones, presses))
    if details:
        return result
    return {key: result[key] for key in ("remote_key_p99_ms", "remote_stall_ms")}


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else PHONES
    press_count = int(sys.argv[2]) if len(sys.argv) > 2 else PRESSES
    print(json.dumps(measure_remote(count, press_count, details=True)))
