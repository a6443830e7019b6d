"""The live app in its own process, for the kill -9 test of the teams' phone edits:

    python -m tests.slow.team_child SESSIONS_DIR CONFIG_DIR

opens the self-assessment's phases (headless, as ``run_test`` drives it) with the vote server
on 127.0.0.1, prints « url URL », then runs until it is killed."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path


async def main(sessions: Path) -> None:
    from atelier.domain.clock import FakeClock
    from atelier.store.content_loader import load_workshop
    from atelier.tui.vote import VoteOptions
    from tests.conftest import ATIS_DIR
    from tests.tui.factory import wait_for
    from tests.tui.test_assessment import assessment_app, on_phases

    workshop = load_workshop(ATIS_DIR)
    app = assessment_app(workshop, sessions, FakeClock())
    app.vote_options = VoteOptions(host="127.0.0.1", port=0, autostart=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.votes is not None and app.votes.running)
        await on_phases(pilot, app)
        votes = app.votes
        assert votes is not None
        await wait_for(pilot, lambda: votes.projection.teams_open)
        print(f"url {votes.url}", flush=True)
        while True:
            await pilot.pause()
            await asyncio.sleep(0.05)


if __name__ == "__main__":
    os.environ["ATELIER_CONFIG_DIR"] = sys.argv[2]
    os.environ["ATELIER_CACHE_DIR"] = sys.argv[2]
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    asyncio.run(main(Path(sys.argv[1])))
