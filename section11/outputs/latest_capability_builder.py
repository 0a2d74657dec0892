"""Builds ``derived_metrics.capability`` of latest.json from one run's records and curves.

Windows: durability, efficiency and HRRc compare the 7 and 28 days ending today; the curve
deltas compare the last 28 days with the 28 before; the sustainability profile covers 42
days for the families (cycling, ski, rowing) trained in the last 28.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from section11.metrics.capability import (
    CyclingModel,
    FamilyInputs,
    durability,
    efficiency_factor,
    hr_curve_delta,
    hrrc,
    power_curve_delta,
    sustainability_profile,
    sustainability_weight,
    tid_comparison,
)
from section11.metrics.sports import VIRTUAL_TYPES, family_of
from section11.metrics.thresholds import SportThreshold
from section11.metrics.zones import SeilerTID
from section11.outputs.latest_capability import Capability
from section11.sources.intervals_icu.curve_models import DataCurve
from section11.sources.intervals_icu.curves import (
    FAMILY_SPORT,
    SUSTAINABILITY_FAMILIES,
    CurveWindows,
    find_curve,
)
from section11.sources.intervals_icu.models import Activity, Wellness, parse_local_date

if TYPE_CHECKING:
    from section11.outputs.latest import LatestInputs

CHRONIC_DAYS = 28
CurveAnswers = Mapping[str, Sequence[DataCurve]]


@dataclass(frozen=True)
class CapabilityInputs:
    today: date
    activities_7d: Sequence[Activity]
    activities_28d: Sequence[Activity]
    activities_42d: Sequence[Activity]  # to tell indoor from outdoor curve points
    tid_7d: SeilerTID
    tid_28d: SeilerTID
    curves: CurveAnswers | None  # by request key (power:Ride, hr:all ...); None: not fetched
    thresholds: Mapping[str, SportThreshold]
    w_prime: int | None  # J, from the newest wellness power model
    weight_recent: float | None  # newest weight of the display window
    weight_28d: float | None  # newest weight of the last 28 days
    weight_profile: float | None  # the athlete profile's weight
    ftp_staleness_days: int | None


def active_curve_families(activities_28d: Sequence[Activity]) -> list[str]:
    """Families with a sustainability profile that the athlete trained in over 28 days."""
    present = {family_of(a.type) for a in activities_28d}
    return [f for f in SUSTAINABILITY_FAMILIES if f in present]


def _curve(
    curves: CurveAnswers | None, kind: str, sport: str | None, wanted: str
) -> DataCurve | None:
    if curves is None:
        return None
    return find_curve(curves.get(f"{kind}:{sport or 'all'}"), wanted)


def build_capability(inputs: CapabilityInputs) -> Capability:
    w = CurveWindows(inputs.today)
    curves = inputs.curves
    indoor_by_id = {
        a.id: (a.type in VIRTUAL_TYPES or bool(a.trainer))
        for a in inputs.activities_42d
        if a.id is not None
    }
    families: dict[str, FamilyInputs] = {}
    for family in active_curve_families(inputs.activities_28d):
        sport = FAMILY_SPORT[family]
        threshold = inputs.thresholds.get(family)
        families[family] = FamilyInputs(
            power=_curve(curves, "power", sport, w.sustainability_id),
            hr=_curve(curves, "hr", sport, w.sustainability_id),
            lthr=threshold.lthr if threshold is not None else None,
        )
    cycling = inputs.thresholds.get("cycling")
    ftp = None
    if cycling is not None:
        ftp = cycling.ftp if cycling.ftp is not None else cycling.ftp_indoor
    return Capability(
        durability=durability(inputs.activities_7d, inputs.activities_28d),
        efficiency_factor=efficiency_factor(inputs.activities_7d, inputs.activities_28d),
        hrrc=hrrc(inputs.activities_7d, inputs.activities_28d),
        tid_comparison=tid_comparison(inputs.tid_7d, inputs.tid_28d),
        power_curve_delta=power_curve_delta(
            _curve(curves, "power", "Ride", w.current_id),
            _curve(curves, "power", "Ride", w.previous_id),
            w.current,
            w.previous,
        ),
        hr_curve_delta=hr_curve_delta(
            _curve(curves, "hr", None, w.current_id),
            _curve(curves, "hr", None, w.previous_id),
            w.current,
            w.previous,
        ),
        sustainability_profile=sustainability_profile(
            w.sustainability,
            families,
            sustainability_weight(inputs.weight_recent, inputs.weight_28d, inputs.weight_profile),
            is_indoor=indoor_by_id.get,
            cycling=CyclingModel(
                ftp=None if ftp is None else round(ftp),
                w_prime=inputs.w_prime,
                ftp_staleness_days=inputs.ftp_staleness_days,
            ),
        ),
    )


# ------------------------------------------------------------------------------ latest.json


def newest_weight(wellness: Sequence[Wellness], start: date, end: date) -> float | None:
    """The newest positive weight of the wellness records dated start..end."""
    dated = [
        (w.day, w.weight)
        for w in wellness
        if w.day is not None and start <= w.day <= end and w.weight is not None and w.weight > 0
    ]
    return max(dated)[1] if dated else None


def newest_ftp_date(series: Iterable[Mapping[str, int]], today: date) -> date | None:
    """The newest date (not after today) in any of the FTP history series."""
    days = [d for s in series for d in map(parse_local_date, s) if d is not None and d <= today]
    return max(days) if days else None


def capability_for_latest(
    inputs: LatestInputs,
    activities_7d: Sequence[Activity],
    activities_28d: Sequence[Activity],
    thresholds: Mapping[str, SportThreshold],
    w_prime: int | None,
    tid_7d: SeilerTID,
    tid_28d: SeilerTID,
) -> Capability:
    """``derived_metrics.capability`` from what ``build_latest`` already has."""
    today = inputs.today
    display_start = today - timedelta(days=inputs.settings.days - 1)
    start_42 = today - timedelta(days=CurveWindows(today).sustainability_days - 1)
    ftp_day = newest_ftp_date((inputs.ftp_history.outdoor, inputs.ftp_history.indoor), today)
    return build_capability(
        CapabilityInputs(
            today=today,
            activities_7d=activities_7d,
            activities_28d=activities_28d,
            activities_42d=[
                a
                for a in inputs.activities
                if a.local_date is not None and start_42 <= a.local_date <= today
            ],
            tid_7d=tid_7d,
            tid_28d=tid_28d,
            curves=inputs.curves,
            thresholds=thresholds,
            w_prime=w_prime,
            weight_recent=newest_weight(inputs.wellness, display_start, today),
            weight_28d=newest_weight(
                inputs.wellness, today - timedelta(days=CHRONIC_DAYS - 1), today
            ),
            weight_profile=inputs.athlete.icu_weight,
            ftp_staleness_days=None if ftp_day is None else (today - ftp_day).days,
        )
    )
