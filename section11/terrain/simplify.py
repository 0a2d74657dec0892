"""A size-bounded Google encoded polyline of a course.

Douglas–Peucker is run once to give every point an *importance*: the largest tolerance at
which DP would still keep it (its own deviation, capped by its ancestors'). Keeping the
k most important points is then exactly DP at some tolerance, so "raise the tolerance until
the string fits" becomes a binary search over k instead of repeated DP runs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polyline as _polyline

from section11.terrain.parse import TrackPoint

PRECISION = 5
# Dense tracks are first thinned by distance so DP stays cheap; a course map does not need
# more detail than total_length / _MAX_DP_POINTS.
_MAX_DP_POINTS = 5000
# Points deviating less than this from the simplified line add nothing at 5 decimal places
# (1e-5 degrees of latitude is about 1.1 m), so they are always dropped.
_MIN_TOLERANCE_M = 1.0
_METRES_PER_DEGREE = 6_371_000.0 * math.pi / 180.0


def encode_course(
    points: Sequence[TrackPoint], dist: Sequence[float], max_chars: int
) -> tuple[str, int] | None:
    """Encoded polyline (precision 5, lat/lon only) of at most ``max_chars`` characters.

    Returns ``(encoded, points_kept)``, or None when even start + end do not fit.
    ``dist`` is the cumulative distance (m) of each point.
    """
    if len(points) < 2:
        return None
    candidates = _thin_by_distance(dist, _MAX_DP_POINTS)
    order = _importance_order([points[i] for i in candidates], _MIN_TOLERANCE_M)

    def encoded(k: int) -> str:
        kept = sorted(order[:k])
        return str(
            _polyline.encode(
                [(points[candidates[i]].lat, points[candidates[i]].lon) for i in kept], PRECISION
            )
        )

    best = encoded(len(order))
    if len(best) <= max_chars:
        return best, len(order)
    lo, hi = 2, len(order) - 1  # answer lies in [lo, hi] if anything fits
    result: tuple[str, int] | None = None
    while lo <= hi:
        mid = (lo + hi) // 2
        text = encoded(mid)
        if len(text) <= max_chars:
            result = (text, mid)
            lo = mid + 1
        else:
            hi = mid - 1
    return result


def _thin_by_distance(dist: Sequence[float], max_points: int) -> list[int]:
    """Indices keeping the first and last point and roughly ``max_points`` in between."""
    n = len(dist)
    if n <= max_points:
        return list(range(n))
    step = (dist[-1] - dist[0]) / max_points
    kept = [0]
    next_at = dist[0] + step
    for i in range(1, n - 1):
        if dist[i] >= next_at:
            kept.append(i)
            next_at = dist[i] + step
    kept.append(n - 1)
    return kept


def _importance_order(points: Sequence[TrackPoint], min_tolerance: float) -> list[int]:
    """Indices of points at least ``min_tolerance`` important, most important first.

    The two ends come first (infinite importance).
    """
    n = len(points)
    lat0 = math.radians(points[0].lat)
    x_scale = math.cos(lat0) * _METRES_PER_DEGREE
    xs = [(p.lon - points[0].lon) * x_scale for p in points]
    ys = [(p.lat - points[0].lat) * _METRES_PER_DEGREE for p in points]

    importance = [0.0] * n
    importance[0] = importance[n - 1] = math.inf
    stack: list[tuple[int, int, float]] = [(0, n - 1, math.inf)]
    while stack:
        a, b, cap = stack.pop()
        if b - a < 2:
            continue
        split, deviation = _farthest(xs, ys, a, b)
        level = min(deviation, cap)
        importance[split] = level
        stack.append((a, split, level))
        stack.append((split, b, level))
    kept = [i for i in range(n) if importance[i] >= min_tolerance]
    return sorted(kept, key=lambda i: (-importance[i], i))


def _farthest(xs: Sequence[float], ys: Sequence[float], a: int, b: int) -> tuple[int, float]:
    """Interior point farthest from segment a-b (point distance when a and b coincide)."""
    ax, ay = xs[a], ys[a]
    dx, dy = xs[b] - ax, ys[b] - ay
    length_sq = dx * dx + dy * dy
    best_i, best_d2 = a + 1, -1.0
    for i in range(a + 1, b):
        px, py = xs[i] - ax, ys[i] - ay
        if length_sq > 0.0:
            t = (px * dx + py * dy) / length_sq
            if t < 0.0:
                t = 0.0
            elif t > 1.0:
                t = 1.0
            ex, ey = px - t * dx, py - t * dy
        else:
            ex, ey = px, py
        d2 = ex * ex + ey * ey
        if d2 > best_d2:
            best_i, best_d2 = i, d2
    return best_i, math.sqrt(best_d2)
