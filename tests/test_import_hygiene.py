"""The domain, the store and the reports never import Textual: they are tested fast and reused
by the command-line tools. Checked in a fresh interpreter, so nothing imported by another test
can hide a violation."""

from __future__ import annotations

import subprocess
import sys

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
