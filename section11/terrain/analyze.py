"""Terrain summary of a course: distance, elevation, climbs, descents, grades, polyline.

Missing elevation is never read as 0 m: smoothing averages only the points that have an
elevation, and a course with no elevation at all (or on one point only) reports None for every
elevation figure.

A course may come in pieces (see ``TrackPoint.piece``). Distance, smoothing, gain, grades
and climbs are all measured within a piece: the gap between two pieces counts for nothing.
Gain and loss use a hysteresis of ``GAIN_HYSTERESIS_M`` on the smoothed profile, so the
wobble of a barometer on flat roads is not summed up as climbing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from section11.terrain.segments import (
    Chunk,
    Segment,
    detect_segments,
    make_chunks,
)
from section11.terrain.simplify import encode_course
from section11.terrain.track import TrackPoint
from section11.units import DisplayUnits, ShownValue

EARTH_RADIUS_M = 6_371_000.0
SMOOTHING_HALF_WINDOW_M = 25.0
MIN_COURSE_M = 100.0  # shorter tracks (GPS jitter around a start line) say nothing useful
PROFILE_STEP_M = 500.0
# Smoothed height must move this far from the last turning point before it counts as gain or
# loss: barometric wobble of a metre or two on a flat road is not climbing.
GAIN_HYSTERESIS_M = 3.0
# Warn when the measured distance and the file's own declared distance differ by more.
DECLARED_DISTANCE_TOLERANCE = 0.10

CourseCharacter = Literal["flat", "rolling", "hilly", "mountain"]
ClimbCategory = Literal["HC", "Cat 1", "Cat 2", "Cat 3", "Cat 4"]

# (minimum gain in m, category), checked from the top
_CATEGORIES: tuple[tuple[float, ClimbCategory], ...] = (
    (1000.0, "HC"),
    (650.0, "Cat 1"),
    (400.0, "Cat 2"),
    (200.0, "Cat 3"),
    (100.0, "Cat 4"),
)
_BIG_CLIMBS = frozenset({"HC", "Cat 1", "Cat 2"})
# Kept climbs/descents: at least this much elevation change, or at least this steep.
_KEEP_ELEVATION_M = 100.0
_KEEP_GRADE_PCT = 3.0


# --- models -----------------------------------------------------------------------------


class SegmentDisplay(BaseModel):
    position: ShownValue
    distance: ShownValue
    elevation: ShownValue


class Descent(BaseModel):
    """A sustained descent; ``elevation_m`` and ``avg_gradient_pct`` are negative."""

    position_km: float = Field(description="Distance from the start to the segment start")
    distance_km: float
    elevation_m: int
    avg_gradient_pct: float
    # [lat, lon]; null when the privacy level removes it (see the README's privacy table)
    start_coords: tuple[float, float] | None
    end_coords: tuple[float, float] | None
    display: SegmentDisplay


class Climb(Descent):
    """A sustained climb; ``elevation_m`` is the gain."""

    max_gradient_pct: float = Field(description="Steepest stretch of at least 200 m")
    category: ClimbCategory | None


class GradeDistribution(BaseModel):
    """Share of distance (%) by absolute grade: < 1, 1-3, 3-6, >= 6 %; sums to 100."""

    flat_pct: float
    gentle_pct: float
    moderate_pct: float
    steep_pct: float


class TerrainDisplay(BaseModel):
    total_distance: ShownValue
    total_elevation: ShownValue
    elevation_per_distance: ShownValue


class TerrainSummary(BaseModel):
    """Terrain of one course. Elevation figures are None (not 0) when elevation is missing."""

    source: str
    total_distance_km: float
    total_elevation_m: int | None
    total_descent_m: int | None
    elevation_per_km: float | None
    course_character: CourseCharacter | None
    max_grade_pct: float | None
    grade_distribution: GradeDistribution | None
    start_coords: tuple[float, float] | None = Field(
        description="[lat, lon] of the first point; null when the privacy level removes it"
    )
    climbs: list[Climb]
    descents: list[Descent]
    elevation_coverage_pct: float = Field(description="Share of points that carry elevation")
    note: str | None = None
    display: TerrainDisplay
    # Route files only (include_polyline); an activity's summary in latest.json leaves
    # them out (ROUTE_ONLY_FIELDS).
    polyline: str | None = Field(
        default=None, description="Google encoded polyline (precision 5) of the course"
    )
    polyline_points: int | None = None
    elevation_profile: list[tuple[float, int | None]] | None = Field(
        default=None, description="[km, smoothed elevation m] about every 500 m"
    )


# Keys only a route file's summary has (an activity's are always null): latest.json leaves
# them out, as the reference does, instead of three nulls on every outdoor activity.
ROUTE_ONLY_FIELDS = frozenset({"polyline", "polyline_points", "elevation_profile"})


# --- entry point ------------------------------------------------------------------------


def analyze_terrain(
    points: Sequence[TrackPoint],
    *,
    source: str,
    units: DisplayUnits,
    include_polyline: bool,
    polyline_max_chars: int = 4000,
    declared_distance_m: float | None = None,
) -> TerrainSummary | None:
    """Summarise a course; None when it has fewer than 2 points or is under 100 m long.

    ``include_polyline`` adds the encoded polyline (at most ``polyline_max_chars``) and
    the elevation profile, which routes want and activity summaries do not.
    ``declared_distance_m`` is the file's own total; a measured total more than 10 % off
    it is reported in ``note``.
    """
    if len(points) < 2:
        return None
    dist = cumulative_distance(points)
    total_m = dist[-1]
    if total_m < MIN_COURSE_M:
        return None

    n = len(points)
    with_ele = sum(1 for p in points if p.ele is not None)
    coverage = round(with_ele / n * 100.0, 1)
    pieces = piece_ranges(points)
    smoothed: list[float | None] = []
    for a, b in pieces:
        smoothed.extend(smooth_elevation(dist[a:b], [p.ele for p in points[a:b]]))

    total_km = round(total_m / 1000.0, 1)
    gain = descent = per_km = max_grade = None
    character: CourseCharacter | None = None
    distribution: GradeDistribution | None = None
    climbs: list[Climb] = []
    descents: list[Descent] = []
    notes: list[str] = []

    parts = _elevation_by_piece(pieces, dist, smoothed, points, units) if with_ele >= 2 else None
    if with_ele == 0:
        notes.append("No elevation data in this course; elevation figures are unknown, not zero.")
    elif with_ele == 1:
        # One height says nothing about climbing: its smoothing window would spread it
        # over its neighbours and read as a flat 0 m course.
        notes.append("Only one point carries elevation; elevation figures are unknown, not zero.")
    elif parts is None:
        notes.append(
            "No piece of the course has two points with elevation; elevation figures are "
            "unknown, not zero."
        )
    else:
        if coverage < 100.0:
            notes.append(
                f"Elevation is missing on {round(100.0 - coverage, 1)}% of points; "
                "figures use the points that have it."
            )
        up, down, chunks, climbs, descents = parts
        gain, descent = round(up), round(down)
        per_km = round(up / (total_m / 1000.0), 1)
        chunk_max, distribution = _grades(chunks)
        # The course's steepest grade (of ~200 m chunks) can never be below one of its own
        # climbs' steepest 200 m window, which chunk boundaries may cut through.
        candidates = [c.max_gradient_pct for c in climbs]
        if chunk_max is not None:
            candidates.append(chunk_max)
        max_grade = round(max(candidates), 1) if candidates and distribution else None
        character = _character(per_km, climbs)

    if len(pieces) > 1:
        notes.append(
            f"The file holds {len(pieces)} separate pieces; distance and climbing are "
            "measured within each, not across the gaps between them."
        )
    if declared_distance_m is not None and declared_distance_m > 0:
        off = abs(total_m - declared_distance_m) / declared_distance_m
        if off > DECLARED_DISTANCE_TOLERANCE:
            notes.append(
                f"The file declares {declared_distance_m / 1000.0:.1f} km but its track "
                f"measures {total_m / 1000.0:.1f} km ({off * 100.0:.0f}% apart); "
                "treat the distance with care."
            )
    note = " ".join(notes) or None

    encoded: tuple[str, int] | None = None
    profile: list[tuple[float, int | None]] | None = None
    if include_polyline:
        encoded = encode_course(points, dist, polyline_max_chars)
        profile = _profile(dist, smoothed)

    return TerrainSummary(
        source=source,
        total_distance_km=total_km,
        total_elevation_m=gain,
        total_descent_m=descent,
        elevation_per_km=per_km,
        course_character=character,
        max_grade_pct=max_grade,
        grade_distribution=distribution,
        start_coords=_coords(points[0]),
        climbs=climbs,
        descents=descents,
        elevation_coverage_pct=coverage,
        note=note,
        display=_summary_display(total_km, gain, per_km, units),
        polyline=None if encoded is None else encoded[0],
        polyline_points=None if encoded is None else encoded[1],
        elevation_profile=profile,
    )


def apply_display_units(summary: TerrainSummary, units: DisplayUnits) -> TerrainSummary:
    """A copy of ``summary`` with every display block recomputed for ``units``.

    Used when a cached summary is reused after the athlete changed unit preferences.
    """
    return summary.model_copy(
        update={
            "display": _summary_display(
                summary.total_distance_km,
                summary.total_elevation_m,
                summary.elevation_per_km,
                units,
            ),
            "climbs": [
                c.model_copy(update={"display": _segment_display(c, units)}) for c in summary.climbs
            ],
            "descents": [
                d.model_copy(update={"display": _segment_display(d, units)})
                for d in summary.descents
            ],
        }
    )


_ElevationParts = tuple[float, float, list[Chunk], list[Climb], list[Descent]]


def _elevation_by_piece(
    pieces: Sequence[tuple[int, int]],
    dist: Sequence[float],
    smoothed: Sequence[float | None],
    points: Sequence[TrackPoint],
    units: DisplayUnits,
) -> _ElevationParts | None:
    """Gain, loss, grade chunks, climbs and descents summed over the pieces; None when no
    piece has two points with elevation.

    Each piece works on its points that have a smoothed elevation, with their true course
    distance, so a gap in elevation within a piece is bridged by its real average grade.
    """
    up = down = 0.0
    chunks: list[Chunk] = []
    climbs: list[Climb] = []
    descents: list[Descent] = []
    measured = False
    for a, b in pieces:
        # Smoothing spreads a single height over its neighbours; it takes two real ones.
        if sum(1 for p in points[a:b] if p.ele is not None) < 2:
            continue
        idx = [i for i in range(a, b) if smoothed[i] is not None]
        measured = True
        e_dist = [dist[i] for i in idx]
        e_ele = [e for e in (smoothed[i] for i in idx) if e is not None]
        piece_up, piece_down = _gain_and_loss(e_ele)
        up, down = up + piece_up, down + piece_down
        piece_chunks = make_chunks(e_dist, e_ele)
        chunks.extend(piece_chunks)
        climbs.extend(
            _climb(seg, e_dist, e_ele, points, idx, units)
            for seg in detect_segments(e_dist, e_ele, piece_chunks, ascending=True)
            if _worth_keeping(seg, e_dist, e_ele)
        )
        descents.extend(
            _descent(seg, e_dist, e_ele, points, idx, units)
            for seg in detect_segments(e_dist, e_ele, piece_chunks, ascending=False)
            if _worth_keeping(seg, e_dist, e_ele)
        )
    return (up, down, chunks, climbs, descents) if measured else None


# --- geometry and smoothing -------------------------------------------------------------


def piece_ranges(points: Sequence[TrackPoint]) -> list[tuple[int, int]]:
    """``[start, end)`` index ranges of consecutive points of the same piece."""
    ranges: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(points) + 1):
        if i == len(points) or points[i].piece != points[start].piece:
            ranges.append((start, i))
            start = i
    return ranges


def cumulative_distance(points: Sequence[TrackPoint]) -> list[float]:
    """Cumulative haversine distance in metres, starting at 0; a step from one piece to
    the next adds nothing."""
    if not points:
        return []
    out = [0.0] * len(points)
    total = 0.0
    rad = math.radians
    prev_lat, prev_lon = rad(points[0].lat), rad(points[0].lon)
    for i in range(1, len(points)):
        lat, lon = rad(points[i].lat), rad(points[i].lon)
        if points[i].piece != points[i - 1].piece:
            out[i] = total
            prev_lat, prev_lon = lat, lon
            continue
        a = (
            math.sin((lat - prev_lat) / 2.0) ** 2
            + math.cos(prev_lat) * math.cos(lat) * math.sin((lon - prev_lon) / 2.0) ** 2
        )
        total += 2.0 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))
        out[i] = total
        prev_lat, prev_lon = lat, lon
    return out


def smooth_elevation(dist: Sequence[float], ele: Sequence[float | None]) -> list[float | None]:
    """Mean of the known elevations within ±25 m of course distance around each point.

    Points without elevation are skipped, not counted as 0; a point with no elevated
    neighbour in its window stays None. Two pointers + prefix sums: O(n).
    """
    n = len(dist)
    sums = [0.0] * (n + 1)
    counts = [0] * (n + 1)
    for i, e in enumerate(ele):
        if e is None:
            sums[i + 1], counts[i + 1] = sums[i], counts[i]
        else:
            sums[i + 1], counts[i + 1] = sums[i] + e, counts[i] + 1
    out: list[float | None] = [None] * n
    lo = hi = 0
    for i in range(n):
        d = dist[i]
        while dist[lo] < d - SMOOTHING_HALF_WINDOW_M:
            lo += 1
        hi = max(hi, i)
        while hi + 1 < n and dist[hi + 1] <= d + SMOOTHING_HALF_WINDOW_M:
            hi += 1
        count = counts[hi + 1] - counts[lo]
        if count:
            out[i] = (sums[hi + 1] - sums[lo]) / count
    return out


def _gain_and_loss(ele: Sequence[float]) -> tuple[float, float]:
    """Total ascent and descent with a hysteresis: a change counts once the height has moved
    ``GAIN_HYSTERESIS_M`` from the last turning point (the way GPS tools filter noise)."""
    if not ele:
        return 0.0, 0.0
    up = down = 0.0
    ref = ele[0]
    rising: bool | None = None
    for e in ele[1:]:
        if e >= ref + GAIN_HYSTERESIS_M or (rising is True and e > ref):
            up += e - ref
            ref, rising = e, True
        elif e <= ref - GAIN_HYSTERESIS_M or (rising is False and e < ref):
            down += ref - e
            ref, rising = e, False
    return up, down


# --- grades, segments, character ---------------------------------------------------------


def _grades(chunks: Sequence[Chunk]) -> tuple[float | None, GradeDistribution | None]:
    total = sum(c.distance_m for c in chunks)
    if total <= 0.0:
        return None, None
    buckets = [0.0, 0.0, 0.0, 0.0]
    steepest = 0.0
    for c in chunks:
        # Rounded so a uniform 6 % grade is not split across buckets by float noise.
        g = round(abs(c.grade_pct), 2)
        steepest = max(steepest, g)
        bucket = 0 if g < 1.0 else 1 if g < 3.0 else 2 if g < 6.0 else 3
        buckets[bucket] += c.distance_m
    flat, gentle, moderate, steep = _percentages(buckets, total)
    return round(steepest, 1), GradeDistribution(
        flat_pct=flat, gentle_pct=gentle, moderate_pct=moderate, steep_pct=steep
    )


def _percentages(parts: Sequence[float], total: float) -> list[float]:
    """Shares in % at 1 dp that add up to exactly 100 (largest remainder)."""
    tenths = [p / total * 1000.0 for p in parts]
    floors = [math.floor(t) for t in tenths]
    missing = 1000 - sum(floors)
    by_remainder = sorted(range(len(parts)), key=lambda i: tenths[i] - floors[i], reverse=True)
    for i in by_remainder[:missing]:
        floors[i] += 1
    return [f / 10.0 for f in floors]


def _worth_keeping(seg: Segment, dist: Sequence[float], ele: Sequence[float]) -> bool:
    change = abs(ele[seg.end] - ele[seg.start])
    length = dist[seg.end] - dist[seg.start]
    return change >= _KEEP_ELEVATION_M or change / length * 100.0 >= _KEEP_GRADE_PCT


def _category(gain_m: float) -> ClimbCategory | None:
    for threshold, name in _CATEGORIES:
        if gain_m >= threshold:
            return name
    return None


def _character(per_km: float, climbs: Sequence[Climb]) -> CourseCharacter:
    character: CourseCharacter
    if per_km >= 30.0:
        character = "mountain"
    elif per_km >= 20.0:
        character = "hilly"
    elif per_km >= 5.0:
        character = "rolling"
    else:
        character = "flat"
    # A single big climb makes a course hard however flat the rest is.
    if character in ("flat", "rolling") and any(c.category in _BIG_CLIMBS for c in climbs):
        character = "hilly"
    return character


def _climb(
    seg: Segment,
    dist: Sequence[float],
    ele: Sequence[float],
    points: Sequence[TrackPoint],
    idx: Sequence[int],
    units: DisplayUnits,
) -> Climb:
    base = _descent(seg, dist, ele, points, idx, units)
    return Climb(
        **base.model_dump(exclude={"display"}),
        display=base.display,
        max_gradient_pct=round(seg.max_grade_pct, 1),
        category=_category(ele[seg.end] - ele[seg.start]),
    )


def _descent(
    seg: Segment,
    dist: Sequence[float],
    ele: Sequence[float],
    points: Sequence[TrackPoint],
    idx: Sequence[int],
    units: DisplayUnits,
) -> Descent:
    """The fields shared by climbs and descents (signed by the direction of travel)."""
    length = dist[seg.end] - dist[seg.start]
    change = ele[seg.end] - ele[seg.start]
    position_km = round(dist[seg.start] / 1000.0, 1)
    distance_km = round(length / 1000.0, 1)
    elevation_m = round(change)
    return Descent(
        position_km=position_km,
        distance_km=distance_km,
        elevation_m=elevation_m,
        avg_gradient_pct=round(change / length * 100.0, 1),
        start_coords=_coords(points[idx[seg.start]]),
        end_coords=_coords(points[idx[seg.end]]),
        display=_segment_display_values(position_km, distance_km, elevation_m, units),
    )


# --- display and small helpers -----------------------------------------------------------


def _summary_display(
    km: float, gain: int | None, per_km: float | None, units: DisplayUnits
) -> TerrainDisplay:
    return TerrainDisplay(
        total_distance=units.display_distance(km),
        total_elevation=units.display_elevation(gain),
        elevation_per_distance=units.display_elevation_rate(per_km),
    )


def _segment_display(seg: Descent, units: DisplayUnits) -> SegmentDisplay:
    return _segment_display_values(seg.position_km, seg.distance_km, seg.elevation_m, units)


def _segment_display_values(
    position_km: float, distance_km: float, elevation_m: int, units: DisplayUnits
) -> SegmentDisplay:
    return SegmentDisplay(
        position=units.display_distance(position_km),
        distance=units.display_distance(distance_km),
        elevation=units.display_elevation(elevation_m),
    )


def _coords(p: TrackPoint) -> tuple[float, float]:
    return (round(p.lat, 5), round(p.lon, 5))


def _profile(
    dist: Sequence[float], smoothed: Sequence[float | None]
) -> list[tuple[float, int | None]]:
    """[km, elevation] at the start, then every ~500 m, and at the finish."""

    def row(i: int) -> tuple[float, int | None]:
        e = smoothed[i]
        return (round(dist[i] / 1000.0, 1), None if e is None else round(e))

    rows = [row(0)]
    next_at = PROFILE_STEP_M
    last = len(dist) - 1
    for i in range(1, last):
        if dist[i] >= next_at:
            rows.append(row(i))
            next_at = dist[i] + PROFILE_STEP_M
    rows.append(row(last))
    return rows
