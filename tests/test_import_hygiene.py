"""Only the screens (``atelier/tui/``) import Textual: the domain, the store, the reports, the
phone server and the command line are tested fast and reused by the command-line tools. Every
such module is found on disk and imported in a fresh interpreter, so nothing imported by another
test can hide a violation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "atelier"
NOT_PURE = ("tui",)  # the screens, the only package that may import Textual
NOT_IMPORTED = {"atelier.__main__"}  # runs the command line when imported


def pure_modules() -> list[str]:
    """Every module of the package outside ``tui/``, found on disk: a new module is checked
    without anyone adding it to a list. ``atelier.cli`` is one: ``atelier --help``, ``validate``
    and ``export`` never load Textual (its imports of the app are inside functions)."""
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[1] in NOT_PURE:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name not in NOT_IMPORTED:
            modules.append(name)
    return modules


def test_the_list_of_pure_modules_is_complete() -> None:
    modules = pure_modules()
    for expected in (
        "atelier.cli",
        "atelier.domain.session",
        "atelier.store.session_store",
        "atelier.report.model",
        "atelier.report.export",
        "atelier.vote.server",
    ):
        assert expected in modules
    assert not [m for m in modules if m.startswith("atelier.tui")]


@pytest.mark.parametrize("module", pure_modules())
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
        "from atelier.cli_run import open_or_create_session\n"
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
