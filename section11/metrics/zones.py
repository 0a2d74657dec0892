"""Time in zones: per activity, aggregated, Seiler 3-zone TID and hard-day classification.

Power zones come from ``icu_zone_times`` (ids Z1..Z7), HR zones from
``icu_hr_zone_times`` (by index). Which is tried first is the athlete's zone preference for
the activity's sport family; the other is the fallback.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Literal

from section11.config import ZoneBasis
from section11.metrics._common import MetricModel
from section11.metrics.sports import family_of
from section11.sources.intervals_icu.models import Activity

ZONE_KEYS: tuple[str, ...] = ("z1", "z2", "z3", "z4", "z5", "z6", "z7")
BasisSummary = Literal["power", "hr", "mixed"]

# Hard-day ladders, seconds: (first zone of the "zN and above" sum, threshold).
POWER_HARD_LADDER: tuple[tuple[int, float], ...] = (
    (3, 1800),
    (4, 600),
    (5, 300),
    (6, 120),
    (7, 60),
)
# HR lags and its zones are wide: only sustained time above threshold counts.
HR_HARD_LADDER: tuple[tuple[int, float], ...] = ((4, 600), (5, 300))

# Seiler's three zones are split at the first and second thresholds (LT1/VT1 and LT2/VT2).
# For HR zones with known bounds, each zone goes where most of its range lies: its midpoint
# at or above LTHR is Seiler 3, below LT1 (taken as 87 % of LTHR) Seiler 1, else Seiler 2.
# So in a 7-zone set (Z4 94-99 % of LTHR, Z5a from 100 %) Z4 is Seiler 2, not high intensity.
LT1_FRACTION_OF_LTHR = 0.87
# Without bounds (older history, activities without an LTHR): Z1-Z2 | Z3-Z4 | Z5 and above,
# which is what the bounds give for the common 5- and 7-zone HR sets.
HR_SEILER_DEFAULT: tuple[int, ...] = (1, 1, 2, 2, 3, 3, 3)
# Power zones (Coggan: Z4 is 91-105 % of FTP, threshold work): Z1-Z2 | Z3 | Z4 and above.
POWER_SEILER: tuple[int, ...] = (1, 1, 2, 3, 3, 3, 3)


class ZoneBreakdown(MetricModel):
    seconds: dict[str, float]
    basis: ZoneBasis


def _power_zones(activity: Activity) -> dict[str, float]:
    out: dict[str, float] = {}
    for entry in activity.icu_zone_times or []:
        if entry is None or entry.id is None or entry.secs is None:
            continue
        key = entry.id.strip().lower()
        if key in ZONE_KEYS:  # "SS" (sweet spot) overlaps Z3/Z4 and is dropped
            out[key] = out.get(key, 0.0) + entry.secs
    return out


def _hr_zones(activity: Activity) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, secs in zip(ZONE_KEYS, activity.icu_hr_zone_times or [], strict=False):
        if secs is not None:
            out[key] = secs
    return out


def activity_zones(activity: Activity, preference: Mapping[str, ZoneBasis]) -> ZoneBreakdown | None:
    """Seconds per zone of one activity on the preferred basis, else the other one."""
    order: tuple[ZoneBasis, ZoneBasis] = (
        ("hr", "power") if preference.get(family_of(activity.type)) == "hr" else ("power", "hr")
    )
    for basis in order:
        seconds = _power_zones(activity) if basis == "power" else _hr_zones(activity)
        if sum(seconds.values()) > 0:
            return ZoneBreakdown(seconds=seconds, basis=basis)
    return None


def _basis_summary(bases: set[str]) -> BasisSummary | None:
    if not bases:
        return None
    if len(bases) > 1:
        return "mixed"
    return "power" if "power" in bases else "hr"


def _from(seconds: Mapping[str, float], first: int) -> float:
    """Seconds in zone ``first`` and above."""
    return sum(seconds.get(k, 0.0) for k in ZONE_KEYS[first - 1 :])


def _pct(part: float, total: float) -> float | None:
    return round(100 * part / total, 1) if total > 0 else None


class ZoneAggregate(MetricModel):
    z1_hours: float
    z2_hours: float
    z3_hours: float
    z4_plus_hours: float
    total_hours: float
    zone_basis: BasisSummary | None
    grey_zone_percentage: float | None
    quality_intensity_percentage: float | None
    easy_time_ratio: float | None
    activities_with_zones: int


def aggregate_zones(
    activities: Iterable[Activity], preference: Mapping[str, ZoneBasis]
) -> ZoneAggregate:
    """Hours per zone over the activities (power and HR seconds summed) and the ratios."""
    sums = dict.fromkeys(ZONE_KEYS, 0.0)
    bases: set[str] = set()
    count = 0
    for activity in activities:
        zones = activity_zones(activity, preference)
        if zones is None:
            continue
        count += 1
        bases.add(zones.basis)
        for key, secs in zones.seconds.items():
            sums[key] += secs
    z4_plus = _from(sums, 4)
    total = sum(sums.values())
    return ZoneAggregate(
        z1_hours=round(sums["z1"] / 3600, 2),
        z2_hours=round(sums["z2"] / 3600, 2),
        z3_hours=round(sums["z3"] / 3600, 2),
        z4_plus_hours=round(z4_plus / 3600, 2),
        total_hours=round(total / 3600, 2),
        zone_basis=_basis_summary(bases),
        grey_zone_percentage=_pct(sums["z3"], total),
        quality_intensity_percentage=_pct(z4_plus, total),
        easy_time_ratio=round((sums["z1"] + sums["z2"]) / total, 2) if total > 0 else None,
        activities_with_zones=count,
    )


# ------------------------------------------------------------------------------ Seiler TID


class SeilerTID(MetricModel):
    z1_seconds: int
    z2_seconds: int
    z3_seconds: int
    z1_pct: float | None
    z2_pct: float | None
    z3_pct: float | None
    polarization_index: float | None
    classification: str | None
    zone_basis: BasisSummary | None
    sport: str | None


def polarization_index(f1: float, f2: float, f3: float) -> float | None:
    """Treff et al. (2019) PI = log10(f1 / f2 · f3 · 100), only for a polarized shape.

    Defined only when f3 ≥ 0.01 and f1 > f3 > f2; f2 of 0 is replaced by 0.01 so the log
    stays finite.
    """
    if f3 < 0.01 or not f1 > f3 > f2:
        return None
    f2_used = f2 if f2 > 0 else 0.01
    return round(math.log10(f1 / f2_used * f3 * 100), 2)


def classify_tid(f1: float, f2: float, f3: float, pi: float | None) -> str:
    """Training-intensity-distribution class of the 3-zone fractions (first match wins)."""
    if f3 < 0.01 and f1 >= f2 and f1 >= f3:
        return "Base"
    if f1 > f3 > f2 and pi is not None and pi > 2.0:
        return "Polarized"
    if f1 > f2 > f3:
        return "Pyramidal"
    if f2 >= f1 and f2 >= f3:
        return "Threshold"
    if f3 >= f1 and f3 >= f2:
        return "High Intensity"
    return "Pyramidal"


def hr_seiler_zones(
    bounds: Sequence[float | None] | None, lthr: float | None
) -> tuple[int, ...] | None:
    """The Seiler zone (1, 2 or 3) of each HR zone, from the zones' tops (bpm) and LTHR.

    Zone k spans from the top of zone k-1 (0 for zone 1) to its own top. None when the
    bounds are missing, unordered or LTHR is unknown.
    """
    if not bounds or lthr is None or lthr <= 0:
        return None
    tops = [b for b in bounds if b is not None and b > 0]
    if len(tops) != len(bounds) or any(b <= a for a, b in pairwise(tops)):
        return None
    lt1 = LT1_FRACTION_OF_LTHR * lthr
    out: list[int] = []
    bottom = 0.0
    for top in tops:
        mid = (bottom + top) / 2.0
        out.append(3 if mid >= lthr else 1 if mid < lt1 else 2)
        bottom = top
    return tuple(out)


def seiler_seconds(activity: Activity, zones: ZoneBreakdown) -> tuple[float, float, float]:
    """Seconds in Seiler zones 1, 2, 3 of one activity's zone breakdown."""
    mapping: Sequence[int] = POWER_SEILER
    if zones.basis == "hr":
        mapping = hr_seiler_zones(activity.icu_hr_zones, activity.lthr) or HR_SEILER_DEFAULT
    totals = [0.0, 0.0, 0.0]
    for index, key in enumerate(ZONE_KEYS):
        secs = zones.seconds.get(key, 0.0)
        if secs:
            seiler = mapping[index] if index < len(mapping) else 3
            totals[seiler - 1] += secs
    return totals[0], totals[1], totals[2]


