"""The race week: an A or B race within 7 days gets a day-by-day plan and a TSS budget.

Projected race-day TSB: CTL and ATL decay with the Intervals.icu time constants (42 and 7
days) over each day left, assuming no further load - the freshest the athlete can be.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from section11.metrics._common import MetricModel
from section11.metrics.decisions.alerts import Alert

RACE_WEEK_DAYS = 7
TAPER_WINDOW = (8, 14)
SHORT_MAX_SECONDS = 5400  # below: short_intense
MEDIUM_MAX_SECONDS = 10800  # up to: medium; above: long_endurance
CARB_LOAD_MIN_SECONDS = 5400
CARB_LOAD_DAYS = 4
CTL_DAYS = 42
ATL_DAYS = 7

DurationClass = Literal["short_intense", "medium", "long_endurance"]

# Share of the normal week (7 x CTL) the race week should spend.
BUDGET_SHARE: dict[str, tuple[float, float]] = {"RACE_A": (0.40, 0.55), "RACE_B": (0.50, 0.65)}
TSB_TARGET: dict[DurationClass, tuple[int, int]] = {
    "short_intense": (5, 15),
    "medium": (10, 20),
    "long_endurance": (10, 25),
}
B_RACE_TSB_SHIFT = 5  # a B race is not worth a full taper


@dataclass(frozen=True)
class _Day:
    label: str
    low: float
    high: float
    zones: str
    purpose: str


_KEY = _Day(
    "Last key session",
    0.75,
    1.00,
    "Race-specific intervals",
    "Final sharpening stimulus; its fatigue clears by race day.",
)
_EASY = _Day("Easy or rest", 0.0, 0.40, "Z1-Z2", "Let fatigue fall; keep the legs moving.")
_PROTOCOL: dict[int, _Day] = {
    7: _KEY,
    6: _Day("Recovery", 0.0, 0.30, "Z1 or rest", "Absorb the last key session."),
    5: _Day(
        "Moderate endurance", 0.40, 0.60, "Z1-Z2 + 2-3 race-pace touches",
        "Maintain feel without adding fatigue.",
    ),
    4: _EASY,
    3: _EASY,
    2: _Day("Opener", 0.30, 0.50, "Z2 with short race-pace efforts", "Wake the legs up."),
    1: _Day("Rest", 0.0, 0.20, "Rest or Z1 spin", "Arrive fresh; check kit and logistics."),
    0: _Day("Race day", 0.0, 0.0, "Race", "Execute the race plan."),
}  # fmt: skip
_OPENER_ZONES: dict[DurationClass, str] = {
    "short_intense": "Z2 + 3-4 x 1 min at race pace or above, full recovery",
    "medium": "Z2 + 3 x 1-2 min at race pace",
    "long_endurance": "Z2 + 2-3 x 30-60 s at race pace, easy otherwise",
}
_OPENER_INTENSITY: dict[DurationClass, str] = {
    "short_intense": "more_intense",
    "medium": "standard",
    "long_endurance": "lighter",
}


@dataclass(frozen=True)
class RaceInfo:
    name: str | None
    day: date
    category: str
    type: str | None
    moving_time_seconds: int | None


@dataclass(frozen=True)
class RaceWeekInputs:
    race: RaceInfo
    today: date
    ctl: float | None
    atl: float | None
    tss_spent: float  # load of race date - 7 ... today


class Range(MetricModel):
    min: float
    max: float


class DayPlan(MetricModel):
    label: str
    load_target_tss: Range | None
    zones: str
    purpose: str


class CarbLoading(MetricModel):
    applicable: bool
    active: bool
    starts: str
    start_date: date
    note: str | None


class Opener(MetricModel):
    day: str
    date: date
    intensity: str


class GoNoGo(MetricModel):
    tsb_status: Literal["green", "flag"] | None
    notes: list[str]


class RaceWeek(MetricModel):
    active: Literal[True] = True
    event_name: str | None
    event_date: date
    event_category: str
    event_type: str | None
    event_duration_class: DurationClass
    event_moving_time_seconds: int | None
    days_until_event: int
    current_day: str
    ctl_baseline: float | None
    normal_weekly_tss: float | None
    race_week_tss_budget: Range | None
    race_week_tss_spent: float
    race_week_tss_remaining: Range | None
    projected_race_day_tsb: float | None
    tsb_target_range: Range
    today: DayPlan
    carb_loading: CarbLoading
    opener: Opener
    go_no_go: GoNoGo


def duration_class(category: str, seconds: int | None) -> DurationClass:
    if seconds is None or seconds <= 0:
        return "long_endurance" if category == "RACE_A" else "medium"
    if seconds < SHORT_MAX_SECONDS:
        return "short_intense"
    if seconds <= MEDIUM_MAX_SECONDS:
        return "medium"
    return "long_endurance"


def tsb_target(category: str, klass: DurationClass) -> tuple[int, int]:
    low, high = TSB_TARGET[klass]
    if category == "RACE_B":
        return max(0, low - B_RACE_TSB_SHIFT), high - B_RACE_TSB_SHIFT
    return low, high


def project_tsb(ctl: float, atl: float, days: int) -> float:
    """TSB on race day after ``days`` days without load."""
    return round(ctl * math.exp(-days / CTL_DAYS) - atl * math.exp(-days / ATL_DAYS), 1)


def _range(low: float, high: float) -> Range:
    return Range(min=round(low), max=round(high))


def race_week(inputs: RaceWeekInputs) -> RaceWeek:
    race, today = inputs.race, inputs.today
    days = (race.day - today).days
    klass = duration_class(race.category, race.moving_time_seconds)
    ctl, atl = inputs.ctl, inputs.atl
    normal = round(7 * ctl, 1) if ctl is not None else None
    budget = remaining = None
    if normal is not None:
        lo_share, hi_share = BUDGET_SHARE[race.category]
        budget = _range(lo_share * normal, hi_share * normal)
        remaining = Range(
            min=max(0, budget.min - round(inputs.tss_spent)),
            max=max(0, budget.max - round(inputs.tss_spent)),
        )
    projected = project_tsb(ctl, atl, days) if ctl is not None and atl is not None else None
    t_low, t_high = tsb_target(race.category, klass)
    step = _PROTOCOL[min(days, RACE_WEEK_DAYS)]
    low_share = 0.20 if days in (3, 4) and klass == "long_endurance" else step.low
    zones = _OPENER_ZONES[klass] if days == 2 else step.zones
    applicable = (
        race.moving_time_seconds >= CARB_LOAD_MIN_SECONDS
        if race.moving_time_seconds
        else race.category == "RACE_A"
    )
    notes: list[str] = []
    status: Literal["green", "flag"] | None = None
    if projected is not None:
        if projected >= t_low:
            status = "green"
        else:
            status = "flag"
            how = "below" if projected >= t_low - 10 else "significantly below"
            notes.append(
                f"Projected race-day TSB {projected:g} is {how} the target {t_low}-{t_high}: "
                "cut the remaining load"
            )
    return RaceWeek(
        active=True,
        event_name=race.name,
        event_date=race.day,
        event_category=race.category,
        event_type=race.type,
        event_duration_class=klass,
        event_moving_time_seconds=race.moving_time_seconds,
        days_until_event=days,
        current_day=f"D-{days}",
        ctl_baseline=ctl,
        normal_weekly_tss=normal,
        race_week_tss_budget=budget,
        race_week_tss_spent=round(inputs.tss_spent),
        race_week_tss_remaining=remaining,
        projected_race_day_tsb=projected,
        tsb_target_range=Range(min=t_low, max=t_high),
        today=DayPlan(
            label=step.label,
            load_target_tss=_range(low_share * ctl, step.high * ctl) if ctl is not None else None,
            zones=zones,
            purpose=step.purpose,
        ),
        carb_loading=CarbLoading(
            applicable=applicable,
            active=applicable and days <= CARB_LOAD_DAYS,
            starts=f"D-{CARB_LOAD_DAYS}",
            start_date=race.day - timedelta(days=CARB_LOAD_DAYS),
            note="10-12 g carbohydrate per kg body weight per day" if applicable else None,
        ),
        opener=Opener(
            day="D-2", date=race.day - timedelta(days=2), intensity=_OPENER_INTENSITY[klass]
        ),
        go_no_go=GoNoGo(tsb_status=status, notes=notes),
    )


def pick_race_week_race(races: list[RaceInfo], today: date) -> RaceInfo | None:
    """An A race within 7 days, else a B race within 7 days (the nearest of each)."""
    near = [r for r in races if 0 <= (r.day - today).days <= RACE_WEEK_DAYS]
    near.sort(key=lambda r: r.day)
    for category in ("RACE_A", "RACE_B"):
        for race in near:
            if race.category == category:
                return race
    return None


def taper_message(race: RaceInfo, days: int) -> str:
    return (
        f"RACE_A '{race.name}' in {days} days. Begin volume reduction (target 41-60% over 2 "
        "weeks). Maintain intensity. CTL should peak now or within the next few days."
    )


def race_alerts(taper: RaceInfo | None, week: RaceWeek | None, today: date) -> list[Alert]:
    """Taper and race-week alerts (info), and a warning when race-day TSB falls short."""
    out: list[Alert] = []
    if taper is not None:
        days = (taper.day - today).days
        out.append(
            Alert(
                metric="race_taper",
                value=days,
                severity="info",
                threshold=f"RACE_A within {TAPER_WINDOW[0]}-{TAPER_WINDOW[1]} days",
                context=taper_message(taper, days),
                persistence_days=None,
                tier=1,
            )
        )
    if week is not None:
        target = week.today.load_target_tss
        load = f"{target.min:g}-{target.max:g} TSS" if target else "load unknown (no CTL)"
        out.append(
            Alert(
                metric="race_week",
                value=week.days_until_event,
                severity="info",
                threshold=f"{week.event_category} within {RACE_WEEK_DAYS} days",
                context=(
                    f"Race week {week.current_day} of '{week.event_name}'. Today: "
                    f"{week.today.label}, {load}. {week.today.zones}"
                ),
                persistence_days=None,
                tier=1,
            )
        )
        if week.go_no_go.tsb_status == "flag" and week.projected_race_day_tsb is not None:
            out.append(
                Alert(
                    metric="race_week_tsb",
                    value=week.projected_race_day_tsb,
                    severity="warning",
                    threshold=f"projected race-day TSB < {week.tsb_target_range.min:g}",
                    context=week.go_no_go.notes[0],
                    persistence_days=None,
                    tier=1,
                )
            )
    return out
