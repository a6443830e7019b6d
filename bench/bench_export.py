"""Benchmark: export a 30-project session as one HTML page (target ≤ 200 ms).

``measure_export_html_ms(record, workshop)`` is what ``bench/run.py`` reports as
``export_html_ms``: the median of a few full ``render_html`` calls. Run this file to build the
benchmark session on the bundled ATIS workshop (30 projects, every criterion scored, 10 notes
of ~200 characters each per project) and print the figures as one JSON line.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from datetime import datetime, timedelta

from atelier.domain.content import Workshop
from atelier.domain.session import (
    CriterionScore,
    PitchStatus,
    SessionRecord,
    TallySource,
    TimerRecord,
)
from atelier.report import render_html, render_markdown

PROJECTS = 30
NOTES_PER_PROJECT = 10
NOTE_CHARS = 200
RUNS = 7

_WORDS = tuple(
    " ".join(
        [
            "épicerie solidaire quartier bénévoles circuit court réemploi financement mairie",
            "association coopérative jeunes insertion local partenariat « pitch » modèle",
            "économique impact social mesurer publics cibles ateliers cuisine jardin partagé",
            "gouvernance & bénéficiaires <accès> *priorité* | suivi",
        ]
    ).split(" ")
)


def _note(rng: random.Random) -> str:
    """About 200 characters of French on two or three lines, with a few special characters."""
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < NOTE_CHARS:
        words.append(rng.choice(_WORDS))
        if rng.random() < 0.08:
            words.append("\n")
    return " ".join(words).replace(" \n ", "\n").strip()[:NOTE_CHARS].rstrip()


def build_export_record(
    workshop: Workshop, projects: int = PROJECTS, seed: int = 20200519
) -> SessionRecord:
    """A finished session on ``workshop``: ``projects`` projects, every criterion scored,
    ``NOTES_PER_PROJECT`` notes each (axes, pitch prep, feedback, free notes, then criterion
    comments), pitch timers, a quiz with tallies, a step log."""
    rng = random.Random(seed)
    start = datetime(2020, 5, 19, 9, 40).astimezone()
    record = SessionRecord(
        name="bench-export", workshop_id=workshop.id, created_at=start, updated_at=start
    )
    for offset, step in enumerate(workshop.programme):
        record.enter_step(step.id, start + timedelta(minutes=10 * offset + rng.randint(0, 5)))
    if workshop.quiz:
        for item in workshop.quiz.items:
            result = record.quiz_result(item.id)
            result.tally = {a.id: rng.randint(0, 12) for a in workshop.quiz.answers}
            result.source = TallySource.HANDS
            result.revealed = True
    if workshop.assessment:
        for phase in workshop.assessment.phases:
            duration = phase.minutes * 60
            record.phases[phase.id] = TimerRecord(
                duration_s=duration, elapsed_s=duration + rng.uniform(-30, 90)
            )
    levels = [level.id for level in workshop.grid.levels] if workshop.grid else []
    criteria = [c.id for c in workshop.grid.criteria] if workshop.grid else []
    phases = workshop.assessment.phases if workshop.assessment else ()
    prompts = [prompt.id for phase in phases for prompt in phase.prompts]
    categories = [c.id for c in workshop.pitch.feedback_categories] if workshop.pitch else []
    for n in range(projects):
        project = record.add_project(f"Projet {n + 1} : {rng.choice(_WORDS)}", "Léa, Omar", start)
        for criterion in criteria:
            project.scores[criterion] = CriterionScore(
                level=rng.choice(levels), progress=rng.random() < 0.25
            )
        slots = ["axes", *(f"prep:{p}" for p in prompts), *(f"note:{c}" for c in categories)]
        slots += ["free", *(f"comment:{c}" for c in criteria)]
        for slot in slots[:NOTES_PER_PROJECT]:
            kind, _, key = slot.partition(":")
            text = _note(rng)
            if kind == "axes":
                project.improvement_axes = text
            elif kind == "prep":
                project.pitch_prep[key] = text
            elif kind == "note":
                project.pitch.notes[key] = text
            elif kind == "free":
                project.pitch.free_notes = text
            else:
                project.scores[key].comment = text
        project.pitch.volunteer = True
        project.pitch.order = n + 1
        project.pitch.status = PitchStatus.DONE
        project.pitch.pitch_timer = TimerRecord(duration_s=120, elapsed_s=rng.uniform(90, 160))
        project.pitch.exchange_timer = TimerRecord(duration_s=900, elapsed_s=rng.uniform(600, 1000))
    return record


def measure_export_html_ms(record: SessionRecord, workshop: Workshop, runs: int = RUNS) -> float:
    """Median wall time (ms) of ``render_html(workshop, record)`` over ``runs`` calls."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        render_html(workshop, record)
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def _measure_markdown_ms(record: SessionRecord, workshop: Workshop, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        render_markdown(workshop, record)
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def main() -> None:
    from atelier.store.content_loader import load_workshop, resolve_content_dir

    workshop = load_workshop(resolve_content_dir(None))
    record = build_export_record(workshop)
    figures = {
        "export_html_ms": measure_export_html_ms(record, workshop),
        "export_md_ms": _measure_markdown_ms(record, workshop),
        "html_kib": round(len(render_html(workshop, record).encode("utf-8")) / 1024, 1),
        "projects": len(record.projects),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
