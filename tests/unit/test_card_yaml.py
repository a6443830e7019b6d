"""A project's room cards are written from cached YAML fragments (session_format.project_yaml):
the file must read back exactly as if the whole project had been dumped at once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml

from atelier.domain.cards import accept, add_card, set_aside
from atelier.domain.session import Project
from atelier.store import session_format
from atelier.store.session_format import PROJECT_UPDATED_KEY, project_yaml, snapshot
from atelier.store.yaml_dump import dump_yaml

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)

TEXTS = [
    "Bravo !",
    "Carte : « bravo » & merci, été 🌱",
    "deux lignes\net une autre",
    "avec une ligne vide\n\n  et une ligne en retrait\n",
    "   commence par des espaces",
    "- ressemble à une liste",
    "# ressemble à un commentaire",
    "room_cards: piège",
    "guillemets \" et ' et \\ et [crochets] {accolades} *étoile* _souligné_ <b>",
    "fin avec espace ",
    "tab\tinterne",
    "🌱🎉👏 seulement des emoji",
    "yes",
    "012",
    "null",
]


def _plain(project: Project) -> object:
    data = snapshot(project)
    data[PROJECT_UPDATED_KEY] = NOW.isoformat().replace("+00:00", "Z")
    return yaml.safe_load(dump_yaml(data))


def _project(texts: list[str]) -> Project:
    project = Project(id="p1", name="Compost'Quartier <b>", carriers="Zoé & Éloi")
    project.pitch.notes["forces"] = "Note de l'animateur\nsur deux lignes"
    for number, text in enumerate(texts):
        add_card(project, "forces" if number % 2 else "pistes", text, "Zoé" * (number % 2), NOW)
    return project


@pytest.mark.parametrize("count", [1, 2, len(TEXTS)])
def test_cards_read_back_as_a_whole_dump(count: int) -> None:
    project = _project(TEXTS[:count])
    written = yaml.safe_load(project_yaml(project, NOW))
    assert written == _plain(project)
    assert [c["text"] for c in written["pitch"]["room_cards"]] == TEXTS[:count]


def test_a_card_changed_is_written_changed() -> None:
    project = _project(TEXTS)
    project_yaml(project, NOW)  # every fragment cached
    cards = project.pitch.room_cards
    accept(project, cards[0].id)
    set_aside(project, cards[1].id)
    written = yaml.safe_load(project_yaml(project, NOW))
    assert written == _plain(project)
    statuses = [c.get("status") for c in written["pitch"]["room_cards"][:3]]
    assert statuses == [cards[0].status.value, cards[1].status.value, cards[2].status.value]
    assert statuses[0] != statuses[2] and statuses[1] != statuses[2]


def test_user_text_holding_the_marker_shape_cannot_confuse_it() -> None:
    project = _project(["room_cards: atelier-cartes-0123456789abcdef"])
    project.pitch.free_notes = "room_cards: atelier-cartes-0123456789abcdef"
    assert yaml.safe_load(project_yaml(project, NOW)) == _plain(project)


def test_no_card_no_change() -> None:
    project = _project([])
    assert yaml.safe_load(project_yaml(project, NOW)) == _plain(project)


def test_the_cache_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_format, "_CARD_FRAGMENTS_MAX", 5)
    monkeypatch.setattr(session_format, "_card_fragments", {})
    project = _project(TEXTS)
    assert yaml.safe_load(project_yaml(project, NOW)) == _plain(project)
    assert len(session_format._card_fragments) <= 5
