"""Time terrain work: analysis of a dense 100,000-point track, parsing of the largest route
fixture (about 5 MB), and parsing of hostile files (a regular-expression-pathological GPX of
1.2 MB and a 1.4 MB deeply nested file). For contrast, the pathological file is also given
to gpxpy at small sizes, where its namespace regular expression shows quadratic growth.

Run: python benchmarks/bench_terrain.py [points] [--no-gpxpy]
"""

from __future__ import annotations

import math
import random
import statistics
import sys
import time
from collections.abc import Callable

from section11.demo import messy_routes
from section11.terrain import RouteParseError, TrackPoint, analyze_terrain, read_route_file
from section11.units import DisplayUnits

_M_PER_DEG = 6_371_000.0 * math.pi / 180.0
# Parsing budget: linear, at least 1 MB per second on a busy runner.
MIN_MB_PER_S = 1.0


def hilly_track(n: int, step_m: float = 1.5, seed: int = 11) -> list[TrackPoint]:
    """A winding course (~1 Hz at cycling speed) over rolling hills with 5-8 % climbs."""
    rng = random.Random(seed)
    lat, lon, heading = 46.0, 7.0, 0.0
    points: list[TrackPoint] = []
    for i in range(n):
        km = i * step_m / 1000.0
        # Long climbs (~15 km period, ±300 m), shorter rollers, and GPS altitude noise.
        ele = 800.0 + 300.0 * math.sin(km / 2.4) + 40.0 * math.sin(km / 0.35)
        ele += rng.gauss(0.0, 0.8)
        # Every 200th point drops its altitude, as real devices do.
        points.append(TrackPoint(lat, lon, None if i % 200 == 0 else ele))
        heading += rng.gauss(0.0, 0.02)
        lat += step_m * math.cos(heading) / _M_PER_DEG
        lon += step_m * math.sin(heading) / (_M_PER_DEG * math.cos(math.radians(lat)))
    return points


def _median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_analysis(n: int) -> None:
    points = hilly_track(n)
    summary = analyze_terrain(
        points, source="gpx_attachment", units=DisplayUnits(), include_polyline=True
    )
    assert summary is not None
    seconds = _median_seconds(
        lambda: analyze_terrain(
            points, source="gpx_attachment", units=DisplayUnits(), include_polyline=True
        ),
        5,
    )
    print(
        f"analysis: {n} points, {summary.total_distance_km} km, "
        f"+{summary.total_elevation_m} m, {len(summary.climbs)} climbs, "
        f"{len(summary.descents)} descents, polyline {len(summary.polyline or '')} chars"
    )
    print(f"  seconds: {seconds:.3f} (median of 5)")


def _parse(data: bytes, name: str) -> str:
    try:
        route = read_route_file(data, name)
    except RouteParseError as exc:
        return f"error: {exc}"
    summary = analyze_terrain(
        route.points, source="bench", units=DisplayUnits(), include_polyline=True
    )
    return "ok" if summary is None else f"ok, {summary.total_distance_km} km"


def bench_parse(label: str, data: bytes, name: str) -> bool:
    result = _parse(data, name)
    seconds = _median_seconds(lambda: _parse(data, name), 3)
    mb = len(data) / 1_000_000
    rate = mb / seconds if seconds > 0 else float("inf")
    ok = rate >= MIN_MB_PER_S
    print(f"{label}: {mb:.2f} MB -> {result}")
    print(
        f"  seconds: {seconds:.3f} (median of 3, parse + analysis), {rate:.1f} MB/s "
        f"{'PASS' if ok else 'FAIL'} (budget >= {MIN_MB_PER_S} MB/s)"
    )
    return ok


def bench_gpxpy_contrast() -> None:
    import gpxpy

    print("gpxpy on the same pathological shape (for contrast):")
    for words in (5_000, 10_000, 20_000):
        text = messy_routes.regex_pathological(words).decode()
        seconds = _median_seconds(lambda text=text: gpxpy.parse(text), 1)  # type: ignore[misc]
        print(f"  {len(text) / 1000:.0f} KB: {seconds:.2f} s")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 100_000
    bench_analysis(n)
    ok = bench_parse("largest fixture (GPX, 1 Hz ride)", messy_routes.big_ride(50_000), "big.gpx")
    ok &= bench_parse(
        "regex-pathological GPX", messy_routes.regex_pathological(200_000), "patho.gpx"
    )
    ok &= bench_parse("deeply nested XML", messy_routes.deeply_nested(), "deep.gpx")
    if "--no-gpxpy" not in sys.argv:
        bench_gpxpy_contrast()
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
