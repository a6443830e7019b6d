"""Shared fixtures. Every test runs with its own sessions, settings and cache folders, so
nothing a test does touches the user's files, and nothing of the user's changes a test."""

from __future__ import annotations

import os
from pathlib import Path

# Textual reads these when it is imported: set them before any test module imports it.
os.environ["TEXTUAL_ANIMATIONS"] = "none"
os.environ.setdefault("TEXTUAL_FPS", "60")

import pytest  # noqa: E402

from atelier.domain.clock import FakeClock  # noqa: E402
from atelier.domain.content import Workshop  # noqa: E402
from atelier.store.content_loader import load_workshop  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ATIS_DIR = ROOT / "content" / "atis-2020-05-19"
MINI_DIR = ROOT / "tests" / "data" / "mini-workshop"


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("ATELIER_CONFIG_DIR", str(config))
    monkeypatch.setenv("ATELIER_SESSIONS_DIR", str(tmp_path_factory.mktemp("sessions-env")))
    monkeypatch.setenv("ATELIER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("ATELIER_STATE_DIR", str(tmp_path_factory.mktemp("state")))
    monkeypatch.delenv("ATELIER_ASCII", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def atis() -> Workshop:
    return load_workshop(ATIS_DIR)


@pytest.fixture(scope="session")
def mini() -> Workshop:
    return load_workshop(MINI_DIR)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
