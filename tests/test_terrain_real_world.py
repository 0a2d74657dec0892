"""Route files as real devices and apps write them, and hostile ones, through the real parser
and analysis. Every file comes from ``section11.demo.messy_routes``; its docstring gives the
construction the expected figures follow from."""

from __future__ import annotations

import time
from itertools import pairwise

import pytest

from section11.demo import messy_routes as m
from section11.terrain import (
    RouteParseError,
    TerrainSummary,
    analyze_terrain,
    read_route_file,
)
from section11.units import DisplayUnits

UNITS = DisplayUnits()


def summarise(data: bytes, filename: str = "route.gpx") -> TerrainSummary:
    route = read_route_file(data, filename)
    summary = analyze_terrain(
        route.points,
        source="test",
        units=UNITS,
        include_polyline=True,
        declared_distance_m=route.declared_distance_m,
    )
    assert summary is not None
    return summary


# --- 1. null island ---------------------------------------------------------------------


def test_null_island_fixes_are_dropped() -> None:
    s = summarise(m.null_island_ride())
    # 566 steps x 10 m = 5,660 m -> 5.7 km; with (0, 0) kept it would be ~13,000 km.
    assert s.total_distance_km == 5.7
    assert s.start_coords is not None and s.start_coords[0] == 61.0


# --- 2. Strava whitespace ---------------------------------------------------------------


def test_whitespace_before_the_xml_declaration_is_accepted() -> None:
    data = m.strava_export()
    assert data.startswith(b"\n   \n<?xml")
    assert summarise(data).total_distance_km == 2.0  # 199 x 10 m = 1,990 m -> 2.0 km


# --- 3. 0 m placeholders ----------------------------------------------------------------


def test_zero_placeholder_runs_are_missing_not_sea_level() -> None:
    s = summarise(m.zero_placeholder_run())
    assert s.total_elevation_m == 29  # 500 -> 529 m; the jumps from 0 m are not climbing
    assert s.climbs == []
    assert s.max_grade_pct is not None and s.max_grade_pct <= 1.0  # 0.1 m per 10 m = 1 %
    # 20 + 15 of 326 points lost their elevation: 35 / 326 = 10.7 % missing.
    assert s.elevation_coverage_pct == 89.3


def test_all_zero_elevation_is_unknown() -> None:
    s = summarise(m.all_zero_elevation())
    assert (s.total_elevation_m, s.total_descent_m, s.max_grade_pct) == (None, None, None)
    assert s.course_character is None
    assert s.total_distance_km == 10.0  # 999 x 10 m = 9,990 m -> 10.0 km


# --- 4. pieces --------------------------------------------------------------------------


def test_track_segments_days_apart_are_measured_within_each() -> None:
    s = summarise(m.three_pieces_days_apart())
    assert s.total_distance_km == 4.5  # 3 x 150 x 10 m; the 2 x 3 km gaps are not ridden
    assert s.note is not None and "3 separate pieces" in s.note


def test_tracks_and_tcx_activities_are_pieces_and_contiguous_laps_join() -> None:
    gpx, tcx = m.two_tracks_and_two_activities()
    for data, name in ((gpx, "two.gpx"), (tcx, "two.tcx")):
        route = read_route_file(data, name)
        # Two pieces: the two laps of each activity join (lap 2 starts where lap 1 ends).
        assert {p.piece for p in route.points} == {0, 1}
        assert summarise(data, name).total_distance_km == 2.0  # 2 x 100 x 10 m
    # The TCX declares 4 laps of 500 m (0..500 and 500..1000 in each activity) = 2,000 m.
    assert read_route_file(tcx, "two.tcx").declared_distance_m == 2000.0


# --- 5. implausible tracks and declared distance ----------------------------------------


def test_corrupted_points_disagreeing_with_the_declared_distance_are_dropped() -> None:
    route = read_route_file(m.corrupted_course(), "course.tcx")
    # Points 5, 15, ..., 285 are corrupt: (285 - 5) / 10 + 1 = 29 of 294 points.
    assert len(route.points) == 294 - 29
    s = summarise(m.corrupted_course(), "course.tcx")
    assert s.total_distance_km == 2.9  # 293 x 10 m; the spikes would add ~157 km
    assert s.note is None  # within 10 % of the declared 2,930 m: no warning


def test_a_total_far_from_the_declared_distance_is_warned_about() -> None:
    s = summarise(m.course_declaring_more(), "course.tcx")
    # |2,930 - 4,000| / 4,000 = 26.75 % -> "27% apart"
    assert s.total_distance_km == 2.9
    assert s.note is not None
    assert "declares 4.0 km but its track measures 2.9 km (27% apart)" in s.note


def test_impossible_speed_between_timed_points_is_dropped() -> None:
    pts = m.line(50)
    # Point 20 jumps 0.01 degrees east (about 540 m) within one second: 540 m/s.
    bad = [p._replace(lon=p.lon + 0.01) if i == 20 else p for i, p in enumerate(pts)]
    route = read_route_file(m.gpx([[bad]]), "spike.gpx")
    assert len(route.points) == 49
    assert summarise(m.gpx([[bad]])).total_distance_km == 0.5  # 49 x 10 m = 490 m


