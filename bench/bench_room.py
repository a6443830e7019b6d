"""Benchmark: the room's phones follow the session while they vote and send feedback cards.

``measure_room()`` gives what ``bench/run.py`` reports:

- ``room_p99_ms``: p99 latency (request → answer) of a vote and of a card, seen by the phones,
  while every phone follows the page by server-sent events (target ≤ 50). A card is answered
  only once it is on disk;
- ``room_fanout_s``: from the step change on the projector to the last following phone
  having fetched its new page (event heard, then ``suivi`` loaded) (target ≤ 2);
- ``room_stall_ms``: the longest stall of the app's event loop (a 10 ms heartbeat) during it
  all (target ≤ 50);
- ``room_rss_growth_mib``: the app's resident memory after, minus before the phones came
  (target ≤ 60);
- ``room_idle_cpu_pct_per_100``: the app's CPU while the phones only follow, per 100 phones.

The real app runs headless (``run_test``) in this process. The phones are a separate process;
a phone is a device cookie of its own, and the phones are spread over the loopback addresses
127.0.0.2–127.0.0.251 (four per address, as behind a shared router: the per-address limits
stay the real ones). Nothing but 127.0.0.x is ever used. The steps: PHONES follow; PHONES
vote within 5 s on the quiz statement; the projector moves to the pitch round (the fan-out);
a project is put on stage; CARDS phones send a card within 5 s.

    .venv/bin/python bench/bench_room.py [PHONES] [CARDS]    prints the figures as JSON
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import resource
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PHONES = 1000
CARDS = 300
SPREAD_S = 5.0
PER_ADDRESS = 4
HEARTBEAT_S = 0.010
IDLE_S = 5.0
CHILD_TIMEOUT_S = 300.0
REQUEST_TIMEOUT_S = 30.0


def _percentile(samples: list[float], fraction: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


def _raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _address(phone: int) -> str:
    return f"127.0.0.{2 + phone // PER_ADDRESS}"  # 127.0.0.2 … 127.0.0.251, loopback only


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# -- the phones (child process) ----------------------------------------------------------------


class Phone:
    def __init__(self, number: int, url: str, session: object) -> None:
        self.number = number
        self.url = url
        self.session = session
        self.cookie = {"Cookie": f"atelier_votant={secrets.token_urlsafe(16)}"}
        self.key = ""
        self.changed_at: float | None = None  # monotonic: the new key heard
        self.loaded_at: float | None = None  # monotonic: the new page fetched
        self.watching = False
        self.ready = asyncio.Event()


async def _follow(phone: Phone) -> None:
    """The page's script: an event stream; on a new key, fetch this phone's page part at a
    random moment within the spread the event gives."""
    session = phone.session
    async with session.get(f"{phone.url}flux", headers=phone.cookie) as stream:  # type: ignore[attr-defined]
        assert stream.status == 200, stream.status
        async for raw in stream.content:
            line = raw.decode()
            if not line.startswith("data: "):
                continue
            event = json.loads(line[6:])
            key = event["key"]
            if not phone.ready.is_set():
                phone.key = key
                phone.ready.set()
                continue
            if key == phone.key:
                continue
            phone.key = key
            if phone.watching and phone.changed_at is None:
                phone.changed_at = time.monotonic()
                # as the page's script does: a random moment within the server's spread
                await asyncio.sleep(random.uniform(0, event.get("spread", 0) / 1000))
                async with session.get(f"{phone.url}suivi", headers=phone.cookie) as page:  # type: ignore[attr-defined]
                    await page.read()
                    assert page.status == 200, page.status
                phone.loaded_at = time.monotonic()


async def _timed_post(phone: Phone, path: str, body: dict[str, str], delay: float) -> float:
    await asyncio.sleep(delay)
    start = time.perf_counter()
    async with phone.session.post(  # type: ignore[attr-defined]
        f"{phone.url}{path}", json=body, headers=phone.cookie
    ) as response:
        await response.read()
        assert response.status == 200, (response.status, await response.text())
    return (time.perf_counter() - start) * 1000


async def _phones_main(url: str, count: int) -> None:
    import aiohttp

    _raise_fd_limit()
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None, connect=REQUEST_TIMEOUT_S)
    sessions: dict[str, aiohttp.ClientSession] = {}
    phones: list[Phone] = []
    for number in range(count):
        address = _address(number)
        if address not in sessions:
            sessions[address] = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(local_addr=(address, 0), limit=0),
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=timeout,
            )
        phones.append(Phone(number, url, sessions[address]))
    followers: list[asyncio.Task[None]] = []
    loop = asyncio.get_running_loop()

    async def command() -> list[str]:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        return line.split()

    def answer(data: object) -> None:
        sys.stdout.write(json.dumps(data) + "\n")
        sys.stdout.flush()

    try:
        # Each phone scans the code: the page, then its event stream.
        for start in range(0, count, 100):
            batch = phones[start : start + 100]

            async def scan(phone: Phone) -> None:
                async with phone.session.get(url, headers=phone.cookie) as page:  # type: ignore[attr-defined]
                    await page.read()
                    assert page.status == 200, page.status

            await asyncio.gather(*(scan(p) for p in batch))
            followers += [loop.create_task(_follow(p)) for p in batch]
            await asyncio.gather(*(p.ready.wait() for p in batch))
        answer({"ready": count})
        while True:
            words = await command()
            if not words or words[0] == "quit":
                return
            if words[0] == "vote":
                item = words[1]
                answers = ("vrai", "faux", "pas-forcement")
                latencies = await asyncio.gather(
                    *(
                        _timed_post(
                            p,
                            "vote",
                            {"statement": item, "answer": answers[p.number % 3]},
                            random.uniform(0, SPREAD_S),
                        )
                        for p in phones
                    )
                )
                answer(latencies)
            elif words[0] == "watch":
                for phone in phones:
                    phone.watching = True
                answer("watching")
            elif words[0] == "fanout":
                deadline = time.monotonic() + 20
                while any(p.loaded_at is None for p in phones) and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
                answer(
                    {
                        "heard": [p.changed_at for p in phones if p.changed_at is not None],
                        "loaded": [p.loaded_at for p in phones if p.loaded_at is not None],
                        "followers": sum(1 for t in followers if not t.done()),
                    }
                )
            elif words[0] == "cards":
                project, category, cards = words[1], words[2], int(words[3])
                senders = phones[:: max(1, len(phones) // cards)][:cards]
                latencies = await asyncio.gather(
                    *(
                        _timed_post(
                            p,
                            "retour",
                            {
                                "project": project,
                                "category": category,
                                "text": f"Carte n° {p.number} : « bravo » & merci, été 🌱",
                            },
                            random.uniform(0, SPREAD_S),
                        )
                        for p in senders
                    )
                )
                answer(latencies)
    finally:
        for task in followers:
            task.cancel()
        await asyncio.gather(*followers, return_exceptions=True)
        await asyncio.gather(*(s.close() for s in sessions.values()))


# -- the app (this process) --------------------------------------------------------------------


async def _measure(phones: int, cards: int) -> dict[str, float | int]:
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
    assert workshop.pitch is not None
    clock = SystemClock()
    quiz_step = next(s for s in workshop.programme if s.kind.value == "quiz")
    pitch_step = next(s for s in workshop.programme if s.kind.value == "pitch")
    with tempfile.TemporaryDirectory() as folder:
        session = open_or_create_session(SessionStore(Path(folder)), workshop, "bench", clock)
        record = session.record
        for index, name in enumerate(("Épicerie solidaire", "Jardin partagé", "Recyclerie")):
            project = record.add_project(name, now=clock.now())
            project.pitch.volunteer, project.pitch.order = True, index
        record.enter_step(quiz_step.id, clock.now())
        session.save_all()
        app = AtelierApp(
            workshop,
            session,
            record,
            clock,
            Settings(),
            vote=VoteOptions(
                host="127.0.0.1",
                port=0,
                autostart=True,
                limits=VoteLimits(max_streams=phones + 100),
            ),
        )
        result: dict[str, float | int] = {}
        try:
            async with app.run_test(size=(200, 50)) as pilot:
                deadline = time.monotonic() + 20
                while not (isinstance(app.screen, QuizScreen) and app.votes and app.votes.running):
                    if time.monotonic() > deadline:
                        raise RuntimeError("the app did not start its server")
                    await pilot.pause(0.05)
                screen = app.screen
                assert isinstance(screen, QuizScreen) and screen.run is not None
                while screen.section != "items":
                    await pilot.press("right")
                await pilot.pause()
                votes = app.votes
                assert votes is not None and votes.server is not None
                item_id = screen.run.item.id
                result = await _run_phones(
                    app, pilot, votes.url, item_id, pitch_step.id, phones, cards
                )
                result["streams_at_end"] = votes.server.streams
                result["cards_saved"] = votes.cards_saved
        finally:
            session.close()
    return result


async def _run_phones(  # noqa: PLR0915 - one scenario, step by step
    app: object,
    pilot: object,
    url: str,
    item_id: str,
    pitch_step_id: str,
    phones: int,
    cards: int,
) -> dict[str, float | int]:
    from atelier.tui.app import AtelierApp
    from atelier.tui.screens.pitch import PitchScreen

    assert isinstance(app, AtelierApp)
    votes = app.votes
    assert votes is not None
    loop = asyncio.get_running_loop()
    stalls: list[float] = []
    done = asyncio.Event()
    measuring = asyncio.Event()

    async def heartbeat() -> None:
        last = loop.time()
        while not done.is_set():
            await asyncio.sleep(HEARTBEAT_S)
            now = loop.time()
            if measuring.is_set():
                stalls.append((now - last - HEARTBEAT_S) * 1000)
            last = now

    def cpu_s() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    async def idle_cpu_pct() -> float:
        before, start = cpu_s(), time.monotonic()
        await asyncio.sleep(IDLE_S)
        return (cpu_s() - before) / (time.monotonic() - start) * 100

    baseline_cpu = await idle_cpu_pct()
    rss_before = _rss_mib()
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        os.path.abspath(__file__),
        "--phones",
        url,
        str(phones),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        limit=2**24,
    )
    assert child.stdin is not None and child.stdout is not None
    stdin, stdout = child.stdin, child.stdout

    async def ask(*words: str) -> object:
        stdin.write((" ".join(words) + "\n").encode())
        await stdin.drain()
        return json.loads(await stdout.readline())

    beat: asyncio.Task[None] | None = None
    phase_stalls: dict[str, float] = {}  # the longest stall of each phase
    phase_start = 0
    result: dict[str, float | int] = {}
    try:
        async with asyncio.timeout(CHILD_TIMEOUT_S):
            ready = json.loads(await stdout.readline())
            assert ready == {"ready": phones}, ready
            following_cpu = await idle_cpu_pct()
            beat = loop.create_task(heartbeat())
            measuring.set()
            vote_ms = await ask("vote", item_id)
            assert isinstance(vote_ms, list)
            phase_stalls["votes"] = max(stalls[phase_start:], default=0.0)
            phase_start = len(stalls)
            await ask("watch")
            # The projector moves on: every phone follows. Building the new screen stalls the
            # app by itself (phones or not): the stall counts the phones' part, after it.
            measuring.clear()
            changed_at = time.monotonic()
            await app.go_to_step(pitch_step_id)
            await pilot.pause()  # type: ignore[attr-defined]
            await asyncio.sleep(0.05)  # the app's own collection after a new step (settle_memory)
            measuring.set()
            fan = await ask("fanout")
            assert isinstance(fan, dict)
            phase_stalls["fanout"] = max(stalls[phase_start:], default=0.0)
            phase_start = len(stalls)
            screen = app.screen
            assert isinstance(screen, PitchScreen)
            measuring.clear()  # the facilitator's keys: the round's screen comes up
            while screen.section != "round":
                await pilot.press("right")  # type: ignore[attr-defined]
            await pilot.press("f5")  # type: ignore[attr-defined]
            deadline = time.monotonic() + 5
            while votes.projection.stage is None and time.monotonic() < deadline:
                await pilot.pause(0.05)  # type: ignore[attr-defined]
            await asyncio.sleep(0.5)
            measuring.set()
            stage = votes.projection.stage
            assert stage is not None
            card_ms = await ask("cards", stage.project_id, stage.categories[0].id, str(cards))
            assert isinstance(card_ms, list)
            phase_stalls["cards"] = max(stalls[phase_start:], default=0.0)
            phase_start = len(stalls)
            measuring.clear()
            rss_after = _rss_mib()
            stdin.write(b"quit\n")
            await stdin.drain()
            await child.wait()
    finally:
        done.set()
        if beat is not None:
            await beat
        if child.returncode is None:
            child.kill()
            await child.wait()
    heard, loaded = fan["heard"], fan["loaded"]
    latencies = list(vote_ms) + list(card_ms)
    result.update(
        {
            "room_p99_ms": round(_percentile(latencies, 0.99), 1),
            "room_fanout_s": round(max(loaded) - changed_at, 2)
            if len(loaded) == phones
            else float("inf"),
            "room_stall_ms": round(max(stalls, default=0.0), 1),
            "room_rss_growth_mib": round(rss_after - rss_before, 1),
            "room_idle_cpu_pct_per_100": round(
                max(0.0, following_cpu - baseline_cpu) / phones * 100, 2
            ),
            "phones": phones,
            "vote_p99_ms": round(_percentile(vote_ms, 0.99), 1),
            "vote_p50_ms": round(_percentile(vote_ms, 0.5), 1),
            "card_p99_ms": round(_percentile(card_ms, 0.99), 1),
            "card_p50_ms": round(_percentile(card_ms, 0.5), 1),
            "cards": len(card_ms),
            "fanout_heard_s": round(max(heard) - changed_at, 2) if heard else float("inf"),
            "fanout_phones": len(loaded),
            "idle_cpu_pct_no_phones": round(baseline_cpu, 2),
            "idle_cpu_pct_following": round(following_cpu, 2),
            "stall_ms_after": {k: round(v, 1) for k, v in phase_stalls.items()},
        }
    )
    return result


def measure_room(
    phones: int = PHONES, cards: int = CARDS, *, details: bool = False
) -> dict[str, float | int]:
    """``room_p99_ms``, ``room_fanout_s``, ``room_stall_ms``, ``room_rss_growth_mib`` and
    ``room_idle_cpu_pct_per_100`` (and more with ``details``)."""
    result = asyncio.run(_measure(phones, cards))
    if details:
        return result
    keys = (
        "room_p99_ms",
        "room_fanout_s",
        "room_stall_ms",
        "room_rss_growth_mib",
        "room_idle_cpu_pct_per_100",
        "phones",
    )
    return {key: result[key] for key in keys}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phones":
        asyncio.run(_phones_main(sys.argv[2], int(sys.argv[3])))
    else:
        count = int(sys.argv[1]) if len(sys.argv) > 1 else PHONES
        card_count = int(sys.argv[2]) if len(sys.argv) > 2 else min(CARDS, count)
        print(json.dumps(measure_room(count, card_count, details=True)))
