"""Fields of history.json's weekly and monthly rows under the reference's names.

AI prompts written for the reference read these (the season report reads ``monthly_1y`` /
``monthly_2y`` / ``monthly_3y``). Every value comes from the same per-day aggregates as
the rest of history.json and from the same metric functions as latest.json.

- ``monthly_1y`` / ``monthly_2y`` / ``monthly_3y`` split the calendar months into three
  runs that do not overlap (:func:`tier_of_month`); ``monthly_1y`` is empty until the data
  spans 6 months or reaches beyond weekly_180d's first week.
- ``hard_days_avg_per_week`` = hard days / max(1, days of the month so far / 7).
- ``intensity_basis_breakdown`` counts hard days by the zones that made them hard (null
  without hard days).
- ``phase_detected`` / ``dominant_phase`` are set by the phase detection
  (outputs/history_phase.py), not here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from section11.config import Settings
from section11.metrics import zones
from section11.metrics.session_capability import CapabilityRollup, capability_rollup
from section11.outputs.history_store import WellnessRecord
from section11.sources.intervals_icu.models import Activity
from section11.units import METRIC, DisplayUnits, ShownValue

TIER_YEARS = (1, 2, 3)
MONTHS_PER_TIER_YEAR = 6  # a tier of N years needs 6·N months of data
DAYS_PER_MONTH = 30.44


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WeightDisplay(_Model):
    weight: ShownValue


class AvgWeightDisplay(_Model):
    avg_weight: ShownValue


class WeeklyReference(CapabilityRollup):
    """The reference-named fields of one weekly row."""

    primary_sport_tss: float | None
    tsb_end: float | None
    ramp_rate: float | None
    avg_sleep_hours: float | None
    longest_ride_hours: float | None
    weight_kg: float | None
    intensity_basis_breakdown: dict[str, int] | None
    phase_detected: str | None


def weekly_reference(
    days_activities: Sequence[Sequence[Activity]],
    wellness: Sequence[WellnessRecord],
    sport_tss: dict[str, float],
    primary_sport: str | None,
    ctl_end: float | None,
    atl_end: float | None,
    ramp: float | None,
    phase: str | None,
    settings: Settings,
) -> WeeklyReference:
    """``days_activities``: the activities of each day of the week (one list per day)."""
    activities = [a for day in days_activities for a in day]
    sleep = [w.sleep_secs / 3600 for w in wellness if w.sleep_secs is not None]
    weights = [w.weight for w in wellness if w.weight is not None]
    return WeeklyReference(
        **capability_rollup(activities).model_dump(),
        primary_sport_tss=sport_tss.get(primary_sport) if primary_sport else None,
        tsb_end=round(ctl_end - atl_end, 1)
        if ctl_end is not None and atl_end is not None
        else None,
        ramp_rate=ramp,
        avg_sleep_hours=round(sum(sleep) / len(sleep), 2) if sleep else None,
        longest_ride_hours=longest_hours(activities),
        weight_kg=round(weights[-1], 1) if weights else None,
        intensity_basis_breakdown=basis_breakdown(days_activities, settings),
        phase_detected=phase,
    )


def weight_display(kg: float | None, units: DisplayUnits | None) -> WeightDisplay:
    return WeightDisplay(weight=(units or METRIC).display_weight(kg))


def avg_weight_display(kg: float | None, units: DisplayUnits | None) -> AvgWeightDisplay:
    return AvgWeightDisplay(avg_weight=(units or METRIC).display_weight(kg))


def longest_hours(activities: Sequence[Activity]) -> float | None:
    """The longest moving time of any session (the reference's "longest ride"), hours."""
    times = [a.moving_time for a in activities if a.moving_time is not None]
    return round(max(times) / 3600, 2) if times else None


def basis_breakdown(
    days_activities: Sequence[Sequence[Activity]], settings: Settings
) -> dict[str, int] | None:
    counts: Counter[str] = Counter()
    for acts in days_activities:
        if not acts:
            continue
        result = zones.hard_day(acts, settings.zone_preference)
        if result.is_hard and result.basis is not None:
            counts[result.basis] += 1
    if not counts:
        return None
    return {"power": counts["power"], "hr": counts["hr"], "mixed": counts["mixed"]}


def hard_days_per_week(hard_days: int, days_so_far: int) -> float:
    """Hard days of a month per 7 days (a month shorter than a week counts as one week)."""
    return round(hard_days / max(1.0, days_so_far / 7), 2)


def avg_weight(wellness: Sequence[WellnessRecord]) -> float | None:
    weights = [w.weight for w in wellness if w.weight is not None]
    return round(sum(weights) / len(weights), 1) if weights else None


def tier_start(today: date, years: int) -> date:
    """First day of the month containing today − 365·years."""
    back = today - timedelta(days=365 * years)
    return date(back.year, back.month, 1)


def tier_of_month(month: str, today: date) -> int | None:
    """The monthly tier (1, 2 or 3 years) a ``YYYY-MM`` month belongs to, or None when it is
    older than monthly_3y's first month.

    The tiers do not overlap: ``monthly_1y`` runs from the month containing today − 365 days
    through the current month, ``monthly_2y`` holds the twelve months before that and
    ``monthly_3y`` the months before those, from the month containing today − 3·365 days.
    The reference wrote 1y ⊂ 2y ⊂ 3y, so most months appeared two or three times; the
    protocol looks a month up by its ``month`` string across all three, which finds it once.
    """
    first_day = date.fromisoformat(f"{month}-01")
    for years in TIER_YEARS:
        if first_day >= tier_start(today, years):
            return years
    return None


def tier_applies(years: int, today: date, earliest: date | None, first_week: date) -> bool:
    """Whether ``monthly_{years}y`` has rows: once the first day with data is 6·N months
    back (30.44-day months), counted to today.

    The reference counted the months between the first and the last day with data, so an
    athlete who paused had old months in no tier at all. And the 1-year tier also starts
    when data is older than weekly_180d's first week (between 179 and 183 days back), which
    6 months alone would leave out. (For 2y and 3y no such gap exists: data older than the
    shorter tier's first month is already 12 or 24 months back.)
    """
    if earliest is None:
        return False
    if years == 1 and earliest < first_week:
        return True
    return (today - earliest).days / DAYS_PER_MONTH >= MONTHS_PER_TIER_YEAR * years
