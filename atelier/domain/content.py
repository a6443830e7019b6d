"""The workshop as data: what the facilitator wrote in ``content/``, frozen once loaded.

Nothing here knows about YAML or files. :func:`Workshop.cross_check` finds the mistakes a schema
cannot see (a reference to a slide that does not exist, an answer outside the answer set, …) and
returns them as ``(location, message)`` pairs that the loader maps to ``file:line:col``.

This module holds :class:`Workshop` and the pages, resources, contact and licence it carries.
Its sections have their own modules: the programme (:mod:`atelier.domain.content_programme`),
the quiz (:mod:`~atelier.domain.content_quiz`), the grid and the assessment
(:mod:`~atelier.domain.content_grid`), the pitch (:mod:`~atelier.domain.content_pitch`); the
field types are in :mod:`~atelier.domain.content_base`, the cross-checks in
:mod:`~atelier.domain.content_checks`.
"""

# No « from __future__ import annotations » here: pydantic would then compile and evaluate
# every annotation string when the models are created, ~4 ms more on each start.

import datetime as dt

from pydantic import Field

from atelier.domain.content_base import (
    ClockTime,
    ContentModel,
    Identifier,
    Location,
    Text,
    content_config,
    minutes_of_day,
)
from atelier.domain.content_checks import check_references
from atelier.domain.content_grid import (
    DEFAULT_AXES_HEADING,
    DEFAULT_PITCH_PREP_HEADING,
    DEFAULT_PROGRESS_LABEL,
    Assessment,
    Grid,
)
from atelier.domain.content_pitch import PitchRules
from atelier.domain.content_programme import Step
from atelier.domain.content_quiz import Quiz

# ---------------------------------------------------------------------------------------------
# Slides: everything the room reads that is not a quiz item or the grid.


class Definition(ContentModel):
    """A quoted definition with where it comes from."""

    model_config = content_config("Une définition citée, avec sa source.")

    text: Text = Field(description="la définition (Markdown)")
    source: Text = Field(description="d'où vient la définition", examples=["Loi ESS"])
    year: int | None = Field(None, description="année de la source", examples=[2014])
    intro: str | None = Field(None, description="phrase affichée avant la définition")


class Card(ContentModel):
    """A titled box, e.g. one cell of the innovation dimensions table."""

    model_config = content_config("Un encadré titré (par exemple une case d'un tableau).")

    title: Text = Field(description="titre de l'encadré")
    text: str = Field("", description="texte de l'encadré (Markdown)")


class Slide(ContentModel):
    """One info page. Every field but ``id`` and ``title`` is optional; they show in this order:
    ``text``, ``bullets``, ``numbered``, ``definitions``, ``cards``, ``people``, ``conclusion``,
    ``source``."""

    model_config = content_config(
        "Une page d'information. Ses champs s'affichent dans cet ordre : text, bullets, "
        "numbered, definitions, cards, people, conclusion, source."
    )

    id: Identifier
    title: Text = Field(description="titre de la page", examples=["Bienvenue"])
    subtitle: str | None = Field(None, description="sous-titre")
    text: str | None = Field(None, description="texte (Markdown)")
    bullets: tuple[Text, ...] = Field((), description="liste à puces")
    numbered: tuple[Text, ...] = Field((), description="liste numérotée")
    definitions: tuple[Definition, ...] = Field((), description="définitions citées")
    cards: tuple[Card, ...] = Field((), description="encadrés titrés")
    people: tuple[Text, ...] = Field((), description="personnes (une par ligne)")
    conclusion: str | None = Field(None, description="phrase de conclusion, en bas de page")
    source: str | None = Field(None, description="source, en petit en bas de page")


class Resource(ContentModel):
    model_config = content_config("Une ressource complémentaire.")

    title: Text = Field(description="titre")
    url: str | None = Field(None, description="adresse web")
    note: str | None = Field(None, description="remarque")


