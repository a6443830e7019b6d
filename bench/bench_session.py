"""The benchmark session: 30 projects on the bundled ATIS workshop, every criterion scored, 10
notes of ~200 characters each per project — the shape of a full real session, shared by the
save, export and typing benchmarks so their figures describe the same data."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from atelier.domain.content import Workshop
from atelier.domain.session import (
    CriterionScore,
    PitchStatus,
    SessionRecord,
    TallySource,
    TimerRecord,
)

PROJECTS = 30
NOTES_PER_PROJECT = 10
NOTE_CHARS = 200

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


def build_bench_record(
    workshop: Workshop, projects: int = PROJECTS, seed: int = 20200519
) -> SessionRecord:
    """A finished session on ``workshop``: ``projects`` projects, every criterion scored,
    ``NOTES_PER_PROJECT`` notes each (axes, pitch prep, feedback, free notes, then criterion
    comments), pitch timers, a quiz with tallies, a step log."""
    rng = random.Random(seed)
    start = datetime(2020, 5, 19, 9, 40).astimezone()
    record = SessionRecord(
        name="bench", workshop_id=workshop.id, created_at=start, updated_at=start
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


def change_one_note(record: SessionRecord, rng: random.Random) -> str:
    """Rewrite one note of one project, as a facilitator typing does; the project's id."""
    project = rng.choice(record.projects)
    text = _note(rng)
    choice = rng.randrange(3)
    if choice == 0:
        project.improvement_axes = text
    elif choice == 1 and project.pitch.notes:
        key = rng.choice(sorted(project.pitch.notes))
        project.pitch.notes = {**project.pitch.notes, key: text}
    else:
        project.pitch.free_notes = text
    return project.id
