"""The live app in its own process, for the kill -9 test of the room's feedback cards:

    python -m tests.slow.room_child SESSIONS_DIR CONFIG_DIR

opens the pitch round of a session with three projects (headless, as ``run_test`` drives it),
puts the first project on stage with its vote server on 127.0.0.1, prints « url URL », then
runs until it is killed."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path


async def main(sessions: Path) -> None:
    from atelier.store.content_loader import load_workshop
    from atelier.tui.vote import VoteOptions
    from tests.conftest import ATIS_DIR
    from tests.tui.factory import wait_for
    from tests.tui.test_pitch import at_round_start, on_round, pitch_app

    workshop = load_workshop(ATIS_DIR)
    app = pitch_app(workshop, sessions, at_round_start())
    app.vote_options = VoteOptions(host="127.0.0.1", port=0, autostart=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.votes is not None and app.votes.running)
        await on_round(pilot, app)
        await pilot.press("f5")
        votes = app.votes
        assert votes is not None
        await wait_for(pilot, lambda: votes.projection.stage is not None)
        print(f"url {votes.url}", flush=True)
        while True:
            await pilot.pause()
            await asyncio.sleep(0.05)


if __name__ == "__main__":
    os.environ["ATELIER_CONFIG_DIR"] = sys.argv[2]
    os.environ["ATELIER_CACHE_DIR"] = sys.argv[2]
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    asyncio.run(main(Path(sys.argv[1])))
