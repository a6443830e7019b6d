"""Benchmark: the longest event-loop stall while the facilitator types notes and they are
autosaved, in the 30-project benchmark session (target ``ui_stall_ms`` ≤ 50).

The real app runs headless on the pitch step with the real clock and a running exchange; a
heartbeat task in the same event loop sleeps 10 ms at a time and records how late it wakes.
Keys are sent in bursts with pauses longer than the autosave debounce, so saves (dump + write +
fsync of one project file) happen while the timer runs — what a workshop does for 15 minutes.
"""

from __future__ import annotations

import asyncio
import json
import random
import tempfile
import time
from pathlib import Path

from bench_session import build_bench_record

from atelier.domain.clock import SystemClock
from atelier.domain.session import PitchStatus
from atelier.store.content_loader import load_workshop, resolve_content_dir
from atelier.store.session_store import SessionStore
from atelier.store.settings import Settings
from atelier.tui.app import AtelierApp

HEARTBEAT_S = 0.010
BURSTS = 12
KEYS_PER_BURST = 25
PAUSE_BETWEEN_BURSTS_S = 0.8  # longer than the notes' autosave debounce


def measure_ui_stall_ms() -> dict[str, float]:
    workshop = load_workshop(resolve_content_dir(None))
    record = build_bench_record(workshop)
    for order, project in enumerate(record.projects):
        project.pitch.status = PitchStatus.WAITING
        project.pitch.pitch_timer = project.pitch.exchange_timer = None
        project.pitch.order = order
    pitch_step = next(step for step in workshop.programme if step.kind.value == "pitch")
    clock = SystemClock()
    record.enter_step(pitch_step.id, clock.now())
    with tempfile.TemporaryDirectory(prefix="atelier-bench-") as tmp:
        session = SessionStore(Path(tmp), clock).create(record)
        app = AtelierApp(workshop, session, session.record, clock, Settings())
        figures = asyncio.run(_type_notes(app))
        session.close()
    return figures


async def _type_notes(app: AtelierApp) -> dict[str, float]:
    from atelier.tui.screens.pitch import NoteArea, PitchScreen

    stalls: list[float] = []
    saves_before = 0
    rng = random.Random(7)
    async with app.run_test(size=(160, 45)) as pilot:
        deadline = time.monotonic() + 20
        while not (isinstance(app.screen, PitchScreen) and app.screen.section == "round"):
            if time.monotonic() > deadline:
                raise RuntimeError("the pitch round never opened")
            await pilot.press("right")
        await pilot.press("f5", "f6")  # first volunteer on stage, exchange running
        field = app.screen.query(NoteArea).first()
        field.focus()
        await pilot.pause()
        assert app.session is not None
        saves_before = len(list(app.session.path.glob("projects/*.yaml")))

        running = True

        async def heartbeat() -> None:
            loop = asyncio.get_running_loop()
            while running:
                start = loop.time()
                await asyncio.sleep(HEARTBEAT_S)
                stalls.append((loop.time() - start - HEARTBEAT_S) * 1000)

        beat = asyncio.create_task(heartbeat())
        letters = "abcdefghijklmnopqrstuvwxyz éèàç"
        for _ in range(BURSTS):
            await pilot.press(
                *(rng.choice(letters).replace(" ", "space") for _ in range(KEYS_PER_BURST))
            )
            await asyncio.sleep(PAUSE_BETWEEN_BURSTS_S)
        running = False
        await beat
    ordered = sorted(stalls)
    return {
        "ui_stall_ms": round(ordered[-1], 1),
        "ui_stall_p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 1),
        "heartbeats": len(stalls),
        "keys": BURSTS * KEYS_PER_BURST,
        "project_files": saves_before,
    }


if __name__ == "__main__":
    print(json.dumps(measure_ui_stall_ms()))
