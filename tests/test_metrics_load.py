from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from section11.metrics.load import (
    acwr,
    count_missing_loads,
    daily_loads,
    interpret_acwr,
    load_summary,
    monotony,
    strain,
)
from section11.sources.intervals_icu.models import Activity

TODAY = date(2026, 11, 21)


def act(day: date, load: float | None, type_: str = "Ride", **extra: Any) -> Activity:
    return Activity.model_validate(
        {
            "id": f"i{day.isoformat()}{type_}{load}",
            "start_date_local": f"{day.isoformat()}T08:00:00",
            "type": type_,
            "icu_training_load": load,
            **extra,
        }
    )


def stub(day: date) -> Activity:
    return Activity.model_validate(
        {
            "id": "s1",
            "start_date_local": f"{day.isoformat()}T07:00:00",
            "source": "STRAVA",
            "_note": "STRAVA activities are not available via the API",
            "icu_training_load": 100,
        }
    )


def d(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def test_daily_loads_one_entry_per_day_missing_and_stubs_add_nothing() -> None:
    acts = [
        act(d(-6), 50),
        act(d(-6), 20, "Run"),
        act(d(-4), None),  # missing load: the day still exists as 0
        act(d(-2), 0),  # a genuine zero
        stub(d(-1)),
        act(d(-7), 999),  # before the window
        act(d(1), 999),  # after the window
    ]
    # day -6: 50 + 20 = 70; every other day 0
    assert daily_loads(acts, d(-6), TODAY) == [70.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert count_missing_loads(acts, d(-6), TODAY) == 1  # only the d(-4) activity
    assert daily_loads([], d(-2), TODAY) == [0.0, 0.0, 0.0]
    assert daily_loads(acts, TODAY, d(-1)) == []  # end before start


def test_acwr_acute_7_over_chronic_28() -> None:
    # acute = mean(7 × 20) = 20; chronic = (21×10 + 7×20)/28 = 350/28 = 12.5; 20/12.5 = 1.6
    assert acwr([10.0] * 21 + [20.0] * 7) == 1.6
    assert acwr([0.0] * 28) is None  # chronic 0
    assert acwr([10.0] * 27) is None  # wrong length
    # acute 0 with chronic > 0 is a genuine 0.0
    assert acwr([10.0] * 21 + [0.0] * 7) == 0.0


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (None, None),
        (0.79, "undertraining"),
        (0.8, "optimal"),
        (1.29, "optimal"),
        (1.3, "caution"),
        (1.49, "caution"),
        (1.5, "danger"),
    ],
)
def test_interpret_acwr(value: float | None, label: str | None) -> None:
    assert interpret_acwr(value) == label


def test_monotony_and_strain() -> None:
    # mean = 350/7 = 50; deviations −50,0,50,−50,0,50,0 → Σsq = 4×2500 = 10000
    # sample var = 10000/6 = 1666.67, sd = 40.825; 50/40.825 = 1.2247 → 1.22
    assert monotony([0, 50, 100, 0, 50, 100, 50]) == 1.22
    # mean 5, sd = sqrt((25+25)/1) = 7.071; 5/7.071 = 0.707 → 0.71
    assert monotony([0, 10]) == 0.71
    assert monotony([0] * 7) is None  # no training at all
    assert monotony([30] * 7) is None  # sd 0
    assert monotony([5]) is None
    assert monotony([]) is None
    assert strain(350, 1.22) == 427.0  # 350 × 1.22 = 427
    assert strain(0, 1.5) == 0.0
    assert strain(350, None) is None


def _scenario() -> list[Activity]:
    acts = [act(d(-27 + i), 40) for i in range(21)]  # d(-27)..d(-7): 21 × 40 = 840
    acts += [act(d(-29), 500)]  # outside every window
    acts += [act(d(o), 60) for o in (-6, -4, -2, 0)]  # rides: 4 × 60 = 240
    acts += [act(d(o), 30, "Run") for o in (-5, -3)]  # runs: 2 × 30 = 60
    acts += [act(d(-1), None, "Run"), stub(d(-1))]
    return acts


