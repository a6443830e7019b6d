"""Regenerate ``tests/data/sample-session/``: the sample session, saved by the real store.

    .venv/bin/python -m tests.data.make_sample_session      (from the repository root)

The folder is what ``atelier run`` leaves on disk after the sample morning
(``sample_session.build_sample_record`` on the bundled ATIS workshop): ``session.yaml`` and one
file per project, written by ``SessionStore.create`` with a clock stopped at the record's last
change, so the files are the same on every run. The lock file and the ``.bak`` copies are left
out: they are the store's working files, not the session.

The export and review tests copy this folder into a temporary sessions folder, so they work on a
genuine saved session and can check, byte for byte, that nothing of it was rewritten.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.store.atomic import BACKUP_SUFFIX
from atelier.store.content_loader import load_workshop
from atelier.store.lock import LOCK_FILE
from atelier.store.session_store import SessionStore
from tests.data.sample_session import BUNDLED_DIR, build_sample_record

SAMPLE_SESSION_DIR = Path(__file__).resolve().parent / "sample-session"
SAMPLE_SESSION_NAME = "atis-2020-05-19-matin"


def _kept(path: Path) -> bool:
    return path.name != LOCK_FILE and not path.name.endswith(BACKUP_SUFFIX)


def write_sample_session(target: Path, workshop: Workshop) -> Path:
    """Save the sample record with the store in a temp folder, copy it to ``target``
    (replaced), without the lock and the backups. Returns ``target``."""
    record = build_sample_record(workshop)
    assert record.name == SAMPLE_SESSION_NAME
    with tempfile.TemporaryDirectory() as temp:
        store = SessionStore(Path(temp), clock=FakeClock(start=record.updated_at))
        session = store.create(record)
        session.close()
        if target.exists():
            shutil.rmtree(target)
        for source in sorted(session.path.rglob("*")):
            if source.is_file() and _kept(source):
                copy = target / source.relative_to(session.path)
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, copy)  # plain permissions, not the store's 0600
    return target


def copy_sample_session(sessions_dir: Path, name: str = SAMPLE_SESSION_NAME) -> Path:
    """Put the committed sample session in ``sessions_dir`` as ``name``; its folder."""
    folder = sessions_dir / name
    shutil.copytree(SAMPLE_SESSION_DIR, folder)
    return folder


def main() -> int:
    folder = write_sample_session(SAMPLE_SESSION_DIR, load_workshop(BUNDLED_DIR))
    files = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    sys.stdout.write(f"{folder} : {len(files)} fichiers\n")
    for path in files:
        sys.stdout.write(f"  {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