# --- 6. barometer jumps -----------------------------------------------------------------


def test_a_barometer_jump_at_the_start_is_not_a_climb_or_descent() -> None:
    s = summarise(m.barometer_jump_at_start())
    assert s.climbs == [] and s.descents == []
    # The settled profile rises 0.01 m per step over 195 steps: about 2 m, never 1,000 m.
    assert s.total_descent_m is not None and s.total_descent_m < 5
    assert s.total_elevation_m is not None and s.total_elevation_m < 5


# --- 7. noisy gain against the device total ---------------------------------------------


def test_gain_is_close_to_the_device_total_despite_barometric_noise() -> None:
    points, device_total = m.noisy_flat_ride()
    naive = sum(max(0.0, (b.ele or 0.0) - (a.ele or 0.0)) for a, b in pairwise(points))
    assert naive > 1.2 * device_total  # summing every wiggle overcounts by far more than 20 %
    for data, name in (
        (m.gpx([[points]]), "noisy.gpx"),
        (m.fit_file(points, total_distance=20_000.0, total_ascent=device_total), "noisy.fit"),
    ):
        s = summarise(data, name)
        assert s.total_elevation_m is not None
        # Within 10 % of the device's own 80 m: 72..88 m.
        assert abs(s.total_elevation_m - device_total) <= 0.1 * device_total


# --- 8. one-point track, max grade ------------------------------------------------------


def test_a_one_point_track_does_not_hide_the_route_beside_it() -> None:
    s = summarise(m.one_point_track_and_a_route())
    assert s.total_distance_km == 2.0  # the <rte>: 199 x 10 m


def test_course_max_grade_is_at_least_its_climbs_max_grade() -> None:
    s = summarise(m.steep_climb())
    assert len(s.climbs) == 1
    climb = s.climbs[0]
    # The last 35 steps rise 1.6 m per 10 m: 16 % over 350 m, so the steepest 200 m is 16 %.
    assert climb.max_gradient_pct == 16.0
    assert s.max_grade_pct is not None and s.max_grade_pct >= climb.max_gradient_pct
    assert climb.elevation_m == 80  # 30 x 0.8 + 35 x 1.6 = 24 + 56


# --- 9. FIT -----------------------------------------------------------------------------


def test_fit_positions_altitude_and_declared_distance() -> None:
    points = m.line(101, ele=lambda i: 200.0 + 0.5 * i)
    data = m.fit_file(points, total_distance=1000.0)
    route = read_route_file(data, "ride.fit")
    assert route.format == "fit"
    assert route.declared_distance_m == 1000.0
    assert len(route.points) == 101
    first = route.points[0]
    # Semicircles round to 180 / 2^31 = 8.4e-8 degrees; altitude to 1/5 m.
    assert first.lat == pytest.approx(61.0, abs=1e-7)
    assert first.ele == pytest.approx(200.0, abs=0.2)
    s = summarise(data, "ride.fit")
    assert s.total_distance_km == 1.0  # 100 x 10 m
    # 100 steps x 0.5 m = 50 m raw; smoothing (+/- 25 m) sees only 0..20 m at the start
    # (mean 200.5 m) and 980..1,000 m at the finish (mean 249.5 m): 49 m.
    assert s.total_elevation_m == 49


