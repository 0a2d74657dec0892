#!/usr/bin/env python3
"""Benchmark a whole sync against the fake Intervals.icu with per-request latency.

Prints, for a cold run (empty output folder) and a rerun with nothing new: requests by
purpose, bytes downloaded, wall time, and the size of each output file, then checks the
request budgets:

- latest.json + ftp_history.json (core): cold at most 10 requests, rerun at most 5;
- history.json: a cold 3-year build at most 8 requests beyond the core;
- a rerun with nothing new: at most 5 requests for the whole sync.

Usage: python benchmarks/bench_sync.py [--latency 0.1] [--days 7] [--readme]
``--readme`` writes the measured figures into README.md's "Kind to the API" table (between
its ``bench_sync`` markers), so the README never quotes stale numbers.
Exit code 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from section11.clock import local_today
from section11.config import Secret, resolve_settings
from section11.demo import DEMO_TIMEZONE, FakeIntervalsServer, generate_demo_athlete
from section11.demo.server import RequestRecord
from section11.pipeline import sync
from section11.sources.intervals_icu.client import IntervalsClient
from section11.sources.intervals_icu.fetch import recent_start_for


def classify(record: RequestRecord, recent_start: date) -> str:
    path = record.path
    if re.search(r"/activity/[^/]+/streams", path):
        if "dfa_a1" in str(record.query.get("types", "")):
            return "detail: DFA streams"
        return "detail: streams"
    if re.search(r"/activity/[^/]+/messages$", path):
        return "detail: messages"
    if re.search(r"/activity/[^/]+$", path):
        return "detail: intervals"
    if re.search(r"/athlete/[^/]+/(power|hr)-curves", path):
        return "curves"
    if "/attachments/" in path or not path.startswith("/api/"):
        return "route attachments"
    if path.endswith(("/activities", "/wellness", "/wellness.json")):
        oldest = str(record.query.get("oldest", ""))[:10]
        if oldest and date.fromisoformat(oldest) < recent_start:
            return "history"
        return "core"
    if re.search(r"/athlete/[^/]+(/events(\.json)?)?$", path):
        return "core"
    return "other"


def run_once(
    label: str, server: FakeIntervalsServer, out: Path, now: datetime, days: int
) -> dict[str, int]:
    server.reset_log()
    (out / "no-config.json").write_text("{}")  # keep the user's own config out of it
    settings = resolve_settings(
        {"output_dir": str(out), "days": str(days)},
        {"SECTION11_CONFIG": str(out / "no-config.json")},
    )
    athlete = server.athlete
    started = time.perf_counter()
    with IntervalsClient(server.base_url, athlete.athlete_id, Secret(athlete.api_key)) as client:
        outcome = sync(settings, client, now)
    wall = time.perf_counter() - started
    today = outcome.today
    groups: Counter[str] = Counter()
    group_bytes: Counter[str] = Counter()
    for record in server.requests:
        group = classify(record, recent_start_for(today))
        groups[group] += 1
        group_bytes[group] += record.bytes_sent
    total_bytes = sum(group_bytes.values())
    print(f"\n== {label}")
    print(
        f"requests: {len(server.requests)}   bytes downloaded: {total_bytes:,}   wall: {wall:.2f} s"
    )
    for group, count in sorted(groups.items()):
        print(f"  {group:<20} {count:>4} requests {group_bytes[group]:>12,} bytes")
    print("files:")
    for name, size in sorted(outcome.files.items()):
        print(f"  {name:<20} {size:>10,} bytes")
    return {
        "total": len(server.requests),
        "bytes": total_bytes,
        "wall_ms": round(wall * 1000),
        **groups,
    }


README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN, END = "<!-- bench_sync:begin -->", "<!-- bench_sync:end -->"
# The first-run row lists these groups, in this order, as a sum (with their README label).
_COLD_PARTS = (
    ("core", "core"),
    ("history", "3 years of history"),
    ("detail: intervals", "interval detail"),
    ("detail: streams", "terrain streams"),
    ("detail: DFA streams", "DFA a1 streams"),
    ("detail: messages", "comments"),
    ("curves", "power/HR curves"),
    ("route attachments", "routes"),
)


def readme_table(cold: dict[str, int], rerun: dict[str, int], latency: float, day: date) -> str:
    """The README block: the measured figures and where they come from."""
    counted = [(label, cold[name]) for name, label in _COLD_PARTS if cold.get(name)]
    other = cold["total"] - sum(n for _, n in counted)
    if other:  # a purpose the row does not name yet: the sum must still add up
        counted.append(("other", other))
    labels = " + ".join(label for label, _ in counted)
    parts = " + ".join(str(n) for _, n in counted)
    return "\n".join(
        [
            BEGIN,
            "| | requests | downloaded | wall time |",
            "| --- | --- | --- | --- |",
            f"| first run: {labels} | {parts} = {cold['total']} | {cold['bytes'] / 1e6:.1f} MB | "
            f"{cold['wall_ms'] / 1000:.1f} s |",
            f"| rerun with nothing new | {rerun['total']} | {rerun['bytes'] / 1e6:.2f} MB | "
            f"{rerun['wall_ms'] / 1000:.1f} s |",
            "",
            f"Generated by `python benchmarks/bench_sync.py --latency {latency:g} --readme` on",
            f"{day.isoformat()} (the demo athlete of that day; {latency * 1000:.0f} ms added to "
            "every response).",
            "Wall times depend on the machine; request counts and sizes do not.",
            END,
        ]
    )


def update_readme(block: str, readme: Path = README) -> None:
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    readme.write_text(text[:start] + block + text[end:], encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--latency", type=float, default=0.1, help="seconds added to every response"
    )
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument(
        "--readme", action="store_true", help="write the figures into README.md's table"
    )
    args = parser.parse_args()

    now = datetime.now(UTC).replace(microsecond=0)
    athlete = generate_demo_athlete(local_today(now, DEMO_TIMEZONE))
    print(
        f"demo athlete: {len(athlete.activities)} activities, "
        f"{len(athlete.wellness)} wellness days; latency {args.latency * 1000:.0f} ms per request"
    )
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeIntervalsServer(athlete, latency=args.latency) as server,
    ):
        out = Path(tmp)
        cold = run_once("cold run (empty folder)", server, out, now, args.days)
        rerun = run_once("rerun, nothing new", server, out, now + timedelta(minutes=20), args.days)

    checks = [
        ("cold: latest.json + ftp_history.json requests <= 10", cold.get("core", 0) <= 10),
        ("cold: history.json requests beyond core <= 8", cold.get("history", 0) <= 8),
        ("rerun: whole sync requests <= 5", rerun["total"] <= 5),
    ]
    print()
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    if args.readme:
        update_readme(readme_table(cold, rerun, args.latency, now.date()))
        print(f"updated {README}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
