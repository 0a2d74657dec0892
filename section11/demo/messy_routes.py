"""Route files with the faults real devices and apps produce, and hostile ones.

Each generator returns the bytes of one file whose true figures follow from its
construction (documented on the function), so tests and benchmarks can check the parser
against them. Tracks run due north in steps of exactly ``step_m`` metres: a step of
``step_m / METRES_PER_DEGREE`` degrees of latitude is ``step_m`` metres by haversine.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from section11.demo.fit_writer import FitRecord, fit_activity

METRES_PER_DEGREE = 6_371_000.0 * math.pi / 180.0
START = (61.0, 9.0)
T0 = 1_780_000_000  # 2026-05-28T20:26:40Z
DAY = 86_400
_GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="section11-demo" xmlns="http://www.topografix.com/GPX/1/1">\n'
)
_TCX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">\n'
)


class Pt(NamedTuple):
    lat: float
    lon: float
    ele: float | None
    time: int | None = None
    distance: float | None = None


def line(
    n: int,
    *,
    step_m: float = 10.0,
    start: tuple[float, float] = START,
    ele: Callable[[int], float | None] = lambda _i: 100.0,
    t0: int | None = T0,
    dt: int = 1,
    d0: float = 0.0,
) -> list[Pt]:
    """``n`` points due north, ``step_m`` apart: (n - 1) * step_m metres long."""
    dlat = step_m / METRES_PER_DEGREE
    return [
        Pt(
            start[0] + i * dlat,
            start[1],
            ele(i),
            None if t0 is None else t0 + i * dt,
            d0 + i * step_m,
        )
        for i in range(n)
    ]


# --- writers ------------------------------------------------------------------------------


def _iso(t: int | None) -> str:
    return "" if t is None else datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _gpx_pt(tag: str, p: Pt) -> str:
    ele = "" if p.ele is None else f"<ele>{p.ele:.2f}</ele>"
    time = "" if p.time is None else f"<time>{_iso(p.time)}</time>"
    return f'<{tag} lat="{p.lat:.7f}" lon="{p.lon:.7f}">{ele}{time}</{tag}>'


def gpx(
    tracks: Sequence[Sequence[Sequence[Pt]]],
    *,
    route: Sequence[Pt] = (),
    prefix: str = "",
    extra: str = "",
) -> bytes:
    """GPX with ``tracks`` (each a list of segments) and an optional ``<rte>``."""
    parts = [prefix, _GPX_HEAD]
    for segments in tracks:
        parts.append("<trk><name>Track</name>")
        for seg in segments:
            parts.append("<trkseg>" + "".join(_gpx_pt("trkpt", p) for p in seg) + "</trkseg>")
        parts.append("</trk>\n")
    if route:
        parts.append("<rte>" + "".join(_gpx_pt("rtept", p) for p in route) + "</rte>\n")
    parts.append(extra + "</gpx>\n")
    return "".join(parts).encode("utf-8")


def _tcx_pt(p: Pt) -> str:
    time = "" if p.time is None else f"<Time>{_iso(p.time)}</Time>"
    alt = "" if p.ele is None else f"<AltitudeMeters>{p.ele:.2f}</AltitudeMeters>"
    dist = "" if p.distance is None else f"<DistanceMeters>{p.distance:.1f}</DistanceMeters>"
    return (
        f"<Trackpoint>{time}<Position><LatitudeDegrees>{p.lat:.7f}</LatitudeDegrees>"
        f"<LongitudeDegrees>{p.lon:.7f}</LongitudeDegrees></Position>{alt}{dist}</Trackpoint>"
    )


def tcx_activities(activities: Sequence[Sequence[Sequence[Pt]]]) -> bytes:
    """TCX with one <Activity> per item, one <Lap> (with its total) per list of points."""
    parts = [_TCX_HEAD, "<Activities>"]
    for laps in activities:
        first = laps[0][0].time if laps and laps[0] else None
        parts.append(f'<Activity Sport="Biking"><Id>{_iso(first)}</Id>')
        for lap in laps:
            total = (lap[-1].distance or 0.0) - (lap[0].distance or 0.0)
            parts.append(
                f'<Lap StartTime="{_iso(lap[0].time)}"><TotalDistanceMeters>{total:.1f}'
                "</TotalDistanceMeters><Track>"
                + "".join(_tcx_pt(p) for p in lap)
                + "</Track></Lap>"
            )
        parts.append("</Activity>")
    parts.append("</Activities></TrainingCenterDatabase>\n")
    return "".join(parts).encode("utf-8")


def tcx_course(points: Sequence[Pt], total_m: float) -> bytes:
    """A TCX <Course> whose lap declares ``total_m`` metres."""
    return (
        _TCX_HEAD
        + "<Courses><Course><Name>Course</Name>"
        + f"<Lap><TotalTimeSeconds>0</TotalTimeSeconds><DistanceMeters>{total_m:.1f}"
        + f"</DistanceMeters><TotalDistanceMeters>{total_m:.1f}</TotalDistanceMeters></Lap>"
        + "<Track>"
        + "".join(_tcx_pt(p) for p in points)
        + "</Track></Course></Courses></TrainingCenterDatabase>\n"
    ).encode("utf-8")


def fit_file(
    points: Sequence[Pt], *, total_distance: float | None = None, total_ascent: int | None = None
) -> bytes:
    records = [FitRecord(p.time or T0, p.lat, p.lon, p.ele, p.distance) for p in points]
    return fit_activity(records, total_distance=total_distance, total_ascent=total_ascent)


# --- real-world faults --------------------------------------------------------------------


def null_island_ride() -> bytes:
    """566 steps of 10 m = 5,660 m, with (0, 0) fixes before and after: 5.7 km."""
    ride = line(567)
    island = [Pt(0.0, 0.0, 0.0, T0 - 3 + i) for i in range(3)]
    after = [Pt(0.0, 0.0, None, T0 + 567 + i) for i in range(2)]
    return gpx([[island + ride + after]])


def strava_export() -> bytes:
    """Strava's GPX starts with whitespace before the XML declaration; 199 x 10 m = 1.99 km."""
    return gpx([[line(200)]], prefix="\n   \n")


