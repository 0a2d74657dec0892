from __future__ import annotations

from datetime import date
from typing import Any

from section11.metrics.fitness import SOURCE_API, current_fitness
from section11.sources.intervals_icu.models import Wellness

TODAY = date(2026, 11, 21)


def w(day: str, **fields: Any) -> Wellness:
    return Wellness.model_validate({"id": day, **fields})


def test_api_values_when_today_has_fitness() -> None:
    records = [
        w("2026-11-20", ctl=60.0, atl=70.0, rampRate=3.0),
        w("2026-11-21", ctl=61.224, atl=59.041, rampRate=-2.087),
    ]
    f = current_fitness(records, TODAY, trained_today=False, training_planned_today=False)
    assert (f.ctl, f.atl) == (61.22, 59.04)
    assert f.tsb == 2.18  # 61.22 − 59.04
    assert f.ramp_rate == -2.09
    assert f.fitness_source == SOURCE_API
    assert f.as_of == TODAY
    assert f.decayed_from is None
    # trained today as well as planned: today's record already reflects it
    g = current_fitness(records, TODAY, trained_today=True, training_planned_today=True)
    assert g.ctl == 61.22


def test_planned_not_done_decays_from_latest_earlier_record() -> None:
    # list order is not date order: the latest earlier record is picked by date
    records = [
        w("2026-11-21", ctl=61.0, atl=65.0, rampRate=2.5),
        w("2026-11-20", ctl=60.0, atl=70.0, rampRate=3.0),
        w("2026-11-18", ctl=10.0, atl=10.0),
    ]
    f = current_fitness(records, TODAY, trained_today=False, training_planned_today=True)
    # n = 1: CTL 60·e^(−1/42) = 60 × 0.976472 = 58.588 → 58.59
    #        ATL 70·e^(−1/7)  = 70 × 0.866878 = 60.681 → 60.68
    assert (f.ctl, f.atl) == (58.59, 60.68)
    assert f.tsb == -2.09  # 58.59 − 60.68
    assert f.ramp_rate == 2.5  # the API's value for today, never decayed
    assert f.decayed_from == date(2026, 11, 20)
    assert f.as_of == TODAY
    assert "2026-11-20" in f.fitness_source and "planned" in f.fitness_source


def test_missing_today_decays_over_the_gap() -> None:
    records = [w("2026-11-19", ctl=42.0, atl=40.0, rampRate=1.5), w("2026-11-22", ctl=99.0)]
    f = current_fitness(records, TODAY, trained_today=True, training_planned_today=False)
    # n = 2: CTL 42·e^(−2/42) = 42 × 0.953497 = 40.047 → 40.05
    #        ATL 40·e^(−2/7)  = 40 × 0.751477 = 30.059 → 30.06
    assert (f.ctl, f.atl) == (40.05, 30.06)
    assert f.tsb == 9.99  # 40.05 − 30.06
    assert f.ramp_rate == 1.5  # the record's own API value, as sent
    assert f.decayed_from == date(2026, 11, 19)
    assert "no fitness values for today" in f.fitness_source


def test_genuine_zero_is_a_value() -> None:
    records = [w("2026-11-20", ctl=5.0, atl=5.0), w("2026-11-21", ctl=0, atl=0, rampRate=0)]
    f = current_fitness(records, TODAY, trained_today=False, training_planned_today=False)
    assert (f.ctl, f.atl, f.tsb, f.ramp_rate) == (0.0, 0.0, 0.0, 0.0)  # 0 − 0 = 0
    assert f.fitness_source == SOURCE_API


def test_planned_without_earlier_record_uses_api() -> None:
    f = current_fitness(
        [w("2026-11-21", ctl=50.0, atl=45.0)],
        TODAY,
        trained_today=False,
        training_planned_today=True,
    )
    assert (f.ctl, f.atl, f.tsb) == (50.0, 45.0, 5.0)  # 50 − 45
    assert f.ramp_rate is None  # absent in the record
    assert f.fitness_source == SOURCE_API


def test_nothing_available() -> None:
    f = current_fitness([], TODAY, trained_today=False, training_planned_today=False)
    assert (f.ctl, f.atl, f.tsb, f.ramp_rate, f.as_of) == (None, None, None, None, None)
    assert f.fitness_source.startswith("Unavailable")
    # a record with only CTL has no usable fitness
    g = current_fitness(
        [w("2026-11-21", ctl=50.0, rampRate=1.0)],
        TODAY,
        trained_today=False,
        training_planned_today=False,
    )
    assert (g.ctl, g.atl, g.tsb) == (None, None, None)
    assert g.ramp_rate == 1.0
