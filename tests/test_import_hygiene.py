"""The domain, the store and the reports never import Textual: they are tested fast and reused
by the command-line tools. Checked in a fresh interpreter, so nothing imported by another test
can hide a violation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PURE_MODULES = [
    "atelier.domain.content",
    "atelier.domain.session",
    "atelier.domain.countdown",
    "atelier.domain.clock",
    "atelier.domain.programme",
    "atelier.domain.quiz",
    "atelier.domain.assessment",
    "atelier.store.content_loader",
    "atelier.store.session_store",
    "atelier.store.yaml_io",
    "atelier.report.markdown",
    "atelier.report.html",
    "atelier.report.listing",
    "atelier.cli",
]


@pytest.mark.parametrize("module", PURE_MODULES)
def test_module_does_not_import_textual(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"


def test_domain_does_not_import_yaml_or_files() -> None:
    code = (
        "import sys, atelier.domain.content, atelier.domain.session, atelier.domain.quiz,"
        " atelier.domain.programme, atelier.domain.countdown\n"
        "print('yaml' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


NOT_ON_THE_FIRST_FRAME = (
    "textual.widgets._markdown",
    "markdown_it",
    "pygments",
    "aiohttp",
    "segno",
)
"""What start-up does without (bench/startup.py): Textual's Markdown widget and the parser (the
title page is plain paragraphs), Pygments, and phone voting's web server and QR codes."""


def _print_leaked(modules: tuple[str, ...]) -> str:
    """Code that prints, on its last line, the modules of ``modules`` that were imported."""
    return f"print('leaked:', *sorted(m for m in sys.modules if m.startswith({modules!r})))\n"


def test_the_app_module_imports_no_screen_content() -> None:
    code = "import sys, atelier.tui.app\n" + _print_leaked(NOT_ON_THE_FIRST_FRAME)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "leaked:"


def test_the_first_frame_imports_only_what_it_draws(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from atelier.cli import open_or_create_session\n"
        "from atelier.domain.clock import SystemClock\n"
        "from atelier.store.content_loader import load_workshop, resolve_content_dir\n"
        "from atelier.store.session_store import SessionStore\n"
        "from atelier.store.settings import Settings\n"
        "from atelier.tui.app import AtelierApp\n"
        "workshop = load_workshop(resolve_content_dir(None))\n"
        "store = SessionStore(sys.argv[1])\n"
        "session = open_or_create_session(store, workshop, None, SystemClock())\n"
        "async def first_frame(pilot):\n"
        "    await pilot.pause()\n"
        "    pilot.app.exit()\n"
        "AtelierApp(workshop, session, session.record, SystemClock(), Settings()).run(\n"
        "    headless=True, size=(120, 35), auto_pilot=first_frame\n"
        ")\n"
        "session.close()\n" + _print_leaked(NOT_ON_THE_FIRST_FRAME)
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "leaked:"
