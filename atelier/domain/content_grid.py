"""The characterisation grid (levels, dimensions, criteria and their descriptors) and the
individual work on it: timed phases with their prompts, and the workshop's own words for the
free text, the ✚ mark and the pitch preparation.
"""

# No « from __future__ import annotations » here: pydantic would then compile and evaluate
# every annotation string when the models are created, ~4 ms more on each start.

from typing import Annotated

from pydantic import Field

from atelier.domain.content_base import ContentModel, Identifier, Minutes, Text, content_config


class Level(ContentModel):
    model_config = content_config("Un niveau de la grille, du plus faible au plus fort.")

    id: Identifier
    label: Text = Field(description="nom affiché du niveau", examples=["Faible"])


class Criterion(ContentModel):
    model_config = content_config("Un critère de la grille, décrit à chaque niveau.")

    id: Identifier
    name: Text = Field(description="nom du critère")
    descriptors: dict[Identifier, Text] = Field(
        description="pour chaque id de niveau (grid.levels), ce à quoi ce niveau ressemble ; "
        "un par niveau"
    )


class Dimension(ContentModel):
    model_config = content_config("Un groupe de critères de la grille.")

    id: Identifier
    name: Text = Field(description="nom de la dimension", examples=["Portage"])
    criteria: tuple[Criterion, ...] = Field(min_length=1, description="ses critères")


class Grid(ContentModel):
    model_config = content_config("La grille de caractérisation : niveaux, dimensions, critères.")

    title: Text = Field(description="titre de la grille")
    source: str | None = Field(None, description="source de la grille")
    levels: tuple[Level, ...] = Field(
        min_length=2, description="les niveaux (au moins 2), du plus faible au plus fort"
    )
    dimensions: tuple[Dimension, ...] = Field(min_length=1, description="les dimensions")

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for d in self.dimensions for c in d.criteria)

    def level_index(self, level_id: str) -> int:
        for index, level in enumerate(self.levels):
            if level.id == level_id:
                return index
        raise KeyError(level_id)


class Prompt(ContentModel):
    model_config = content_config("Une question guide d'une phase.")

    id: Identifier = Field(description="repère court affiché devant la question", examples=["a"])
    text: Text = Field(description="la question")


class Phase(ContentModel):
    model_config = content_config("Un temps minuté du travail individuel.")

    id: Identifier
    name: Text = Field(description="nom court affiché", examples=["S'autoévaluer"])
    minutes: Minutes
    instructions: Text = Field(description="la consigne de ce temps")
    prompts: tuple[Prompt, ...] = Field(
        (),
        description="questions guides ; celles de la dernière phase sont les questions "
        "de préparation du pitch",
    )
    warning_seconds: Annotated[int, Field(ge=0)] = Field(
        60, description="avertissement avant la fin, en secondes"
    )


DEFAULT_AXES_HEADING = "Axes d'amélioration"
DEFAULT_PROGRESS_LABEL = "marge de progression"
DEFAULT_PITCH_PREP_HEADING = "Préparation du pitch"


class Assessment(ContentModel):
    """Sequence 2's individual work on the grid."""

    model_config = content_config("Le travail individuel sur la grille, en phases minutées.")

    title: Text = Field(description="titre")
    instructions: str | None = Field(None, description="consigne générale")
    phases: tuple[Phase, ...] = Field(min_length=1, description="les temps, dans l'ordre")
    axes_heading: Text = Field(
        DEFAULT_AXES_HEADING,
        description="titre du texte libre de chaque projet (grille, profil, relecture, rapports)",
        examples=[DEFAULT_AXES_HEADING, "Deux axes de progrès"],
    )
    progress_label: Text = Field(
        DEFAULT_PROGRESS_LABEL,
        description="ce que veut dire la marque ✚ sur un critère (touche m), en minuscules",
        examples=[DEFAULT_PROGRESS_LABEL, "à creuser"],
    )
    pitch_prep_heading: Text = Field(
        DEFAULT_PITCH_PREP_HEADING,
        description="titre des réponses aux questions de la dernière phase",
        examples=[DEFAULT_PITCH_PREP_HEADING],
    )
