"""From raw points to a course we can measure: drop what no real track can contain.

Rules, in order (each linear in the number of points):
- positions outside the globe, and "null island" (0, 0) that devices write before a fix;
- elevations that are not finite or outside -500..9,000 m (``<ele>1e308</ele>``);
- 0 m placeholders: a run of exactly 0.0 (before the altimeter has a value, or after it
  lost it) whose real neighbours are more than 5 m from sea level, and a file whose
  elevations are all 0 (unknown, not "flat at sea level");
- impossible steps: faster than 100 m/s between timed points, much longer than the file's
  own distance between the two points, or (untimed, undeclared) a jump more than 50 times
  the piece's typical step and over 1 km. A point that makes such a step is dropped; five
  mutually consistent points after a jump start a new piece (a transfer, not a glitch);
- barometer jumps: where the height changes by 25 m or more at a grade over 60 % between
  neighbouring points, only the longest stretch of consistent heights keeps its elevation;
- pieces: kept apart, unless the next starts within 50 m (and 6 hours) of where one ends;
  a jump of over 50 m after more than 6 hours inside one piece starts a new piece.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from section11.terrain.raw import RawPoint, RawRoute
from section11.terrain.track import TrackPoint, step_distance_m

NULL_ISLAND_DEG = 1e-4
MIN_ELEVATION_M = -500.0
MAX_ELEVATION_M = 9000.0
PLACEHOLDER_GAP_M = 5.0
MAX_SPEED_MPS = 100.0
DECLARED_SLACK_M = 50.0
UNTIMED_JUMP_FACTOR = 50.0
UNTIMED_JUMP_MIN_M = 1000.0
NEW_PIECE_AFTER = 5
MIN_RUN_POINTS = 3
JUMP_MIN_M = 25.0
JUMP_MIN_GRADE = 0.6
JOIN_GAP_M = 50.0
JOIN_GAP_S = 6 * 3600.0  # a long stop at the same place; not a ride days later


@dataclass(slots=True)
class _Pt:
    """A raw point with a valid position."""

    lat: float
    lon: float
    ele: float | None
    time: float | None
    distance: float | None


@dataclass(frozen=True, slots=True)
class CleanRoute:
    points: list[TrackPoint]
    declared_distance_m: float | None
    dropped_points: int


def clean_route(raw: RawRoute) -> CleanRoute:
    """Clean ``raw.points``; fall back to ``raw.alternative`` when they give no course."""
    declared = raw.declared_distance_m or _declared_from_points(raw.points)
    points, dropped = clean_points(raw.points)
    if len(points) < 2 and raw.alternative:
        alt, alt_dropped = clean_points(raw.alternative)
        if len(alt) >= 2:
            return CleanRoute(alt, _declared_from_points(raw.alternative), alt_dropped)
    return CleanRoute(points, declared, dropped)


def clean_points(raw: Sequence[RawPoint]) -> tuple[list[TrackPoint], int]:
    """Cleaned track points (pieces renumbered 0..n) and how many raw points were dropped."""
    pieces: list[list[_Pt]] = []
    last_piece: int | None = None
    for p in raw:
        if p.lat is None or p.lon is None or not _valid_position(p.lat, p.lon):
            continue
        if last_piece is None or p.piece != last_piece:
            pieces.append([])
            last_piece = p.piece
        pieces[-1].append(_Pt(p.lat, p.lon, _valid_elevation(p.ele), p.time, p.distance))

    runs: list[list[_Pt]] = []
    for piece in pieces:
        _drop_zero_placeholders(piece)
        runs.extend(_plausible_runs(piece))
    runs = _join_contiguous(runs)
    runs = [r for r in runs if len(r) >= 2]
    if all(q.ele in (None, 0.0) for r in runs for q in r):
        for r in runs:
            for q in r:
                q.ele = None  # all 0 m (or none): unknown, not sea level
    out: list[TrackPoint] = []
    for number, run in enumerate(runs):
        _drop_barometer_jumps(run)
        out.extend(TrackPoint(p.lat, p.lon, p.ele, number) for p in run)
    return out, len(raw) - len(out)


# --- positions and heights ----------------------------------------------------------------


def _valid_position(lat: float, lon: float) -> bool:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return False
    return not (abs(lat) < NULL_ISLAND_DEG and abs(lon) < NULL_ISLAND_DEG)


def _valid_elevation(ele: float | None) -> float | None:
    if ele is None or not math.isfinite(ele) or not MIN_ELEVATION_M <= ele <= MAX_ELEVATION_M:
        return None
    return ele


def _drop_zero_placeholders(piece: list[_Pt]) -> None:
    known = [i for i, p in enumerate(piece) if p.ele is not None]
    if not any(piece[i].ele != 0.0 for i in known):
        return  # all zero or none: decided for the whole file later
    k = 0
    while k < len(known):
        if piece[known[k]].ele != 0.0:
            k += 1
            continue
        end = k
        while end + 1 < len(known) and piece[known[end + 1]].ele == 0.0:
            end += 1
        before = piece[known[k - 1]].ele if k > 0 else None
        after = piece[known[end + 1]].ele if end + 1 < len(known) else None
        # Real heights next to the run are far from 0 (a start at sea level rises gently).
        sides = [abs(e) > PLACEHOLDER_GAP_M for e in (before, after) if e is not None]
        if sides and all(sides):
            for j in range(k, end + 1):
                piece[known[j]].ele = None
        k = end + 1


# --- impossible steps ---------------------------------------------------------------------


def _plausible_runs(piece: list[_Pt]) -> list[list[_Pt]]:
    """Split ``piece`` where a step is impossible; drop the short runs glitches leave."""
    if not piece:
        return []
    typical = _median_step(piece)
    runs: list[list[_Pt]] = [[piece[0]]]
    pending: list[_Pt] = []
    for p in piece[1:]:
        if _recorded_apart(runs[-1][-1], p):
            runs.append([p])  # e.g. two rides in one file: a new piece, not a glitch
            pending = []
            continue
        if _plausible(runs[-1][-1], p, typical):
            runs[-1].append(p)
            pending = []
            continue
        if pending and _plausible(pending[-1], p, typical):
            pending.append(p)
        else:
            pending = [p]
        if len(pending) >= NEW_PIECE_AFTER:
            runs.append(pending)
            pending = []
    # A glitch leaves a run of a point or two; a piece that is short as a whole is kept.
    kept = runs if len(runs) == 1 else [r for r in runs if len(r) >= MIN_RUN_POINTS]
    if not kept:
        kept = [max(runs, key=len)]
    # Rejoin runs that were only parted by a dropped glitch.
    merged: list[list[_Pt]] = []
    for run in kept:
        if (
            merged
            and _plausible(merged[-1][-1], run[0], typical)
            and not _recorded_apart(merged[-1][-1], run[0])
        ):
            merged[-1].extend(run)
        else:
            merged.append(run)
    return merged


def _plausible(a: _Pt, b: _Pt, typical: float) -> bool:
    d = step_distance_m(a.lat, a.lon, b.lat, b.lon)
    # Equal or backward timestamps (some exporters stamp every point alike) say nothing.
    timed = a.time is not None and b.time is not None and b.time > a.time
    if timed:
        dt = (b.time or 0.0) - (a.time or 0.0)
        if d > MAX_SPEED_MPS * max(dt, 1.0):
            return False
    if a.distance is not None and b.distance is not None and b.distance >= a.distance:
        if d > 2.0 * (b.distance - a.distance) + DECLARED_SLACK_M:
            return False
    elif not timed and d > max(UNTIMED_JUMP_MIN_M, UNTIMED_JUMP_FACTOR * typical):
        return False
    return True


def _recorded_apart(a: _Pt, b: _Pt) -> bool:
    """Hours apart and elsewhere: the next point starts another recording."""
    if a.time is None or b.time is None or b.time - a.time <= JOIN_GAP_S:
        return False
    return step_distance_m(a.lat, a.lon, b.lat, b.lon) > JOIN_GAP_M


def _median_step(piece: Sequence[_Pt]) -> float:
    steps = sorted(step_distance_m(a.lat, a.lon, b.lat, b.lon) for a, b in pairwise(piece))
    return steps[len(steps) // 2] if steps else 0.0


def _join_contiguous(runs: list[list[_Pt]]) -> list[list[_Pt]]:
    joined: list[list[_Pt]] = []
    for run in runs:
        if joined and _contiguous(joined[-1][-1], run[0]):
            joined[-1].extend(run)
        else:
            joined.append(run)
    return joined


def _contiguous(a: _Pt, b: _Pt) -> bool:
    if step_distance_m(a.lat, a.lon, b.lat, b.lon) > JOIN_GAP_M:
        return False
    if a.time is not None and b.time is not None:
        return 0.0 <= b.time - a.time <= JOIN_GAP_S
    return True


# --- barometer jumps ----------------------------------------------------------------------


def _drop_barometer_jumps(run: list[_Pt]) -> None:
    """Keep the elevation of the longest stretch between height jumps; clear the rest."""
    known = [i for i, p in enumerate(run) if p.ele is not None]
    if len(known) < 2:
        return
    stretches: list[tuple[int, int]] = []  # (first, last) positions in ``known``
    first = 0
    for k in range(1, len(known)):
        a, b = run[known[k - 1]], run[known[k]]
        if a.ele is None or b.ele is None:
            continue
        rise = abs(b.ele - a.ele)
        if rise >= JUMP_MIN_M and rise > JUMP_MIN_GRADE * step_distance_m(
            a.lat, a.lon, b.lat, b.lon
        ):
            stretches.append((first, k - 1))
            first = k
    if not stretches:
        return
    stretches.append((first, len(known) - 1))
    best = max(stretches, key=lambda s: s[1] - s[0])
    for k, i in enumerate(known):
        if not best[0] <= k <= best[1]:
            run[i].ele = None


def _declared_from_points(points: Sequence[RawPoint]) -> float | None:
    """Sum over pieces of the span of the file's own cumulative distance, if it has one."""
    spans: dict[int, tuple[float, float]] = {}
    for p in points:
        if p.distance is None or not math.isfinite(p.distance) or p.distance < 0:
            continue
        lo, hi = spans.get(p.piece, (p.distance, p.distance))
        spans[p.piece] = (min(lo, p.distance), max(hi, p.distance))
    total = sum(hi - lo for lo, hi in spans.values())
    return total if total > 0 else None
