"""Benchmark: save one changed note in a 30-project × 10-note session (target p99 ≤ 15 ms).

``measure_save_p99_ms()`` is what ``bench/run.py`` reports as ``save_p99_ms``. Run this file to
see p50/p99 of the per-project layout next to a single-file rewrite of the same session.
"""

from __future__ import annotations

import json
import math
import random
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench_session import build_bench_record, change_one_note

from atelier.domain.clock import FakeClock
from atelier.store.atomic import atomic_write
from atelier.store.content_loader import load_workshop, resolve_content_dir
from atelier.store.session_store import SessionStore
from atelier.store.yaml_dump import dump_yaml

SAVES = 200
WARM_UP = 10  # saves not counted (first dumps, cold caches)


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure_save_ms(base_dir: Path | None = None, saves: int = SAVES) -> dict[str, float]:
    """p50/p99 (ms) of ``save_changed`` (what the app's every save calls: it finds the one
    project changed among 30 and rewrites its file) after one note changed, and of a
    single-file layout (the whole record dumped and written atomically) on the same session,
    same disk."""
    rng = random.Random(20200519)
    clock = FakeClock(datetime(2020, 5, 19, 9, 40).astimezone())
    with tempfile.TemporaryDirectory(dir=base_dir, prefix="atelier-bench-") as tmp:
        root = Path(tmp)
        store = SessionStore(root / "sessions", clock)
        session = store.create(build_bench_record(load_workshop(resolve_content_dir(None))))
        per_project: list[float] = []
        try:
            for _ in range(WARM_UP):
                change_one_note(session.record, rng)
                session.save_changed()
            for _ in range(saves):
                project_id = change_one_note(session.record, rng)
                clock.advance(1.5)
                start = time.perf_counter()
                session.save_changed()
                per_project.append((time.perf_counter() - start) * 1000)

            single_file = root / "single" / "session.yaml"
            single_file.parent.mkdir()
            whole: list[float] = []
            for _ in range(saves):
                change_one_note(session.record, rng)
                start = time.perf_counter()
                text = dump_yaml(session.record.model_dump(mode="json", exclude_none=True))
                atomic_write(single_file, text.encode("utf-8"))
                whole.append((time.perf_counter() - start) * 1000)
            single_kib = single_file.stat().st_size / 1024
            project_kib = session.project_path(project_id).stat().st_size / 1024
        finally:
            session.close()
    return {
        "save_p50_ms": round(_percentile(per_project, 0.50), 2),
        "save_p99_ms": round(_percentile(per_project, 0.99), 2),
        "single_file_p50_ms": round(_percentile(whole, 0.50), 2),
        "single_file_p99_ms": round(_percentile(whole, 0.99), 2),
        "project_file_kib": round(project_kib, 1),
        "single_file_kib": round(single_kib, 1),
    }


def measure_save_p99_ms(base_dir: Path | None = None) -> float:
    """``save_p99_ms`` for bench/run.py: p99 of 200 one-note saves, in milliseconds."""
    return measure_save_ms(base_dir)["save_p99_ms"]


if __name__ == "__main__":
    import sys

    sys.stdout.write(json.dumps(measure_save_ms()) + "\n")
