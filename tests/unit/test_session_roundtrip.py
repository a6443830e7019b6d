"""Whatever the facilitator types comes back exactly: save_project / save_all, then load."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from atelier.domain.clock import FakeClock
from atelier.domain.session import (
    CriterionScore,
    PitchStatus,
    SessionRecord,
    TimerRecord,
)
from atelier.store.session_store import SessionStore

# Lines that YAML would read as something else, or that look like YAML syntax.
TRICKY_LINES = [
    "no",
    "yes",
    "On",
    "~",
    "null",
    "#",
    "# pas un commentaire",
    ": ",
    "a: b",
    "---",
    "...",
    "10:00",
    "012",
    "1.10",
    "2020-05-19",
    "'",
    '"',
    "- tiret",
    "  indenté",
    "\t",
    "fin ",
    "|",
    ">",
    "&a *a !tag %",
    "{}",
    "[]",
    "Épicerie « solidaire » — été",
    "👍🏽 emoji 🎉",
    "",
]

line = st.one_of(
    st.sampled_from(TRICKY_LINES),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40),
)
newline = st.sampled_from(["\n", "\r\n", "\r", "\n\n"])


@st.composite
def notes(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(line, newline), max_size=6))
    text = "".join(a + b for a, b in parts)
    if draw(st.booleans()):
        text += draw(line)  # no final newline
    return text


CASES = [
    "no\n#\n: \n---\n10:00\n'\n\"",
    "fin avec espaces   \r\nsuite\t\r\n",
    "\n\ncommence par des lignes vides",
    "  indenté au début\n",
    "👍 super idée\n",
    "",
]


def _session(root: Path) -> tuple[SessionStore, SessionRecord]:
    clock = FakeClock(datetime(2020, 5, 19, 9, 40).astimezone())
    store = SessionStore(root, clock)
    now = clock.now()
    record = SessionRecord(name="tour", workshop_id="atis", created_at=now, updated_at=now)
    record.add_project("Épicerie", "Léa", now)
    record.add_project("Jardin", "Omar", now)
    return store, record


def test_notes_round_trip_through_save_project() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store, record = _session(Path(tmp))
        session = store.create(record)
        project_id = record.projects[0].id

        @settings(max_examples=250, deadline=None)
        @given(text=notes(), other=notes())
        @example(text=CASES[0], other=CASES[1])
        @example(text=CASES[2], other=CASES[3])
        @example(text=CASES[4], other=CASES[5])
        def check(text: str, other: str) -> None:
            project = session.record.project(project_id)
            project.improvement_axes = text
            project.pitch.notes["forces"] = other
            project.pitch.notes[text[:30] or "vide"] = text  # odd texts as keys too
            project.pitch_prep["a"] = other
            project.scores["portage"] = CriterionScore(level="fort", comment=text)
            project.pitch.free_notes = text + other
            project.carriers = other
            session.save_project(project_id)
            loaded = store.load("tour").project(project_id)
            assert loaded == project
            assert loaded.improvement_axes == text  # the same characters, not just equal-ish
            project.pitch.notes.clear()

        check()
        session.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    facilitator=notes(),
    names=st.lists(notes().filter(lambda s: s.strip() != ""), min_size=1, max_size=4),
    elapsed=st.floats(min_value=0, max_value=1e6, allow_nan=False),
    tally=st.dictionaries(notes(), st.integers(min_value=0, max_value=500), max_size=4),
)
def test_whole_record_round_trips_through_save_all(
    facilitator: str, names: list[str], elapsed: float, tally: dict[str, int]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store, record = _session(Path(tmp))
        now = record.created_at
        record.facilitator_notes = facilitator
        for name in names:
            project = record.add_project(name, facilitator, now)
            project.pitch.status = PitchStatus.EXCHANGE
            project.pitch.pitch_timer = TimerRecord(
                duration_s=120, elapsed_s=elapsed, started_at=now + timedelta(microseconds=7)
            )
        record.quiz_result("q1").tally = tally
        record.enter_step("accueil", now)
        with store.create(record) as session:
            session.save_all()
            assert store.load("tour") == session.record