def seiler_tid(
    activities: Iterable[Activity],
    preference: Mapping[str, ZoneBasis],
    *,
    family: str | None = None,
) -> SeilerTID:
    """Seiler 3-zone distribution. Power: S1 = z1+z2, S2 = z3, S3 = z4..z7. HR: by each
    zone's bounds against LTHR (see ``hr_seiler_zones``), else S1 = z1+z2, S2 = z3+z4,
    S3 = z5 and above."""
    s1 = s2 = s3 = 0.0
    bases: set[str] = set()
    for activity in activities:
        if family is not None and family_of(activity.type) != family:
            continue
        zones = activity_zones(activity, preference)
        if zones is None:
            continue
        bases.add(zones.basis)
        a1, a2, a3 = seiler_seconds(activity, zones)
        s1, s2, s3 = s1 + a1, s2 + a2, s3 + a3
    total = s1 + s2 + s3
    seconds = {"z1_seconds": round(s1), "z2_seconds": round(s2), "z3_seconds": round(s3)}
    if total <= 0:
        return SeilerTID(
            **seconds,
            z1_pct=None,
            z2_pct=None,
            z3_pct=None,
            polarization_index=None,
            classification=None,
            zone_basis=None,
            sport=family,
        )
    f1, f2, f3 = s1 / total, s2 / total, s3 / total
    pi = polarization_index(f1, f2, f3)
    return SeilerTID(
        **seconds,
        z1_pct=round(100 * f1, 1),
        z2_pct=round(100 * f2, 1),
        z3_pct=round(100 * f3, 1),
        polarization_index=pi,
        classification=classify_tid(f1, f2, f3, pi),
        zone_basis=_basis_summary(bases),
        sport=family,
    )


