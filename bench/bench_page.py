"""Benchmark: lay out and draw the heaviest projected page, statement 3's reveal (seven
examples), at 160×45 and 240×67 (target ``page_layout_ms`` ≤ 30: the slower of the two).

The real app runs headless on the quiz; each run shows the reveal again from another text,
with the block-letter and Markdown caches emptied (a first show). The figure is the process's
CPU time from ``show`` until the first frame that shows the page in its parts has been drawn
(``call_after_refresh``); ``pilot.pause`` (which checks every widget for idleness: its own
cost, not the page's) runs only after, so that each run starts from a quiet screen."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from atelier.domain.clock import FakeClock
from atelier.store.content_loader import load_workshop, resolve_content_dir
from atelier.store.session_store import SessionStore
from atelier.store.settings import Settings
from atelier.tui.app import AtelierApp

RUNS = 15
SIZES = ((160, 45), (240, 67))


def measure_page_layout_ms() -> dict[str, float]:
    figures: dict[str, float] = {}
    for width, height in SIZES:
        figures[f"page_layout_{width}x{height}_ms"] = _measure((width, height))
    figures["page_layout_ms"] = max(figures.values())
    return figures


def _measure(size: tuple[int, int]) -> float:
    workshop = load_workshop(resolve_content_dir(None))
    clock = FakeClock()
    with tempfile.TemporaryDirectory(prefix="atelier-bench-") as tmp:
        from atelier.cli_run import open_or_create_session

        session = open_or_create_session(SessionStore(Path(tmp)), workshop, "bench", clock)
        app = AtelierApp(workshop, session, session.record, clock, Settings())
        result = asyncio.run(_run(app, size))
        session.close()
    return result


async def _run(app: AtelierApp, size: tuple[int, int]) -> float:
    from atelier.tui.screens.quiz import QuizScreen, reveal_counted, reveal_markdown
    from atelier.tui.widgets import big_text, markdown_text
    from atelier.tui.widgets.slide_view import Page

    samples: list[float] = []
    async with app.run_test(size=size) as pilot:
        while not isinstance(app.screen, QuizScreen):
            await pilot.pause()
        screen = app.screen
        while not (screen.section == "items" and screen.run and screen.run.index == 2):
            if screen.section == "items" and screen.run and screen.run.revealed:
                while screen.query_one("#quiz-explanation", Page).next_part():
                    await pilot.pause()
            await pilot.press("right")
            await pilot.pause()
        await pilot.press("enter")  # reveal statement 3 (only Entrée reveals)
        await pilot.pause()
        page = screen.query_one("#quiz-explanation", Page)
        assert screen.run is not None and screen.run.revealed, "statement 3 not revealed"
        item = screen.run.item
        markdown = reveal_markdown(item, [])
        for _ in range(RUNS):
            await page.show("…")
            while not page.laid_out:
                await pilot.pause()
            await pilot.pause()  # « … » painted: its frame is not counted below
            big_text.layout_big.cache_clear()
            big_text._render_cached.cache_clear()
            big_text._drawn.cache_clear()
            markdown_text._parsed.cache_clear()  # a first show: nothing parsed yet
            start = time.process_time()
            await page.show(markdown, counted=reveal_counted(item))
            while not page.laid_out:
                await asyncio.sleep(0)
            painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            app.call_after_refresh(lambda: painted.set_result(None))  # noqa: B023
            await painted  # the first frame that shows the page, in its parts
            samples.append((time.process_time() - start) * 1000)
            await pilot.pause()
            # The page on screen: never a figure for a page nobody sees.
            assert page.size.height > 0 and page.laid_out, (page.size, page.part_count)
            assert page.max_scroll_y == 0
    return round(statistics.median(samples), 2)


if __name__ == "__main__":
    import json

    print(json.dumps(measure_page_layout_ms()))