class Contact(ContentModel):
    model_config = content_config("La personne à contacter.")

    name: Text = Field(description="nom")
    organisation: str | None = Field(None, description="structure")
    email: str | None = Field(None, description="adresse électronique")


class Licence(ContentModel):
    model_config = content_config("La licence du contenu.")

    name: Text = Field(description="nom de la licence", examples=["CC BY-SA 4.0"])
    url: str | None = Field(None, description="adresse du texte de la licence")
    attribution: Text = Field(description="à qui attribuer le contenu")


class Workshop(ContentModel):
    model_config = content_config(
        "Un atelier : les clés de premier niveau d'un fichier. Un dossier d'atelier "
        "peut répartir ces clés entre plusieurs fichiers .yaml (chacune dans un seul)."
    )

    id: Identifier
    title: Text = Field(description="titre de l'atelier")
    subtitle: str | None = Field(None, description="sous-titre")
    date: dt.date | None = Field(None, description="jour de l'atelier, AAAA-MM-JJ")
    organiser: Text = Field(description="structure organisatrice")
    objectives: tuple[Text, ...] = Field((), description="objectifs de l'atelier")
    programme: tuple[Step, ...] = Field(
        min_length=1, description="les étapes minutées, dans l'ordre des heures"
    )
    end: ClockTime
    slides: tuple[Slide, ...] = Field((), description="les pages d'information")
    quiz: Quiz | None = Field(None, description="le quiz (si une étape est de type quiz)")
    grid: Grid | None = Field(None, description="la grille (avec une étape assessment)")
    assessment: Assessment | None = Field(
        None, description="le travail individuel (avec une étape assessment)"
    )
    pitch: PitchRules | None = Field(None, description="le pitch (avec une étape pitch)")
    resources: tuple[Resource, ...] = Field((), description="ressources complémentaires")
    contact: Contact | None = Field(None, description="la personne à contacter")
    licence: Licence | None = Field(None, description="la licence du contenu")

    # -- the workshop's own words (defaults: the bundled workshop's) --------------------------

    @property
    def axes_heading(self) -> str:
        """Heading of each project's free text (« Axes d'amélioration »)."""
        return self.assessment.axes_heading if self.assessment else DEFAULT_AXES_HEADING

    @property
    def progress_label(self) -> str:
        """What the ✚ mark on a criterion means (« marge de progression »)."""
        return self.assessment.progress_label if self.assessment else DEFAULT_PROGRESS_LABEL

    @property
    def pitch_prep_heading(self) -> str:
        """Heading of the answers to the last phase's prompts (« Préparation du pitch »)."""
        if self.assessment is None:
            return DEFAULT_PITCH_PREP_HEADING
        return self.assessment.pitch_prep_heading

    # -- lookups ---------------------------------------------------------------------------

    def slide(self, slide_id: str) -> Slide:
        for slide in self.slides:
            if slide.id == slide_id:
                return slide
        raise KeyError(slide_id)

    def step(self, step_id: str) -> Step:
        for step in self.programme:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def step_index(self, step_id: str) -> int:
        return [s.id for s in self.programme].index(step_id)

    def step_position(self, step_id: str) -> tuple[int, int]:
        """``(n, of)``: the step's place in the programme, 1-based, as the projector's top bar
        and the phones say it (« Étape 6/7 »; the content's ``number`` skips the pause)."""
        return self.step_index(step_id) + 1, len(self.programme)

    def planned_minutes(self, step_id: str) -> float:
        """Planned length of a step: up to the next step's start (or the workshop's end)."""
        index = self.step_index(step_id)
        start = self.programme[index].start
        stop = self.programme[index + 1].start if index + 1 < len(self.programme) else self.end
        return (minutes_of_day(stop) - minutes_of_day(start)) or 0.0

    # -- checks a schema cannot express ------------------------------------------------------

    def cross_check(self) -> list[tuple[Location, str]]:
        """The mistakes a schema cannot see (see :func:`check_references`)."""
        return check_references(self.model_dump())
