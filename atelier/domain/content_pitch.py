"""The rules of the pitch round: pitch and exchange lengths, their warnings, what each project
presents, and the headings feedback is noted under.
"""

# No « from __future__ import annotations » here: pydantic would then compile and evaluate
# every annotation string when the models are created, ~4 ms more on each start.

from typing import Annotated

from pydantic import Field

from atelier.domain.content_base import ContentModel, Identifier, Minutes, Text, content_config


class FeedbackCategory(ContentModel):
    model_config = content_config("Une rubrique de retours notée pendant l'échange.")

    id: Identifier
    label: Text = Field(description="nom affiché de la rubrique", examples=["Conseils"])


class PitchRules(ContentModel):
    model_config = content_config("Les règles du tour de pitchs.")

    title: Text = Field(description="titre")
    instructions: str | None = Field(None, description="la consigne")
    pitch_minutes: Minutes = Field(description="durée du pitch, en minutes", examples=[2])
    exchange_minutes: Minutes = Field(
        description="durée de l'échange après chaque pitch, en minutes", examples=[15]
    )
    pitch_warning_seconds: Annotated[int, Field(ge=0)] = Field(
        30, description="avertissement avant la fin du pitch, en secondes"
    )
    exchange_warning_seconds: Annotated[int, Field(ge=0)] = Field(
        120, description="avertissement avant la fin de l'échange, en secondes"
    )
    pitch_prompts: tuple[Text, ...] = Field((), description="ce que chaque porteur présente")
    feedback_categories: tuple[FeedbackCategory, ...] = Field(
        min_length=1, description="rubriques de retours (au moins 1)"
    )
