"""The shape of history.json: longitudinal context for an AI coach in four tiers.

- ``daily_90d``: one row per calendar day, today−89 … today;
- ``weekly_180d``: weeks aligned to WEEK_START, from the week containing today−179 through
  the current (partial) week;
- ``monthly_1y`` / ``monthly_2y`` / ``monthly_3y``: calendar months, each in exactly one
  tier: 1y from the month containing today − 365 days through the current month, 2y the
  twelve months before those, 3y the months before those from the month containing
  today − 3·365 days; never before the first month with data;
- ``summaries``: 90d / 180d / 1y / 2y / 3y windows ending today.

Every tier is built from the same per-day aggregates, so a week's totals are the sum of its
days and a month's totals the sum of its days (and of the whole weeks inside it).
Missing is None: a day the API was never asked about (or did not answer for) has a null
``activity_count`` and null totals; a day the API answered with no activity has a count
and totals of 0.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from section11.metrics.zones import SeilerTID
from section11.units import ShownValue

SCHEMA_VERSION: Literal[1] = 1

ZoneBasisSummary = Literal["power", "hr", "mixed"]
GapKind = Literal["no_activity", "no_api_data", "no_wellness"]
Confidence = Literal["high", "medium", "low"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DataRange(_Model):
    earliest: date | None = Field(description="First day with an activity or wellness record.")
    latest: date | None = Field(description="Last day with an activity or wellness record.")
    total_months: int = Field(
        description="Whole months of data: (latest − earliest + 1 days) / 30.44, rounded down."
    )


class TierBounds(_Model):
    start: date
    end: date
    rows: int


class ZoneSplit(_Model):
    """Share of zone time (percent) under ZONE_PREFERENCE; power and HR seconds summed."""

    z1_z2_pct: float | None = None
    z3_pct: float | None = None
    z4_plus_pct: float | None = None
    zone_basis: ZoneBasisSummary | None = None


class DailyRow(ZoneSplit):
    date: date
    total_tss: float | None
    total_hours: float | None
    activity_count: int | None = Field(
        description="Number of activities that day: 0 = the API answered with none (rest), "
        "null = no answer from the API for the day (totals null too; see data_gaps)."
    )
    activity_types: list[str] | None
    ctl: float | None
    atl: float | None
    tsb: float | None
    is_hard_day: bool | None
    hrv: float | None
    rhr: float | None
    sleep_hours: float | None
    sleep_quality: int | None
    weight_kg: float | None
    display: dict[str, ShownValue] = Field(description="weight in the athlete's units.")
    fatigue: int | None
    soreness: int | None
    stress: int | None
    mood: int | None
    motivation: int | None
    injury: int | None = Field(description="Wellness injury score, 1 (none) … 4 (injured).")
    ftp: int | None = Field(description="Outdoor FTP in effect that day (ftp_history).")


class WeeklySeilerTID(_Model):
    """Seiler's three zones over the week's zone time, on the row's ``zone_basis``."""

    z1_pct: float | None
    z2_pct: float | None
    z3_pct: float | None
    polarization_index: float | None
    classification: str | None

    @classmethod
    def of(cls, tid: SeilerTID) -> WeeklySeilerTID:
        return cls.model_validate(tid.model_dump(include=set(cls.model_fields)))


class WeeklyRow(ZoneSplit):
    week_start: date
    week_end: date
    complete: bool = Field(description="False for the current, still running week.")
    no_data_days: int = Field(description="Days of this week without data from the API.")
    total_tss: float | None
    total_hours: float | None
    activity_count: int | None
    sport_tss_breakdown: dict[str, float]
    sport_hours_breakdown: dict[str, float]
    primary_sport: str | None
    ctl_end: float | None
    atl_end: float | None
    acwr: float | None = Field(
        description="7-day mean load / 28-day mean load over the 28 days ending on the "
        "week's last day (today for the current week) — the same definition as latest.json."
    )
    monotony: float | None
    strain: float | None
    seiler_tid: WeeklySeilerTID
    hard_days: int
    avg_feel: float | None
    feel_count: int
    avg_rpe: float | None
    rpe_count: int
    avg_hrv: float | None
    avg_rhr: float | None
    # Under the reference's names (outputs/history_reference.py).
    primary_sport_tss: float | None = None
    tsb_end: float | None = None
    ramp_rate: float | None = Field(
        default=None, description="ctl_end minus the previous week's ctl_end."
    )
    avg_sleep_hours: float | None = None
    longest_ride_hours: float | None = Field(
        default=None, description="Longest moving time of any session that week, hours."
    )
    weight_kg: float | None = Field(default=None, description="Last weigh-in of the week.")
    display: dict[str, ShownValue] | None = Field(
        default=None, description="weight in the athlete's units."
    )
    intensity_basis_breakdown: dict[str, int] | None = Field(
        default=None, description="Hard days by the zones that made them hard."
    )
    phase_detected: str | None = Field(
        default=None,
        description="Training phase of the finalized week, detected once when the week "
        "completed and then kept (null for the current week or too little data).",
    )
    durability_mean: float | None = Field(
        default=None, description="Mean aerobic decoupling (%) of qualifying sessions."
    )
    durability_qualifying: int = 0
    ef_mean: float | None = Field(default=None, description="Mean efficiency factor.")
    ef_qualifying: int = 0
    hrrc_mean: float | None = Field(default=None, description="Mean HR recovery, bpm.")
    hrrc_qualifying: int = 0


