"""Build the real app for Pilot tests: real content, a real session store in a temp folder,
and a fake clock, exactly as ``atelier run`` wires them (see ``cli_run.open_or_create_session``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from atelier.cli_run import open_or_create_session
from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.store.session_store import OpenSession, SessionStore
from atelier.store.settings import Settings
from atelier.tui.app import AtelierApp


def make_app(
    workshop: Workshop,
    sessions_dir: Path,
    clock: FakeClock | None = None,
    *,
    name: str = "test",
    settings: Settings | None = None,
) -> AtelierApp:
    """A live app on session ``name`` in ``sessions_dir`` (created, or resumed if it exists)."""
    clock = clock or FakeClock()
    store = SessionStore(sessions_dir)
    session = open_or_create_session(store, workshop, name, clock)
    app = AtelierApp(workshop, session, session.record, clock, settings or Settings())
    return app


def close(app: AtelierApp) -> None:
    """What ``atelier run`` does after the app exits: save everything, release the lock."""
    session: OpenSession | None = app.session
    if session is not None and not session.closed:
        session.save_all()
        session.close()


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app work until ``condition()`` holds (polling, never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause()
        await asyncio.sleep(0.01)
