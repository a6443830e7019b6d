"""The validated-content cache: used only while the workshop's files and atelier's content
model are exactly what it was built from; anything wrong with it means a normal load."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

import atelier
from atelier.domain.content import Workshop
from atelier.errors import ContentError
from atelier.store import content_cache
from atelier.store.content_cache import cache_file, load_workshop_cached
from atelier.store.content_loader import content_hash, load_workshop
from tests.conftest import MINI_DIR


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "mini"
    shutil.copytree(MINI_DIR, copy)
    return copy


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders fully read and validated (cache misses)."""
    calls: list[Path] = []

    def counting_load(path: Path) -> Workshop:
        calls.append(path)
        return load_workshop(path)

    monkeypatch.setattr(content_cache, "load_workshop", counting_load)
    return calls


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_second_load_comes_from_the_cache(folder: Path, loads: list[Path]) -> None:
    first = load_workshop_cached(folder)
    assert cache_file(folder).is_file()
    second = load_workshop_cached(folder)
    assert loads == [folder]
    assert second == first
    assert second is not first


def test_cached_fingerprint_is_the_one_of_a_full_load(folder: Path) -> None:
    expected = content_hash(load_workshop(folder))
    load_workshop_cached(folder)
    assert content_hash(load_workshop_cached(folder)) == expected


def test_any_edit_of_a_file_means_a_full_load(folder: Path, loads: list[Path]) -> None:
    load_workshop_cached(folder)
    _append(folder / "workshop.yaml", "\n# un commentaire\n")
    load_workshop_cached(folder)
    assert len(loads) == 2


def test_a_new_file_means_a_full_load(folder: Path, loads: list[Path]) -> None:
    load_workshop_cached(folder)
    (folder / "resources.yaml").write_text("resources: []\n", encoding="utf-8")
    with pytest.raises(ContentError):  # the new file is read: resources is already defined
        load_workshop_cached(folder)
    assert len(loads) == 2


def test_a_broken_edit_is_reported_not_hidden_by_the_cache(folder: Path) -> None:
    load_workshop_cached(folder)
    _append(folder / "workshop.yaml", "\ntitle: [\n")
    with pytest.raises(ContentError) as error:
        load_workshop_cached(folder)
    assert "workshop.yaml" in str(error.value) + "".join(str(p.path) for p in error.value.problems)


def test_content_with_mistakes_is_never_cached(folder: Path) -> None:
    _append(folder / "workshop.yaml", "\nmystery_key: 1\n")
    with pytest.raises(ContentError):
        load_workshop_cached(folder)
    assert not cache_file(folder).exists()


def test_another_version_of_atelier_does_not_read_the_cache(
    folder: Path, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_workshop_cached(folder)
    monkeypatch.setattr(atelier, "__version__", "99.0")
    load_workshop_cached(folder)
    assert len(loads) == 2


@pytest.mark.parametrize(
    "garbage",
    [b"", b"not a pickle", b"\x80\x05\x95", b"\x80\x05N."],
    ids=["empty", "text", "truncated", "none"],
)
def test_a_corrupt_cache_file_is_replaced(folder: Path, loads: list[Path], garbage: bytes) -> None:
    expected = load_workshop_cached(folder)
    cache_file(folder).write_bytes(garbage)
    assert load_workshop_cached(folder) == expected
    assert load_workshop_cached(folder) == expected
    assert len(loads) == 2  # rebuilt once, then read again


def test_an_unwritable_cache_folder_only_costs_a_full_load(
    folder: Path, tmp_path: Path, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("ATELIER_CACHE_DIR", str(blocker))
    assert load_workshop_cached(folder).id == load_workshop(folder).id
    load_workshop_cached(folder)
    assert len(loads) == 2


def test_a_missing_folder_is_reported_as_without_cache(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="introuvable"):
        load_workshop_cached(tmp_path / "absent")


def test_validate_reads_the_files_never_the_cache(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from atelier.cli import main

    real = load_workshop_cached(folder)
    tampered = real.model_copy(update={"title": "Titre venu du cache"})
    content_cache._write(cache_file(folder), content_cache.cache_key(folder) or "", tampered)
    assert load_workshop_cached(folder).title == "Titre venu du cache"  # the cache is used...
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert real.title in out and "Titre venu du cache" not in out  # ...but not by validate


def test_any_failure_while_writing_the_cache_only_costs_a_full_load(
    folder: Path, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_dump(*args: object, **kwargs: object) -> None:
        raise TypeError("cannot pickle")

    monkeypatch.setattr(content_cache.pickle, "dump", broken_dump)
    assert load_workshop_cached(folder).id == load_workshop(folder).id
    assert not cache_file(folder).exists()
    assert not list(cache_file(folder).parent.glob(".*.tmp"))  # no temporary file left
    load_workshop_cached(folder)
    assert len(loads) == 2


class _Planted:
    """Unpickling this runs code: it writes a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]  # noqa: ANN204
        return (Path.write_text, (self.marker, "code ran"))


@pytest.mark.skipif(os.name != "posix", reason="file modes: POSIX")
@pytest.mark.parametrize("how", ["no-header", "wrong-key", "group-writable", "shared-folder"])
def test_a_planted_cache_file_is_never_unpickled(
    folder: Path, loads: list[Path], tmp_path: Path, how: str
) -> None:
    """Issue 15 item 8: a cache file atelier did not write (a shared cache folder, a planted
    file) is checked before a byte is unpickled; before, any pickle there ran its code."""
    marker = tmp_path / "pwned"
    load_workshop_cached(folder)
    path = cache_file(folder)
    key = content_cache.cache_key(folder)
    assert key is not None
    payload = pickle.dumps(_Planted(marker))
    if how == "no-header":
        path.write_bytes(payload)
    elif how == "wrong-key":
        path.write_bytes(content_cache._MAGIC + b"0" * len(key) + b"\n" + payload)
    else:
        path.write_bytes(content_cache._MAGIC + key.encode() + b"\n" + payload)
        if how == "group-writable":
            path.chmod(0o664)
        else:
            path.chmod(0o600)
            path.parent.chmod(0o777)
    try:
        workshop = load_workshop_cached(folder)
    finally:
        path.parent.chmod(0o700)
    assert not marker.exists()
    assert isinstance(workshop, Workshop)
    assert len(loads) == 2  # a full load instead


def test_the_cache_is_private(folder: Path) -> None:
    load_workshop_cached(folder)
    path = cache_file(folder)
    assert path.stat().st_mode & 0o077 == 0
    assert path.read_bytes().startswith(content_cache._MAGIC)


def test_the_key_covers_every_module_of_the_content_model() -> None:
    """The content model is split over ``atelier/domain/content*.py``: a change to any of them
    (a field, a validator, a cross-check) must mean a full load."""
    domain = Path(atelier.__file__).parent / "domain"
    on_disk = {path.resolve() for path in domain.glob("content*.py")}
    keyed = {Path(m.__file__ or "").resolve() for m in content_cache.CONTENT_MODEL_MODULES}
    assert on_disk == keyed
