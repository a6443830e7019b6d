"""Feedback cards and the projection, as pure rules (no network, no app)."""

from __future__ import annotations

from datetime import datetime

import pytest

from atelier.domain.cards import (
    CardGate,
    CardLimits,
    CardRefusal,
    CardRefused,
    accept,
    add_card,
    clean_text,
    note_entry,
    pending,
    set_aside,
)
from atelier.domain.countdown import Countdown
from atelier.domain.follow import Projection, TimerView
from atelier.domain.session import CardStatus, Project

NOW = datetime(2020, 5, 19, 11, 30).astimezone()


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_cards_wait_pending_then_accepted_into_the_note() -> None:
    project = Project(id="p", name="P")
    project.pitch.notes = {"forces": "déjà noté"}
    first = add_card(project, "forces", "Super « idée » & co", "Zoé", NOW)
    second = add_card(project, "conseils", "Un local ?", "", NOW)
    assert [c.id for c in pending(project)] == ["c1", "c2"]  # oldest first, newest last
    assert accept(project, first.id) == "déjà noté\n\nSalle (Zoé) : Super « idée » & co"
    assert accept(project, first.id) is None  # once only
    assert accept(project, second.id) == "Salle : Un local ?"
    assert project.pitch.notes["conseils"] == "Salle : Un local ?"
    third = add_card(project, "forces", "Bof", "", NOW)
    assert third.id == "c3"
    assert set_aside(project, third.id) and not set_aside(project, third.id)
    assert pending(project) == []
    assert [c.status for c in project.pitch.room_cards] == [
        CardStatus.ACCEPTED,
        CardStatus.ACCEPTED,
        CardStatus.SET_ASIDE,
    ]
    assert "Bof" not in project.pitch.notes["forces"]


def test_note_entry_marks_the_room() -> None:
    project = Project(id="p", name="P")
    card = add_card(project, "forces", "Texte", "", NOW)
    assert note_entry(card) == "Salle : Texte"


def test_clean_text_keeps_every_character() -> None:
    assert clean_text("  a\r\nb « é » 🌱\t ", 500) == "a\nb « é » 🌱"
    with pytest.raises(CardRefused) as refused:
        clean_text("a\x00b", 500)
    assert refused.value.reason is CardRefusal.CONTROL
    with pytest.raises(CardRefused) as refused:
        clean_text("é" * 501, 500)
    assert refused.value.reason is CardRefusal.TOO_LONG
    assert clean_text("é" * 500, 500) == "é" * 500


def test_gate_per_device_and_project_then_per_address_and_minute() -> None:
    clock = Clock()
    gate = CardGate(CardLimits(per_device_per_project=2, per_address_per_minute=3), clock)
    for _ in range(2):
        gate.check("p", "phone-1", "10.0.0.1")
        gate.count("p", "phone-1", "10.0.0.1")
    with pytest.raises(CardRefused) as refused:
        gate.check("p", "phone-1", "10.0.0.1")
    assert refused.value.reason is CardRefusal.DEVICE_CAP
    gate.check("q", "phone-1", "10.0.0.2")  # another project: its own share
    gate.count("p", "phone-2", "10.0.0.1")
    with pytest.raises(CardRefused) as refused:
        gate.check("p", "phone-3", "10.0.0.1")
    assert refused.value.reason is CardRefusal.ADDRESS_CAP
    clock.now += 61
    gate.check("p", "phone-3", "10.0.0.1")  # a minute later


def test_gate_memory_is_bounded() -> None:
    gate = CardGate(CardLimits(tracked=10), Clock())
    for n in range(100):
        gate.count("p", f"phone-{n}", f"10.0.0.{n}")
    assert len(gate._per_device) <= 10 and len(gate._per_address) <= 10  # noqa: SLF001


def test_projection_key_is_steady_while_a_timer_runs() -> None:
    clock = Clock()
    countdown = Countdown(600, clock, warning_s=60)
    countdown.start()
    keys = set()
    for _ in range(30):
        clock.now += 0.7
        timer = TimerView.of("Pause", countdown, clock())
        keys.add(Projection("A", step_id="pause", timer=timer).key)
    assert len(keys) == 1  # the seconds do not change the page
    countdown.pause()
    paused = Projection("A", step_id="pause", timer=TimerView.of("Pause", countdown, clock()))
    assert paused.key not in keys
    countdown.add(60)
    longer = Projection("A", step_id="pause", timer=TimerView.of("Pause", countdown, clock()))
    assert longer.key != paused.key


def test_exports_carry_the_accepted_cards_only(atis: object) -> None:
    """An accepted card is in its note, so in both exports; one set aside or pending is not."""
    from atelier.domain.content import Workshop
    from atelier.domain.session import SessionRecord
    from atelier.report import render_html, render_markdown

    assert isinstance(atis, Workshop)
    record = SessionRecord(name="s", workshop_id=atis.id, created_at=NOW, updated_at=NOW)
    project = record.add_project("Épicerie", now=NOW)
    taken = add_card(project, "conseils", "Cherchez un <local> & « vite »", "Zoé", NOW)
    accept(project, taken.id)
    aside = add_card(project, "conseils", "Carte écartée", "", NOW)
    set_aside(project, aside.id)
    add_card(project, "conseils", "Carte en attente", "", NOW)
    markdown = render_markdown(atis, record)
    page = render_html(atis, record)
    assert "Salle (Zoé) : Cherchez un" in markdown
    assert "Salle (Zoé) : Cherchez un &lt;local&gt; &amp; « vite »" in page
    for text in (markdown, page):
        assert "Carte écartée" not in text and "Carte en attente" not in text


def test_inbox_lists_the_oldest_then_the_newest_and_keeps_markup_as_text() -> None:
    from atelier.tui.widgets.inbox import inbox_content

    project = Project(id="p", name="P")
    cards = [add_card(project, "forces", f"[bold]carte {n}[/]", "", NOW) for n in range(12)]
    text = inbox_content(cards, {"forces": "Forces"}, width=40, newest=3).plain
    lines = text.splitlines()
    assert lines[0] == "▶ Forces : [bold]carte 0[/]"  # the one ctrl+o acts on
    assert "8 de plus" in lines[1]
    assert lines[2:] == [
        "  [bold]carte 9[/] · Forces",
        "  [bold]carte 10[/] · Forces",
        "  [bold]carte 11[/] · Forces",
    ]
    assert "de plus" not in inbox_content(cards[:4], {}, newest=3).plain
    long = add_card(project, "forces", "mot " * 120, "Zoé", NOW)
    shown = inbox_content([long, *cards], {}, width=20, newest=1).plain.splitlines()
    assert shown[0].endswith("…") and all(len(line) <= 20 for line in shown[2:])
