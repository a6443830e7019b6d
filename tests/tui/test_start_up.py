"""``atelier run`` keeps the garbage collector off from its start to the app's first frame;
whatever path the app takes, the collector is on again afterwards."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from atelier.cli import main
from atelier.cli_run import _new_record
from atelier.domain.clock import FakeClock
from atelier.domain.content import Workshop
from atelier.store.settings import Settings
from atelier.tui.app import AtelierApp
from tests.tui.factory import close, make_app, wait_for


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.disable()  # as cli_run.run leaves it when the app starts
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("collector_off")
async def test_the_first_frame_turns_the_collector_back_on(atis: Workshop, tmp_path: Path) -> None:
    app = make_app(atis, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, gc.isenabled)
    close(app)


@pytest.mark.usefixtures("collector_off")
async def test_practice_mode_turns_it_back_on_too(atis: Workshop) -> None:
    clock = FakeClock()
    record = _new_record(atis, "entrainement", clock, practice=True)
    app = AtelierApp(atis, None, record, clock, Settings(), practice=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, gc.isenabled)


def test_a_run_that_fails_before_the_app_leaves_it_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gc.isenabled()
    assert main(["run", str(tmp_path / "absent")]) != 0
    assert gc.isenabled()
    assert "introuvable" in capsys.readouterr().err
