"""Print atelier's performance figures as one JSON line.

Every figure is measured in this run, on this machine; ratios compare two things measured
side by side, so machine noise cancels out. Targets (see docs/DESIGN.md) are printed under
``targets`` so a reader can compare without looking them up.

    .venv/bin/python bench/run.py            all figures (about two minutes)
    .venv/bin/python bench/run.py --quick    skip the slow ones (real-time timer runs)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atelier.store.content_loader import load_workshop, resolve_content_dir  # noqa: E402

TARGETS = {
    "startup_ratio": "<= 1.5",
    "peak_rss_mib": "<= 60",
    "content_load_ms": "<= 30",
    "save_p99_ms": "<= 15",
    "ui_stall_ms": "<= 50",
    "timer_error_ms": "<= 100",
    "timer_idle_cpu_pct": "<= 2",
    "export_html_ms": "<= 200",
    "vote_p99_ms": "<= 50",
    "vote_ui_stall_ms": "<= 50",
    "content_36k_keys_s": "<= 3",
    "content_2mb_s": "<= 5",
    "content_20mb_s": "<= 3",
    "session_20k_keys_s": "<= 3",
    "room_p99_ms": "<= 50",
    "room_fanout_s": "<= 2",
    "room_stall_ms": "<= 50",
    "room_rss_growth_mib": "<= 60",
    "page_layout_ms": "<= 30",
    "remote_key_p99_ms": "<= 200",
    "remote_stall_ms": "<= 50",
    "grid_phone_ack_p99_ms": "<= 100",
    "grid_phone_stall_ms": "<= 50",
    "grid_phone_lost_fields": "== 0",
}


def measure_content_load_ms(runs: int = 20) -> float:
    folder = resolve_content_dir(None)
    load_workshop(folder)  # warm the OS file cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        load_workshop(folder)
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def measure_reference_ms(runs: int = 7) -> float:
    """The machine's own speed, so that figures from two machines (or two sessions on a
    noisy one) can be compared: a fixed pure-Python workload of the kind a frame costs
    (small objects, dictionaries, strings), CPU time, median of ``runs``. No target: divide a
    figure by it to compare across machines."""

    class Cell:
        __slots__ = ("text", "style")

        def __init__(self, text: str, style: dict[str, int]) -> None:
            self.text = text
            self.style = style

    samples = []
    for _ in range(runs):
        start = time.process_time()
        lines: dict[int, list[Cell]] = {}
        for row in range(300):
            cells = [Cell(f"{row}:{column}", {"fg": column, "bg": row}) for column in range(160)]
            lines[row] = cells
            "".join(cell.text for cell in cells).split(":")
        samples.append((time.process_time() - start) * 1000)
    return round(statistics.median(samples), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the real-time timer runs")
    args = parser.parse_args()

    from bench_errors import measure_error_reporting
    from bench_export import measure_export_html_ms
    from bench_grid_phones import measure_grid_phones
    from bench_page import measure_page_layout_ms
    from bench_remote import measure_remote
    from bench_room import measure_room
    from bench_save import measure_save_p99_ms
    from bench_session import build_bench_record
    from bench_timer import measure_timer_error_ms, measure_timer_idle_cpu_pct
    from bench_typing import measure_ui_stall_ms
    from bench_vote import measure_vote
    from startup import measure_startup

    figures: dict[str, object] = {"reference_ms": measure_reference_ms()}
    figures.update(measure_startup())
    figures["content_load_ms"] = measure_content_load_ms()
    figures.update(measure_error_reporting())
    figures["save_p99_ms"] = measure_save_p99_ms()
    workshop = load_workshop(resolve_content_dir(None))
    figures["export_html_ms"] = measure_export_html_ms(build_bench_record(workshop), workshop)
    figures["ui_stall_ms"] = measure_ui_stall_ms()["ui_stall_ms"]
    vote = measure_vote()
    figures["vote_p99_ms"] = vote["vote_p99_ms"]
    figures["vote_ui_stall_ms"] = vote["vote_ui_stall_ms"]
    figures.update(measure_page_layout_ms())
    figures.update(measure_room())  # 1,000 phones follow, vote, send cards (about 40 s)
    figures.update(measure_remote())  # 200 presses of the remote, 300 phones following
    grid = measure_grid_phones()  # 60 teams × 2 phones fill their grid, 200 follow (about 45 s)
    for key in ("grid_phone_ack_p99_ms", "grid_phone_stall_ms", "grid_phone_lost_fields"):
        figures[key] = grid[key]
    if not args.quick:
        figures["timer_error_ms"] = measure_timer_error_ms()
        figures["timer_idle_cpu_pct"] = measure_timer_idle_cpu_pct()
    figures["reference_ms_after"] = measure_reference_ms()  # the machine's speed again, at the end
    figures["targets"] = {key: TARGETS[key] for key in TARGETS if key in figures}
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
