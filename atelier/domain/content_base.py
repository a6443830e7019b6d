"""The building blocks of the content models: the field types every section uses (identifiers,
non-blank text, clock times written « 9h40 », durations in minutes), :class:`ContentModel` and
its settings (frozen, no unknown key, French schema description), and clock-time helpers.

Nothing here knows about YAML or files.
"""

# No « from __future__ import annotations » here: pydantic would then compile and evaluate
# every annotation string when the models are created, ~4 ms more on each start.

import re
from datetime import time
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

Location = tuple[str | int, ...]

_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
TIME_RULE = 'heures 0–23, minutes 00–59, écrites "14h15"'
_TIME_PATTERN = re.compile(r"^\s*(\d{1,2})\s*(?:h|:)\s*(\d{2})?\s*$", re.IGNORECASE)


def parse_clock_time(value: Any) -> Any:
    """Accept « 9h40 », « 09:40 », « 11h » (strings only: YAML reads 10:00 as 600)."""
    if isinstance(value, time):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError('une heure s\'écrit entre guillemets, comme « "9h40" »')
    if isinstance(value, int):
        # YAML 1.1 reads 10:00 as the sexagesimal number 600: give the author's text back.
        hours, minutes = divmod(value, 60)
        raise ValueError(
            f"YAML a lu {hours}:{minutes:02d} comme le nombre {value} ; mettez la valeur entre "
            f'guillemets : « "{hours}h{minutes:02d}" »'
        )
    match = _TIME_PATTERN.match(value)
    if not match:
        raise ValueError(
            f"heure « {value} » illisible : {TIME_RULE}, ou « 09:40 » ; entre guillemets"
        )
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"heure « {value} » impossible : {TIME_RULE}")
    return time(hours, minutes)


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("ce texte est vide")
    return value


Identifier = Annotated[
    str,
    Field(
        pattern=_ID_PATTERN,
        description="identifiant court : lettres minuscules sans accent, chiffres, - et _, "
        "sans espace (ex. « quiz-1 »)",
        examples=["quiz-1"],
    ),
]
Text = Annotated[str, AfterValidator(_non_blank), Field(min_length=1)]
ClockTime = Annotated[
    time,
    BeforeValidator(parse_clock_time),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*([01]?\d|2[0-3])\s*[hH:]\s*([0-5]\d)?\s*$",
            "description": "heure de la journée entre guillemets : heures 0–23, minutes 00–59, "
            "écrites « 14h15 » ou « 14:15 »",
            "examples": ["9h40", "14:15"],
        }
    ),
]
Minutes = Annotated[
    float,
    Field(
        gt=0,
        le=24 * 60,
        description="durée en minutes, plus que 0 (2.5 = 2 min 30)",
        examples=[10],
    ),
]


def content_config(text: str) -> ConfigDict:
    """The settings of every content model, with the French description of the schema."""
    return ConfigDict(
        extra="forbid",
        frozen=True,
        strict=False,
        defer_build=True,
        json_schema_extra={"description": text},
    )


class ContentModel(BaseModel):
    model_config = content_config("")


def minutes_of_day(moment: time) -> float:
    return moment.hour * 60 + moment.minute


def _hhmm(moment: time) -> str:
    return f"{moment.hour}h{moment.minute:02d}"


def format_clock_time(moment: time) -> str:
    """« 9h40 », the way the deck writes times."""
    return _hhmm(moment)
