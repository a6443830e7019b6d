"""Error reporting time for files full of mistakes (issue 15, item 7): before, 18,000 unknown
keys took 13.5 s and 36,000 took 50 s (quadratic); a 20 MB file never finished.

Measures ``load_workshop`` on a copy of the bundled workshop plus a file of N unknown keys
(and one just under the 2 MB cap, ~100,000 keys), a 20 MB content file (refused by size), and
the refusal of a session.yaml with 20,000 unknown keys."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from atelier.domain.clock import FakeClock
from atelier.domain.session import SessionRecord
from atelier.errors import AtelierError
from atelier.store.content_loader import load_workshop, resolve_content_dir
from atelier.store.session_store import SessionStore


def _timed(action: object) -> float:
    start = time.perf_counter()
    try:
        action()  # type: ignore[operator]
    except AtelierError as error:
        str(error)  # what the CLI prints
    return round(time.perf_counter() - start, 2)


def _content_with_keys(root: Path, count: int, name: str = "") -> Path:
    folder = root / (name or f"keys-{count}")
    shutil.copytree(resolve_content_dir(None), folder)
    (folder / "extra.yaml").write_text(
        "".join(f"inconnu_{i}: 1\n" for i in range(count)), encoding="utf-8"
    )
    return folder


def measure_error_reporting() -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        for count in (18_000, 36_000):
            folder = _content_with_keys(root, count)
            figures[f"content_{count // 1000}k_keys_s"] = _timed(lambda f=folder: load_workshop(f))
        under = _content_with_keys(root, 0, "under-2mb")
        with (under / "extra.yaml").open("w", encoding="utf-8") as handle:
            index = 0
            while handle.tell() < 2 * 1024 * 1024 - 100:  # the largest file still read
                handle.write(f"inconnu_{index}: 1\n")
                index += 1
        figures["content_2mb_s"] = _timed(lambda: load_workshop(under))
        big = _content_with_keys(root, 0, "20mb")
        with (big / "extra.yaml").open("w", encoding="utf-8") as handle:
            line = "inconnu: 1\n" * 1000
            while handle.tell() < 20 * 1024 * 1024:
                handle.write(line)
        figures["content_20mb_s"] = _timed(lambda: load_workshop(big))

        store = SessionStore(root / "sessions")
        now = FakeClock().now()
        record = SessionRecord(name="s", workshop_id="w", created_at=now, updated_at=now)
        store.create(record).close()
        meta = root / "sessions" / "s" / "session.yaml"
        extra = "".join(f"inconnu_{i}: 1\n" for i in range(20_000))
        meta.write_text(meta.read_text(encoding="utf-8") + extra, encoding="utf-8")
        figures["session_20k_keys_s"] = _timed(lambda: store.load("s"))
    return figures


if __name__ == "__main__":
    print(measure_error_reporting())
