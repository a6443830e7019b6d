"""Teams editing their project from their phones: the domain's rules (issue 20)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from atelier.domain import teams
from atelier.domain.content import Workshop
from atelier.domain.session import SessionRecord
from atelier.domain.teams import EditKind, TeamEdit, TeamRefusal, TeamRefused
from atelier.report import render_html, render_markdown
from atelier.store.session_format import project_yaml

NOW = datetime(2026, 5, 19, 14, 0, tzinfo=UTC)


def _record() -> SessionRecord:
    return SessionRecord(name="s", workshop_id="w", created_at=NOW, updated_at=NOW)


def _apply(atis: Workshop, record: SessionRecord, edit: TeamEdit, device: str):  # type: ignore[no-untyped-def]
    assert atis.grid is not None and atis.assessment is not None
    return teams.apply_edit(record, atis.grid, atis.assessment, edit, device, NOW)


def _refusal(atis: Workshop, record: SessionRecord, edit: TeamEdit, device: str) -> TeamRefusal:
    with pytest.raises(TeamRefused) as caught:
        _apply(atis, record, edit, device)
    return caught.value.reason


def test_create_gives_a_code_and_the_creator_its_right(atis: Workshop) -> None:
    record = _record()
    project = _apply(
        atis, record, TeamEdit(EditKind.CREATE, value="Épicerie « & »", extra="Zoé"), "phone-a"
    )
    assert project.name == "Épicerie « & »" and project.carriers == "Zoé"
    assert project.phones is not None
    code = project.phones.join_code
    assert len(code) == teams.JOIN_CODE_LENGTH and set(code) <= set(teams.JOIN_CODE_ALPHABET)
    assert teams.projects_of(record, "phone-a") == [project]
    assert teams.projects_of(record, "phone-b") == []
    assert "phone-a" not in project.phones.devices[0]  # a digest, never the cookie itself


def test_join_codes_are_random_and_unique() -> None:
    codes = {teams.new_join_code() for _ in range(500)}
    assert len(codes) == 500
    draws = iter("AAAAAAAA" + "AAAAAAAA" + "BBBBBBBB")
    assert teams.new_join_code(["AAAAAAAA"], draw=lambda _: next(draws)) == "BBBBBBBB"


def test_join_with_the_code_then_both_phones_edit_and_both_fields_stay(atis: Workshop) -> None:
    assert atis.grid is not None
    record = _record()
    project = _apply(atis, record, TeamEdit(EditKind.CREATE, value="Jardin"), "phone-a")
    assert project.phones is not None
    code = project.phones.join_code
    typed = f"{code[:4].lower()}-{code[4:]}"  # as a person copies it
    assert _apply(atis, record, TeamEdit(EditKind.JOIN, value=typed), "phone-b") is project
    first, second = atis.grid.criteria[0], atis.grid.criteria[1]
    level = atis.grid.levels[2].id
    _apply(atis, record, TeamEdit(EditKind.LEVEL, project.id, first.id, level), "phone-a")
    _apply(atis, record, TeamEdit(EditKind.COMMENT, project.id, second.id, "ok"), "phone-b")
    _apply(atis, record, TeamEdit(EditKind.COMMENT, project.id, first.id, "v1"), "phone-a")
    _apply(atis, record, TeamEdit(EditKind.COMMENT, project.id, first.id, "v2"), "phone-b")
    assert project.scores[first.id].level == level
    assert project.scores[first.id].comment == "v2"  # last write of the field wins
    assert project.scores[second.id].comment == "ok"


def test_a_phone_edits_only_its_projects(atis: Workshop) -> None:
    assert atis.grid is not None
    record = _record()
    project = _apply(atis, record, TeamEdit(EditKind.CREATE, value="A"), "phone-a")
    criterion = atis.grid.criteria[0].id
    level = atis.grid.levels[0].id
    edit = TeamEdit(EditKind.LEVEL, project.id, criterion, level)
    assert _refusal(atis, record, edit, "phone-b") is TeamRefusal.NO_RIGHT
    facilitator = record.add_project("Saisi au clavier", now=NOW)
    edit = TeamEdit(EditKind.LEVEL, facilitator.id, criterion, level)
    assert _refusal(atis, record, edit, "phone-a") is TeamRefusal.NO_RIGHT
    edit = TeamEdit(EditKind.LEVEL, "nope", criterion, level)
    assert _refusal(atis, record, edit, "phone-a") is TeamRefusal.NO_RIGHT
    assert project.scores == {} and facilitator.scores == {}


def test_every_field_is_checked(atis: Workshop) -> None:
    assert atis.grid is not None
    record = _record()
    project = _apply(atis, record, TeamEdit(EditKind.CREATE, value="A"), "d")
    pid, criterion = project.id, atis.grid.criteria[0].id
    cases = [
        (TeamEdit(EditKind.CREATE, value="   "), TeamRefusal.EMPTY),
        (TeamEdit(EditKind.CREATE, value="x" * 81), TeamRefusal.TOO_LONG),
        (TeamEdit(EditKind.CREATE, value="a\nb"), TeamRefusal.CONTROL),
        (TeamEdit(EditKind.CREATE, value="a\x00b"), TeamRefusal.CONTROL),
        (TeamEdit(EditKind.JOIN, value="ZZZZZZZZ"), TeamRefusal.BAD_CODE),
        (TeamEdit(EditKind.LEVEL, pid, "nope", atis.grid.levels[0].id), TeamRefusal.UNKNOWN_FIELD),
        (TeamEdit(EditKind.LEVEL, pid, criterion, "nope"), TeamRefusal.UNKNOWN_FIELD),
        (TeamEdit(EditKind.COMMENT, pid, criterion, "x" * 501), TeamRefusal.TOO_LONG),
        (TeamEdit(EditKind.AXES, pid, value="x" * 2001), TeamRefusal.TOO_LONG),
        (TeamEdit(EditKind.PREP, pid, "zz", "texte"), TeamRefusal.UNKNOWN_FIELD),
        (TeamEdit(EditKind.COMMENT, pid, criterion, "\x1b[31m"), TeamRefusal.CONTROL),
    ]
    for edit, reason in cases:
        assert _refusal(atis, record, edit, "d") is reason, edit
    assert project.scores == {} and len(record.projects) == 1


def test_axes_marks_prep_and_pitch_wish(atis: Workshop) -> None:
    assert atis.grid is not None and atis.assessment is not None
    record = _record()
    project = _apply(atis, record, TeamEdit(EditKind.CREATE, value="A"), "d")
    criterion = atis.grid.criteria[3].id
    prompt = atis.assessment.phases[-1].prompts[0].id
    _apply(atis, record, TeamEdit(EditKind.PROGRESS, project.id, criterion, "1"), "d")
    _apply(atis, record, TeamEdit(EditKind.PROGRESS, project.id, criterion, "1"), "d")  # stays
    _apply(atis, record, TeamEdit(EditKind.AXES, project.id, value="Mieux <b>&</b>"), "d")
    _apply(atis, record, TeamEdit(EditKind.PREP, project.id, prompt, "Notre pitch"), "d")
    _apply(atis, record, TeamEdit(EditKind.VOLUNTEER, project.id, value="1"), "d")
    assert project.scores[criterion].progress
    assert project.improvement_axes == "Mieux <b>&</b>"
    assert project.pitch_prep[prompt] == "Notre pitch"
    assert teams.wants_to_pitch(project)
    _apply(atis, record, TeamEdit(EditKind.PROGRESS, project.id, criterion, ""), "d")
    assert criterion not in project.scores


def test_caps_on_projects_per_phone_and_phones_per_project(atis: Workshop) -> None:
    record = _record()
    for name in "ABC":
        _apply(atis, record, TeamEdit(EditKind.CREATE, value=name), "d")
    edit = TeamEdit(EditKind.CREATE, value="D")
    assert _refusal(atis, record, edit, "d") is TeamRefusal.DEVICE_CAP
    phones = record.projects[0].phones
    assert phones is not None
    for number in range(teams.DEVICES_PER_PROJECT - 1):
        _apply(atis, record, TeamEdit(EditKind.JOIN, value=phones.join_code), f"p{number}")
    edit = TeamEdit(EditKind.JOIN, value=phones.join_code)
    assert _refusal(atis, record, edit, "late") is TeamRefusal.DEVICE_CAP


def test_wrong_codes_are_limited_per_address_and_minute() -> None:
    now = [0.0]
    gate = teams.CodeGate(per_minute=3, clock=lambda: now[0])
    for _ in range(3):
        gate.check("10.0.0.1")
        gate.miss("10.0.0.1")
    with pytest.raises(TeamRefused) as caught:
        gate.check("10.0.0.1")
    assert caught.value.reason is TeamRefusal.CODE_CAP
    gate.check("10.0.0.2")  # another address is not held back
    now[0] = 61.0
    gate.check("10.0.0.1")


def test_rights_survive_the_file_and_the_code_stays_out_of_reports(atis: Workshop) -> None:
    record = _record()
    device = "Cookie-Of-The-Phone-123456"
    project = _apply(atis, record, TeamEdit(EditKind.CREATE, value="A"), device)
    assert project.phones is not None
    text = project_yaml(project, NOW)
    assert project.phones.join_code in text and teams.device_digest(device) in text
    assert device not in text  # the cookie itself never reaches the disk
    for private in (False, True):
        exported = render_markdown(atis, record, private=private) + render_html(
            atis, record, private=private
        )
        assert project.phones.join_code not in exported


def test_room_progress_counts_complete_grids(atis: Workshop) -> None:
    assert atis.grid is not None
    record = _record()
    done = _apply(atis, record, TeamEdit(EditKind.CREATE, value="A"), "d")
    for criterion in atis.grid.criteria:
        _apply(atis, record, TeamEdit(EditKind.LEVEL, done.id, criterion.id, "faible"), "d")
    record.add_project("Clavier", now=NOW)
    progress = teams.room_progress(atis.grid, record.projects)
    assert (progress.projects, progress.complete, progress.from_phones) == (2, 1, 1)
