"""The programme: the kinds of step and the timed steps of a workshop, each with its start
time and the pages shown around its activity.
"""

# No « from __future__ import annotations » here: pydantic would then compile and evaluate
# every annotation string when the models are created, ~4 ms more on each start.

from enum import StrEnum

from pydantic import Field

from atelier.domain.content_base import (
    ClockTime,
    ContentModel,
    Identifier,
    Minutes,
    Text,
    content_config,
)


class StepKind(StrEnum):
    INFO = "info"
    QUIZ = "quiz"
    ASSESSMENT = "assessment"
    PITCH = "pitch"
    PAUSE = "pause"
    CLOSING = "closing"


class Step(ContentModel):
    model_config = content_config("Une étape minutée du programme.")

    id: Identifier
    number: int | None = Field(
        None, description="numéro affiché dans le programme ; aucun pour une pause"
    )
    title: Text = Field(description="titre de l'étape")
    start: ClockTime
    kind: StepKind = Field(
        description="info : des pages ; quiz : le quiz ; assessment : le travail sur la "
        "grille ; pitch : le tour de pitchs ; pause : un compte à rebours ; closing : la "
        "clôture"
    )
    intro: tuple[Identifier, ...] = Field(
        (), description="ids des pages montrées avant l'activité de l'étape"
    )
    slides: tuple[Identifier, ...] = Field(
        (), description="ids des pages montrées dans l'étape (après son activité)"
    )
    pause_minutes: Minutes | None = Field(
        None, description="pour une pause : sa durée (par défaut jusqu'à l'étape suivante)"
    )
