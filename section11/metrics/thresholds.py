"""Per-sport thresholds from the athlete's sport settings and the eFTP power model."""

from __future__ import annotations

from typing import Literal

from section11.metrics._common import MetricModel
from section11.metrics.sports import FAMILIES, family_of_types
from section11.sources.intervals_icu.models import Athlete, SportSettings, Wellness


class SportThreshold(MetricModel):
    lthr: int | None
    max_hr: int | None
    threshold_pace: float | None  # Intervals.icu stores threshold pace as a speed
    threshold_pace_unit: str | None  # "m/s" whenever threshold_pace is set
    threshold_pace_formatted: str | None  # the same pace in the athlete's pace unit
    pace_units: str | None
    ftp: int | None
    ftp_indoor: int | None

    @property
    def filled(self) -> int:
        return sum(
            v is not None
            for k, v in self.model_dump().items()
            if k not in ("threshold_pace_unit", "threshold_pace_formatted")
        )


# Metres covered by one "unit" of each Intervals.icu pace setting, and its label.
_PACE_DISTANCES: dict[str, tuple[float, str]] = {
    "MINS_KM": (1000.0, "/km"),
    "MINS_MILE": (1609.344, "/mi"),
    "SECS_100M": (100.0, "/100m"),
    "SECS_100Y": (91.44, "/100y"),
    "SECS_250M": (250.0, "/250m"),
    "SECS_400M": (400.0, "/400m"),
    "SECS_500M": (500.0, "/500m"),
}


def format_pace(speed_m_s: float | None, pace_units: str | None) -> str | None:
    """A speed in m/s as the athlete reads pace, e.g. 4.0 m/s with MINS_KM -> "4:10 /km"."""
    if speed_m_s is None or speed_m_s <= 0 or pace_units not in _PACE_DISTANCES:
        return None
    metres, label = _PACE_DISTANCES[pace_units]
    seconds = round(metres / speed_m_s)
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d} {label}"


def _positive(value: float | None) -> float | None:
    return value if value is not None and value > 0 else None


def _threshold(entry: SportSettings) -> SportThreshold:
    # A threshold pace or FTP of 0 (or less) is physically impossible: Intervals.icu sends
    # it for "not set", so it is missing, not a value. Heart rates are kept as sent.
    pace = _positive(entry.threshold_pace)
    ftp = _positive(entry.ftp)
    ftp_indoor = _positive(entry.indoor_ftp)
    return SportThreshold(
        lthr=entry.lthr,
        max_hr=entry.max_hr,
        threshold_pace=pace,
        threshold_pace_unit="m/s" if pace is not None else None,
        threshold_pace_formatted=format_pace(pace, entry.pace_units),
        pace_units=entry.pace_units if pace is not None else None,
        ftp=int(ftp) if ftp is not None else None,
        ftp_indoor=int(ftp_indoor) if ftp_indoor is not None else None,
    )


def sport_thresholds(athlete: Athlete) -> dict[str, SportThreshold]:
    """Thresholds per sport family (ordered as FAMILIES).

    Each settings entry fills only its own family (the family of most of its activity
    types), never another: a cycling entry that also lists, say, "Yoga" does not give the
    "other" family a cycling FTP. When several entries cover one family, the one with the
    most values wins; ties go to the entry whose first activity type sorts first.
    """
    best: dict[str, tuple[SportThreshold, str]] = {}
    for entry in athlete.settings:
        types = entry.type_list
        if not types:
            continue
        threshold = _threshold(entry)
        family = family_of_types(types)
        key = min(types)
        held = best.get(family)
        if (
            held is None
            or threshold.filled > held[0].filled
            or (threshold.filled == held[0].filled and key < held[1])
        ):
            best[family] = (threshold, key)
    return {family: best[family][0] for family in FAMILIES if family in best}


class PowerModel(MetricModel):
    eftp: float | None
    w_prime: int | None
    w_prime_kj: float | None
    p_max: int | None
    source: Literal["wellness.sportInfo"] | None


def power_model(wellness_today: Wellness | None) -> PowerModel:
    """Ride eFTP, W′ and Pmax that Intervals.icu models from the power curve."""
    info = wellness_today.ride_power_model() if wellness_today is not None else None
    if info is None or (info.eftp is None and info.w_prime is None and info.p_max is None):
        return PowerModel(eftp=None, w_prime=None, w_prime_kj=None, p_max=None, source=None)
    return PowerModel(
        eftp=round(info.eftp, 1) if info.eftp is not None else None,
        w_prime=round(info.w_prime) if info.w_prime is not None else None,
        w_prime_kj=round(info.w_prime / 1000, 1) if info.w_prime is not None else None,
        p_max=round(info.p_max) if info.p_max is not None else None,
        source="wellness.sportInfo",
    )
