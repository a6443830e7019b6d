"""The facilitator's debrief (``export --animateur``) and ``atelier bilan``: planned vs actual,
overtime, quiz difficulty, and suggested durations from this and earlier sessions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from atelier.cli import main
from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.session import SessionRecord, StepLogEntry
from atelier.report import debrief as d
from atelier.report import model as m
from atelier.report.debrief_render import chart, render_debrief
from atelier.store.session_store import SessionStore
from tests.data.sample_session import PARIS_SUMMER, build_fixture_workshop, build_sample_record

# Actual minutes of each step (contexte, analyse, pause, booster) in three sessions.
RUNS = {
    "2020-05-19-matin": (12.0, 31.0, 9.0, 80.0),
    "2020-06-02-matin": (17.0, 35.0, 14.0, 66.0),
    "2020-06-16-matin": (30.0, 44.0, 12.5, 71.0),
}
# Medians: 17 → 15 ; 35 → 35 ; 12.5 → 15 (halves up) ; 71 → 70.
EXPECTED = (15, 35, 15, 70)
EXPECTED_STARTS = ("9h40", "9h55", "10h30", "10h45")
EXPECTED_END = "11h55"


def _record(workshop: Workshop, name: str, minutes: tuple[float, ...]) -> SessionRecord:
    """A session of ``workshop`` whose steps lasted ``minutes``, on the day in its name."""
    day = date.fromisoformat(name[:10])
    record = build_sample_record(workshop)
    record.name = name
    start = datetime.combine(day, workshop.programme[0].start, tzinfo=PARIS_SUMMER)
    record.created_at = start - timedelta(minutes=10)
    record.updated_at = start + timedelta(hours=3)
    record.step_log = []
    for step, length in zip(workshop.programme, minutes, strict=True):
        end = start + timedelta(minutes=length)
        record.step_log.append(StepLogEntry(step_id=step.id, started_at=start, ended_at=end))
        start = end
    return record


@pytest.fixture
def workshop() -> Workshop:
    return build_fixture_workshop()


@pytest.fixture
def history(workshop: Workshop) -> list[SessionRecord]:
    return [_record(workshop, name, minutes) for name, minutes in RUNS.items()]


def test_suggested_minutes_rule() -> None:
    assert d.suggested_minutes([12.0, 17.0, 30.0], 20) == 15
    assert d.suggested_minutes([12.5], 20) == 15  # halves up
    assert d.suggested_minutes([12.4], 20) == 10
    assert d.suggested_minutes([1.0, 2.0], 20) == 5  # never under 5 minutes
    assert d.suggested_minutes([], 22) == 20  # never measured: the plan, rounded
    assert d.suggested_minutes([10.0, 20.0], None) == 15  # median of an even count


def test_three_sessions_give_the_documented_suggestions(
    workshop: Workshop, history: list[SessionRecord]
) -> None:
    debrief = d.build_debrief(workshop, history, history[-1])
    assert [s.suggested_minutes for s in debrief.steps] == list(EXPECTED)
    assert [m.format_clock(s.suggested_start) for s in debrief.steps] == list(EXPECTED_STARTS)
    assert m.format_clock(debrief.suggested_end) == EXPECTED_END
    assert [len(s.measures) for s in debrief.steps] == [3, 3, 3, 3]
    assert [s.actual_minutes for s in debrief.steps] == list(RUNS["2020-06-16-matin"])
    assert [s.name for s in debrief.sessions] == list(RUNS)


def test_a_session_uses_only_itself_and_earlier_sessions(
    workshop: Workshop, history: list[SessionRecord]
) -> None:
    debrief = d.build_debrief(workshop, history, history[1])  # the second session
    assert [s.name for s in debrief.sessions] == list(RUNS)[:2]
    # Medians of (12, 17), (31, 35), (9, 14), (80, 66): 14.5 → 15, 33 → 35, 11.5 → 10, 73 → 75
    assert [s.suggested_minutes for s in debrief.steps] == [15, 35, 10, 75]


def test_debrief_of_one_session(atis: Workshop) -> None:
    record = build_sample_record(atis)
    debrief = d.build_debrief(atis, [record], record)
    assert debrief.pitched == 3 and debrief.project_count == 4
    assert [p.project for p in debrief.pitches] == [p.name for p in record.projects[:3]]
    assert debrief.pitches[0].pitch is not None
    assert debrief.pitches[0].pitch.overtime_s == pytest.approx(23)
    assert [round(p.overtime_s) for p in debrief.phases] == [90, 0, 45]
    # Quiz difficulty: share of right answers per statement, hardest first, untallied last.
    shares = [q.share for q in debrief.quiz]
    assert shares[-1] is None
    known = [s for s in shares if s is not None]
    assert known == sorted(known)
    assert atis.quiz is not None
    first = atis.quiz.items[0]
    line = next(q for q in debrief.quiz if q.number == 1)
    result = record.quiz[first.id]
    assert line.right == result.tally[first.answer]
    assert line.total == sum(result.tally.values())
    for fmt in ("md", "html", "text"):
        text = render_debrief(debrief, fmt)
        assert "3 projet(s) sur 4 ont pitché." in text
        assert "+23 s" in text and "+1 min 30 s" in text
        assert "vidéoprojecteur capricieux" in text  # the facilitator's own report
    page = render_debrief(debrief, "html")
    planned = [s for s in debrief.steps if s.planned_minutes is not None]
    assert page.count('class="bar planned"') == len(planned)
    assert page.count('class="bar actual"') == len(debrief.steps)


def test_chart_draws_planned_and_actual(workshop: Workshop, history: list[SessionRecord]) -> None:
    lines = chart(d.build_debrief(workshop, history))
    assert len(lines) == 2 * len(workshop.programme)
    assert lines[0].startswith("Contexte") and "prévu" in lines[0] and "20 min" in lines[0]
    assert "réel" in lines[1] and "17 min" in lines[1]  # the median of the three
    ascii_lines = chart(d.build_debrief(workshop, history), ascii_only=True)
    assert all(line.isascii() for line in ascii_lines if "prévu" not in line and "réel" not in line)
    assert "#" in ascii_lines[0] and "█" not in "".join(ascii_lines)


def _store_with(tmp_path: Path, records: list[SessionRecord]) -> Path:
    sessions = tmp_path / "sessions"
    for record in records:
        store = SessionStore(sessions, clock=FakeClock(start=record.updated_at))
        store.create(record).close()
    return sessions


def test_animateur_and_bilan_commands(
    atis: Workshop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    minutes = (12.0, 13.0, 31.0, 9.0, 44.0, 33.0, 6.0)
    assert len(minutes) == len(atis.programme)
    records = [
        _record(atis, "2020-05-19-matin", minutes),
        _record(atis, "2020-06-02-matin", tuple(x + 5 for x in minutes)),
        _record(atis, "2020-06-16-matin", tuple(x + 9 for x in minutes)),
    ]
    sessions = _store_with(tmp_path, records)
    code = main(["export", "2020-06-02-matin", "--animateur", "--sessions-dir", str(sessions)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    written = sessions / "2020-06-02-matin" / "rapport-animateur.md"
    assert out == f"Rapport écrit : {written}\n"
    text = written.read_text(encoding="utf-8")
    assert d.HEADING_SUGGESTED in text and "2 sessions" in text  # itself and the earlier one
    # Step 1: median of 12 and 17 = 14.5 → 15 min.
    assert "| Contexte, enjeux, définition de l'innovation sociale | 9h40 | 15 min |" in text

    code = main(["bilan", "--sessions-dir", str(sessions)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert d.BILAN_TITLE in out and "3 sessions" in out
    for name in ("2020-05-19-matin", "2020-06-02-matin", "2020-06-16-matin"):
        assert name in out
    # Step 1: median of 12, 17, 21 = 17 → 15 min; the chart shows planned and actual.
    assert "prévu █" in out and "réel  ▒" in out
    suggested = out.split(d.HEADING_SUGGESTED)[1]
    assert "9h40  15 min" in suggested

    code = main(["bilan", "autre-atelier", "--sessions-dir", str(sessions)])
    _, err = capsys.readouterr()
    assert code == 2 and "autre-atelier" in err


def test_bilan_without_sessions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bilan", "--sessions-dir", str(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 2 and "aucune session" in err


def test_practice_sessions_do_not_count(atis: Workshop, tmp_path: Path) -> None:
    real = _record(atis, "2020-05-19-matin", (12.0, 13.0, 31.0, 9.0, 44.0, 33.0, 6.0))
    practice = _record(atis, "2020-05-20-essai", (60.0,) * 7)
    practice.practice = True
    sessions = _store_with(tmp_path, [real, practice])
    from atelier.cli_reports import _workshop_history

    names = [r.name for r in _workshop_history(SessionStore(sessions), atis.id)]
    assert names == ["2020-05-19-matin"]


def test_time_helpers() -> None:
    assert d._add_minutes(time(23, 50), 20) == time(0, 10)
