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
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from atelier.domain.clock import FakeClock
from atelier.domain.session import CriterionScore, SessionRecord
from atelier.store.session_store import SessionStore, atomic_write
from atelier.store.yaml_io import dump_yaml

PROJECTS = 30
SAVES = 200
WARM_UP = 10  # saves not counted (first dumps, cold caches)
NOTE_CHARS = 200
CRITERIA = ("utilite", "faisabilite", "impact", "equipe")
PROMPTS = ("a", "b", "c")
CATEGORIES = ("forces", "questions")

_WORDS = tuple(
    " ".join(
        [
            "épicerie solidaire quartier bénévoles circuit court réemploi financement mairie",
            "association coopérative jeunes insertion local partenariat « pitch » modèle",
            "économique impact social mesurer publics cibles ateliers cuisine jardin partagé",
        ]
    ).split(" ")
)


def _note(rng: random.Random) -> str:
    """About 200 characters of French, on two or three lines, like a facilitator's note."""
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < NOTE_CHARS:
        words.append(rng.choice(_WORDS))
        if rng.random() < 0.08:
            words.append("\n")
    text = " ".join(words).replace(" \n ", "\n").strip()
    return text[:NOTE_CHARS].rstrip()


def _note_setters(rng: random.Random) -> list[Callable[[SessionRecord, int], None]]:
    """The ten notes of a project, each as a function that rewrites it."""

    def score(criterion: str) -> Callable[[SessionRecord, int], None]:
        def set_note(record: SessionRecord, index: int) -> None:
            record.projects[index].scores[criterion].comment = _note(rng)

        return set_note

    def prep(prompt: str) -> Callable[[SessionRecord, int], None]:
        def set_note(record: SessionRecord, index: int) -> None:
            record.projects[index].pitch_prep[prompt] = _note(rng)

        return set_note

    def feedback(category: str) -> Callable[[SessionRecord, int], None]:
        def set_note(record: SessionRecord, index: int) -> None:
            record.projects[index].pitch.notes[category] = _note(rng)

        return set_note

    def axes(record: SessionRecord, index: int) -> None:
        record.projects[index].improvement_axes = _note(rng)

    return [
        *(score(c) for c in CRITERIA),
        *(prep(p) for p in PROMPTS),
        axes,
        *(feedback(c) for c in CATEGORIES),
    ]


def build_record(clock: FakeClock, rng: random.Random) -> SessionRecord:
    now = clock.now()
    record = SessionRecord(
        name="bench", workshop_id="atis-2020-05-19", created_at=now, updated_at=now
    )
    for n in range(PROJECTS):
        project = record.add_project(f"Projet {n + 1} : {rng.choice(_WORDS)}", "Léa, Omar", now)
        for level, criterion in enumerate(CRITERIA):
            project.scores[criterion] = CriterionScore(level=f"niveau-{level % 3 + 1}")
    for index in range(PROJECTS):
        for set_note in _note_setters(rng):
            set_note(record, index)
    for step in range(12):
        record.enter_step(f"etape-{step}", now + timedelta(minutes=10 * step))
    return record


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure_save_ms(base_dir: Path | None = None, saves: int = SAVES) -> dict[str, float]:
    """p50/p99 (ms) of ``save_project`` after one note changed, and of a single-file layout
    (the whole record dumped and written atomically) on the same session, same disk."""
    rng = random.Random(20200519)
    clock = FakeClock(datetime(2020, 5, 19, 9, 40).astimezone())
    with tempfile.TemporaryDirectory(dir=base_dir, prefix="atelier-bench-") as tmp:
        root = Path(tmp)
        store = SessionStore(root / "sessions", clock)
        session = store.create(build_record(clock, rng))
        setters = _note_setters(rng)
        per_project: list[float] = []
        try:
            for _ in range(WARM_UP):
                session.save_project(session.record.projects[rng.randrange(PROJECTS)].id)
            for _ in range(saves):
                index = rng.randrange(PROJECTS)
                rng.choice(setters)(session.record, index)
                clock.advance(1.5)
                project_id = session.record.projects[index].id
                start = time.perf_counter()
                session.save_project(project_id)
                per_project.append((time.perf_counter() - start) * 1000)

            single_file = root / "single" / "session.yaml"
            single_file.parent.mkdir()
            whole: list[float] = []
            for _ in range(saves):
                index = rng.randrange(PROJECTS)
                rng.choice(setters)(session.record, index)
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
