"""The dense demo athlete of benchmarks/bench_flat.py: N activities on every day."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from section11.demo import generate_demo_athlete
from section11.demo.dense import generate_dense_athlete

TODAY = date(2026, 11, 21)
# The demo athlete's data starts 365·3 + 7 = 1,102 days before today: 1,103 days in all.
FIRST_DAY = TODAY - timedelta(days=1102)


def _per_day(activities: list[dict[str, object]]) -> Counter[str]:
    return Counter(str(a["start_date_local"])[:10] for a in activities)


def test_every_day_holds_at_least_n_activities_and_the_demo_ones_are_kept() -> None:
    demo = generate_demo_athlete(TODAY)
    dense = generate_dense_athlete(TODAY, 4)
    counts = _per_day(dense.activities)
    days = [(FIRST_DAY + timedelta(days=i)).isoformat() for i in range(1103)]
    assert min(counts[d] for d in days) >= 4
    # Nothing after today, and every demo activity is there unchanged.
    assert max(counts) == TODAY.isoformat()
    by_id = {a["id"]: a for a in dense.activities}
    assert all(by_id[a["id"]] == a for a in demo.activities)
    # Only the shortfall is added: a day with k demo activities gets max(0, 4 − k) more.
    demo_counts = _per_day(demo.activities)
    added = sum(max(0, 4 - demo_counts[d]) for d in days)
    assert len(dense.activities) - len(demo.activities) == added
    # Added sessions have no GPS, no intervals and no DFA streams (no detail to fetch).
    extra = [a for a in dense.activities if a["id"] not in {x["id"] for x in demo.activities}]
    assert extra and all("latlng" not in a["stream_types"] for a in extra)
    assert all(a["id"] not in dense.intervals for a in extra)
    assert all("dfa_a1" not in a["stream_types"] for a in extra)


def test_same_arguments_give_the_same_athlete() -> None:
    assert (
        generate_dense_athlete(TODAY, 2).activities == generate_dense_athlete(TODAY, 2).activities
    )


def test_fewer_than_one_a_day_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate_dense_athlete(TODAY, 0)
