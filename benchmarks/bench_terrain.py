"""Time terrain analysis on a dense, hilly 100,000-point track.

Run: python benchmarks/bench_terrain.py [points]
"""

from __future__ import annotations

import math
import random
import statistics
import sys
import time

from section11.terrain import TrackPoint, analyze_terrain
from section11.units import DisplayUnits

_M_PER_DEG = 6_371_000.0 * math.pi / 180.0


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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    points = hilly_track(n)
    runs = []
    summary = None
    for _ in range(5):
        start = time.perf_counter()
        summary = analyze_terrain(
            points, source="gpx_attachment", units=DisplayUnits(), include_polyline=True
        )
        runs.append(time.perf_counter() - start)
    assert summary is not None
    print(f"points:          {n}")
    print(f"distance:        {summary.total_distance_km} km")
    print(f"elevation gain:  {summary.total_elevation_m} m")
    print(f"seconds:         {statistics.median(runs):.3f} (median of {len(runs)})")
    print(f"climbs found:    {len(summary.climbs)}")
    print(f"descents found:  {len(summary.descents)}")
    print(f"polyline chars:  {len(summary.polyline or '')} ({summary.polyline_points} points)")


if __name__ == "__main__":
    main()