def zero_placeholder_run() -> bytes:
    """A run from 500 m to 529 m (+0.1 m per 10 m step, 290 steps = +29 m), with 0.0 written
    for the first 20 and last 15 points before/after the altimeter had a fix; 326 points,
    325 x 10 m = 3.25 km."""
    n = 20 + 291 + 15

    def ele(i: int) -> float:
        k = i - 20
        return 0.0 if k < 0 or k > 290 else 500.0 + 0.1 * k

    return gpx([[line(n, ele=ele)]])


def all_zero_elevation() -> bytes:
    """Every elevation 0.0: unknown, not a flat course at sea level; 999 x 10 m = 9.99 km."""
    return gpx([[line(1000, ele=lambda _i: 0.0)]])


def three_pieces_days_apart() -> bytes:
    """Three track segments of 150 x 10 m = 1.5 km each, recorded a day apart and 3 km
    from each other: 4.5 km in total, nothing measured across the gaps."""
    segments = []
    for k in range(3):
        start = (START[0] + k * 4500.0 / METRES_PER_DEGREE, START[1])
        segments.append(line(151, start=start, t0=T0 + k * DAY))
    return gpx([segments])


def two_tracks_and_two_activities() -> tuple[bytes, bytes]:
    """GPX with two <trk> and TCX with two <Activity> (two contiguous laps each), every
    piece 100 x 10 m = 1 km, days and 5 km apart: 2.0 km either way."""
    a = line(101)
    b = line(101, start=(START[0] + 0.05, START[1]), t0=T0 + DAY)
    laps_a = [a[:51], a[50:]]  # lap 2 starts where lap 1 ends
    laps_b = [b[:51], b[50:]]
    return gpx([[a], [b]]), tcx_activities([laps_a, laps_b])


def corrupted_course() -> bytes:
    """A 2,930 m course (293 x 10 m, DistanceMeters per point) where every 10th point has a
    corrupted longitude 0.05 degrees (about 2.7 km) east. Without the spikes: 2.9 km; with
    them the track would measure over 150 km."""
    pts = line(294, t0=None)
    bad = [p._replace(lon=p.lon + 0.05) if i % 10 == 5 else p for i, p in enumerate(pts)]
    return tcx_course(bad, 2930.0)