@pytest.mark.parametrize(
    ("damage", "fragment"),
    [
        (lambda d: d[:-1] + bytes([d[-1] ^ 0xFF]), "damaged FIT file"),  # file CRC
        (lambda d: d[:40] + bytes([d[40] ^ 0xFF]) + d[41:], "FIT file"),
        (lambda d: d[: len(d) // 2], "FIT file"),
        (lambda d: d[:14], "FIT file"),
    ],
)
def test_corrupt_fit_is_one_clear_error(damage: object, fragment: str) -> None:
    data = m.fit_file(m.line(50))
    broken = damage(data)  # type: ignore[operator]
    with pytest.raises(RouteParseError, match=fragment) as caught:
        read_route_file(broken, "ride.fit")
    assert "\n" not in str(caught.value)


# --- hostile ----------------------------------------------------------------------------


def test_deeply_nested_xml_is_refused_quickly() -> None:
    data = m.deeply_nested()
    assert len(data) > 1_400_000
    started = time.perf_counter()
    with pytest.raises(RouteParseError, match="nested more than 64 elements deep"):
        read_route_file(data, "deep.gpx")
    assert time.perf_counter() - started < 2.0


def test_absurd_numbers_never_abort() -> None:
    route = read_route_file(m.absurd_numbers(), "absurd.gpx")
    # 3 good points + 4 at lat 61.001 with unusable elevation; lat 1e308 is dropped.
    assert len(route.points) == 7
    assert [p.ele for p in route.points[3:]] == [None, None, None, None]
    assert summarise(m.absurd_numbers()).total_elevation_m == 0  # 100 m flat


@pytest.mark.parametrize("data", [m.billion_laughs(), m.external_entity()])
def test_entities_are_refused(data: bytes) -> None:
    with pytest.raises(RouteParseError, match="DOCTYPE or ENTITY declaration"):
        read_route_file(data, "evil.gpx")


def test_regex_pathological_file_parses_in_linear_time() -> None:
    small = m.regex_pathological(20_000)
    large = m.regex_pathological(200_000)  # 10 x the words, about 1.2 MB
    timings = []
    for data in (small, large):
        started = time.perf_counter()
        assert summarise(data).total_distance_km == 1.0  # 100 x 10 m
        timings.append(time.perf_counter() - started)
    assert len(large) > 1_200_000
    # Linear: 10 x the input costs about 10 x; quadratic would cost about 100 x.
    assert timings[1] < 2.0


@pytest.mark.parametrize(
    "data",
    [
        b"<gpx",
        b"<gpx xmlns='http://www.topografix.com/GPX/1/1'><trk><trkseg><trkpt lat='1' lon=",
        b"\x00\x01\x02garbage",
        b"<?xml version='1.0'?>",
        "<gpx>\udcff</gpx>".encode("utf-8", "surrogatepass"),
    ],
)
def test_broken_bytes_are_one_clear_error(data: bytes) -> None:
    with pytest.raises(RouteParseError) as caught:
        read_route_file(data, "broken.gpx")
    assert "\n" not in str(caught.value)


# --- encodings and sloppy XML -----------------------------------------------------------

_SLOPPY = (
    '<gpx version="1.1"><trk><trkseg>'
    '<trkpt lat="61" lon="9"><ele>10</ele><extensions><gpxtpx:hr>120</gpxtpx:hr>'
    "</extensions></trkpt>"
    '<trkpt lat="61.001" lon="9"><ele>11</ele></trkpt>'
    "</trkseg></trk><desc>Caf\u00e9 stop</desc></gpx>"
)


@pytest.mark.parametrize("encoding", ["utf-8", "windows-1252", "iso-8859-1", "utf-16"])
def test_declared_encodings_and_undeclared_prefixes_are_read(encoding: str) -> None:
    data = (f'<?xml version="1.0" encoding="{encoding}"?>' + _SLOPPY).encode(encoding)
    route = read_route_file(data, "sloppy.gpx")
    assert [(p.lat, p.ele) for p in route.points] == [(61.0, 10.0), (61.001, 11.0)]


def test_a_segment_split_at_a_long_stop_is_one_piece() -> None:
    # 1 km, a one-hour stop at the same place (new <trkseg>), then 1 km more.
    first = m.line(101)
    second = m.line(101, start=(first[-1].lat, first[-1].lon), t0=T_AFTER_STOP)
    route = read_route_file(m.gpx([[first, second]]), "stop.gpx")
    assert {p.piece for p in route.points} == {0}
    assert summarise(m.gpx([[first, second]])).total_distance_km == 2.0  # 200 x 10 m


T_AFTER_STOP = m.T0 + 100 + 3600  # the first segment ends at T0 + 100 s


# --- activity streams -------------------------------------------------------------------


def test_streams_get_the_same_cleaning() -> None:
    from section11.terrain import points_from_streams

    pts = m.line(100, ele=lambda i: 0.0 if i < 5 else 300.0)
    lat = [0.0, 0.0] + [p.lat for p in pts]  # two null-island fixes first
    lon = [0.0, 0.0] + [p.lon for p in pts]
    alt = [0.0, 0.0] + [p.ele for p in pts]
    points = points_from_streams(lat, lon, alt)
    assert len(points) == 100  # the (0, 0) fixes are gone
    assert [p.ele for p in points[:6]] == [None] * 5 + [300.0]  # 0 m before the fix: missing


def test_one_height_per_piece_is_unknown_elevation_not_zero() -> None:
    # Two 1 km pieces a day apart, each with a height on its first point only.
    a = m.line(101, ele=lambda i: 100.0 if i == 0 else None)
    b = m.line(101, start=(61.1, 9.0), t0=m.T0 + m.DAY, ele=lambda i: 900.0 if i == 0 else None)
    s = summarise(m.gpx([[a], [b]]))
    assert (s.total_elevation_m, s.max_grade_pct, s.course_character) == (None, None, None)
    assert s.note is not None and "No piece of the course has two points" in s.note


def test_two_rides_in_one_fit_file_are_two_pieces() -> None:
    # 1 km, then a day later and 5.5 km away another 1 km, all in one record stream.
    first = m.line(101)
    second = m.line(101, start=(61.05, 9.0), t0=m.T0 + m.DAY)
    route = read_route_file(m.fit_file(first + second), "two.fit")
    assert {p.piece for p in route.points} == {0, 1}
    assert summarise(m.fit_file(first + second), "two.fit").total_distance_km == 2.0
