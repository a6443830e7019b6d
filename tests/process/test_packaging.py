"""A plain (non-editable) install finds the bundled workshop: build the wheel, unpack it
somewhere else, and load the ATIS content from there."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_wheel_ships_the_bundled_workshop(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    wheel = next((tmp_path / "dist").glob("atelier-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("quiz.yaml", "grid.yaml", "workshop.yaml", "slides.yaml", "pitch.yaml"):
        assert f"atelier/bundled/atis-2020-05-19/{expected}" in names
    assert "atelier/tui/atelier.tcss" in names
    assert "atelier/bundled/atelier.schema.json" in names  # the editors' schema
    assert "atelier/scaffold/workshop.yaml" in names  # atelier new
    assert "atelier/scaffold/activities.yaml" in names
    # the block letters' font and its licence (read on first use)
    assert "atelier/tui/fonts/unscii-8-fr.hex" in names
    assert "atelier/tui/fonts/LICENSE-unscii.txt" in names
    for screen_styles in ("pitch", "assessment", "review", "practice"):  # their CSS_PATH
        assert f"atelier/tui/screens/{screen_styles}.tcss" in names

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from atelier.store.content_loader import bundled_content_root, load_workshop,"
        " resolve_content_dir\n"
        "folder = resolve_content_dir(None)\n"
        "assert str(folder).startswith(sys.argv[1]), folder\n"
        "print(load_workshop(folder).id)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(site)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "atis-2020-05-19"
