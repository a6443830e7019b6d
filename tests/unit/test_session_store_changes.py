"""``OpenSession.save_changed``: the store finds what changed since it last wrote (or read) the
session and rewrites only those files; nobody has to mark a change."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from atelier.domain.clock import FakeClock
from atelier.domain.session import CriterionScore, Project, SessionRecord
from atelier.errors import SaveError
from atelier.store import session_store
from atelier.store.session_store import OpenSession, SessionStore

NAME = "2020-05-19-atis"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2020, 5, 19, 9, 40).astimezone())


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> SessionStore:
    return SessionStore(tmp_path / "sessions", clock)


@pytest.fixture
def session(store: SessionStore, clock: FakeClock) -> Iterator[OpenSession]:
    now = clock.now()
    record = SessionRecord(name=NAME, workshop_id="atis", created_at=now, updated_at=now)
    for n in range(3):
        project = record.add_project(f"Projet {n + 1}", "Léa, Omar", now)
        project.scores["portage"] = CriterionScore(level="fort", comment=f"commentaire {n}\n")
    opened = store.create(record)
    yield opened
    opened.close()


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the store writes (atomically), relative to their session folder, in order."""
    written: list[str] = []
    real = session_store.atomic_write

    def counting(path: Path, data: bytes, **kwargs: object) -> None:
        written.append(f"{path.parent.name}/{path.name}")
        real(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(session_store, "atomic_write", counting)
    return written


def inode_and_mtime(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def test_only_the_changed_project_is_rewritten(
    store: SessionStore, session: OpenSession, clock: FakeClock, writes: list[str]
) -> None:
    untouched = [session.path / "session.yaml", session.project_path("projet-1")]
    before = [inode_and_mtime(path) for path in untouched]
    clock.advance(90)
    session.record.project("projet-2").improvement_axes = "Chercher un local.\n"
    assert session.save_changed()
    assert writes == ["projects/projet-2.yaml"]
    assert [inode_and_mtime(path) for path in untouched] == before  # atomic writes swap inodes
    loaded = store.load(NAME)
    assert loaded.project("projet-2").improvement_axes == "Chercher un local.\n"
    assert loaded.updated_at == clock.now()  # the project file carries the save's time


def test_nothing_changed_writes_nothing(
    session: OpenSession, clock: FakeClock, writes: list[str]
) -> None:
    stamp = session.record.updated_at
    clock.advance(60)
    assert not session.save_changed()
    assert writes == []
    assert session.record.updated_at == stamp  # no save, no new « last change »


def test_a_change_nobody_marked_is_saved(
    store: SessionStore, session: OpenSession, writes: list[str]
) -> None:
    # Deep in a project, through no mutator that could have recorded it.
    session.record.project("projet-3").scores["portage"].comment = "revu en direct\n"
    session.save_changed()
    assert writes == ["projects/projet-3.yaml"]
    assert store.load(NAME).project("projet-3").scores["portage"].comment == "revu en direct\n"


def test_a_change_outside_the_projects_rewrites_only_session_yaml(
    store: SessionStore, session: OpenSession, writes: list[str]
) -> None:
    session.record.current_step_id = "quiz"
    session.record.facilitator_notes = "Salle 2\n"
    session.save_changed()
    assert writes == ["2020-05-19-atis/session.yaml"]
    assert store.load(NAME).current_step_id == "quiz"


def test_a_new_order_rewrites_session_yaml_only(
    store: SessionStore, session: OpenSession, writes: list[str]
) -> None:
    session.record.projects.reverse()
    session.save_changed()
    assert writes == ["2020-05-19-atis/session.yaml"]
    assert [p.id for p in store.load(NAME).projects] == ["projet-3", "projet-2", "projet-1"]


def test_a_new_project_gets_its_file_before_session_yaml_lists_it(
    store: SessionStore, session: OpenSession, clock: FakeClock, writes: list[str]
) -> None:
    session.record.add_project("Jardin partagé", now=clock.now())
    session.save_changed()
    assert writes == ["projects/jardin-partage.yaml", "2020-05-19-atis/session.yaml"]
    assert [p.id for p in store.load(NAME).projects][-1] == "jardin-partage"


def test_a_removed_project_is_retired_after_session_yaml(
    store: SessionStore, session: OpenSession, writes: list[str]
) -> None:
    content = session.project_path("projet-2").read_bytes()
    session.record.remove_project("projet-2")
    session.save_changed()
    assert writes == ["2020-05-19-atis/session.yaml"]
    assert not session.project_path("projet-2").exists()
    deleted = list((session.path / "deleted").glob("*.yaml"))
    assert [p.read_bytes() for p in deleted] == [content]
    assert [p.id for p in store.load(NAME).projects] == ["projet-1", "projet-3"]
    assert not session.save_changed()  # retired once


def test_a_reopened_session_writes_nothing_until_something_changes(
    store: SessionStore, session: OpenSession, writes: list[str]
) -> None:
    session.close()
    with store.open(NAME) as reopened:
        assert not reopened.save_changed()
        reopened.record.project("projet-1").carriers = "Zoé"
        reopened.save_changed()
    assert writes == ["projects/projet-1.yaml"]
    assert store.load(NAME).project("projet-1").carriers == "Zoé"


def test_a_stray_project_file_is_listed_by_the_first_save(
    store: SessionStore, session: OpenSession, writes: list[str]
) -> None:
    session.record.remove_project("projet-3")
    session.save_meta()  # listed no more, its file moved to deleted/
    stray = next((session.path / "deleted").glob("*.yaml"))
    session.close()
    stray.rename(session.path / "projects" / "projet-3.yaml")  # put back by hand
    writes.clear()
    with store.open(NAME) as reopened:
        assert reopened.notice is not None  # « appended »
        reopened.save_changed()
    assert writes == ["2020-05-19-atis/session.yaml"]


def test_a_failed_write_is_written_by_the_next_save(
    store: SessionStore, session: OpenSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    failures = [1]

    def replace(source: object, target: object) -> None:
        if failures and str(target).endswith("projet-1.yaml"):
            failures.pop()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    session.record.project("projet-1").improvement_axes = "Noté pendant la panne.\n"
    session.record.project("projet-2").improvement_axes = "Aussi.\n"
    with pytest.raises(SaveError, match="disque plein"):
        session.save_changed()
    assert session.save_changed()  # what did not reach the disk is still seen as changed
    loaded = store.load(NAME)
    assert loaded.project("projet-1").improvement_axes == "Noté pendant la panne.\n"
    assert loaded.project("projet-2").improvement_axes == "Aussi.\n"
    assert not session.save_changed()


def test_a_change_made_while_the_file_is_written_is_not_lost(
    store: SessionStore, session: OpenSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The UI thread edits the record while a save runs in a worker thread: what the store
    remembers as written is never newer than what it wrote."""
    real_yaml = session_store.project_yaml
    project = session.record.project("projet-1")
    edits = ["premier jet\n", "premier jet, complété\n"]

    def yaml_then_edit(model: Project, updated_at: datetime) -> str:
        text = real_yaml(model, updated_at)
        if edits:
            model.improvement_axes = edits.pop()  # typed just after the file's YAML was made
        return text

    monkeypatch.setattr(session_store, "project_yaml", yaml_then_edit)
    project.improvement_axes = edits.pop(0)
    session.save_changed()
    assert store.load(NAME).project("projet-1").improvement_axes == "premier jet\n"
    assert session.save_changed()  # the later text differs from what was written
    assert store.load(NAME).project("projet-1").improvement_axes == "premier jet, complété\n"


def test_save_all_and_move_to_leave_nothing_to_save(
    tmp_path: Path, session: OpenSession, writes: list[str]
) -> None:
    session.record.project("projet-1").carriers = "Zoé"
    session.save_all()
    writes.clear()
    assert not session.save_changed()
    session.move_to(tmp_path / "stick")
    writes.clear()
    assert not session.save_changed()
    session.record.project("projet-2").carriers = "Inès"
    session.save_changed()
    assert writes == ["projects/projet-2.yaml"]
    assert session.path.parent == tmp_path / "stick"
