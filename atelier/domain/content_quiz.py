"""The quiz as the author writes it: the possible answers (each with its key), the statements,
and the needs and initiatives shown as examples at the reveal.
"""

# No « from __future__ import annotations » here: pydantic would then compile and evaluate
# every annotation string when the models are created, ~4 ms more on each start.

from typing import Annotated

from pydantic import Field, JsonValue

from atelier.domain.content_base import ContentModel, Identifier, Text, content_config

RESERVED_ANSWER_KEYS = frozenset("ghjkrstw0")
"""Keys the facilitator's screens already use: an answer key must be another one."""
_RESERVED_KEYS_JSON: list[JsonValue] = [*sorted(RESERVED_ANSWER_KEYS)]


class Answer(ContentModel):
    model_config = content_config("Une réponse possible du quiz.")

    id: Identifier
    label: Text = Field(description="ce que la salle voit", examples=["VRAI"])
    key: Annotated[str, Field(pattern=r"^[a-z0-9]$")] = Field(
        description="la touche que l'animateur presse pour compter une main : une lettre "
        "minuscule ou un chiffre, sauf g t s r j k w 0",
        examples=["v"],
        json_schema_extra={"not": {"enum": _RESERVED_KEYS_JSON}},
    )
    symbol: Text = Field(
        "●", description="forme affichée à côté du libellé (jamais la couleur seule)"
    )


class Need(ContentModel):
    """A social need with its figure, e.g. « CHÔMAGE DES JEUNES / Près de 24 % … »."""

    model_config = content_config("Un besoin social et son chiffre.")

    theme: Text = Field(description="le thème, en capitales", examples=["CHÔMAGE DES JEUNES"])
    text: Text = Field(description="le constat chiffré")
    source: str | None = Field(None, description="source du chiffre")


class Initiative(ContentModel):
    model_config = content_config("Une initiative qui répond à un besoin.")

    name: Text = Field(description="nom de l'initiative")
    description: Text = Field(description="ce qu'elle fait")


class Example(ContentModel):
    """A need and the initiatives that answer it (either may be absent)."""

    model_config = content_config("Un besoin et les initiatives qui y répondent (l'un ou l'autre).")

    need: Need | None = Field(None, description="le besoin")
    initiatives: tuple[Initiative, ...] = Field((), description="les initiatives")


class QuizItem(ContentModel):
    model_config = content_config("Une affirmation du quiz, sa bonne réponse et son explication.")

    id: Identifier
    statement: Text = Field(description="l'affirmation, affichée entre « »")
    answer: Identifier = Field(
        description="l'id de la bonne réponse (une des réponses de quiz.answers, pas son libellé)",
        examples=["vrai"],
    )
    explanation: str | None = Field(None, description="explication montrée à la révélation")
    examples_intro: str | None = Field(None, description="phrase avant les exemples")
    examples: tuple[Example, ...] = Field((), description="besoins et initiatives en exemple")
    slides: tuple[Identifier, ...] = Field(
        (), description="ids de pages montrées avec la révélation"
    )


class Quiz(ContentModel):
    model_config = content_config("Le quiz : les réponses possibles et les affirmations.")

    title: Text = Field(description="titre du quiz", examples=["VRAI / FAUX"])
    subtitle: str | None = Field(None, description="sous-titre")
    answers: tuple[Answer, ...] = Field(
        min_length=2, description="les réponses possibles (au moins 2), dans l'ordre affiché"
    )
    items: tuple[QuizItem, ...] = Field(min_length=1, description="les affirmations, dans l'ordre")

    def answer(self, answer_id: str) -> Answer:
        for answer in self.answers:
            if answer.id == answer_id:
                return answer
        raise KeyError(answer_id)

    def item(self, item_id: str) -> QuizItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)
