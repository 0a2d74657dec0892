#!/usr/bin/env python3
"""Benchmark per-activity detail: intervals.json and activity terrain, cold and rerun.

Against the fake Intervals.icu with a per-request latency (default 100 ms), for the demo
athlete's last 14 days of structured sessions and 28 days of outdoor activities:

(a) a cold fetch through the concurrent path (bounded worker pool, the pipeline's default size);
(b) the same cold fetch sequentially (max_workers=1);
(c) a rerun with nothing new, five minutes after (a): it must make zero requests.

Each cold fetch uses a fresh client (own token bucket: a burst of 20, then 10 req/s) with
the detail retry policy the pipeline uses. Prints requests, bytes and wall time of each,
and the concurrent/sequential ratio (target: at most 1/3).

Usage: python benchmarks/bench_intervals.py [--latency 0.1] [--workers N]
Exit code 1 when the rerun makes requests or the ratio misses the target.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from section11.config import Secret
from section11.demo import FakeIntervalsServer, generate_demo_athlete
from section11.outputs.activity_extras import TerrainCache, update_activity_terrain
from section11.outputs.intervals import select_candidates, update_intervals
from section11.outputs.intervals_fetch_state import IntervalsResult
from section11.sources.intervals_icu import Activity, IntervalsClient, parse_records
from section11.sources.intervals_icu.detail import (
    DEFAULT_MAX_WORKERS,
    DETAIL_RETRY,
    interval_fetcher,
    terrain_fetcher,
)
from section11.units import DisplayUnits

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)
UNITS = DisplayUnits()


@dataclass
class Result:
    label: str
    requests: int
    intervals_requests: int
    streams_requests: int
    bytes: int
    seconds: float
    intervals: IntervalsResult
    terrain: TerrainCache


def _client(server: FakeIntervalsServer) -> IntervalsClient:
    athlete = server.athlete
    return IntervalsClient(
        server.base_url, athlete.athlete_id, Secret(athlete.api_key), retry=DETAIL_RETRY
    )


def run(
    label: str,
    server: FakeIntervalsServer,
    acts: list[Activity],
    workers: int,
    now: datetime,
    previous: tuple[IntervalsResult, TerrainCache] | None = None,
) -> Result:
    server.reset_log()
    with _client(server) as client:
        started = time.perf_counter()
        intervals = update_intervals(
            previous[0] if previous else None,
            acts,
            interval_fetcher(client, workers),
            TODAY,
            now,
            anonymize=True,
            units=UNITS,
        )
        terrain, _ = update_activity_terrain(
            previous[1] if previous else None,
            acts,
            terrain_fetcher(client, workers),
            UNITS,
            TODAY,
        )
        seconds = time.perf_counter() - started
    paths = [r.path for r in server.requests]
    return Result(
        label=label,
        requests=len(paths),
        intervals_requests=sum(1 for p in paths if not p.endswith("/streams.json")),
        streams_requests=sum(1 for p in paths if p.endswith("/streams.json")),
        bytes=server.bytes_sent(),
        seconds=seconds,
        intervals=intervals,
        terrain=terrain,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=DEFAULT_MAX_WORKERS)
    args = parser.parse_args()

    server = FakeIntervalsServer(generate_demo_athlete(TODAY), latency=args.latency)
    server.start()
    try:
        with _client(server) as setup:
            acts = parse_records(
                Activity, setup.activities("2026-10-24", "2026-11-21T23:59:59"), "activity"
            )
        candidates = select_candidates(acts, TODAY)
        print(f"latency {args.latency * 1000:.0f} ms per request, {args.workers} workers")
        print(f"{len(candidates)} structured sessions in 14 days, {len(acts)} activities listed")
        print()

        # The fake server builds each activity's streams on first request and keeps them;
        # an untimed pass first, so neither timed run pays the fake's own generation time.
        latency, server.latency = server.latency, 0.0
        run("warm-up", server, acts, args.workers, NOW)
        server.latency = latency

        concurrent = run("cold, concurrent", server, acts, args.workers, NOW)
        sequential = run("cold, sequential", server, acts, 1, NOW)
        rerun = run(
            "rerun, nothing new",
            server,
            acts,
            args.workers,
            NOW + timedelta(minutes=5),
            previous=(concurrent.intervals, concurrent.terrain),
        )
    finally:
        server.stop()

    print(
        f"{'run':<20} {'requests':>8} {'intervals':>9} {'streams':>7} {'bytes':>10} {'wall s':>7}"
    )
    for r in (concurrent, sequential, rerun):
        print(
            f"{r.label:<20} {r.requests:>8} {r.intervals_requests:>9} {r.streams_requests:>7} "
            f"{r.bytes:>10,} {r.seconds:>7.2f}"
        )
    ratio = concurrent.seconds / sequential.seconds
    print()
    print(f"concurrent / sequential wall time: {ratio:.2f} (target <= 0.33)")
    same = concurrent.intervals.file.activities == sequential.intervals.file.activities
    print(f"same intervals.json content both ways: {same}")
    print(
        "entries: "
        f"{len(concurrent.intervals.file.activities)} with intervals, "
        f"{len(concurrent.terrain.activities)} terrain cache entries"
    )
    failed = False
    if rerun.requests != 0:
        print("FAIL: the rerun with nothing new made requests")
        failed = True
    if ratio > 1 / 3:
        print("MISS: concurrent path is slower than 1/3 of sequential")
        failed = True
    if not same:
        print("FAIL: concurrent and sequential results differ")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
