"""A session meets content that changed since it was saved.

A session refers to the content by ids (the current step, quiz item, assessment phase) and to
its own projects (the one on stage). When the content has been edited since — a step renamed
or removed, a quiz item dropped — or a file was edited by hand, those ids may point at nothing.
:func:`reconcile` puts the record back at the nearest sensible place (the first step not yet
done, no quiz item / phase / project on stage) and says so in French, instead of a crash at
resume. Nothing recorded is deleted: results of removed items stay in the file.
"""

from __future__ import annotations

from atelier.domain.content import Workshop
from atelier.domain.session import SessionRecord

STEP_GONE = (
    "L'étape « {old} » où la session s'était arrêtée n'existe plus dans l'atelier "
    "(le contenu a changé) : reprise à « {new} », la première étape pas encore faite."
)
QUIZ_ITEM_GONE = (
    "L'affirmation « {old} » du quiz n'existe plus dans l'atelier : le quiz reprend à la première."
)
PHASE_GONE = (
    "La phase « {old} » de l'auto-évaluation n'existe plus dans l'atelier : "
    "reprise à la première phase."
)
PROJECT_GONE = (
    "Le projet « {old} » en cours de pitch n'existe plus dans la session : "
    "aucun projet n'est sur scène."
)


def first_step_not_done(workshop: Workshop, record: SessionRecord) -> str:
    """The first step of the programme the session never entered (the last one when all
    were)."""
    entered = {entry.step_id for entry in record.step_log}
    for step in workshop.programme:
        if step.id not in entered:
            return step.id
    return workshop.programme[-1].id


def reconcile(workshop: Workshop, record: SessionRecord) -> list[str]:
    """Point every id of ``record`` at something ``workshop`` has; the notices (French)."""
    notices: list[str] = []
    step_ids = {step.id for step in workshop.programme}
    current = record.current_step_id
    if current is not None and current not in step_ids:
        new = first_step_not_done(workshop, record)
        # Not enter_step: the log keeps what happened; the room simply resumes there.
        record.current_step_id = new
        notices.append(STEP_GONE.format(old=current, new=workshop.step(new).title))
    item = record.current_quiz_item
    if item is not None:
        items = {i.id for i in workshop.quiz.items} if workshop.quiz is not None else set()
        if item not in items:
            record.current_quiz_item = None
            notices.append(QUIZ_ITEM_GONE.format(old=item))
    phase = record.current_phase_id
    if phase is not None:
        assessment = workshop.assessment
        phases = {p.id for p in assessment.phases} if assessment is not None else set()
        if phase not in phases:
            record.current_phase_id = None
            notices.append(PHASE_GONE.format(old=phase))
    on_stage = record.current_pitch_project
    if on_stage is not None and on_stage not in {p.id for p in record.projects}:
        record.current_pitch_project = None
        notices.append(PROJECT_GONE.format(old=on_stage))
    return notices
