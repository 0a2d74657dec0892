"""history.json's reference-named weekly and monthly fields, and the session predicates the
capability roll-ups share with latest.json; every number is worked out by hand."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from section11.config import Settings
from section11.metrics.session_capability import (
    capability_rollup,
    durability_value,
    efficiency_value,
    hrrc_value,
)
from section11.outputs.history import HistoryResult, update_history
from section11.outputs.history_models import HistoryFile, WeeklyRow
from section11.outputs.history_reference import (
    hard_days_per_week,
    tier_applies,
    tier_start,
)
from section11.outputs.history_store import ActivityRecord, parse_state
from section11.sources.intervals_icu.models import Activity, Wellness
from section11.units import DisplayUnits, DisplayValue

TODAY = date(2025, 3, 19)  # a Wednesday
RECENT_START = TODAY - timedelta(days=41)
NOW = datetime(2025, 3, 19, 6, 0, tzinfo=UTC)
SETTINGS = Settings(athlete_id=None, intervals_key=None, output_dir=Path("."))
WEEK = date(2025, 3, 10)  # Monday of the last complete week


def _act(act_id: str, day: date, **fields: Any) -> Activity:
    base: dict[str, Any] = {
        "id": act_id,
        "start_date_local": f"{day.isoformat()}T08:00:00",
        "type": "Ride",
        "icu_training_load": 50,
        "moving_time": 3600,
    }
    return Activity.model_validate(base | fields)


def _update(
    activities: Sequence[Activity],
    wellness: Sequence[Wellness] = (),
    older: Sequence[Activity] = (),
    units: DisplayUnits | None = None,
) -> HistoryResult:
    def fetch(oldest: date, newest: date) -> tuple[list[Activity], list[Wellness]]:
        chosen = [a for a in older if a.local_date and oldest <= a.local_date <= newest]
        return chosen, []

    return update_history(
        None, activities, wellness, RECENT_START, fetch, {}, SETTINGS, TODAY, NOW, units=units
    )


def _build(
    activities: Sequence[Activity],
    wellness: Sequence[Wellness] = (),
    older: Sequence[Activity] = (),
    units: DisplayUnits | None = None,
) -> HistoryFile:
    return _update(activities, wellness, older, units).file


def _week(file: HistoryFile, start: date = WEEK) -> WeeklyRow:
    return next(row for row in file.weekly_180d if row.week_start == start)


# --- session predicates -----------------------------------------------------------------


def test_durability_needs_a_steady_90_minute_session() -> None:
    day = WEEK
    ok = _act("a", day, decoupling=3.2, icu_variability_index=1.05, moving_time=5400)
    assert durability_value(ok) == 3.2  # VI 1.05 and 5400 s are both on the gate
    assert (
        durability_value(
            _act("b", day, decoupling=3.2, icu_variability_index=1.06, moving_time=5400)
        )
        is None
    )
    assert (
        durability_value(
            _act("c", day, decoupling=3.2, icu_variability_index=1.0, moving_time=5399)
        )
        is None
    )
    assert (
        durability_value(_act("d", day, decoupling=3.2, icu_variability_index=0, moving_time=6000))
        is None
    )
    assert durability_value(_act("e", day, icu_variability_index=1.0, moving_time=6000)) is None
    # A genuine 0 % decoupling is a value, not missing.
    assert (
        durability_value(
            _act("f", day, decoupling=0.0, icu_variability_index=1.0, moving_time=6000)
        )
        == 0.0
    )
    # Any sport counts.
    run = _act("g", day, type="Run", decoupling=4.0, icu_variability_index=1.02, moving_time=6000)
    assert durability_value(run) == 4.0


def test_efficiency_factor_needs_a_steady_20_minute_ride() -> None:
    day = WEEK
    ride = _act("a", day, icu_efficiency_factor=1.31, icu_variability_index=1.03, moving_time=1200)
    assert efficiency_value(ride) == 1.31
    run = _act("b", day, type="Run", icu_efficiency_factor=1.31, icu_variability_index=1.03)
    assert efficiency_value(run) is None
    short = _act("c", day, icu_efficiency_factor=1.3, icu_variability_index=1.0, moving_time=1199)
    assert efficiency_value(short) is None
    ebike = _act("d", day, type="EBikeRide", icu_efficiency_factor=1.3, icu_variability_index=1.0)
    assert efficiency_value(ebike) is None


def test_rollup_means_and_counts() -> None:
    day = WEEK
    acts = [
        _act(
            "a",
            day,
            decoupling=2.0,
            icu_variability_index=1.0,
            moving_time=6000,
            icu_hrr={"hrr": 30},
        ),
        _act("b", day, decoupling=5.0, icu_variability_index=1.0, moving_time=6000, icu_hrr=25),
        _act("c", day, icu_efficiency_factor=1.2, icu_variability_index=1.0),
        _act("d", day, icu_efficiency_factor=1.25, icu_variability_index=1.0, icu_hrr=0),
    ]
    rollup = capability_rollup(acts)
    # durability (2.0 + 5.0) / 2 = 3.5; EF (1.2 + 1.25) / 2 = 1.225 -> 1.23 (2 dp, half up
    # in binary: 1.225 is stored as 1.22500000000000008882); HRRc (30 + 25) / 2 = 27.5.
    assert rollup.model_dump() == {
        "durability_mean": 3.5,
        "durability_qualifying": 2,
        "ef_mean": 1.23,
        "ef_qualifying": 2,
        "hrrc_mean": 27.5,
        "hrrc_qualifying": 2,
    }
    empty = capability_rollup([_act("e", day)])
    # Nothing qualifies: null means with zero counts, never a 0 mean.
    assert (empty.durability_mean, empty.durability_qualifying) == (None, 0)
    assert (empty.ef_mean, empty.hrrc_mean) == (None, None)
    assert hrrc_value(_act("f", day, icu_hrr=-3)) is None


# --- weekly rows ------------------------------------------------------------------------


def test_weekly_reference_fields_hand_computed() -> None:
    acts = [
        # Monday: 2 h steady ride (durability 4.0, EF 1.3), HRR 32.
        _act(
            "r1",
            WEEK,
            moving_time=7200,
            icu_training_load=120,
            decoupling=4.0,
            icu_variability_index=1.02,
            icu_efficiency_factor=1.3,
            icu_hrr={"hrr": 32},
            icu_zone_times=[{"id": "Z4", "secs": 900}],  # power z4+ 900 s >= 600: hard
        ),
        # Wednesday: 45 min run, HR z4+ 700 s >= 600: hard on HR.
        _act(
            "n1",
            WEEK + timedelta(days=2),
            type="Run",
            moving_time=2700,
            icu_training_load=60,
            icu_hr_zone_times=[0, 0, 0, 700],
        ),
    ]
    wellness = [
        Wellness.model_validate(
            {"id": (WEEK + timedelta(days=i)).isoformat(), "sleepSecs": 25200 + 3600 * (i % 2)}
        )
        for i in range(7)
    ]
    wellness[1] = Wellness.model_validate(
        {"id": (WEEK + timedelta(days=1)).isoformat(), "sleepSecs": 28800, "weight": 70.44}
    )
    wellness[5] = Wellness.model_validate(
        {
            "id": (WEEK + timedelta(days=5)).isoformat(),
            "sleepSecs": 28800,
            "weight": 69.96,
            "ctl": 60.0,
            "atl": 72.5,
        }
    )
    row = _week(_build(acts, wellness))
    assert row.primary_sport == "cycling"
    assert row.primary_sport_tss == 120.0
    # Sleep: 7 h on days 0, 2, 4, 6 and 8 h on 1, 3, 5 -> (4 × 7 + 3 × 8) / 7 = 52 / 7 = 7.43.
    assert row.avg_sleep_hours == 7.43
    assert row.longest_ride_hours == 2.0  # 7200 s
    assert row.weight_kg == 70.0  # the last weigh-in (day 5): 69.96 -> 70.0
    assert row.model_dump(mode="json")["display"] == {"weight": {"value": 70.0, "unit": "kg"}}
    # ctl_end 60.0 - atl_end 72.5 = -12.5
    assert row.tsb_end == -12.5
    assert row.ramp_rate is None  # no CTL in the week before: no ramp
    assert row.intensity_basis_breakdown == {"power": 1, "hr": 1, "mixed": 0}
    assert (row.durability_mean, row.durability_qualifying) == (4.0, 1)
    assert (row.ef_mean, row.ef_qualifying) == (1.3, 1)
    assert (row.hrrc_mean, row.hrrc_qualifying) == (32.0, 1)
    assert row.phase_detected is None  # phases are not computed here


def test_a_week_without_hard_days_has_no_basis_breakdown_and_imperial_display() -> None:
    wellness = [Wellness.model_validate({"id": WEEK.isoformat(), "weight": 70.0})]
    imperial = DisplayUnits.from_athlete_settings(
        measurement_preference="feet",
        weight_pref_lb=True,
        fahrenheit=True,
        wind_speed="MPH",
        rain="IN",
        height_units="IN",
    )
    row = _week(_build([_act("r", WEEK)], wellness, units=imperial))
    assert row.intensity_basis_breakdown is None
    assert row.display is not None
    # 70.0 kg × 2.20462 = 154.3 lb
    assert row.display["weight"] == DisplayValue(value=154.3, unit="lb")


def test_weekly_capability_survives_the_history_state() -> None:
    # Older weeks come from the stored state: the capability columns must round-trip.
    old_day = date(2024, 11, 4)
    older = [
        _act(
            "o1",
            old_day,
            decoupling=6.5,
            icu_variability_index=1.01,
            moving_time=6000,
            icu_efficiency_factor=1.15,
            icu_hrr=28,
        ),
    ]
    record = ActivityRecord.from_activity(older[0])
    assert record is not None
    assert (record.decoupling, record.variability_index, record.efficiency_factor, record.hrr) == (
        6.5,
        1.01,
        1.15,
        28,
    )
    assert ActivityRecord.from_activity(record.to_activity()) == record
    row = _week(_build([], older=older), old_day)
    assert (row.durability_mean, row.ef_mean, row.hrrc_mean) == (6.5, 1.15, 28.0)


def test_a_state_written_before_the_capability_columns_is_still_read() -> None:
    legacy = {
        "state_version": 1,
        "updated_at": None,
        "covered": [["2025-03-01", "2025-03-19"]],
        "activity_fields": [
            "id",
            "date",
            "type",
            "load",
            "moving_time",
            "distance",
            "feel",
            "rpe",
            "power_zone_secs",
            "hr_zone_secs",
        ],
        "activities": [["i1", "2025-03-10", "Ride", 50, 3600, None, None, None, None, None]],
        "wellness_fields": [
            "date",
            "ctl",
            "atl",
            "hrv",
            "rhr",
            "sleep_secs",
            "weight",
            "fatigue",
            "soreness",
            "stress",
            "mood",
            "motivation",
            "sleep_quality",
        ],
        "wellness": [],
    }
    state = parse_state(legacy)
    record = state.activities["i1"]
    assert (record.load, record.decoupling, record.hrr) == (50, None, None)


# --- monthly tiers ----------------------------------------------------------------------


def test_tier_gates_and_starts() -> None:
    # 2025-03-19 - 365 days = 2024-03-19 -> March 2024.
    assert tier_start(TODAY, 1) == date(2024, 3, 1)
    # - 730 days = 2023-03-20 -> March 2023.
    assert tier_start(TODAY, 2) == date(2023, 3, 1)
    first_week = date(2024, 9, 16)  # any Monday about 180 days back
    # As the reference: 1y once the first data is 6 months back (6 × 30.44 = 182.64 days),
    # 2y at 12 months (365.28 days), 3y at 18 (547.92 days).
    six = TODAY - timedelta(days=183)  # 2024-09-17, after first_week
    assert tier_applies(1, TODAY, six, first_week)
    assert not tier_applies(1, TODAY, six + timedelta(days=1), first_week)
    twelve = TODAY - timedelta(days=366)  # 2024-03-18: 12.02 months, before March 2024
    assert tier_applies(2, TODAY, twelve, first_week)
    assert not tier_applies(3, TODAY, TODAY - timedelta(days=547), first_week)  # 17.97 months
    assert tier_applies(3, TODAY, TODAY - timedelta(days=548), first_week)  # 18.0 months
    assert not tier_applies(1, TODAY, None, first_week)  # no data at all


def test_the_days_before_the_first_week_are_in_monthly_1y() -> None:
    # 182 days back is 5.98 months (182 / 30.44), not 6, but it is before weekly_180d's
    # first week: without monthly_1y that day would be in no tier.
    first_week = date(2024, 9, 23)  # 177 days before 2025-03-19
    early = TODAY - timedelta(days=182)  # 2024-09-18
    assert tier_applies(1, TODAY, early, first_week)
    assert not tier_applies(1, TODAY, early, date(2024, 9, 16))  # inside the weekly tier


def test_monthly_tiers_from_the_data_span() -> None:
    # Activities from 2024-07-01: 2024-07-01 … 2025-03-19 = 261 days back / 30.44 = 8.6
    # months: enough for the 1-year tier (6), not for 2 years (12), and July 2024 is after
    # March 2024, monthly_1y's first month.
    older = [_act(f"o{n}", date(2024, 7, 1) + timedelta(days=7 * n)) for n in range(30)]
    file = _build([_act("now", TODAY)], older=older)
    assert file.data_range.total_months == 8
    # 1y: March 2024 … March 2025, but data starts in July 2024: 2024-07 … 2025-03 = 9 rows.
    assert file.monthly_1y[0].month == "2024-07"
    assert len(file.monthly_1y) == 9
    assert file.monthly_2y == [] and file.monthly_3y == []
    assert file.tiers["monthly_1y"].start == date(2024, 7, 1)
    assert file.tiers["monthly_1y"].rows == 9
    assert "monthly_2y" not in file.tiers


def test_a_paused_athlete_keeps_every_month() -> None:
    # Eight months of training (2023-06-05 … 2024-01-22, 34 Mondays) and nothing since:
    # first to last day is 231 days = 7.6 months, so the reference's gate gave only the 1y
    # tier (from March 2024), which holds none of it. Counted to today, the first day is
    # 653 days = 21.5 months back, so the tiers hold it all: monthly_2y (March 2023 …
    # February 2024, the twelve months before monthly_1y's March 2024) from June 2023, and
    # monthly_1y after it. monthly_3y (before March 2023) has no data, so it is empty.
    older = [_act(f"o{n}", date(2023, 6, 5) + timedelta(days=7 * n)) for n in range(34)]
    file = _build([], older=older)
    assert file.data_range.total_months == 7
    assert file.monthly_3y == []
    assert [file.monthly_2y[0].month, file.monthly_2y[-1].month] == ["2023-06", "2024-02"]
    assert [file.monthly_1y[0].month, file.monthly_1y[-1].month] == ["2024-03", "2025-03"]
    months = {m.month: m.activity_count for m in file.monthly_2y + file.monthly_1y}
    assert months["2023-06"] == 4  # Mondays 5, 12, 19, 26 June
    assert months["2024-01"] == 4  # the last of the 34 Mondays: 1, 8, 15, 22 January
    assert months["2024-06"] == 0
    assert file.tiers["monthly_2y"].start == date(2023, 6, 1)
    assert file.tiers["monthly_2y"].end == date(2024, 2, 29)  # the day before 1y's first


def test_monthly_reference_fields_hand_computed() -> None:
    march = [
        _act("m1", date(2025, 3, 3), moving_time=5400, icu_zone_times=[{"id": "Z5", "secs": 400}]),
        _act("m2", date(2025, 3, 12), moving_time=7200),
    ]
    wellness = [
        Wellness.model_validate({"id": "2025-03-05", "weight": 70.0}),
        Wellness.model_validate({"id": "2025-03-15", "weight": 71.0}),
    ]
    # Less than six months of data: no monthly tier yet, so the row is read from every
    # month the build computed.
    built = _update(march, wellness)
    assert built.file.monthly_1y == []
    row = next(m for m in built.months if m.month == "2025-03")
    # 1 hard day (power z5+ 400 s >= 300) in 19 days so far: 1 / (19 / 7) = 0.368 -> 0.37.
    assert row.hard_days == 1
    assert row.hard_days_avg_per_week == 0.37
    assert row.longest_ride_hours == 2.0  # 7200 s
    assert row.avg_weight_kg == 70.5  # (70.0 + 71.0) / 2
    assert row.model_dump(mode="json")["display"] == {"avg_weight": {"value": 70.5, "unit": "kg"}}
    # The month's phase comes from the phases detected for its finished weeks (the rule
    # itself is tested in test_history_phase.py).
    weeks = built.file.weekly_180d
    march_phases = {w.phase_detected for w in weeks if w.week_start.strftime("%Y-%m") == "2025-03"}
    assert row.dominant_phase in march_phases - {None}


def test_hard_days_per_week_of_a_short_month_counts_as_one_week() -> None:
    assert hard_days_per_week(2, 3) == 2.0  # 3 days < 7: divided by 1
    assert hard_days_per_week(4, 28) == 1.0  # 28 / 7 = 4 weeks
