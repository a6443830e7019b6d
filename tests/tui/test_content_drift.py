"""A session saved with other content resumes, never crashes (issue 15 item 5)."""

from __future__ import annotations

from pathlib import Path

from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.domain.drift import reconcile
from atelier.store.session_store import SessionStore
from atelier.tui.app import AtelierApp
from tests.tui.factory import close, make_app, wait_for

SIZE = (120, 40)


def _drifted_session(workshop: Workshop, tmp_path: Path) -> None:
    """A session two steps in, then its content renamed the current step (as a hand edit of
    session.yaml would): every id the record keeps points at nothing."""
    clock = FakeClock()
    app = make_app(workshop, tmp_path, clock)
    record = app.record
    for step in workshop.programme[:2]:
        record.enter_step(step.id, clock.now())
    record.current_step_id = "etape-renommee"
    record.current_quiz_item = "affirmation-disparue"
    record.current_phase_id = "phase-disparue"
    record.current_pitch_project = "projet-disparu"
    record.content_hash = "0" * 64
    close(app)


async def test_renamed_step_resumes_at_first_step_not_done(atis: Workshop, tmp_path: Path) -> None:
    _drifted_session(atis, tmp_path)
    app = make_app(atis, tmp_path)  # before: KeyError in on_mount, on every resume
    assert app.session is not None
    assert any("empreinte 00000000" in notice for notice in app.session.notices)
    async with app.run_test(size=SIZE) as pilot:
        expected = atis.programme[2]
        await wait_for(pilot, lambda: getattr(app.screen, "step", None) == expected)
        messages = [n.message for n in app._notifications]
        assert any("etape-renommee" in m and expected.title in m for m in messages)
        assert any("affirmation-disparue" in m for m in messages)
        assert app.record.current_step_id == expected.id
    close(app)
    record = SessionStore(tmp_path).load("test")
    assert record.current_step_id == atis.programme[2].id
    assert record.current_quiz_item is None and record.current_pitch_project is None
    assert record.content_hash != "0" * 64  # reported once: the session now runs on this content
    assert [entry.step_id for entry in record.step_log][:2] == [s.id for s in atis.programme[:2]]


def test_reconcile_leaves_a_matching_record_alone(atis: Workshop, tmp_path: Path) -> None:
    app: AtelierApp = make_app(atis, tmp_path)
    before = app.record.model_dump()
    assert reconcile(atis, app.record) == []
    assert app.record.model_dump() == before
    close(app)


def test_all_steps_done_resumes_at_the_last(atis: Workshop, tmp_path: Path) -> None:
    clock = FakeClock()
    app = make_app(atis, tmp_path, clock)
    for step in atis.programme:
        app.record.enter_step(step.id, clock.now())
    app.record.current_step_id = "disparue"
    notices = reconcile(atis, app.record)
    assert app.record.current_step_id == atis.programme[-1].id and len(notices) == 1
    close(app)
