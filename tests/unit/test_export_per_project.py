"""``atelier export SESSION --par-projet DOSSIER [--eml]``: one report per team plus an index,
and an e-mail draft per project that the ``email`` package reads back."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from atelier.cli import main
from atelier.report import model as m
from atelier.store.session_store import SessionStore
from tests.data.make_sample_session import SAMPLE_SESSION_NAME, copy_sample_session
from tests.data.sample_session import PROJECTS

NAME = SAMPLE_SESSION_NAME
ADDRESS = "porteurs.rustine@exemple.fr"


@pytest.fixture
def sessions(tmp_path: Path) -> Path:
    folder = tmp_path / "sessions"
    folder.mkdir()
    copy_sample_session(folder)
    # The carriers of one project left their address during the session.
    store = SessionStore(folder)
    with store.open(NAME) as session:
        session.record.project("rustine-et-cie").contact_email = ADDRESS
        session.save_project("rustine-et-cie")
    return folder


def export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["export", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _owner(text: str) -> list[str]:
    """The signatures of the projects whose notes appear in ``text``."""
    return [spec["signature"] for spec in PROJECTS if spec["signature"] in text]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_one_report_per_project_holds_only_its_project(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    target = tmp_path / "envoi"
    code, out, err = export(
        capsys, NAME, "--sessions-dir", str(sessions), "--par-projet", str(target), "--format", fmt
    )
    assert (code, err) == (0, "")
    assert str(target) in out and "4 rapports" in out
    record = SessionStore(sessions).load(NAME)
    names = sorted(p.name for p in target.iterdir())
    assert names == sorted([f"rapport-{p.id}.{fmt}" for p in record.projects] + [f"index.{fmt}"])
    for index, project in enumerate(record.projects):
        text = (target / f"rapport-{project.id}.{fmt}").read_text(encoding="utf-8")
        assert _owner(text) == [PROJECTS[index]["signature"]], project.id
        for other in record.projects:
            if other is not project:
                assert other.name not in text.replace("&amp;", "&")
        assert "vidéoprojecteur" not in text and m.HEADING_FREE_NOTES not in text
    index_text = (target / f"index.{fmt}").read_text(encoding="utf-8")
    for project in record.projects:  # the index holds no note
        for note in (project.improvement_axes, *project.pitch.notes.values()):
            assert note.strip().splitlines()[0] not in index_text.replace("&amp;", "&")
    assert m.HEADING_PROFILE not in index_text and "Intermédiaire" not in index_text
    for project in record.projects:
        assert f"rapport-{project.id}.{fmt}" in index_text
    assert ADDRESS in index_text


def test_eml_drafts_parse_back_with_both_parts_and_the_address(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "courriels"
    code, out, err = export(
        capsys,
        NAME,
        "--sessions-dir",
        str(sessions),
        "--par-projet",
        str(target),
        "--format",
        "html",
        "--eml",
    )
    assert (code, err) == (0, "") and ".eml" in out
    record = SessionStore(sessions).load(NAME)
    for index, project in enumerate(record.projects):
        raw = (target / f"rapport-{project.id}.eml").read_bytes()
        assert raw.isascii() and b"\r\n" in raw
        message = email.message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        assert message.get_content_type() == "multipart/alternative"
        parts = [part.get_content_type() for part in message.iter_parts()]
        assert parts == ["text/plain", "text/html"]
        assert message["X-Unsent"] == "1"
        assert project.name in message["Subject"] and "Etabli" in message["Subject"]
        assert "19/05/2020" in message["Subject"]
        if project.id == "rustine-et-cie":
            assert message["To"] == ADDRESS
        else:
            assert message["To"] is None
        text_part = message.get_body(preferencelist=("plain",))
        html_part = message.get_body(preferencelist=("html",))
        assert text_part is not None and html_part is not None
        text = text_part.get_content()
        html = html_part.get_content()
        assert _owner(text) == [PROJECTS[index]["signature"]]
        assert _owner(html) == [PROJECTS[index]["signature"]]
        assert html.startswith("<!DOCTYPE html>") and "<script>" not in html
        assert "<script>" not in text or "alert(1)" in text  # typed text kept as typed
        assert "vidéoprojecteur" not in text + html
    # Deterministic: the same session gives the same files.
    first = (target / "rapport-rustine-et-cie.eml").read_bytes()
    code, _, _ = export(
        capsys,
        NAME,
        "--sessions-dir",
        str(sessions),
        "--par-projet",
        str(target),
        "--format",
        "html",
        "--eml",
        "--force",
    )
    assert code == 0 and (target / "rapport-rustine-et-cie.eml").read_bytes() == first


def test_eml_alone_writes_beside_the_session(
    sessions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = export(capsys, NAME, "--sessions-dir", str(sessions), "--eml")
    assert code == 0
    folder = sessions / NAME / "rapports-par-projet"
    assert (folder / "rapport-rustine-et-cie.eml").is_file()
    assert (folder / "index.md").is_file()


def test_per_project_never_overwrites_without_force(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "envoi"
    target.mkdir()
    (target / "index.md").write_text("à moi\n", encoding="utf-8")
    code, out, err = export(
        capsys, NAME, "--sessions-dir", str(sessions), "--par-projet", str(target)
    )
    assert code == 2 and out == "" and "index.md" in err and "--force" in err
    assert sorted(p.name for p in target.iterdir()) == ["index.md"]  # nothing written
    code, _, _ = export(
        capsys, NAME, "--sessions-dir", str(sessions), "--par-projet", str(target), "--force"
    )
    assert code == 0 and (target / "index.md").read_text(encoding="utf-8") != "à moi\n"


def test_per_project_refuses_other_choices(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = export(
        capsys, NAME, "--sessions-dir", str(sessions), "--eml", "--project", "cote-cour"
    )
    assert code == 2 and "--project" in err
    code, _, err = export(
        capsys,
        NAME,
        "--sessions-dir",
        str(sessions),
        "--par-projet",
        str(tmp_path / "absent" / "x"),
    )
    assert code == 1 and "le dossier n'existe pas" in err


def test_private_report_has_its_own_name(
    sessions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = export(capsys, NAME, "--sessions-dir", str(sessions), "--prive")
    written = sessions / NAME / "rapport-prive.md"
    assert code == 0 and str(written) in out
    assert "vidéoprojecteur capricieux" in written.read_text(encoding="utf-8")
    code, _, _ = export(capsys, NAME, "--sessions-dir", str(sessions))
    assert "vidéoprojecteur" not in (sessions / NAME / "rapport.md").read_text(encoding="utf-8")
