"""Climb and descent detection over a smoothed elevation profile.

Works on two parallel sequences: cumulative distance (m, non-decreasing) and smoothed
elevation (m), both without gaps (the caller drops points that have no elevation). Every
step is linear or n·log n in the number of points, so dense 1 Hz tracks stay fast.

The thresholds follow the reference tool so climbs read the same way to a coach:
~200 m chunks; a candidate starts at a chunk of >= 1 % and extends while it stays within
50 m of its highest point; the flat approach is trimmed (first chunk start whose next
2 000 m average >= 2.5 %); it is kept when >= 500 m long, >= 50 m high and >= 1.5 % average.
Descents are found by running the same search on negated elevations.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

CHUNK_M = 200.0
MIN_CHUNK_M = 10.0  # a shorter chunk (only ever the last one) has no meaningful grade
START_GRADE_PCT = 1.0
DROP_M = 50.0
TRIM_WINDOW_M = 2000.0
TRIM_GRADE_PCT = 2.5
MIN_DISTANCE_M = 500.0
MIN_ELEVATION_M = 50.0
MIN_AVG_GRADE_PCT = 1.5
MAX_GRADE_WINDOW_M = 200.0


@dataclass(frozen=True, slots=True)
class Chunk:
    """Points ``start``..``end`` (inclusive; neighbours share their boundary point)."""

    start: int
    end: int
    distance_m: float
    grade_pct: float  # signed; 0.0 when the chunk is shorter than MIN_CHUNK_M


@dataclass(frozen=True, slots=True)
class Segment:
    """A detected climb or descent as point indices into the sequences it came from."""

    start: int
    end: int
    max_grade_pct: float  # steepest >= 200 m window in the segment's own direction


def make_chunks(dist: Sequence[float], ele: Sequence[float]) -> list[Chunk]:
    """Split the profile into consecutive runs of about CHUNK_M metres."""
    chunks: list[Chunk] = []
    n = len(dist)
    start = 0
    while start < n - 1:
        end = start + 1
        while end < n - 1 and dist[end] - dist[start] < CHUNK_M:
            end += 1
        length = dist[end] - dist[start]
        grade = (ele[end] - ele[start]) / length * 100.0 if length >= MIN_CHUNK_M else 0.0
        chunks.append(Chunk(start, end, length, grade))
        start = end
    return chunks


def detect_segments(
    dist: Sequence[float],
    ele: Sequence[float],
    chunks: Sequence[Chunk],
    *,
    ascending: bool,
) -> list[Segment]:
    """Climbs (``ascending=True``) or descents found in the profile, in course order."""
    sign = 1.0 if ascending else -1.0
    height = [sign * e for e in ele]
    grades = [sign * c.grade_pct for c in chunks]
    chunk_top = [height[c.end] for c in chunks]
    stop = _stop_chunks(chunk_top, DROP_M)
    next_higher = _next_strictly_higher(chunk_top)

    segments: list[Segment] = []
    k = 0
    while k < len(chunks):
        if grades[k] < START_GRADE_PCT:
            k += 1
            continue
        # The high-water chunk is the last strict record before the candidate stops. The
        # record chain only visits chunks up to that high mark and the scan resumes after
        # it, so the chains of all candidates together are linear.
        high = k
        while next_higher[high] < stop[k]:
            high = next_higher[high]
        end = chunks[high].end
        start = _trim_approach(dist, height, chunks, k, high, end)
        length = dist[end] - dist[start]
        rise = height[end] - height[start]
        if (
            length >= MIN_DISTANCE_M
            and rise >= MIN_ELEVATION_M
            and rise / length * 100.0 >= MIN_AVG_GRADE_PCT
        ):
            steepest = _steepest_window(dist, height, start, end)
            segments.append(
                Segment(start, end, rise / length * 100.0 if steepest is None else steepest)
            )
        k = high + 1
    return segments


def _stop_chunks(top: Sequence[float], drop: float) -> list[int]:
    """For each chunk k: the first j > k whose top is more than ``drop`` below max(top[k:j]).

    ``len(top)`` when the run never drops that far. Uses, for each j, the nearest earlier
    chunk that is more than ``drop`` higher (binary search on a monotonic stack); a
    candidate starting at k stops at the first j whose such chunk lies at or after k.
    """
    m = len(top)
    first_stop_from = [m] * (m + 1)
    stack: list[int] = []  # indices whose tops strictly decrease from bottom to top
    neg_tops: list[float] = []  # -top of the same indices, increasing, for bisect
    for j in range(m):
        # Stack entries higher than top[j] + drop form a prefix; take the last (nearest).
        count = bisect_left(neg_tops, -(top[j] + drop))
        if count:
            i = stack[count - 1]
            if j < first_stop_from[i]:
                first_stop_from[i] = j
        while stack and top[stack[-1]] <= top[j]:
            stack.pop()
            neg_tops.pop()
        stack.append(j)
        neg_tops.append(-top[j])
    # stop(k) = min over i >= k of first_stop_from[i]
    for i in range(m - 1, -1, -1):
        if first_stop_from[i + 1] < first_stop_from[i]:
            first_stop_from[i] = first_stop_from[i + 1]
    return first_stop_from[:m]


def _next_strictly_higher(top: Sequence[float]) -> list[int]:
    """For each chunk, the next chunk whose top is strictly higher (``len(top)`` if none)."""
    m = len(top)
    result = [m] * m
    stack: list[int] = []
    for j in range(m):
        while stack and top[stack[-1]] < top[j]:
            result[stack.pop()] = j
        stack.append(j)
    return result


def _trim_approach(
    dist: Sequence[float],
    height: Sequence[float],
    chunks: Sequence[Chunk],
    first: int,
    last: int,
    end: int,
) -> int:
    """Start point of the climb proper: skip chunks whose next 2 km are under 2.5 %.

    Keeps the candidate's own start when no chunk qualifies, so a long steady 2 % drag is
    judged by the acceptance rules rather than erased here.
    """
    for c in range(first, last + 1):
        p = chunks[c].start
        target = min(dist[p] + TRIM_WINDOW_M, dist[end])
        q = min(bisect_left(dist, target, p, end + 1), end)
        span = dist[q] - dist[p]
        if span > 0 and (height[q] - height[p]) / span * 100.0 >= TRIM_GRADE_PCT:
            return p
    return chunks[first].start


def _steepest_window(
    dist: Sequence[float], height: Sequence[float], start: int, end: int
) -> float | None:
    """Steepest grade over any forward window of >= 200 m inside start..end (two pointers)."""
    best: float | None = None
    q = start
    for p in range(start, end + 1):
        q = max(q, p)
        while q < end and dist[q] - dist[p] < MAX_GRADE_WINDOW_M:
            q += 1
        span = dist[q] - dist[p]
        if span < MAX_GRADE_WINDOW_M:
            break  # later windows are shorter still
        grade = (height[q] - height[p]) / span * 100.0
        if best is None or grade > best:
            best = grade
    return best