# ------------------------------------------------------------------------------ hard day


class HardDay(MetricModel):
    is_hard: bool | None
    basis: BasisSummary | None


def _ladder_hit(seconds: Mapping[str, float], ladder: Sequence[tuple[int, float]]) -> bool:
    return any(_from(seconds, first) >= threshold for first, threshold in ladder)


def hard_day(activities_of_day: Sequence[Activity], preference: Mapping[str, ZoneBasis]) -> HardDay:
    """Whether one day's training was hard; None (unknown) when no activity has zones.

    Power and HR seconds are kept in separate buckets: their zones are not interchangeable.
    """
    buckets: dict[str, dict[str, float]] = {}
    for activity in activities_of_day:
        zones = activity_zones(activity, preference)
        if zones is None:
            continue
        bucket = buckets.setdefault(zones.basis, {})
        for key, secs in zones.seconds.items():
            bucket[key] = bucket.get(key, 0.0) + secs
    if not buckets:
        return HardDay(is_hard=None, basis=None)
    power_hard = "power" in buckets and _ladder_hit(buckets["power"], POWER_HARD_LADDER)
    hr_hard = "hr" in buckets and _ladder_hit(buckets["hr"], HR_HARD_LADDER)
    return HardDay(is_hard=power_hard or hr_hard, basis=_basis_summary(set(buckets)))
