"""The vote server and a saving session in one process under a low RLIMIT_NOFILE, for
tests/slow/test_fd_flood.py (run with ``sys.executable``).

    python fd_flood_child.py LIMIT SESSIONS_DIR

Prints ``{"port": P, "token": T, "limit": [soft, hard]}``, then saves the session every
20 ms until a line arrives on stdin, then prints the counts as one JSON line and exits.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
from pathlib import Path

from atelier.domain.clock import SystemClock
from atelier.domain.session import SessionRecord
from atelier.domain.votes import BallotBox
from atelier.errors import SaveError
from atelier.store.content_loader import load_workshop, resolve_content_dir
from atelier.store.session_store import SessionStore
from atelier.vote.server import VoteServer

TOKEN = "Flood-Test_Token"


async def main(limit: int, sessions: Path) -> None:
    workshop = load_workshop(resolve_content_dir(None))
    assert workshop.quiz is not None
    now = SystemClock().now()
    record = SessionRecord(
        name="flood", workshop_id=workshop.id, content_hash="x", created_at=now, updated_at=now
    )
    for n in range(5):
        record.add_project(f"Projet {n}")
    session = SessionStore(sessions).create(record)
    box = BallotBox(workshop.quiz)
    box.show(workshop.quiz.items[0].id)
    server = VoteServer(box, token=TOKEN)
    await server.start("127.0.0.1", 0)
    limits = resource.getrlimit(resource.RLIMIT_NOFILE)
    caps = server.connections.caps if server.connections else None
    print(
        json.dumps(
            {
                "port": server.port,
                "token": TOKEN,
                "limit": list(limits),
                "caps": [caps.total, caps.per_address] if caps else None,
            }
        ),
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_reader(sys.stdin.fileno(), stop.set)
    ok, failed, errors = 0, 0, set()
    typed = 0
    while not stop.is_set():
        typed += 1
        project = record.projects[typed % len(record.projects)]
        project.improvement_axes += "x"
        try:
            await asyncio.to_thread(session.save_project, project.id)
            ok += 1
        except SaveError as error:
            failed += 1
            errors.add(error.message)
        await asyncio.sleep(0.02)
    loop.remove_reader(sys.stdin.fileno())
    votes = box.counts(workshop.quiz.items[0].id)
    evicted = server.connections.evicted if server.connections else 0
    refused = server.connections.refused if server.connections else 0
    await server.stop()
    session.close()
    print(
        json.dumps(
            {
                "saves_ok": ok,
                "saves_failed": failed,
                "errors": sorted(errors),
                "votes": votes,
                "evicted": evicted,
                "refused": refused,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    LIMIT = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_NOFILE, (LIMIT, LIMIT))  # as « ulimit -n LIMIT »
    asyncio.run(main(LIMIT, Path(sys.argv[2])))
