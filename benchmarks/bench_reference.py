#!/usr/bin/env python3
"""Our five files and run costs against the reference implementation, same athlete.

The reference is the single script ``examples/sync.py`` of the public repository
CrankAddict/section-11 (clone it yourself; see benchmarks/README.md). It is not part of
this project and this benchmark never stores or copies it: it runs the script you name as
a child process, in its local-file mode (``--output latest.json``, no GitHub), with only
``requests`` needed. A small bootstrap (written to the temp folder) patches
``requests.Session.request`` so that ``https://intervals.icu`` goes to the fake
Intervals.icu on 127.0.0.1 and any other remote host fails at once (the reference's
update checks: nothing leaves the machine), then runs the script with ``runpy``.

Both programs sync the demo athlete from the same fake server, each in its own empty
folder (cold run), then again with nothing new (rerun); the runs alternate, so both see the
same machine state. Printed: requests, bytes down, CPU (user + system of the child,
interpreter start included), wall time and peak memory of each run; then bytes and tokens
(``bpe-openai``, o200k_base, offline) of each of the five files of the cold run, for both,
with the ratio ours / reference. Requests the fake server answered with an error are
listed: an endpoint it lacks makes the reference's files smaller, so the ratio errs on
the reference's side.

Usage: python benchmarks/bench_reference.py --reference PATH/TO/sync.py
       [--latency 0] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_perf import OUTPUT_FILES, Run, line, measure_child, median_run, run_sync, tokenizer

from section11.clock import local_today
from section11.demo import DEMO_TIMEZONE, FakeIntervalsServer, generate_demo_athlete

# Runs in the reference's child process: redirect its API calls, then run the script.
BOOTSTRAP = """\
import atexit, os, runpy, sys
from urllib.parse import urlsplit

import requests

ORIGIN = os.environ["REFERENCE_FAKE_ORIGIN"]
SCRIPT = os.environ["REFERENCE_SCRIPT"]
_request = requests.sessions.Session.request


def _redirected(self, method, url, *args, **kwargs):
    url = str(url)
    if url.startswith("https://intervals.icu/"):
        url = ORIGIN + url[len("https://intervals.icu"):]
    elif urlsplit(url).hostname not in ("127.0.0.1", "localhost"):
        print(f"bench_reference: blocked {method} {url}", file=sys.stderr)
        raise requests.exceptions.ConnectionError(f"blocked by the benchmark: {url}")
    return _request(self, method, url, *args, **kwargs)


requests.sessions.Session.request = _redirected


def _peak():  # peak resident memory of this process (see bench_perf.py)
    with open("/proc/self/status") as status, open(os.environ["SECTION11_BENCH_PEAK"], "w") as out:
        out.write(next((l.split()[1] for l in status if l.startswith("VmHWM:")), ""))


atexit.register(_peak)
sys.argv = [SCRIPT, *sys.argv[1:]]
runpy.run_path(SCRIPT, run_name="__main__")
"""


def reference_env(home: Path, script: Path, origin: str) -> dict[str, str]:
    """Only what the script needs; TZ: its "today" is the machine's local date."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "TZ": DEMO_TIMEZONE,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "REFERENCE_SCRIPT": str(script),
        "REFERENCE_FAKE_ORIGIN": origin,
    }


def run_reference(server: FakeIntervalsServer, script: Path, folder: Path, home: Path) -> Run:
    """One run of the reference in ``folder`` (its working directory: it writes there)."""
    athlete = server.athlete
    server.reset_log()
    bootstrap = home / "reference_bootstrap.py"
    if not bootstrap.exists():
        bootstrap.write_text(BOOTSTRAP, encoding="utf-8")
    command = [
        sys.executable,
        str(bootstrap),
        "--athlete-id",
        athlete.athlete_id,
        "--intervals-key",
        athlete.api_key,
        "--days",
        "7",
        "--output",
        "latest.json",
    ]
    peak_file = home / "reference-peak.txt"
    peak_file.unlink(missing_ok=True)
    env = reference_env(home, script, server.origin) | {"SECTION11_BENCH_PEAK": str(peak_file)}
    with open(home / "reference-log.txt", "ab") as log:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=log, stderr=log, env=env, cwd=folder)
        code, run = measure_child(child, started, server, peak_file)
    if code != 0 or not (folder / "latest.json").is_file():
        raise SystemExit(f"reference failed (exit {code}); see {home / 'reference-log.txt'}")
    return run


def failed_requests(server: FakeIntervalsServer) -> Counter[str]:
    """Paths (ids masked) the fake answered with an error during the last run."""
    counts: Counter[str] = Counter()
    for record in server.requests:
        if record.status >= 400 or record.status == 0:
            shape = re.sub(r"/i?\d+(?=/|$)", "/{id}", record.path)
            counts[f"{record.status} {record.method} {shape}"] += 1
    return counts


def keep_files(folder: Path, target: Path) -> Path:
    """A copy of the five files of ``folder`` (a rerun rewrites them)."""
    target.mkdir()
    for name in OUTPUT_FILES:
        if (folder / name).is_file():
            shutil.copy2(folder / name, target / name)
    return target


def file_figures(folder: Path, encoding: Any | None) -> dict[str, tuple[int, int | None]]:
    figures: dict[str, tuple[int, int | None]] = {}
    for name in OUTPUT_FILES:
        path = folder / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        tokens = len(encoding.encode(text)) if encoding is not None else None
        figures[name] = (len(text.encode("utf-8")), tokens)
    return figures


