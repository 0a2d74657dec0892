"""history.json daily_90d rows carry the daily fields the coaching protocol reads: the
wellness ``injury`` score (the protocol's canonical injury series) and ``display.weight``
in the athlete's units. The history state keeps the injury column; a state written before
it is still read, with injury unknown."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from section11.config import Settings
from section11.outputs.history import update_history
from section11.outputs.history_models import DailyRow, HistoryFile
from section11.outputs.history_store import (
    LEGACY_ACTIVITY_FIELDS,
    LEGACY_WELLNESS_FIELDS,
    WELLNESS_FIELDS,
    dump_state,
    parse_state,
)
from section11.sources.intervals_icu.models import Activity, Wellness
from section11.units import DisplayUnits

TODAY = date(2025, 3, 19)
RECENT_START = TODAY - timedelta(days=41)
NOW = datetime(2025, 3, 19, 6, 0, tzinfo=UTC)
SETTINGS = Settings(athlete_id=None, intervals_key=None, output_dir=Path("."))


def _build(wellness: list[dict[str, Any]], units: DisplayUnits | None = None) -> HistoryFile:
    def no_older_data(oldest: date, newest: date) -> tuple[list[Activity], list[Wellness]]:
        return [], []

    records = [Wellness.model_validate(w) for w in wellness]
    return update_history(
        None, [], records, RECENT_START, no_older_data, {}, SETTINGS, TODAY, NOW, units=units
    ).file


def _row(file: HistoryFile, day: date) -> DailyRow:
    return next(r for r in file.daily_90d if r.date == day)


def test_daily_rows_carry_injury_and_the_weight_display() -> None:
    file = _build([{"id": "2025-03-18", "weight": 64.04, "injury": 3}, {"id": "2025-03-19"}])
    row = _row(file, date(2025, 3, 18)).model_dump(mode="json")
    assert row["injury"] == 3
    assert row["weight_kg"] == 64.0  # rounded to 0.1
    assert row["display"] == {"weight": {"value": 64.0, "unit": "kg"}}
    # No weigh-in: display.weight is null, as the reference writes it (missing is not 0).
    empty = _row(file, date(2025, 3, 19)).model_dump(mode="json")
    assert empty["injury"] is None
    assert empty["display"] == {"weight": None}


def test_the_weight_display_follows_the_athletes_units() -> None:
    file = _build([{"id": "2025-03-18", "weight": 64.0}], DisplayUnits(weight="lb"))
    row = _row(file, date(2025, 3, 18)).model_dump(mode="json")
    # 64.0 kg × 2.20462 = 141.096 lb → 141.1
    assert row["display"] == {"weight": {"value": 141.1, "unit": "lb"}}
    assert row["weight_kg"] == 64.0  # the canonical value stays metric


def test_an_injury_score_alone_is_a_wellness_measurement() -> None:
    # Three days in a row with only CTL/ATL (computed by Intervals.icu, not measured) make a
    # no_wellness gap; the same days with an injury score logged do not.
    days = [RECENT_START + timedelta(days=n) for n in range(42)]
    measured: list[dict[str, Any]] = [{"id": d.isoformat(), "ctl": 40.0, "hrv": 60.0} for d in days]
    quiet = {date(2025, 3, 10), date(2025, 3, 11), date(2025, 3, 12)}
    bare = [w if date.fromisoformat(w["id"]) not in quiet else {"id": w["id"]} for w in measured]
    gaps = _build(bare).data_gaps
    assert [(g.kind, g.days_missing) for g in gaps if g.kind == "no_wellness"] == [
        ("no_wellness", 3)
    ]
    with_injury = [
        w if date.fromisoformat(w["id"]) not in quiet else {"id": w["id"], "injury": 1}
        for w in measured
    ]
    assert [g for g in _build(with_injury).data_gaps if g.kind == "no_wellness"] == []


def _state_doc(wellness_fields: tuple[str, ...], rows: list[list[Any]]) -> dict[str, Any]:
    return {
        "state_version": 1,
        "updated_at": None,
        "covered": [["2025-03-01", "2025-03-19"]],
        "activity_fields": list(LEGACY_ACTIVITY_FIELDS),
        "activities": [],
        "wellness_fields": list(wellness_fields),
        "wellness": rows,
    }


def test_a_state_written_before_the_injury_column_is_still_read() -> None:
    assert len(LEGACY_WELLNESS_FIELDS) == 13 and WELLNESS_FIELDS[-1] == "injury"
    row = ["2025-03-18", 40, 45, 60, 50, 27000, 64.5, 2, 2, 1, 2, 2, 1]
    state = parse_state(_state_doc(LEGACY_WELLNESS_FIELDS, [row]))
    record = state.wellness[date(2025, 3, 18)]
    assert (record.weight, record.sleep_quality, record.injury) == (64.5, 1, None)
    # Written again, it has the injury column (null: unknown until the day is refetched).
    assert json.loads(dump_state(state))["wellness"] == [[*row, None]]


def test_a_state_whose_wellness_rows_do_not_match_their_columns_is_refused() -> None:
    short = ["2025-03-18", 40, 45, 60, 50, 27000, 64.5, 2, 2, 1, 2, 2, 1]  # 13 values
    with pytest.raises(ValueError, match="wellness rows"):
        parse_state(_state_doc(WELLNESS_FIELDS, [short]))