class MonthlyRow(ZoneSplit):
    month: str = Field(description="YYYY-MM")
    complete: bool = Field(description="False for the current month.")
    no_data_days: int
    total_tss: float | None
    total_hours: float | None
    activity_count: int | None
    sport_hours_breakdown: dict[str, float] = Field(
        description="Hours per sport family (per-sport load is in the weekly rows)."
    )
    ctl_peak: float | None
    ctl_low: float | None
    ctl_end: float | None
    ftp: int | None = Field(description="Outdoor FTP in effect at month end (or today).")
    hard_days: int
    avg_hrv: float | None
    avg_rhr: float | None
    days_with_data: int = Field(description="Days with an activity or a wellness record.")
    # Under the reference's names (outputs/history_reference.py).
    hard_days_avg_per_week: float | None = None
    longest_ride_hours: float | None = None
    avg_weight_kg: float | None = None
    display: dict[str, ShownValue] | None = Field(
        default=None, description="avg_weight in the athlete's units."
    )
    dominant_phase: str | None = Field(
        default=None,
        description="Most frequent phase_detected of the weeks overlapping this month "
        "(ties: the phase with more load); null outside weekly_180d.",
    )


class FtpPoint(_Model):
    date: date
    ftp: int
    type: Literal["indoor", "outdoor"]


class DataGap(_Model):
    period: str = Field(description="'YYYY-MM-DD to YYYY-MM-DD' (the reference's field).")
    days_missing: int = Field(description="Days in the gap, both ends included.")
    start: date
    end: date
    kind: GapKind


class WindowSummary(_Model):
    start: date
    end: date
    days_with_api_data: int
    total_tss: float | None
    avg_weekly_tss: float | None = Field(description="Per 7 days with data from the API.")
    avg_weekly_hours: float | None
    ctl_start: float | None
    ctl_end: float | None
    ctl_peak: float | None
    ctl_low: float | None
    total_activities: int = Field(description="Number of activities (not days).")
    active_days: int
    rest_days: int
    hard_days: int


class HistoryFile(_Model):
    schema_version: Literal[1] = SCHEMA_VERSION
    generated_at: datetime = Field(description="UTC time this file was built.")
    today: date = Field(description="The athlete's local date the file was built for.")
    week_start: str = Field(description="First weekday of weekly rows (mon … sun).")
    data_range: DataRange
    history_confidence: Confidence = Field(
        description="high: ≥ 12 months of data, medium: ≥ 3, low: less."
    )
    tiers: dict[str, TierBounds]
    summaries: dict[str, WindowSummary]
    daily_90d: list[DailyRow]
    weekly_180d: list[WeeklyRow]
    monthly_1y: list[MonthlyRow] = Field(
        default_factory=list,
        description="Months from the month containing today − 365 days through the current "
        "month; empty until the data reaches back 6 months or beyond weekly_180d's first week.",
    )
    monthly_2y: list[MonthlyRow] = Field(
        default_factory=list,
        description="The twelve months before monthly_1y's first month (the tiers do not "
        "overlap: look a month up by `month` across all three).",
    )
    monthly_3y: list[MonthlyRow] = Field(
        default_factory=list,
        description="The months before monthly_2y's first month, from the month containing "
        "today − 3·365 days.",
    )
    ftp_timeline: list[FtpPoint]
    data_gaps: list[DataGap]
