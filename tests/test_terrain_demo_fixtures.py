"""Route files produced by the demo generator go through the real parsers and analysis."""

from __future__ import annotations

import random

import pytest

from section11.demo.routes import corrupt_gpx, gpx_route, gpx_track, hilly_points, tcx_course
from section11.terrain import RouteParseError, analyze_terrain, parse_route_file
from section11.units import METRIC

# 12 km with two hills of 160 m (±15 %) above a 60 m base: the generator's promise.
POINTS = hilly_points(random.Random(7), distance_m=12_000, n_points=600, climb_m=160, climbs=2)


@pytest.mark.parametrize(
    ("payload", "filename"),
    [
        (gpx_track(POINTS), "course.gpx"),
        (gpx_route(POINTS), "course.gpx"),  # rtept only
        (tcx_course(POINTS, xml_declaration=True), "course.tcx"),
        (tcx_course(POINTS, xml_declaration=False), "course.tcx"),
    ],
)
def test_every_format_gives_the_same_course(payload: bytes, filename: str) -> None:
    parsed = parse_route_file(payload, filename)
    assert len(parsed) == len(POINTS)
    summary = analyze_terrain(parsed, source="gpx_attachment", units=METRIC, include_polyline=True)
    assert summary is not None
    # The line wanders but each step is 12 000 / 599 ≈ 20 m, so about 12 km in total.
    assert summary.total_distance_km == pytest.approx(12.0, abs=0.3)
    # Two hills of 136–184 m each: the climbed total lies between 2 × 136 and 2 × 184 m
    # (smoothing trims a little off the noise, never adds a hill).
    assert summary.total_elevation_m is not None
    assert 2 * 136 * 0.9 <= summary.total_elevation_m <= 2 * 184 * 1.1
    assert len(summary.climbs) == 2


def test_missing_elevation_is_skipped_not_zero() -> None:
    # Every third point without elevation: treated as 0 m it would add ~60 m drops and
    # climbs at each gap; skipped, the hills stay what they are.
    holey = [(lat, lon, None if i % 3 == 0 else ele) for i, (lat, lon, ele) in enumerate(POINTS)]
    whole = analyze_terrain(
        parse_route_file(gpx_track(POINTS), "a.gpx"),
        source="x",
        units=METRIC,
        include_polyline=False,
    )
    gappy = analyze_terrain(
        parse_route_file(gpx_track(holey), "b.gpx"),
        source="x",
        units=METRIC,
        include_polyline=False,
    )
    assert whole is not None and gappy is not None
    assert whole.total_elevation_m is not None and gappy.total_elevation_m is not None
    assert abs(gappy.total_elevation_m - whole.total_elevation_m) <= 0.1 * whole.total_elevation_m
    assert len(gappy.climbs) == len(whole.climbs)


def test_corrupt_file_is_a_parse_error() -> None:
    with pytest.raises(RouteParseError):
        parse_route_file(corrupt_gpx(), "broken.gpx")
