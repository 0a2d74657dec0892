"""Fitness projected along the plan: the impulse-response model, one day at a time."""

from __future__ import annotations

from datetime import date

from section11.metrics.projection import project_fitness

START = date(2030, 4, 10)


def test_no_load_is_the_same_decay_as_current_fitness() -> None:
    rows = project_fitness(60.0, 70.0, START, date(2030, 4, 12), {})
    assert [r.date for r in rows] == [date(2030, 4, 11), date(2030, 4, 12)]
    # Two rest days: CTL 60 * exp(-2/42) = 60 * 0.953497 = 57.21;
    #                ATL 70 * exp(-2/7)  = 70 * 0.751477 = 52.60; TSB 57.21 - 52.60 = 4.6.
    assert (rows[-1].ctl, rows[-1].atl, rows[-1].tsb) == (57.2, 52.6, 4.6)
    assert rows[-1].planned_load == 0.0


def test_a_planned_load_pulls_both_towards_it() -> None:
    rows = project_fitness(50.0, 50.0, START, date(2030, 4, 11), {date(2030, 4, 11): 100.0})
    # CTL 50 + (100 - 50) * (1 - exp(-1/42)) = 50 + 50 * 0.023528 = 51.18
    # ATL 50 + (100 - 50) * (1 - exp(-1/7))  = 50 + 50 * 0.133122 = 56.66
    # TSB 51.176 - 56.656 = -5.48 -> -5.5
    assert len(rows) == 1
    assert (rows[0].ctl, rows[0].atl, rows[0].tsb, rows[0].planned_load) == (
        51.2,
        56.7,
        -5.5,
        100.0,
    )


def test_missing_start_values_or_an_empty_span_give_nothing() -> None:
    assert project_fitness(None, 40.0, START, date(2030, 4, 20), {}) == []
    assert project_fitness(50.0, None, START, date(2030, 4, 20), {}) == []
    assert project_fitness(50.0, 40.0, START, START, {}) == []