def _ratio(ours: int | None, theirs: int | None) -> str:
    if ours is None or not theirs:
        return "n/a"
    return f"{ours / theirs:.2f}"


def _count(value: int | None) -> str:
    return "n/a" if value is None else f"{value:,}"


# The performance target: the five files at most this share of the reference's bytes.
TARGET_RATIO = 0.60


def print_comparison(
    reference: dict[str, tuple[int, int | None]], ours: dict[str, tuple[int, int | None]]
) -> None:
    print("\nfiles of the cold run (ratio = ours / reference):")
    header = (
        f"  {'':<17} {'reference':>21}   {'ours':>21}   {'ratio':>12}\n"
        f"  {'file':<17} {'bytes':>10} {'tokens':>10}   {'bytes':>10} {'tokens':>10}"
        f"   {'bytes':>5} {'tokens':>6}"
    )
    print(header)
    totals = {"ref_b": 0, "ref_t": 0, "our_b": 0, "our_t": 0}
    tokens_known = True
    for name in OUTPUT_FILES:
        ref_b, ref_t = reference.get(name, (0, 0))
        our_b, our_t = ours.get(name, (0, 0))
        tokens_known = tokens_known and ref_t is not None and our_t is not None
        totals["ref_b"] += ref_b
        totals["our_b"] += our_b
        totals["ref_t"] += ref_t or 0
        totals["our_t"] += our_t or 0
        missing = "" if name in reference else "  (the reference wrote none)"
        print(
            f"  {name:<17} {ref_b:>10,} {_count(ref_t):>10}   {our_b:>10,} {_count(our_t):>10}"
            f"   {_ratio(our_b, ref_b):>5} {_ratio(our_t, ref_t):>6}{missing}"
        )
    ref_t_total = totals["ref_t"] if tokens_known else None
    our_t_total = totals["our_t"] if tokens_known else None
    print(
        f"  {'five files':<17} {totals['ref_b']:>10,} {_count(ref_t_total):>10}   "
        f"{totals['our_b']:>10,} {_count(our_t_total):>10}   "
        f"{_ratio(totals['our_b'], totals['ref_b']):>5} {_ratio(our_t_total, ref_t_total):>6}"
    )
    if not tokens_known:
        print("  (tokens: pip install bpe-openai, an offline o200k_base tokenizer)")
    if totals["ref_b"]:
        ratio = totals["our_b"] / totals["ref_b"]
        verdict = "PASS" if ratio <= TARGET_RATIO else "MISS"
        print(f"  bytes ours / reference {ratio:.3f}, target <= {TARGET_RATIO:.2f}: {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reference", type=Path, required=True, help="the reference sync.py")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per response")
    parser.add_argument("--repeat", type=int, default=3, help="reruns of each (median)")
    parser.add_argument("--keep", type=Path, help="copy both output folders here")
    args = parser.parse_args()
    script = args.reference.resolve()
    if not script.is_file():
        print(f"no such file: {script}; see benchmarks/README.md for how to get it")
        return 2
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; reference: {script}")
    print(f"latency {args.latency * 1000:.0f} ms per response; medians of reruns")
    today = local_today(datetime.now(UTC), DEMO_TIMEZONE)
    athlete = generate_demo_athlete(today)
    with (
        tempfile.TemporaryDirectory(prefix="section11-vs-reference-") as tmp,
        FakeIntervalsServer(athlete, latency=args.latency) as server,
    ):
        root = Path(tmp)
        ref_dir, our_dir, home = root / "reference", root / "ours", root / "home"
        for folder in (ref_dir, our_dir, home):
            folder.mkdir()
        (home / "no-config.json").write_text("{}")
        print("\n== cold (empty folder)")
        ref_cold = run_reference(server, script, ref_dir, home)
        failures = failed_requests(server)
        print(line("reference", ref_cold))
        print(line("ours", run_sync(server, our_dir, home, None)))
        ref_cold_files = keep_files(ref_dir, root / "reference-cold")
        our_cold_files = keep_files(our_dir, root / "ours-cold")
        ref_runs: list[Run] = []
        our_runs: list[Run] = []
        for _ in range(max(1, args.repeat)):
            ref_runs.append(run_reference(server, script, ref_dir, home))
            our_runs.append(run_sync(server, our_dir, home, None))
        print(f"\n== rerun, nothing new ({max(1, args.repeat)}x)")
        print(line("reference", median_run(ref_runs)))
        print(line("ours", median_run(our_runs)))
        # Loaded only now: the tokenizer's memory would count in the children's peak.
        encoding = tokenizer()
        print_comparison(
            file_figures(ref_cold_files, encoding), file_figures(our_cold_files, encoding)
        )
        if failures:
            print("\nreference requests the fake server answered with an error (cold run):")
            for what, count in sorted(failures.items()):
                print(f"  {count:>3} x {what}")
        blocked = (home / "reference-log.txt").read_text("utf-8", errors="replace")
        for entry in sorted(set(re.findall(r"bench_reference: blocked (.*)", blocked))):
            print(f"  blocked (not sent): {entry}")
        if args.keep is not None:
            for folder in (ref_cold_files, our_cold_files, home):
                shutil.copytree(folder, args.keep / folder.name, dirs_exist_ok=True)
            print(f"\noutputs kept in {args.keep}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