def course_declaring_more() -> bytes:
    """A clean 2,930 m course whose lap declares 4,000 m: 27 % apart, so a warning."""
    pts = [p._replace(distance=None) for p in line(294, t0=None)]
    return tcx_course(pts, 4000.0)


def barometer_jump_at_start() -> bytes:
    """2 km at about 100 m whose first 6 points read 1,100 m (barometer settling): no climb,
    and the 1,000 m drop is not a descent."""
    return gpx([[line(201, ele=lambda i: 1100.0 if i < 6 else 100.0 + 0.01 * i)]])


def noisy_flat_ride(seed: int = 7) -> tuple[list[Pt], int]:
    """20 km at 8 m per second with gentle 20 m rollers (a 10 m sine over 5 km: 4 rises of
    20 m = 80 m of true ascent) plus barometric noise of +/- 1.5 m on every point.

    Returns the points and the device's own total ascent (80 m, as its session reports).
    """
    rng = random.Random(seed)
    n = 2501  # 2,500 steps x 8 m = 20 km

    def ele(i: int) -> float:
        x = i * 8.0
        # -cos starts each roller in a trough: 4 full periods, each rising 20 m once.
        return 200.0 - 10.0 * math.cos(2 * math.pi * x / 5000.0) + rng.uniform(-1.5, 1.5)

    return line(n, step_m=8.0, ele=ele), 80


def one_point_track_and_a_route() -> bytes:
    """A <trk> of a single point and a <rte> of 200 x 10 m: the route, 1.99 km."""
    return gpx([[line(1)]], route=line(200, t0=None, start=(START[0], START[1] + 0.01)))


def steep_climb() -> bytes:
    """Flat 1 km, then 65 steps of 10 m rising 0.8 m then 1.6 m per step (first 30 at 8 %,
    then 35 at 16 %: 24 + 56 = 80 m up over 650 m), then flat 1 km: a categorised-size climb
    whose steepest 200 m the course max grade must not miss."""

    def ele(i: int) -> float:
        k = min(max(i - 100, 0), 65)
        return 100.0 + 0.8 * min(k, 30) + 1.6 * max(k - 30, 0)

    return gpx([[line(266, ele=ele)]])


# --- hostile ------------------------------------------------------------------------------


def deeply_nested(depth: int = 200_000) -> bytes:
    """About 1.4 MB of nested elements: must be refused, never crash the interpreter."""
    return b'<gpx xmlns="http://www.topografix.com/GPX/1/1">' + b"<a>" * depth + b"</a>" * depth


def absurd_numbers() -> bytes:
    """Elevations of 1e308, -1e308, inf and nan, and a latitude of 1e308, among 3 good
    points (2 x 10 m = 20 m apart)."""
    good = line(3)
    extra = (
        '<trkpt lat="61.001" lon="9"><ele>1e308</ele></trkpt>'
        '<trkpt lat="61.001" lon="9"><ele>-1e308</ele></trkpt>'
        '<trkpt lat="61.001" lon="9"><ele>inf</ele></trkpt>'
        '<trkpt lat="61.001" lon="9"><ele>nan</ele></trkpt>'
        '<trkpt lat="1e308" lon="9"><ele>10</ele></trkpt>'
    )
    body = "".join(_gpx_pt("trkpt", p) for p in good)
    return (_GPX_HEAD + f"<trk><trkseg>{body}{extra}</trkseg></trk></gpx>").encode()


def billion_laughs() -> bytes:
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE gpx [{lol}]>'
        '<gpx xmlns="http://www.topografix.com/GPX/1/1"><desc>&lol9;</desc></gpx>'
    ).encode()


def external_entity() -> bytes:
    return (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><desc>&x;</desc></gpx>'
    )


def regex_pathological(words: int) -> bytes:
    """A valid GPX of 1 km whose description repeats " xmlns" ``words`` times with no "="
    after it: a namespace regular expression that scans to the next "=" from each
    occurrence takes quadratic time here. A streaming parser reads it in linear time."""
    desc = "<desc>" + " xmlns" * words + "</desc>"
    return gpx([[line(101)]], extra=desc)


def big_ride(points: int) -> bytes:
    """A long 1 Hz ride with rolling hills: ``points`` x 7 m, about 150 bytes per point."""
    return gpx([[line(points, step_m=7.0, ele=lambda i: 300.0 + 40.0 * math.sin(i / 700.0))]])
