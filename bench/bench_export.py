"""Benchmark: export a 30-project session as one HTML page (target ≤ 200 ms).

``measure_export_html_ms(record, workshop)`` is what ``bench/run.py`` reports as
``export_html_ms``: the median of a few full ``render_html`` calls. Run this file to build the
benchmark session on the bundled ATIS workshop (30 projects, every criterion scored, 10 notes
of ~200 characters each per project) and print the figures as one JSON line.
"""

from __future__ import annotations

import json
import statistics
import time

from bench_session import build_bench_record

from atelier.domain.content import Workshop
from atelier.domain.session import SessionRecord
from atelier.report import render_html, render_markdown

RUNS = 7


def measure_export_html_ms(record: SessionRecord, workshop: Workshop, runs: int = RUNS) -> float:
    """Median wall time (ms) of ``render_html(workshop, record)`` over ``runs`` calls."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        render_html(workshop, record)
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def _measure_markdown_ms(record: SessionRecord, workshop: Workshop, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        render_markdown(workshop, record)
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def main() -> None:
    from atelier.store.content_loader import load_workshop, resolve_content_dir

    workshop = load_workshop(resolve_content_dir(None))
    record = build_bench_record(workshop)
    figures = {
        "export_html_ms": measure_export_html_ms(record, workshop),
        "export_md_ms": _measure_markdown_ms(record, workshop),
        "html_kib": round(len(render_html(workshop, record).encode("utf-8")) / 1024, 1),
        "projects": len(record.projects),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