def test_load_summary_multi_sport() -> None:
    s = load_summary(_scenario(), TODAY)
    # last 7 days d(-6)..d(0): [60, 30, 60, 30, 60, 0, 60] = 300
    assert s.tss_7d_total == 300.0
    assert s.tss_28d_total == 1140.0  # 840 + 300
    # (300/7) / (1140/28) = 42.857 / 40.714 = 1.0526 → 1.05
    assert s.acwr == 1.05
    assert s.acwr_interpretation == "optimal"
    # start of day: the same 28 days d(-27)..d(0) with today's ride (60) not counted yet:
    # chronic 1140 − 60 = 1080; acute d(-6)..d(0) = [60,30,60,30,60,0,0] = 240;
    # (240/7)/(1080/28) = 34.286/38.571 = 0.889 → 0.89
    assert s.acwr_start_of_day == 0.89
    assert s.acwr_start_of_day_interpretation == "optimal"
    # [60,30,60,30,60,0,60]: mean 42.857, Σsq dev = 4×17.143² + 2×12.857² + 42.857²
    # = 1175.5 + 330.6 + 1836.7 = 3342.9; sd = sqrt(3342.9/6) = 23.604; 42.857/23.604 = 1.816
    assert s.monotony == 1.82
    assert s.primary_sport == "cycling"
    assert s.primary_sport_tss_7d == 240.0
    # cycling [60,0,60,0,60,0,60]: mean 34.286, Σsq = 4×25.714² + 3×34.286² = 2644.9 + 3526.5
    # = 6171.4; sd = sqrt(6171.4/6) = 32.071; 34.286/32.071 = 1.069 → 1.07 (4 active days ≥ 3)
    assert s.primary_sport_monotony == 1.07
    assert s.multi_sport_detected is True
    assert s.effective_monotony == 1.07
    assert s.monotony_interpretation == (
        "normal (primary sport 1.07, total 1.82 inflated by multi-sport)"
    )
    # Strain uses the all-sport monotony (Foster): 300 × 1.82 = 546
    assert s.strain == 546.0
    assert s.missing_load_activities_7d == 1  # the run on d(-1); the stub is not counted


def test_load_summary_single_sport_elevated_and_few_primary_days() -> None:
    # 7 rides: 100,90,100,90,100,90,100 → mean 95.714, Σsq dev = 4×4.286² + 3×5.714²
    # = 73.47 + 97.96 = 171.43; sd = sqrt(171.43/6) = 5.345; 95.714/5.345 = 17.91
    acts = [act(d(-6 + i), 100 if i % 2 == 0 else 90) for i in range(7)]
    s = load_summary(acts, TODAY)
    assert s.monotony == 17.91
    assert s.multi_sport_detected is False
    assert s.effective_monotony == 17.91
    assert s.monotony_interpretation == "elevated"
    # 7-day load = 4×100 + 3×90 = 670; 670 × 17.91 = 11999.7 → 12000
    assert s.strain == 12000.0


def test_load_summary_primary_needs_three_active_days() -> None:
    # cycling on 2 days (100 + 100 = 200) beats run on 3 days (30×3 = 90)
    acts = [act(d(-6), 100), act(d(-5), 100)] + [act(d(o), 30, "Run") for o in (-2, -1, 0)]
    s = load_summary(acts, TODAY)
    assert s.primary_sport == "cycling"
    assert s.primary_sport_tss_7d == 200.0
    assert s.primary_sport_monotony is None  # only 2 days with cycling load
    # daily [100,100,0,0,30,30,30]: mean 290/7 = 41.429; dev 58.571(×2), −41.429(×2),
    # −11.429(×3); Σsq = 6861.2 + 3432.7 + 391.8 = 10685.7; sd = sqrt(10685.7/6) = 42.201
    # 41.429 / 42.201 = 0.98 — multi-sport but no primary monotony → effective = total
    assert s.monotony == 0.98
    assert s.effective_monotony == 0.98
    assert s.monotony_interpretation == "normal"
    assert s.strain == 284.0  # 290 × 0.98 = 284.2 → 284


def test_load_summary_empty_and_zero_loads() -> None:
    s = load_summary([], TODAY)
    assert s.tss_7d_total == 0.0
    assert s.tss_28d_total == 0.0
    assert s.acwr is None
    assert s.acwr_start_of_day is None
    assert s.monotony is None
    assert s.monotony_interpretation is None
    assert s.primary_sport is None
    assert s.primary_sport_tss_7d is None
    assert s.multi_sport_detected is False
    assert s.effective_monotony is None
    assert s.strain is None
    assert s.missing_load_activities_7d == 0
    # a recorded 0 load is a value: not counted missing, and no sport has load
    zero = load_summary([act(TODAY, 0)], TODAY)
    assert zero.missing_load_activities_7d == 0
    assert zero.primary_sport is None
