"""What a route-file reader hands to the cleaner: raw points grouped in pieces.

A *piece* is one stretch recorded or planned without a break: a GPX track segment or route,
a TCX track (one per lap), a FIT file's records. Distance is only ever measured within a
piece, never across the gap between two pieces.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class RawPoint:
    """One point as read from a file; anything unreadable is None."""

    lat: float | None
    lon: float | None
    ele: float | None = None
    time: float | None = None  # seconds since the epoch
    distance: float | None = None  # the file's own cumulative distance (m), when it has one
    piece: int = 0


@dataclass(slots=True)
class RawRoute:
    """Every point of a file, plus the total distance the file itself declares."""

    points: list[RawPoint] = field(default_factory=list)
    declared_distance_m: float | None = None
    # Used only when ``points`` give no usable course (a GPX <rte> beside a one-point <trk>).
    alternative: list[RawPoint] = field(default_factory=list)
