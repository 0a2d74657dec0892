"""The cleaned course every analysis works on: track points in pieces, and step distance."""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True, slots=True)
class TrackPoint:
    """One point of a course. ``ele`` is metres above sea level, None when unknown.

    ``piece`` numbers the stretches of a file recorded without a break (0, 1, ...);
    distance is never measured from one piece to the next.
    """

    lat: float
    lon: float
    ele: float | None = None
    piece: int = 0


def step_distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in metres between two positions in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2.0) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2.0) ** 2
    )
    return 2.0 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))
