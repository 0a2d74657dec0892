"""Terrain analysis on synthetic courses whose geometry is known exactly.

Courses run due north along a meridian, where haversine distance is R·Δφ, so a step of
``s`` metres is a latitude step of s / (R·π/180) degrees.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import polyline
import pytest

from section11.terrain import TerrainSummary, TrackPoint, analyze_terrain
from section11.terrain.analyze import apply_display_units, cumulative_distance
from section11.units import DisplayUnits, DisplayValue

R = 6_371_000.0
METRIC = DisplayUnits()
IMPERIAL = DisplayUnits(distance="imperial")


def meridian(steps: int, step_m: float, ele: Callable[[int], float | None]) -> list[TrackPoint]:
    """steps + 1 points, ``step_m`` apart, heading north from 45°N 7°E."""
    dlat = step_m / (R * math.pi / 180.0)
    return [TrackPoint(45.0 + i * dlat, 7.0, ele(i)) for i in range(steps + 1)]


def profile(step_m: float, increments: list[float]) -> list[TrackPoint]:
    """A meridian course whose elevation changes by ``increments[k]`` on step k."""
    heights = [100.0]
    for inc in increments:
        heights.append(heights[-1] + inc)
    return meridian(len(increments), step_m, lambda i: heights[i])


def analyze(
    points: list[TrackPoint],
    units: DisplayUnits = METRIC,
    *,
    poly: bool = False,
    max_chars: int = 4000,
) -> TerrainSummary | None:
    return analyze_terrain(
        points,
        source="gpx_attachment",
        units=units,
        include_polyline=poly,
        polyline_max_chars=max_chars,
    )


# A straight 5 km line rising 300 m uniformly: 500 steps of 10 m, +0.6 m per step.
UNIFORM_CLIMB = meridian(500, 10.0, lambda i: 0.6 * i)


def test_uniform_climb() -> None:
    s = analyze(UNIFORM_CLIMB)
    assert s is not None
    # 500 × 10 m = 5000 m.
    assert s.total_distance_km == 5.0
    # ±25 m smoothing: inner points average i-2..i+2 (symmetric, unchanged). The ends see
    # one side only: point 0 averages 0, 0.6, 1.2 = 0.6; point 500 averages 298.8, 299.4,
    # 300 = 299.4. The smoothed profile rises monotonically, so gain = 299.4 - 0.6 = 298.8.
    assert s.total_elevation_m == 299
    assert s.total_descent_m == 0
    # 298.8 m / 5 km = 59.76 -> 59.8 m/km -> "mountain" (>= 30).
    assert s.elevation_per_km == 59.8
    assert s.course_character == "mountain"
    assert s.elevation_coverage_pct == 100.0
    assert s.note is None
    assert s.start_coords == (45.0, 7.0)

    assert len(s.climbs) == 1
    c = s.climbs[0]
    assert (c.position_km, c.distance_km, c.elevation_m) == (0.0, 5.0, 299)
    # 298.8 / 5000 × 100 = 5.976 -> 6.0 %; 200 <= 299 < 400 -> Cat 3.
    assert c.avg_gradient_pct == 6.0
    assert c.category == "Cat 3"
    # Any 200 m window inside the smoothed middle rises 20 × 0.6 = 12 m -> 6.0 %; windows
    # touching an end rise less (e.g. 12.0 - 0.6 = 11.4 m -> 5.7 %).
    assert c.max_gradient_pct == 6.0
    assert c.start_coords == (45.0, 7.0)
    # 5000 m north = 5000 / 111194.93 m per degree = 0.044966° -> 45.04497
    assert c.end_coords == (45.04497, 7.0)
    assert s.descents == []


def test_descent_is_signed_negative() -> None:
    s = analyze(list(reversed(UNIFORM_CLIMB)))
    assert s is not None
    # Mirror image of the uniform climb: 298.8 m lost, none gained.
    assert s.total_elevation_m == 0
    assert s.total_descent_m == 299
    assert s.climbs == []
    assert len(s.descents) == 1
    d = s.descents[0]
    assert (d.elevation_m, d.avg_gradient_pct, d.distance_km) == (-299, -6.0, 5.0)
    assert d.display.elevation == DisplayValue(value=-299, unit="m")


def test_two_climbs_split_by_a_descent_of_more_than_50_m() -> None:
    # 150 m steps (so smoothing sees only the point itself and chunks are 2 steps = 300 m):
    # 20 steps +9 m (6 %, +180 m), 10 steps -9 m (-90 m), 20 steps +9 m (+180 m).
    s = analyze(profile(150.0, [9.0] * 20 + [-9.0] * 10 + [9.0] * 20))
    assert s is not None
    # Gain 180 + 180 = 360 m, loss 90 m over 50 × 150 m = 7.5 km; 360 / 7.5 = 48.0 m/km.
    assert (s.total_elevation_m, s.total_descent_m, s.elevation_per_km) == (360, 90, 48.0)
    # Climb 1 stops when chunk ends fall 54 m below its top (126 vs 180 m), > 50 m.
    # Climb 1: 0 -> 3.0 km, +180 m, 6.0 %, 100 <= 180 < 200 -> Cat 4.
    # Climb 2: starts at step 30 = 4.5 km, 3.0 km, +180 m.
    got = [
        (c.position_km, c.distance_km, c.elevation_m, c.avg_gradient_pct, c.category)
        for c in s.climbs
    ]
    assert got == [(0.0, 3.0, 180, 6.0, "Cat 4"), (4.5, 3.0, 180, 6.0, "Cat 4")]
    assert [c.max_gradient_pct for c in s.climbs] == [6.0, 6.0]
    # Descent: step 20 (3.0 km) to step 30, 1.5 km, -90 m, -6.0 %; kept although under
    # 100 m because it is steeper than 3 %.
    got_d = [(d.position_km, d.distance_km, d.elevation_m, d.avg_gradient_pct) for d in s.descents]
    assert got_d == [(3.0, 1.5, -90, -6.0)]


@pytest.mark.parametrize(
    ("dip_steps", "expected"),
    [
        # 4 × -9 m: chunk ends fall at most 36 m below the top (<= 50 m) -> one climb of
        # 44 steps = 6.6 km, 180 - 36 + 180 = 324 m, 324 / 6600 = 4.9 %, Cat 3.
        (4, [(0.0, 6.6, 324, 4.9, "Cat 3")]),
        # 6 × -9 m: 54 m below the top (> 50 m) -> two climbs; the second starts after
        # the dip at step 26 = 3.9 km.
        (6, [(0.0, 3.0, 180, 6.0, "Cat 4"), (3.9, 3.0, 180, 6.0, "Cat 4")]),
    ],
)
def test_a_dip_splits_a_climb_only_when_deeper_than_50_m(
    dip_steps: int, expected: list[tuple[float, float, int, float, str]]
) -> None:
    s = analyze(profile(150.0, [9.0] * 20 + [-9.0] * dip_steps + [9.0] * 20))
    assert s is not None
    got = [
        (c.position_km, c.distance_km, c.elevation_m, c.avg_gradient_pct, c.category)
        for c in s.climbs
    ]
    assert got == expected


def test_grade_distribution_and_small_steep_climb() -> None:
    # 150 m steps, 300 m chunks: 1200 m flat, 600 m at 2 % (+3 m/step), 900 m at 4 %
    # (+6 m/step), 300 m at 8 % (+12 m/step). 3000 m in all.
    s = analyze(profile(150.0, [0.0] * 8 + [3.0] * 4 + [6.0] * 6 + [12.0] * 2))
    assert s is not None
    g = s.grade_distribution
    assert g is not None
    # 1200/3000 = 40 %, 600/3000 = 20 %, 900/3000 = 30 %, 300/3000 = 10 %.
    assert (g.flat_pct, g.gentle_pct, g.moderate_pct, g.steep_pct) == (40.0, 20.0, 30.0, 10.0)
    assert g.flat_pct + g.gentle_pct + g.moderate_pct + g.steep_pct == 100.0
    assert s.max_grade_pct == 8.0
    # Gain 12 + 36 + 24 = 72 m; 72 / 3 km = 24.0 m/km -> "hilly" (>= 20, < 30).
    assert (s.total_elevation_m, s.elevation_per_km, s.course_character) == (72, 24.0, "hilly")
    # One climb from 1.2 km to the end: 1.8 km, +72 m, 72/1800 = 4.0 %. Under 100 m but
    # kept because >= 3 %; under 100 m means no category. Steepest 300 m window = 8 %.
    assert len(s.climbs) == 1
    c = s.climbs[0]
    assert (c.position_km, c.distance_km, c.elevation_m, c.avg_gradient_pct) == (1.2, 1.8, 72, 4.0)
    assert c.category is None
    assert c.max_gradient_pct == 8.0


def test_rolling_course_with_a_cat_2_climb_is_hilly() -> None:
    # 250 m steps: 120 flat steps (30 km) then 20 steps of +21 m (5 km, +420 m, 8.4 %).
    s = analyze(profile(250.0, [0.0] * 120 + [21.0] * 20))
    assert s is not None
    # 420 m / 35 km = 12.0 m/km: "rolling" by density, but 400 <= 420 < 650 is Cat 2.
    assert s.elevation_per_km == 12.0
    assert [c.category for c in s.climbs] == ["Cat 2"]
    assert s.course_character == "hilly"


def test_partially_missing_elevation_adds_no_spurious_climbs() -> None:
    # Flat 5 km at 100 m, every third point (i = 0, 3, ..., 498: 167 of 501) missing.
    # The reference read those as 0 m and saw 100 m walls every 30 m.
    s = analyze(meridian(500, 10.0, lambda i: None if i % 3 == 0 else 100.0))
    assert s is not None
    assert (s.total_elevation_m, s.total_descent_m) == (0, 0)
    assert s.climbs == [] and s.descents == []
    assert s.course_character == "flat"
    # 334 / 501 = 66.67 % -> 66.7; missing 33.3 %.
    assert s.elevation_coverage_pct == 66.7
    assert s.note is not None and "33.3%" in s.note


def test_no_elevation_is_none_not_zero() -> None:
    s = analyze(meridian(500, 10.0, lambda i: None))
    assert s is not None
    assert s.total_distance_km == 5.0
    assert s.total_elevation_m is None
    assert s.total_descent_m is None
    assert s.elevation_per_km is None
    assert s.course_character is None
    assert s.max_grade_pct is None
    assert s.grade_distribution is None
    assert s.climbs == [] and s.descents == []
    assert s.elevation_coverage_pct == 0.0
    assert s.note is not None and "unknown, not zero" in s.note
    assert s.display.total_elevation is None
    assert s.display.elevation_per_distance is None


def test_a_single_elevation_point_is_unknown_not_flat() -> None:
    # 5 km course, only point 0 has a height. Smoothing (±25 m) copies it onto points 1
    # and 2 (10 m and 20 m away), so a gain computed from them would be 0 m and the
    # course "flat" although nothing is known about its climbing.
    s = analyze(meridian(500, 10.0, lambda i: 250.0 if i == 0 else None))
    assert s is not None
    assert s.total_distance_km == 5.0
    assert s.total_elevation_m is None
    assert s.total_descent_m is None
    assert s.elevation_per_km is None
    assert s.course_character is None
    assert s.grade_distribution is None
    # 1 of 501 points: 0.1996 % -> 0.2.
    assert s.elevation_coverage_pct == 0.2
    assert s.note is not None and "unknown, not zero" in s.note


def test_too_short_courses_return_none() -> None:
    assert analyze([]) is None
    assert analyze([TrackPoint(45.0, 7.0, 100.0)]) is None
    # 9 steps of 10 m = 90 m < 100 m minimum.
    assert analyze(meridian(9, 10.0, lambda i: 100.0)) is None


def test_imperial_display_and_redisplay_of_cached_summary() -> None:
    s = analyze(UNIFORM_CLIMB, IMPERIAL)
    assert s is not None
    # 5.0 km × 0.621371 = 3.106855 -> 3.11 mi; 299 m × 3.28084 = 980.97 -> 981 ft;
    # 59.8 m/km × 5.28 = 315.74 -> 316 ft/mi.
    assert s.display.total_distance == DisplayValue(value=3.11, unit="mi")
    assert s.display.total_elevation == DisplayValue(value=981, unit="ft")
    assert s.display.elevation_per_distance == DisplayValue(value=316, unit="ft/mi")
    c = s.climbs[0].display
    assert (c.position, c.distance, c.elevation) == (
        DisplayValue(value=0.0, unit="mi"),
        DisplayValue(value=3.11, unit="mi"),
        DisplayValue(value=981, unit="ft"),
    )
    # Canonical values stay metric.
    assert (s.total_distance_km, s.total_elevation_m) == (5.0, 299)

    metric = analyze(UNIFORM_CLIMB, METRIC)
    assert metric is not None
    assert metric.display.total_distance == DisplayValue(value=5.0, unit="km")
    assert apply_display_units(metric, IMPERIAL) == s
    assert apply_display_units(s, METRIC) == metric


def _circle(n: int, radius_m: float) -> list[TrackPoint]:
    m_per_deg = R * math.pi / 180.0
    lat0, lon0 = 45.0, 7.0
    pts = []
    for i in range(n + 1):
        a = 2.0 * math.pi * i / n
        north, east = radius_m * math.sin(a), radius_m * (1.0 - math.cos(a))
        pts.append(
            TrackPoint(
                lat0 + north / m_per_deg,
                lon0 + east / (m_per_deg * math.cos(math.radians(lat0))),
                100.0,
            )
        )
    return pts


@pytest.mark.parametrize("budget", [60, 300, 4000])
def test_polyline_fits_budget_and_decodes_onto_the_course(budget: int) -> None:
    # A 1 km radius loop of 2000 points (about 3.1 m apart), 2π km long.
    pts = _circle(2000, 1000.0)
    s = analyze(pts, poly=True, max_chars=budget)
    assert s is not None and s.polyline is not None and s.polyline_points is not None
    assert len(s.polyline) <= budget
    decoded = polyline.decode(s.polyline, 5)
    assert len(decoded) == s.polyline_points
    # Start and end are always kept (5 dp rounding).
    assert decoded[0] == (45.0, 7.0)
    assert decoded[-1] == (round(pts[-1].lat, 5), round(pts[-1].lon, 5))
    # Every kept point lies on the loop: the centre is 1000 m east of the start, and each
    # point is 1000 m from it give or take the 5 dp rounding (at most ~1.1 m).
    centre = TrackPoint(45.0, 7.0 + 1000.0 / (R * math.pi / 180.0 * math.cos(math.radians(45.0))))
    for lat, lon in decoded:
        d = cumulative_distance([centre, TrackPoint(lat, lon)])[1]
        assert abs(d - 1000.0) < 2.0
    # More budget keeps more of the shape; even 60 chars holds more than start and end.
    assert s.polyline_points > 2


def test_polyline_drops_collinear_points_and_is_optional() -> None:
    s = analyze(UNIFORM_CLIMB, poly=True)
    assert s is not None and s.polyline is not None
    # A straight line needs only its two ends.
    assert s.polyline_points == 2
    assert polyline.decode(s.polyline, 5) == [(45.0, 7.0), (45.04497, 7.0)]
    # Elevation profile: start (smoothed 0.6 -> 1) and finish (299.4 -> 299) at 5.0 km.
    assert s.elevation_profile is not None
    assert s.elevation_profile[0] == (0.0, 1)
    assert s.elevation_profile[-1] == (5.0, 299)
    kms = [row[0] for row in s.elevation_profile]
    assert kms == sorted(kms) and 10 <= len(kms) <= 12  # ~every 500 m over 5 km

    plain = analyze(UNIFORM_CLIMB)
    assert plain is not None
    assert (plain.polyline, plain.polyline_points, plain.elevation_profile) == (None, None, None)
