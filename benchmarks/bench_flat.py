#!/usr/bin/env python3
"""Does a rerun cost the same for a busy account as for a quiet one?

For 1, 2, 4 and 8 activities a day over the three history years (the demo athlete topped
up by ``section11.demo.dense``), runs ``python -m section11`` as a child process against
the fake Intervals.icu on 127.0.0.1: a cold sync (empty folder), then the rerun with
nothing new (median of ``--repeat``) and the rerun after one new activity of today
(median of ``--repeat``, one more activity each time). CPU is the child's user + system
time from ``os.wait4`` (interpreter start and imports included), wall the elapsed time,
peak the child's resident memory (VmHWM); see bench_perf.py, whose child runner this uses.

The last line compares the 8-a-day rerun with the 1-a-day rerun (CPU, nothing new):
PASS when it costs at most 1.25 times as much. Nothing is asserted in the tests.

Usage: python benchmarks/bench_flat.py [--per-day 1 2 4 8] [--repeat 3] [--baseline DIR]
``--baseline DIR`` also runs, alternating with this checkout, the code of another source
tree (e.g. ``git archive <commit> section11 | tar -x -C DIR``); its children get
``PYTHONPATH=DIR`` while the athlete and the fake server come from this checkout.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench_perf import Run, check_baseline, median_run, new_activity, run_sync

from section11.clock import local_today
from section11.demo import DEMO_TIMEZONE, FakeIntervalsServer
from section11.demo.dense import generate_dense_athlete

FLAT_RATIO = 1.25  # 8 a day may cost at most this much more than 1 a day


@dataclass(frozen=True)
class Row:
    per_day: int
    activities: int
    tree: Path | None
    cold: Run
    rerun: Run
    new: Run
    state_bytes: int


def measure(per_day: int, repeat: int, folder: Path, tree: Path | None) -> Row:
    today = local_today(datetime.now(UTC), DEMO_TIMEZONE)
    athlete = generate_dense_athlete(today, per_day)
    out, home = folder / "out", folder / "home"
    out.mkdir(parents=True)
    home.mkdir()
    (home / "no-config.json").write_text("{}")
    with FakeIntervalsServer(athlete) as server:
        cold = run_sync(server, out, home, tree)
        reruns = [run_sync(server, out, home, tree) for _ in range(repeat)]
        news = []
        for number in range(1, repeat + 1):
            athlete.add_activity(new_activity(today.isoformat(), number))
            news.append(run_sync(server, out, home, tree))
    state = out / ".section11" / "history-state.json"
    return Row(
        per_day=per_day,
        activities=len(athlete.activities),
        tree=tree,
        cold=cold,
        rerun=median_run(reruns),
        new=median_run(news),
        state_bytes=state.stat().st_size if state.exists() else 0,
    )


def print_table(rows: list[Row]) -> None:
    print(
        f"{'per day':>7} {'activities':>10}  {'code':<10} {'cold cpu':>8} {'wall':>6}  "
        f"{'rerun cpu':>9} {'wall':>6}  {'+1 new cpu':>10} {'wall':>6}  {'peak MB':>7} "
        f"{'state KB':>8}"
    )
    for r in rows:
        code = "baseline" if r.tree is not None else "this"
        print(
            f"{r.per_day:>7} {r.activities:>10}  {code:<10} {r.cold.cpu_s:>8.2f} "
            f"{r.cold.wall_s:>6.2f}  {r.rerun.cpu_s:>9.2f} {r.rerun.wall_s:>6.2f}  "
            f"{r.new.cpu_s:>10.2f} {r.new.wall_s:>6.2f}  {r.rerun.peak_mb:>7.0f} "
            f"{r.state_bytes / 1024:>8.0f}"
        )


def verdict(rows: list[Row], tree: Path | None) -> str | None:
    """PASS/FAIL of the 8-a-day rerun against the 1-a-day one for one tree."""
    by_day = {r.per_day: r for r in rows if r.tree == tree}
    if 1 not in by_day or 8 not in by_day:
        return None
    one, eight = by_day[1].rerun.cpu_s, by_day[8].rerun.cpu_s
    ratio = eight / one
    code = f"code of {tree}" if tree is not None else "this checkout"
    result = "PASS" if ratio <= FLAT_RATIO else "FAIL"
    return (
        f"{result}: {code}: rerun CPU at 8/day {eight:.2f} s = {ratio:.2f} x 1/day "
        f"({one:.2f} s); target <= {FLAT_RATIO} x"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-day", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another source tree to compare with")
    args = parser.parse_args()
    check_baseline(parser, args.baseline)
    repeat = max(1, args.repeat)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; medians of {repeat} reruns")
    trees: list[Path | None] = [None] if args.baseline is None else [args.baseline, None]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="section11-flat-") as tmp:
        for per_day in args.per_day:
            for number, tree in enumerate(trees):
                folder = Path(tmp) / f"{per_day}-{number}"
                rows.append(measure(per_day, repeat, folder, tree))
                print(f"  measured {per_day}/day ({'baseline' if tree else 'this'})", flush=True)
    print_table(rows)
    for tree in trees:
        line = verdict(rows, tree)
        if line is not None:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
