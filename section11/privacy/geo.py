"""Coordinates near the athlete's places: privacy zones, rounding, polyline trimming.

A privacy zone is a circle of :data:`ZONE_RADIUS_M` around a place the athlete's tracks
start or end at. The zones of one run are every course start and finish found in the
files plus the most frequent start area (the mean of the largest group of starts lying
within one radius of each other), so a route that only passes near home is trimmed too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polyline as _polyline

ZONE_RADIUS_M = 1000.0
# 3 decimal places: 0.001 degree of latitude is 111 m (of longitude, 111 m x cos(lat)).
ROUND_DECIMALS = 3
POLYLINE_PRECISION = 5
_EARTH_RADIUS_M = 6_371_000.0

LatLon = tuple[float, float]


def distance_m(a: LatLon, b: LatLon) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def as_latlon(value: object) -> LatLon | None:
    """``[lat, lon]`` (JSON list or tuple of two numbers in range), else None."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    lat, lon = value
    if isinstance(lat, bool) or isinstance(lon, bool):
        return None
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return float(lat), float(lon)


def most_frequent_area(starts: Sequence[LatLon], radius_m: float = ZONE_RADIUS_M) -> LatLon | None:
    """Centre of the largest group of starts within ``radius_m`` of one start (ties: first)."""
    best: list[LatLon] = []
    for candidate in starts:
        group = [p for p in starts if distance_m(candidate, p) <= radius_m]
        if len(group) > len(best):
            best = group
    if not best:
        return None
    return (
        sum(p[0] for p in best) / len(best),
        sum(p[1] for p in best) / len(best),
    )


@dataclass(frozen=True)
class PrivacyZones:
    centres: tuple[LatLon, ...]
    radius_m: float = ZONE_RADIUS_M

    @classmethod
    def around(cls, places: Iterable[LatLon], starts: Sequence[LatLon]) -> PrivacyZones:
        centres = list(dict.fromkeys(places))
        home = most_frequent_area(starts)
        if home is not None:
            centres.insert(0, home)
        return cls(tuple(centres))

    def contains(self, point: LatLon) -> bool:
        """True when ``point``, or where rounding would move it, lies inside a zone."""
        moved = rounded(point)
        return any(
            distance_m(point, centre) <= self.radius_m
            or distance_m((moved[0], moved[1]), centre) <= self.radius_m
            for centre in self.centres
        )


def rounded(point: LatLon) -> list[float]:
    return [round(point[0], ROUND_DECIMALS), round(point[1], ROUND_DECIMALS)]


def already_rounded(points: Sequence[LatLon]) -> bool:
    """True for a line this pass wrote before (every point on the ~100 m grid).

    Its ends are where an earlier run trimmed it, not where the course starts: taking
    them as zone centres would trim the line again on every run.
    """
    scale = 10**ROUND_DECIMALS
    return all(abs(v * scale - round(v * scale)) < 1e-6 for point in points for v in point)


def decode_polyline(encoded: str) -> list[LatLon] | None:
    """Points of an encoded polyline, or None when the text is not one."""
    try:
        decoded = _polyline.decode(encoded, POLYLINE_PRECISION)
    except (ValueError, IndexError, TypeError):
        return None
    points = [as_latlon(point) for point in decoded]
    if not points or any(p is None for p in points):
        return None  # out-of-range values: not a polyline
    return [p for p in points if p is not None]


def trim_polyline(encoded: str, zones: PrivacyZones) -> tuple[str | None, int]:
    """The polyline without its points inside ``zones``, the rest rounded to ~100 m.

    Returns ``(encoded or None when nothing is left, number of points kept)``. Text that
    does not decode is dropped: it cannot be checked.
    """
    points = decode_polyline(encoded)
    if points is None:
        return None, 0
    kept: list[tuple[float, float]] = []
    for point in points:
        if zones.contains(point):
            continue
        lat, lon = rounded(point)
        if not kept or kept[-1] != (lat, lon):
            kept.append((lat, lon))
    if len(kept) < 2:
        return None, 0
    return str(_polyline.encode(kept, POLYLINE_PRECISION)), len(kept)
