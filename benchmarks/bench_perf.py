#!/usr/bin/env python3
"""What one sync costs the machine: each run is a child process, as on a scheduler.

For 0 ms and 100 ms added to every response of the fake Intervals.icu (demo athlete), runs
``python -m section11`` three ways: cold (empty folder), rerun with nothing new, and rerun
after one new activity of today. For each it prints requests, bytes downloaded, CPU time of
the child (user + system, interpreter start and imports included, from ``os.wait4``), wall
time and the child's peak memory (``ru_maxrss``); then the bytes of each JSON output file,
and its tokens when the offline tokenizer ``bpe-openai`` is installed (its vocabularies are
compiled into the package; ``tiktoken`` downloads them at run time, so it cannot be used
offline).

Usage: python benchmarks/bench_perf.py [--latency 0 0.1] [--repeat 3] [--baseline DIR]
``--repeat`` runs the nothing-new rerun that many times and reports the median.
``--baseline DIR`` also runs, in the same run and alternating run by run with this checkout,
the code of another source tree (e.g. ``git archive <commit> section11 | tar -x -C DIR``):
its children get ``PYTHONPATH=DIR``, so before/after figures come from one machine state;
it then prints the ratio of the reruns' CPU (target: at most 0.60).
No budgets are checked here (bench_sync.py checks the request budgets).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from section11.clock import local_today
from section11.demo import DEMO_TIMEZONE, FakeIntervalsServer, generate_demo_athlete

# The five files AI assistants read.
OUTPUT_FILES = ("latest.json", "history.json", "intervals.json", "routes.json", "ftp_history.json")
# The target: a rerun with nothing new at most 60 % of the CPU of the code before.
RERUN_CPU_TARGET = 0.60


@dataclass(frozen=True)
class Run:
    requests: int
    bytes_down: int
    cpu_s: float
    wall_s: float
    peak_mb: float


def _child_env(home: Path, tree: Path | None) -> dict[str, str]:
    """A clean environment: no user config, no Garmin tokens, no pinned clock."""
    return {
        **({"PYTHONPATH": str(tree)} if tree is not None else {}),
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "SECTION11_CONFIG": str(home / "no-config.json"),
        "PYTHONDONTWRITEBYTECODE": "",
    }


# The child runs ``python -m section11`` and, at exit, writes its peak resident memory
# (VmHWM) to the file named by SECTION11_BENCH_PEAK. ``ru_maxrss`` cannot be used: Linux
# carries it over exec, so it would report this (large) benchmark process, which the child
# was forked from.
_CHILD = """
import atexit, os, runpy, sys
def _peak():
    with open("/proc/self/status") as status, open(os.environ["SECTION11_BENCH_PEAK"], "w") as out:
        out.write(next((l.split()[1] for l in status if l.startswith("VmHWM:")), ""))
atexit.register(_peak)
sys.argv[0] = "section11"
runpy.run_module("section11", run_name="__main__", alter_sys=True)
"""


def child_peak_mb(path: Path, fallback_kb: int) -> float:
    try:
        return int(path.read_text()) / 1024  # kB
    except (OSError, ValueError):
        return fallback_kb / 1024  # no /proc: ru_maxrss (may include the parent's pages)


def run_sync(server: FakeIntervalsServer, out: Path, home: Path, tree: Path | None) -> Run:
    athlete = server.athlete
    server.reset_log()
    peak_file = home / "peak.txt"
    peak_file.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-c",
        _CHILD,
        "--api-base",
        server.base_url,
        "--athlete-id",
        athlete.athlete_id,
        "--intervals-key",
        athlete.api_key,
        "--output-dir",
        str(out),
    ]
    with open(home / "log.txt", "ab") as log:
        started = time.perf_counter()
        # cwd: ``-c`` puts the working directory first on sys.path; a checkout there
        # would shadow the tree under test.
        child = subprocess.Popen(
            command,
            stdout=log,
            stderr=log,
            env={**_child_env(home, tree), "SECTION11_BENCH_PEAK": str(peak_file)},
            cwd=home,
        )
        code, run = measure_child(child, started, server, peak_file)
    if code != 0:
        raise SystemExit(f"sync failed (exit {code}); see {home / 'log.txt'}")
    return run


def measure_child(
    child: subprocess.Popen[bytes], started: float, server: FakeIntervalsServer, peak_file: Path
) -> tuple[int, Run]:
    """Wait for a child started at ``started``: its exit code, and what the run cost (the
    requests and bytes from the fake server's log, CPU and peak memory of the child)."""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, Run(
        requests=len(server.requests),
        bytes_down=sum(record.bytes_sent for record in server.requests),
        cpu_s=usage.ru_utime + usage.ru_stime,
        wall_s=wall,
        peak_mb=child_peak_mb(peak_file, usage.ru_maxrss),
    )


def run_folders(folder: Path) -> tuple[Path, Path]:
    """The output folder and the child's home (with an empty config file) of one subject."""
    out, home = folder / "out", folder / "home"
    out.mkdir(parents=True)
    home.mkdir()
    (home / "no-config.json").write_text("{}")
    return out, home


