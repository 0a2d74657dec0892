"""Race week for A and B races of each duration class, the taper alert and race alerts.

Projected race-day TSB = CTL x e^(-d/42) - ATL x e^(-d/7) after d days without load.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from section11.metrics.decisions import (
    RaceInfo,
    RaceWeekInputs,
    pick_race_week_race,
    race_alerts,
    race_week,
)
from section11.metrics.decisions.race_week import duration_class, project_tsb, tsb_target

TODAY = date(2026, 5, 4)


def _race(category: str, days: int, seconds: int | None) -> RaceInfo:
    return RaceInfo("Test race", TODAY + timedelta(days=days), category, "Ride", seconds)


@pytest.mark.parametrize(
    ("category", "seconds", "klass", "target"),
    [
        ("RACE_A", 2400, "short_intense", (5, 15)),
        ("RACE_B", 2400, "short_intense", (0, 10)),  # 5-5 = 0, 15-5 = 10
        ("RACE_A", 5399, "short_intense", (5, 15)),
        ("RACE_A", 5400, "medium", (10, 20)),
        ("RACE_B", 7200, "medium", (5, 15)),
        ("RACE_A", 10800, "medium", (10, 20)),
        ("RACE_A", 10801, "long_endurance", (10, 25)),
        ("RACE_B", 19800, "long_endurance", (5, 20)),
        ("RACE_A", None, "long_endurance", (10, 25)),  # unknown length: A assumes long
        ("RACE_B", None, "medium", (5, 15)),  # unknown length: B assumes medium
    ],
)
def test_duration_class_and_tsb_target(
    category: str, seconds: int | None, klass: str, target: tuple[int, int]
) -> None:
    assert duration_class(category, seconds) == klass
    assert tsb_target(category, duration_class(category, seconds)) == target


def test_a_race_long_five_days_out() -> None:
    week = race_week(
        RaceWeekInputs(
            race=_race("RACE_A", 5, 19800), today=TODAY, ctl=60.0, atl=70.0, tss_spent=150.0
        )
    )
    assert week.current_day == "D-5"
    # Normal week 7 x 60 = 420; A budget 40-55 %: 168-231; spent 150 -> 18-81 left.
    assert week.normal_weekly_tss == 420.0
    assert week.race_week_tss_budget is not None
    assert week.race_week_tss_budget.model_dump() == {"min": 168, "max": 231}
    assert week.race_week_tss_remaining is not None
    assert week.race_week_tss_remaining.model_dump() == {"min": 18, "max": 81}
    # 60 x e^(-5/42) = 60 x 0.88777 = 53.27; 70 x e^(-5/7) = 70 x 0.48954 = 34.27;
    # 53.27 - 34.27 = 19.0, inside the long-endurance A target 10-25 -> green.
    assert week.projected_race_day_tsb == 19.0
    assert week.tsb_target_range.model_dump() == {"min": 10, "max": 25}
    assert week.go_no_go.tsb_status == "green" and week.go_no_go.notes == []
    # D-5 moderate endurance: 0.40-0.60 x CTL 60 = 24-36 TSS.
    assert week.today.label == "Moderate endurance"
    assert week.today.load_target_tss is not None
    assert week.today.load_target_tss.model_dump() == {"min": 24, "max": 36}
    # 5.5 h race: carb loading applies, starts D-4 (not yet active on D-5).
    assert week.carb_loading.applicable and not week.carb_loading.active
    assert week.carb_loading.start_date == TODAY + timedelta(days=1)
    assert week.opener.intensity == "lighter"
    assert week.opener.date == TODAY + timedelta(days=3)


def test_b_race_short_flagged_when_too_tired() -> None:
    week = race_week(
        RaceWeekInputs(
            race=_race("RACE_B", 2, 2400), today=TODAY, ctl=60.0, atl=90.0, tss_spent=300.0
        )
    )
    # 60 x e^(-2/42) = 60 x 0.95350 = 57.21; 90 x e^(-2/7) = 90 x 0.75148 = 67.63;
    # 57.21 - 67.63 = -10.4. Short B target 0-10: -10.4 < 0 - 10 -> "significantly below".
    assert week.projected_race_day_tsb == -10.4
    assert week.go_no_go.tsb_status == "flag"
    assert "significantly below" in week.go_no_go.notes[0]
    # B budget 50-65 % of 420 = 210-273; spent 300 -> nothing left (never negative).
    assert week.race_week_tss_remaining is not None
    assert week.race_week_tss_remaining.model_dump() == {"min": 0, "max": 0}
    # D-2 opener, short race: the sharper opener.
    assert week.today.label == "Opener"
    assert week.today.zones.startswith("Z2 + 3-4 x 1 min")
    assert week.opener.intensity == "more_intense"
    # 40 min race: no carb loading.
    assert not week.carb_loading.applicable and week.carb_loading.note is None
    alerts = race_alerts(None, week, TODAY)
    assert [(a.metric, a.severity) for a in alerts] == [
        ("race_week", "info"),
        ("race_week_tsb", "warning"),
    ]


def test_a_race_medium_three_days_out_just_below_target() -> None:
    week = race_week(
        RaceWeekInputs(
            race=_race("RACE_A", 3, 7200), today=TODAY, ctl=50.0, atl=55.0, tss_spent=0.0
        )
    )
    # 50 x e^(-3/42) = 46.55; 55 x e^(-3/7) = 35.83; 46.55 - 35.83 = 10.7 >= 10 -> green.
    assert week.projected_race_day_tsb == 10.7
    assert week.go_no_go.tsb_status == "green"
    # D-3 easy: 0-0.40 x 50 = 0-20 (the 0.20 floor is for long races only).
    assert week.today.load_target_tss is not None
    assert week.today.load_target_tss.model_dump() == {"min": 0, "max": 20}
    assert week.carb_loading.active  # 2 h race, 3 days out (<= 4)
    assert week.opener.intensity == "standard"


def test_long_race_easy_days_keep_some_load() -> None:
    week = race_week(
        RaceWeekInputs(
            race=_race("RACE_B", 4, 19800), today=TODAY, ctl=50.0, atl=50.0, tss_spent=0.0
        )
    )
    # D-4 for a long race: 0.20-0.40 x 50 = 10-20.
    assert week.today.load_target_tss is not None
    assert week.today.load_target_tss.model_dump() == {"min": 10, "max": 20}


def test_b_race_medium_six_days_and_race_day() -> None:
    week = race_week(
        RaceWeekInputs(
            race=_race("RACE_B", 6, 7200), today=TODAY, ctl=50.0, atl=60.0, tss_spent=40.0
        )
    )
    # 50 x e^(-6/42) = 43.34; 60 x e^(-6/7) = 25.46; 43.34 - 25.46 = 17.9 (target 5-15).
    assert week.projected_race_day_tsb == 17.9
    assert week.today.label == "Recovery"
    day0 = race_week(
        RaceWeekInputs(
            race=_race("RACE_A", 0, 2400), today=TODAY, ctl=50.0, atl=60.0, tss_spent=40.0
        )
    )
    # Race day: no decay left, TSB = 50 - 60 = -10.
    assert day0.current_day == "D-0" and day0.projected_race_day_tsb == -10.0
    assert day0.today.label == "Race day"


def test_missing_ctl_leaves_the_numbers_null() -> None:
    week = race_week(
        RaceWeekInputs(
            race=_race("RACE_A", 4, None), today=TODAY, ctl=None, atl=None, tss_spent=0.0
        )
    )
    assert week.normal_weekly_tss is None and week.race_week_tss_budget is None
    assert week.projected_race_day_tsb is None and week.go_no_go.tsb_status is None
    assert week.today.load_target_tss is None


def test_project_tsb_matches_day_by_day_decay() -> None:
    # Seven steps of one day equal one step of seven days (exponential decay).
    ctl, atl = 70.0, 80.0
    for _ in range(7):
        ctl, atl = ctl * 2.718281828 ** (-1 / 42), atl * 2.718281828 ** (-1 / 7)
    assert project_tsb(70.0, 80.0, 7) == round(ctl - atl, 1)


def test_a_race_is_preferred_over_a_nearer_b_race() -> None:
    races = [_race("RACE_B", 2, None), _race("RACE_A", 6, None), _race("RACE_C", 1, None)]
    chosen = pick_race_week_race(races, TODAY)
    assert chosen is not None and chosen.category == "RACE_A"
    # Eight days out is not race week.
    assert pick_race_week_race([_race("RACE_A", 8, None)], TODAY) is None
    # Only a C race: no race week.
    assert pick_race_week_race([_race("RACE_C", 3, None)], TODAY) is None


def test_taper_alert() -> None:
    alerts = race_alerts(_race("RACE_A", 12, None), None, TODAY)
    assert [(a.metric, a.value, a.tier, a.severity) for a in alerts] == [
        ("race_taper", 12, 1, "info")
    ]
