#!/usr/bin/env python3
"""Does a rerun cost the same for a busy account as for a quiet one?

For 1, 2, 4 and 8 activities a day over the three history years (the demo athlete topped
up by ``section11.demo.dense``), runs ``python -m section11`` as a child process against
the fake Intervals.icu on 127.0.0.1: a cold sync (empty folder), then the rerun with
nothing new (median of ``--repeat``) and the rerun after one new activity of today
(median of ``--repeat``, one more activity each time). The reruns go round every density
(and tree) in turn, so the machine's noise falls on all of them alike. CPU is the child's
user + system time from ``os.wait4`` (interpreter start and imports included), wall the
elapsed time, peak the child's resident memory (VmHWM); see bench_perf.py, whose child
runner this uses.

The last line compares the 8-a-day rerun with the 1-a-day rerun (CPU, nothing new):
PASS when it costs at most 1.25 times as much. Nothing is asserted in the tests.

Usage: python benchmarks/bench_flat.py [--per-day 1 2 4 8] [--repeat 3] [--baseline DIR]
``--baseline DIR`` also runs, alternating with this checkout, the code of another source
tree (e.g. ``git archive <commit> section11 | tar -x -C DIR``); its children get
``PYTHONPATH=DIR`` while the athlete and the fake server come from this checkout.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench_perf import (
    Run,
    check_baseline,
    median_run,
    new_activity,
    run_folders,
    run_sync,
)

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


@dataclass
class _Subject:
    """One density and tree under test: its athlete, fake server, folders and runs."""

    per_day: int
    tree: Path | None
    server: FakeIntervalsServer
    out: Path
    home: Path
    cold: Run | None = None
    reruns: list[Run] = field(default_factory=list)
    news: list[Run] = field(default_factory=list)

    def sync(self) -> Run:
        return run_sync(self.server, self.out, self.home, self.tree)

    def row(self) -> Row:
        assert self.cold is not None
        state = self.out / ".section11" / "history-state.json"
        return Row(
            per_day=self.per_day,
            activities=len(self.server.athlete.activities),
            tree=self.tree,
            cold=self.cold,
            rerun=median_run(self.reruns),
            new=median_run(self.news),
            state_bytes=state.stat().st_size if state.exists() else 0,
        )


def measure(per_days: list[int], repeat: int, tmp: Path, trees: list[Path | None]) -> list[Row]:
    """Cold syncs first; then the reruns go round every density and tree in turn, so that
    the machine's ups and downs fall on all of them alike."""
    today = local_today(datetime.now(UTC), DEMO_TIMEZONE)
    with contextlib.ExitStack() as stack:
        subjects: list[_Subject] = []
        for per_day in per_days:
            for number, tree in enumerate(trees):
                out, home = run_folders(tmp / f"{per_day}-{number}")
                server = stack.enter_context(
                    FakeIntervalsServer(generate_dense_athlete(today, per_day))
                )
                subjects.append(_Subject(per_day, tree, server, out, home))
        for subject in subjects:
            subject.cold = subject.sync()
            code = "baseline" if subject.tree else "this"
            print(f"  cold sync {subject.per_day}/day ({code}) done", flush=True)
        for _ in range(repeat):
            for subject in subjects:
                subject.reruns.append(subject.sync())
        for number in range(1, repeat + 1):
            for subject in subjects:
                subject.server.athlete.add_activity(new_activity(today.isoformat(), number))
                subject.news.append(subject.sync())
        return [subject.row() for subject in subjects]


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
    new_one, new_eight = by_day[1].new.cpu_s, by_day[8].new.cpu_s
    return (
        f"{result}: {code}: rerun CPU at 8/day {eight:.2f} s = {ratio:.2f} x 1/day "
        f"({one:.2f} s); target <= {FLAT_RATIO} x\n"
        f"      (after one new activity: {new_eight:.2f} s = {new_eight / new_one:.2f} x "
        f"1/day ({new_one:.2f} s))"
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
    with tempfile.TemporaryDirectory(prefix="section11-flat-") as tmp:
        rows = measure(args.per_day, repeat, Path(tmp), trees)
    print_table(rows)
    for tree in trees:
        line = verdict(rows, tree)
        if line is not None:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