def check_baseline(parser: argparse.ArgumentParser, tree: Path | None) -> None:
    """A baseline tree must hold the package: without it the children would silently import
    this checkout's code and the comparison would compare it with itself."""
    if tree is not None and not (tree / "section11" / "__init__.py").is_file():
        parser.error(f"--baseline {tree} holds no section11 package")


def median_run(runs: list[Run]) -> Run:
    return Run(
        requests=round(statistics.median(r.requests for r in runs)),
        bytes_down=round(statistics.median(r.bytes_down for r in runs)),
        cpu_s=statistics.median(r.cpu_s for r in runs),
        wall_s=statistics.median(r.wall_s for r in runs),
        peak_mb=statistics.median(r.peak_mb for r in runs),
    )


def new_activity(day: str, number: int) -> dict[str, Any]:
    return {
        "id": f"i990000{number:02d}",
        "start_date_local": f"{day}T06:{number:02d}:00",
        "type": "Run",
        "icu_training_load": 40,
        "moving_time": 2400,
        "distance": 7000.0,
    }


def tokenizer() -> Any | None:
    """The o200k_base encoding of the offline tokenizer, or None when it is not installed."""
    try:
        module = importlib.import_module("bpe_openai")
    except ImportError:
        return None
    return module.get_encoding("o200k_base")


def print_files(out: Path) -> None:
    encoding = tokenizer()
    total_bytes = total_tokens = 0
    print("files (after the last run):")
    for name in OUTPUT_FILES:
        text = (out / name).read_text(encoding="utf-8")
        size = len(text.encode("utf-8"))
        total_bytes += size
        tokens = "n/a"
        if encoding is not None:
            count = len(encoding.encode(text))
            total_tokens += count
            tokens = f"{count:,}"
        print(f"  {name:<18} {size:>10,} bytes {tokens:>10} tokens")
    summed = f"{total_tokens:,}" if encoding is not None else "n/a"
    print(f"  {'five files':<18} {total_bytes:>10,} bytes {summed:>10} tokens")
    if encoding is None:
        print("  (tokens: pip install bpe-openai, an offline o200k_base tokenizer)")


def line(label: str, run: Run) -> str:
    return (
        f"  {label:<22} {run.requests:>4} req {run.bytes_down / 1e3:>8.0f} KB  "
        f"cpu {run.cpu_s:5.2f} s  wall {run.wall_s:5.2f} s  peak {run.peak_mb:5.0f} MB"
    )


@dataclass
class _Tree:
    """One source tree under test, with its own fake server, folders and results."""

    label: str
    tree: Path | None
    server: FakeIntervalsServer
    out: Path
    home: Path
    cold: Run | None = None
    reruns: list[Run] = field(default_factory=list)
    after_new: Run | None = None

    def sync(self) -> Run:
        return run_sync(self.server, self.out, self.home, self.tree)


def bench(latency: float, repeat: int, tmp: Path, trees: list[Path | None]) -> Path:
    """Cold run, ``repeat`` reruns with nothing new and a rerun after one new activity, for
    every tree; the runs of the trees alternate, so both see the same machine."""
    today = local_today(datetime.now(UTC), DEMO_TIMEZONE)
    with contextlib.ExitStack() as stack:
        subjects: list[_Tree] = []
        for number, tree in enumerate(trees):
            out, home = run_folders(tmp / f"{latency}-{number}")
            server = stack.enter_context(
                FakeIntervalsServer(generate_demo_athlete(today), latency=latency)
            )
            label = f"code of {tree}" if tree is not None else "this checkout"
            subjects.append(_Tree(label, tree, server, out, home))
        for subject in subjects:
            subject.cold = subject.sync()
        for _ in range(repeat):
            for subject in subjects:
                subject.reruns.append(subject.sync())
        for subject in subjects:
            subject.server.athlete.add_activity(new_activity(today.isoformat(), 1))
            subject.after_new = subject.sync()
    for subject in subjects:
        print(f"\n== latency {latency * 1000:.0f} ms per response, {subject.label}")
        assert subject.cold is not None and subject.after_new is not None
        print(line("cold (empty folder)", subject.cold))
        print(line(f"rerun, nothing new ({repeat}x)", median_run(subject.reruns)))
        print(line("rerun, 1 new activity", subject.after_new))
    if len(subjects) == 2:
        before, after = (median_run(s.reruns).cpu_s for s in subjects)
        ratio = after / before if before else float("nan")
        verdict = "PASS" if ratio <= RERUN_CPU_TARGET else "MISS"
        print(
            f"  rerun CPU, this checkout / {subjects[0].label}: {after:.2f} / {before:.2f} s = "
            f"{ratio:.2f} (target <= {RERUN_CPU_TARGET:.2f}) {verdict}"
        )
    return subjects[-1].out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency", type=float, nargs="+", default=[0.0, 0.1])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another source tree to compare with")
    args = parser.parse_args()
    check_baseline(parser, args.baseline)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; medians of reruns")
    with tempfile.TemporaryDirectory(prefix="section11-bench-") as tmp:
        last = None
        trees: list[Path | None] = [None] if args.baseline is None else [args.baseline, None]
        for latency in args.latency:
            last = bench(latency, max(1, args.repeat), Path(tmp), trees)
        if last is not None:
            print_files(last)
    return 0


if __name__ == "__main__":
    sys.exit(main())
