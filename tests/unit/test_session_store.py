"""The session store: layout, atomic saves, locks, loads that never write, listings."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import stat
import threading
from datetime import date, datetime
from pathlib import Path

import pytest

from atelier.domain.clock import FakeClock
from atelier.domain.session import SCHEMA_VERSION, CriterionScore, SessionRecord
from atelier.errors import SaveError, SessionError, SessionLocked
from atelier.store import atomic, session_store
from atelier.store.atomic import atomic_write, save_failure_reason
from atelier.store.paths import SESSIONS_DIR_ENV, resolve_sessions_dir
from atelier.store.session_format import SessionTooNew
from atelier.store.session_list import SessionState
from atelier.store.session_store import OpenSession, SessionStore
from atelier.store.yaml_read import load_yaml_text

NAME = "2020-05-19-atis"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2020, 5, 19, 9, 40).astimezone())


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> SessionStore:
    return SessionStore(tmp_path / "sessions", clock)


def make_record(clock: FakeClock, name: str = NAME, projects: int = 3) -> SessionRecord:
    now = clock.now()
    record = SessionRecord(name=name, workshop_id="atis", created_at=now, updated_at=now)
    for n in range(projects):
        project = record.add_project(f"Projet {n + 1} « été »", "Léa, Omar", now)
        project.scores["portage"] = CriterionScore(level="fort", comment=f"commentaire {n}\n")
        project.pitch.notes["forces"] = f"Très clair.\nno\n10:00 {n}"
    record.facilitator_notes = "Salle 2\n"
    return record


@pytest.fixture
def session(store: SessionStore, clock: FakeClock) -> OpenSession:
    opened = store.create(make_record(clock))
    yield opened
    opened.close()


def folder_hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".lock"
    }


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- layout and round trip --------------------------------------------------------------------


def test_create_writes_one_folder_per_session(session: OpenSession) -> None:
    folder = session.path
    assert folder.name == NAME
    assert sorted(p.name for p in (folder / "projects").iterdir()) == [
        "projet-1-ete.yaml",
        "projet-2-ete.yaml",
        "projet-3-ete.yaml",
    ]
    meta = load_yaml_text((folder / "session.yaml").read_text(encoding="utf-8"))
    assert meta["schema_version"] == SCHEMA_VERSION
    assert meta["project_ids"] == ["projet-1-ete", "projet-2-ete", "projet-3-ete"]
    assert "projects" not in meta
    text = (folder / "projects" / "projet-1-ete.yaml").read_text(encoding="utf-8")
    assert "name: Projet 1 « été »\n" in text
    assert "    forces: |-\n      Très clair.\n      no\n      10:00 0\n" in text


def test_files_are_private(session: OpenSession) -> None:
    assert mode_of(session.path) == 0o700
    assert mode_of(session.path / "session.yaml") == 0o600
    assert mode_of(session.project_path("projet-1-ete")) == 0o600
    assert mode_of(session.path / ".lock") == 0o600


def test_load_gives_back_the_record(store: SessionStore, session: OpenSession) -> None:
    assert store.load(NAME) == session.record
    assert store.load(session.path) == session.record
    assert store.load(str(session.path / "session.yaml")) == session.record


def test_save_project_rewrites_only_that_file(session: OpenSession, clock: FakeClock) -> None:
    folder = session.path
    before = folder_hashes(folder)
    clock.advance(90)
    session.record.project("projet-2-ete").improvement_axes = "Chercher un local.\n"
    session.save_project("projet-2-ete")
    after = folder_hashes(folder)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"projects/projet-2-ete.yaml", "projects/projet-2-ete.yaml.bak"}
    # the .bak holds the version before this save
    assert after["projects/projet-2-ete.yaml.bak"] == before["projects/projet-2-ete.yaml"]


def test_updated_at_comes_from_the_clock(
    store: SessionStore, session: OpenSession, clock: FakeClock
) -> None:
    clock.advance(3600)
    session.record.project("projet-1-ete").pitch.free_notes = "ok"
    session.save_project("projet-1-ete")
    assert session.record.updated_at == clock.now()
    # session.yaml was not rewritten, but the project file knows when it was saved
    assert store.load(NAME).updated_at == clock.now()
    assert store.list_sessions()[0].updated_at == clock.now()


def test_new_project_is_listed_after_its_file_exists(
    store: SessionStore, session: OpenSession
) -> None:
    project = session.record.add_project("Jardin partagé")
    session.save_project(project.id)
    assert (session.path / "projects" / "jardin-partage.yaml").is_file()
    assert store.load(NAME).projects[-1].name == "Jardin partagé"


def test_save_meta_also_creates_files_of_new_projects(
    store: SessionStore, session: OpenSession
) -> None:
    session.record.add_project("Ressourcerie")
    session.save_meta()
    assert [p.id for p in store.load(NAME).projects][-1] == "ressourcerie"


def test_delete_project_moves_its_file_aside(
    store: SessionStore, session: OpenSession, clock: FakeClock
) -> None:
    content = session.project_path("projet-2-ete").read_bytes()
    session.delete_project("projet-2-ete")
    assert [p.id for p in session.record.projects] == ["projet-1-ete", "projet-3-ete"]
    assert not session.project_path("projet-2-ete").exists()
    deleted = list((session.path / "deleted").glob("*.yaml"))
    assert [p.name for p in deleted] == ["projet-2-ete-20200519-094000.yaml"]
    assert deleted[0].read_bytes() == content
    assert [p.id for p in store.load(NAME).projects] == ["projet-1-ete", "projet-3-ete"]


def test_removing_from_the_record_then_saving_retires_the_file(
    store: SessionStore, session: OpenSession
) -> None:
    session.record.remove_project("projet-1-ete")
    session.save_project("projet-1-ete")  # saving a project that is gone retires it
    assert not session.project_path("projet-1-ete").exists()
    assert len(list((session.path / "deleted").glob("*.yaml"))) == 1
    assert len(store.load(NAME).projects) == 2


def test_save_all_round_trips_everything(
    store: SessionStore, session: OpenSession, clock: FakeClock
) -> None:
    record = session.record
    record.enter_step("accueil", clock.now())
    clock.advance(600)
    record.enter_step("quiz", clock.now())
    record.quiz_result("q1").tally = {"a": 3, "no": 1}
    record.current_pitch_project = "projet-3-ete"
    session.save_all()
    assert store.load(NAME) == record


def test_record_name_follows_the_folder(store: SessionStore, session: OpenSession) -> None:
    session.close()
    shutil.copytree(session.path, store.root / "copie")
    assert store.load("copie").name == "copie"


# -- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", " x", "a/b", "..", ".cache", "a\x00b", "a\\b", "x" * 121])
def test_bad_names_are_refused(store: SessionStore, clock: FakeClock, name: str) -> None:
    with pytest.raises(SessionError, match="nom de session"):
        store.create(make_record(clock, name="ok").model_copy(update={"name": name}))
    with pytest.raises(SessionError):
        store.open(name)
    assert not store.exists(name)


def test_create_refuses_an_existing_name(
    store: SessionStore, session: OpenSession, clock: FakeClock
) -> None:
    before = folder_hashes(session.path)
    with pytest.raises(SessionError, match="existe déjà"):
        store.create(make_record(clock))
    assert folder_hashes(session.path) == before


def test_default_name_is_made_unique(store: SessionStore, clock: FakeClock) -> None:
    day = date(2020, 5, 19)
    first = store.default_name("atis-2020-05-19", day)
    assert first == "2020-05-19-atis-2020-05-19"
    store.create(make_record(clock, name=first)).close()
    second = store.default_name("atis-2020-05-19", day)
    assert second == "2020-05-19-atis-2020-05-19-2"
    store.create(make_record(clock, name=second)).close()
    assert store.default_name("atis-2020-05-19", day) == "2020-05-19-atis-2020-05-19-3"
    assert store.exists(first) and store.exists(second)


def test_open_unknown_session(store: SessionStore) -> None:
    with pytest.raises(SessionError, match="aucune session"):
        store.open("absente")


# -- lock -------------------------------------------------------------------------------------


def test_second_open_is_refused_naming_the_holder(
    store: SessionStore, session: OpenSession
) -> None:
    with pytest.raises(SessionLocked) as excinfo:
        store.open(NAME)
    message = str(excinfo.value)
    assert f"processus {os.getpid()}" in message
    assert "19/05/2020 à 09:40" in message
    assert "fermez l'autre atelier, ou ouvrez une autre session" in message
    assert excinfo.value.exit_code == 2


def test_close_releases_the_lock_cleanly(store: SessionStore, session: OpenSession) -> None:
    session.close()
    assert (session.path / ".lock").read_bytes() == b""
    reopened = store.open(NAME)
    assert reopened.notice is None
    reopened.close()


def test_stale_lock_is_taken_over_with_a_notice(store: SessionStore, session: OpenSession) -> None:
    session.close()
    holder = {"pid": 4242424, "host": "salle-1", "since": "2020-05-19T09:00:00+02:00"}
    (session.path / ".lock").write_text(json.dumps(holder))
    reopened = store.open(NAME)
    assert reopened.notice == (
        "verrou périmé du processus 4242424 (« salle-1 », depuis le 19/05/2020 à 09:00) repris"
    )
    reopened.close()


def test_saving_after_close_is_an_error(session: OpenSession) -> None:
    session.close()
    assert session.closed
    with pytest.raises(SaveError, match="fermée"):
        session.save_meta()


def test_context_manager_closes(store: SessionStore, clock: FakeClock) -> None:
    with store.create(make_record(clock)) as opened:
        assert not opened.closed
    assert opened.closed


# -- loads that fail leave every byte in place ------------------------------------------------


def corrupt_and_check(store: SessionStore, session: OpenSession, relative: str, text: str) -> str:
    session.close()
    path = session.path / relative
    path.write_bytes(text.encode("utf-8"))
    before = folder_hashes(session.path)
    with pytest.raises(SessionError) as from_load:
        store.load(NAME)
    with pytest.raises(SessionError) as from_open:
        store.open(NAME)
    assert str(from_load.value) == str(from_open.value)
    assert folder_hashes(session.path) == before
    # the failed open released its lock
    assert (session.path / ".lock").read_bytes() == b""
    return str(from_open.value)


def test_bad_yaml_in_session_file(store: SessionStore, session: OpenSession) -> None:
    message = corrupt_and_check(store, session, "session.yaml", "name: [x\nworkshop_id: a\n")
    assert "ne peut pas être lue ; aucun fichier n'a été modifié" in message
    assert f"{session.path / 'session.yaml'}:2:" in message


def test_schema_error_in_a_project_file(store: SessionStore, session: OpenSession) -> None:
    message = corrupt_and_check(
        store,
        session,
        "projects/projet-2-ete.yaml",
        "id: projet-2-ete\nname: B\ncarriers: no\n",
    )
    assert "projet-2-ete.yaml:3:1 : carriers : YAML a lu « no » comme un booléen" in message


def test_empty_project_file(store: SessionStore, session: OpenSession) -> None:
    message = corrupt_and_check(store, session, "projects/projet-1-ete.yaml", "")
    assert "projet-1-ete.yaml:1:1 : le fichier est vide" in message


def test_empty_session_file(store: SessionStore, session: OpenSession) -> None:
    message = corrupt_and_check(store, session, "session.yaml", "")
    assert "session.yaml:1:1 : le fichier est vide" in message


def test_unknown_field_in_session_file(store: SessionStore, session: OpenSession) -> None:
    text = (session.path / "session.yaml").read_text(encoding="utf-8")
    message = corrupt_and_check(store, session, "session.yaml", text + "facilitator_note: x\n")
    assert "champ inconnu « facilitator_note »" in message
    assert "project_ids" in message


def test_newer_schema_version(store: SessionStore, session: OpenSession) -> None:
    text = (session.path / "session.yaml").read_text(encoding="utf-8")
    newer = text.replace(f"schema_version: {SCHEMA_VERSION}", "schema_version: 99")
    message = corrupt_and_check(store, session, "session.yaml", newer)
    assert "version plus récente d'atelier" in message
    assert "mettez atelier à jour" in message
    with pytest.raises(SessionTooNew):
        store.load(NAME)
    summary = store.list_sessions()[0]
    assert summary.state is SessionState.TOO_NEW
    assert summary.workshop_id == "atis"


def test_missing_project_file_is_an_error(store: SessionStore, session: OpenSession) -> None:
    session.close()
    session.project_path("projet-2-ete").unlink()
    before = folder_hashes(session.path)
    with pytest.raises(SessionError) as excinfo:
        store.open(NAME)
    (problem,) = excinfo.value.problems
    assert problem.path == session.path / "session.yaml"
    assert problem.line is not None
    assert "projet-2-ete" in problem.message
    assert "version précédente existe" not in problem.message  # created once: no .bak yet
    assert folder_hashes(session.path) == before


def test_missing_project_file_points_to_its_backup(
    store: SessionStore, session: OpenSession
) -> None:
    session.save_project("projet-2-ete")  # now there is a .bak
    session.close()
    session.project_path("projet-2-ete").unlink()
    with pytest.raises(SessionError, match="version précédente existe"):
        store.load(NAME)


def test_unlisted_project_file_is_appended_with_a_notice(
    store: SessionStore, session: OpenSession
) -> None:
    session.close()
    meta = session.path / "session.yaml"
    text = meta.read_text(encoding="utf-8").replace("- projet-1-ete\n", "")
    meta.write_text(text, encoding="utf-8")
    reopened = store.open(NAME)
    assert [p.id for p in reopened.record.projects][-1] == "projet-1-ete"
    assert reopened.notice is not None and "absent de session.yaml" in reopened.notice
    reopened.save_meta()
    listed = load_yaml_text(meta.read_text(encoding="utf-8"))["project_ids"]
    assert listed[-1] == "projet-1-ete"
    reopened.close()


def test_project_id_must_match_its_file_name(store: SessionStore, session: OpenSession) -> None:
    path = "projects/projet-1-ete.yaml"
    text = (
        (session.path / path).read_text(encoding="utf-8").replace("id: projet-1-ete", "id: autre")
    )
    message = corrupt_and_check(store, session, path, text)
    assert "ne correspond pas au nom du fichier" in message


def test_load_never_writes_and_never_sweeps(store: SessionStore, session: OpenSession) -> None:
    stray = session.path / ".session.yaml.tmp-abc"
    stray.write_text("partiel")
    before = folder_hashes(session.path)
    store.load(NAME)
    assert folder_hashes(session.path) == before


def test_open_sweeps_stray_temp_files(store: SessionStore, session: OpenSession) -> None:
    session.close()
    strays = [
        session.path / ".session.yaml.tmp-abc",
        session.path / "projects" / ".projet-1-ete.yaml.tmp-xyz",
    ]
    for stray in strays:
        stray.write_text("partiel")
    store.open(NAME).close()
    assert not any(stray.exists() for stray in strays)


# -- save failures ----------------------------------------------------------------------------


def fail_replace(monkeypatch: pytest.MonkeyPatch, code: int, times: int = 10**6) -> list[int]:
    calls: list[int] = []
    real_replace = os.replace

    def replace(src: object, dst: object) -> None:
        calls.append(1)
        if len(calls) <= times:
            raise OSError(code, os.strerror(code))
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(session_store.os, "replace", replace)
    return calls


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.ENOSPC, "disque plein"), (errno.EACCES, "permission refusée"), (errno.EIO, "disque")],
)
def test_save_failure_keeps_memory_and_next_save_works(
    store: SessionStore,
    session: OpenSession,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    reason: str,
) -> None:
    project = session.record.project("projet-1-ete")
    on_disk = session.project_path(project.id).read_bytes()
    project.improvement_axes = "Noté pendant la panne.\n"
    fail_replace(monkeypatch, code)
    with pytest.raises(SaveError) as excinfo:
        session.save_project(project.id)
    assert reason in str(excinfo.value)
    assert str(excinfo.value).startswith("non enregistré : ")
    assert session.record.project(project.id).improvement_axes == "Noté pendant la panne.\n"
    assert session.project_path(project.id).read_bytes() == on_disk
    assert not list((session.path / "projects").glob(".*tmp-*"))  # temp removed
    monkeypatch.undo()
    session.save_project(project.id)
    assert store.load(NAME).project(project.id).improvement_axes == "Noté pendant la panne.\n"


def test_failure_while_writing_the_temp_file(
    session: OpenSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(session_store.os, "fsync", no_space)
    with pytest.raises(SaveError, match="disque plein"):
        session.save_meta()
    monkeypatch.undo()
    assert not list(session.path.glob(".*tmp-*"))
    session.save_meta()


def test_removed_folder_then_move_to_another_folder(
    store: SessionStore, session: OpenSession, tmp_path: Path
) -> None:
    session.record.facilitator_notes = "À ne pas perdre.\n"
    shutil.rmtree(session.path)
    with pytest.raises(SaveError, match="le dossier n'existe pas"):
        session.save_meta()
    session.move_to(tmp_path / "secours")
    assert session.path == tmp_path / "secours" / NAME
    rescue = SessionStore(tmp_path / "secours")
    assert rescue.load(NAME).facilitator_notes == "À ne pas perdre.\n"
    assert rescue.load(NAME) == session.record
    # it carries on there, locked
    with pytest.raises(SessionLocked):
        rescue.open(NAME)
    session.record.project("projet-3-ete").pitch.free_notes = "suite"
    session.save_project("projet-3-ete")
    assert rescue.load(NAME).project("projet-3-ete").pitch.free_notes == "suite"


def test_move_to_a_folder_that_has_that_name(
    store: SessionStore, session: OpenSession, clock: FakeClock
) -> None:
    old_folder = session.path
    other = SessionStore(store.root.parent / "autre", clock)
    other.create(make_record(clock)).close()
    session.move_to(other.root)
    assert session.name == f"{NAME}-2"
    assert session.record.name == f"{NAME}-2"
    assert other.load(f"{NAME}-2") == session.record
    # the old folder is unlocked and left as it was
    store.open(NAME).close()
    assert old_folder.is_dir()


def test_failed_move_keeps_the_session_where_it_was(
    session: OpenSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_replace(monkeypatch, errno.ENOSPC)
    with pytest.raises(SaveError, match="disque plein"):
        session.move_to(tmp_path / "plein")
    monkeypatch.undo()
    assert session.path.parent.name == "sessions"
    assert session.record.name == NAME
    session.save_all()


def test_replace_is_retried_on_permission_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "_REPLACE_ATTEMPTS", 5)
    monkeypatch.setattr(atomic, "_REPLACE_RETRY_DELAY_S", 0.0)
    calls: list[int] = []
    real_replace = os.replace

    def flaky(src: object, dst: object) -> None:
        calls.append(1)
        if len(calls) <= 2:
            raise PermissionError(errno.EACCES, "held by antivirus")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(session_store.os, "replace", flaky)
    target = tmp_path / "f.yaml"
    atomic_write(target, b"a: 1\n")
    assert target.read_bytes() == b"a: 1\n"
    assert len(calls) == 3


def test_atomic_write_keeps_mode_and_backup(tmp_path: Path) -> None:
    target = tmp_path / "f.yaml"
    atomic_write(target, b"v1\n")
    assert mode_of(target) == 0o600
    target.chmod(0o640)
    atomic_write(target, b"v2\n")
    assert mode_of(target) == 0o640
    assert (tmp_path / "f.yaml.bak").read_bytes() == b"v1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.yaml", "f.yaml.bak"]


def test_saves_keep_a_changed_mode(session: OpenSession) -> None:
    path = session.project_path("projet-1-ete")
    path.chmod(0o640)
    session.save_project("projet-1-ete")
    assert mode_of(path) == 0o640


def test_failure_reasons() -> None:
    assert save_failure_reason(OSError(errno.ENOSPC, "x")) == "disque plein"
    assert save_failure_reason(OSError(errno.EPERM, "x")) == "permission refusée"
    assert save_failure_reason(OSError(errno.ENOENT, "x")).startswith("le dossier n'existe pas")
    assert save_failure_reason(OSError(errno.EROFS, "x")) == "disque en lecture seule"
    too_many = OSError(errno.EMLINK, "Too many links")
    assert save_failure_reason(too_many) == "trop de liens vers ce fichier"
    unknown = OSError(errno.ENOLINK, "Link has been severed")
    assert save_failure_reason(unknown) == "erreur système ENOLINK"


# -- threads ----------------------------------------------------------------------------------


def test_concurrent_saves_from_threads(store: SessionStore, session: OpenSession) -> None:
    ids = [p.id for p in session.record.projects]
    errors: list[BaseException] = []

    def work(project_id: str) -> None:
        try:
            for n in range(15):
                session.record.project(project_id).pitch.free_notes = f"{project_id} {n}"
                session.save_project(project_id)
                session.save_meta()
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(project_id,)) for project_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    loaded = store.load(NAME)
    assert [p.pitch.free_notes for p in loaded.projects] == [f"{i} 14" for i in ids]


# -- listing ----------------------------------------------------------------------------------


def test_list_sessions_never_raises(store: SessionStore, clock: FakeClock) -> None:
    store.create(make_record(clock, name="bonne")).close()
    held = store.create(make_record(clock, name="ouverte"))
    store.create(make_record(clock, name="cassee")).close()
    (store.root / "cassee" / "session.yaml").write_text("name: [\n")
    store.create(make_record(clock, name="future")).close()
    meta = store.root / "future" / "session.yaml"
    meta.write_text(meta.read_text().replace("schema_version: 1", "schema_version: 7"))
    (store.root / "vide").mkdir()
    (store.root / "README.md").write_text("# sessions\n")
    (store.root / ".cache").mkdir()

    summaries = {s.name: s for s in store.list_sessions()}
    assert sorted(summaries) == ["bonne", "cassee", "future", "ouverte", "vide"]
    assert summaries["bonne"].state is SessionState.OK
    assert summaries["bonne"].project_count == 3
    assert summaries["bonne"].workshop_id == "atis"
    assert summaries["bonne"].problem is None
    assert summaries["ouverte"].state is SessionState.LOCKED
    assert f"processus {os.getpid()}" in (summaries["ouverte"].problem or "")
    assert summaries["cassee"].state is SessionState.CORRUPT
    assert "session.yaml:2:1" in (summaries["cassee"].problem or "")
    assert summaries["future"].state is SessionState.TOO_NEW
    assert summaries["future"].project_count == 3
    assert summaries["vide"].state is SessionState.CORRUPT
    held.close()
    assert {s.name: s.state for s in store.list_sessions()}["ouverte"] is SessionState.OK


def test_list_sessions_of_a_missing_folder(tmp_path: Path) -> None:
    assert SessionStore(tmp_path / "nulle-part").list_sessions() == []


# -- paths ------------------------------------------------------------------------------------


def test_sessions_dir_flag_beats_env_beats_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(SESSIONS_DIR_ENV, raising=False)
    assert resolve_sessions_dir(None) == tmp_path / "sessions"
    assert (tmp_path / "sessions").is_dir()
    monkeypatch.setenv(SESSIONS_DIR_ENV, str(tmp_path / "env"))
    assert resolve_sessions_dir(None) == tmp_path / "env"
    assert resolve_sessions_dir("flag/sub") == tmp_path / "flag" / "sub"
    assert (tmp_path / "flag" / "sub").is_dir()


def test_sessions_dir_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    with pytest.raises(SessionError, match="--sessions-dir"):
        resolve_sessions_dir(str(tmp_path / "f"))


def test_a_copy_spoiled_by_a_concurrent_edit_is_taken_again(
    store: SessionStore, session: OpenSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    from atelier.domain.session import Project

    real_dump = Project.model_dump
    calls: list[int] = []

    def flaky_dump(self: Project, **kwargs: object) -> dict[str, object]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("dictionary changed size during iteration")
        return real_dump(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Project, "model_dump", flaky_dump)
    session.record.project("projet-1-ete").carriers = "Zoé"
    session.save_project("projet-1-ete")
    monkeypatch.undo()
    assert len(calls) == 2
    assert store.load(NAME).project("projet-1-ete").carriers == "Zoé"
