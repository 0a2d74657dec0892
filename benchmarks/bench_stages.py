#!/usr/bin/env python3
"""The stages after the core fetch: overlapped vs one after another, in process.

For each latency, runs a cold sync of the demo athlete and a rerun after one new activity
against the fake Intervals.icu, alternately with the stages overlapped
(``pipeline_stages.OVERLAP``) and one after another, with the client's real pacing (10
requests/second, burst 20). Prints the medians of: the wall time of ``sync()``, the time
from the first to the last request the server received, and the rate limit's own floor
for that many requests ((requests - burst) / rate: no schedule can send the last request
earlier). With ``--timeline`` it prints each stage's span in the last overlapped cold run.

Usage: python benchmarks/bench_stages.py [--latency 0 0.1] [--repeat 3] [--timeline]
In process (no interpreter start-up), so the figures are lower than bench_perf.py's.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench_perf import new_activity

from section11 import pipeline, pipeline_stages
from section11.clock import local_today
from section11.config import Secret, Settings
from section11.demo import DEMO_TIMEZONE, DemoAthlete, FakeIntervalsServer, generate_demo_athlete
from section11.demo.request_stages import stage_of
from section11.demo.server import RequestRecord
from section11.sources.intervals_icu.client import IntervalsClient

RATE, BURST = 10.0, 20  # the client's defaults (IntervalsClient)


@dataclass(frozen=True)
class Sample:
    wall_s: float
    requests: int
    first_to_last_s: float
    records: list[RequestRecord]


def one_sync(server: FakeIntervalsServer, out: Path, now: datetime) -> Sample:
    athlete = server.athlete
    settings = Settings(
        athlete_id=athlete.athlete_id,
        intervals_key=Secret(athlete.api_key),
        output_dir=out,
        api_base=server.base_url,
    )
    server.reset_log()
    with IntervalsClient(server.base_url, athlete.athlete_id, Secret(athlete.api_key)) as client:
        started = time.perf_counter()
        outcome = pipeline.sync(settings, client, now)
        wall = time.perf_counter() - started
    records = sorted(server.requests, key=lambda r: r.started)
    return Sample(wall, outcome.requests, records[-1].started - records[0].started, records)


def pair(base: DemoAthlete, latency: float, overlap: bool, now: datetime) -> tuple[Sample, Sample]:
    """A cold run and a rerun after one new activity, in a fresh folder."""
    pipeline_stages.OVERLAP = overlap
    athlete = copy.deepcopy(base)
    with (
        FakeIntervalsServer(athlete, latency=latency) as server,
        tempfile.TemporaryDirectory(prefix="section11-stages-") as folder,
    ):
        cold = one_sync(server, Path(folder), now)
        athlete.add_activity(new_activity(athlete.today.isoformat(), 1))
        rerun = one_sync(server, Path(folder), now)
    return cold, rerun


def line(label: str, samples: list[Sample]) -> str:
    requests = samples[0].requests
    floor = max(0.0, (requests - BURST) / RATE)
    wall = statistics.median(s.wall_s for s in samples)
    span = statistics.median(s.first_to_last_s for s in samples)
    return (
        f"  {label:<34} {requests:>3} req  wall {wall:5.2f} s  "
        f"first->last request {span:5.2f} s  (rate-limit floor {floor:4.2f} s)"
    )


def timeline(sample: Sample) -> None:
    t0 = sample.records[0].started
    spans: dict[str, tuple[float, float, int]] = {}
    for r in sample.records:
        stage = stage_of(r)
        first, last, count = spans.get(stage, (r.started, r.started + r.duration, 0))
        spans[stage] = (min(first, r.started), max(last, r.started + r.duration), count + 1)
    print("  requests of each stage in the last overlapped cold run (seconds from the first):")
    for stage, (first, last, count) in sorted(spans.items(), key=lambda item: item[1][0]):
        print(f"    {stage:<10} {count:>3} req  {first - t0:5.2f} -> {last - t0:5.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency", type=float, nargs="+", default=[0.0, 0.1])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeline", action="store_true")
    args = parser.parse_args()
    now = datetime.now(UTC)
    base = generate_demo_athlete(local_today(now, DEMO_TIMEZONE))
    print(f"python {sys.version.split()[0]}; medians of {args.repeat} alternating runs")
    for latency in args.latency:
        runs: dict[bool, list[tuple[Sample, Sample]]] = {False: [], True: []}
        for _ in range(max(1, args.repeat)):
            for overlap in (False, True):
                runs[overlap].append(pair(base, latency, overlap, now))
        print(f"\n== latency {latency * 1000:.0f} ms per response")
        for overlap, label in ((False, "one after another"), (True, "overlapped")):
            print(line(f"cold, {label}", [cold for cold, _ in runs[overlap]]))
        for overlap, label in ((False, "one after another"), (True, "overlapped")):
            print(line(f"1 new activity, {label}", [rerun for _, rerun in runs[overlap]]))
        if args.timeline:
            timeline(runs[True][-1][0])
    pipeline_stages.OVERLAP = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
