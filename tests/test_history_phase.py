"""history.json phases: stored phases are never rewritten, they survive the state file,
and each month's dominant phase."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from section11.config import Settings
from section11.outputs.history import build_history_file
from section11.outputs.history_models import WeeklyRow
from section11.outputs.history_phase import dominant_phase
from section11.outputs.history_store import HistoryState, dump_state, parse_state

TODAY = date(2026, 3, 18)  # a Wednesday
NOW = datetime(2026, 3, 18, 12, tzinfo=UTC)


def test_a_stored_phase_is_kept_whatever_the_data_says(tmp_path: Path) -> None:
    # No training at all: detection would say null (too little data); the stored "Peak"
    # of the week starting Monday 2026-03-02 stays.
    stored = {date(2026, 3, 2): "Peak"}
    state = HistoryState.of({}, {}, [(date(2025, 9, 1), TODAY)], NOW, stored)
    settings = Settings(athlete_id="i1", intervals_key=None, output_dir=tmp_path)
    file = build_history_file(state, settings, TODAY, NOW, {})
    by_week = {row.week_start: row.phase_detected for row in file.weekly_180d}
    assert by_week[date(2026, 3, 2)] == "Peak"
    assert by_week[date(2026, 3, 9)] is None  # detected now: no data -> null
    assert by_week[date(2026, 3, 16)] is None  # the running week has no phase


def test_phases_round_trip_through_the_state_file() -> None:
    state = HistoryState.of({}, {}, [], NOW, {date(2026, 3, 9): "Deload", date(2026, 3, 2): None})
    doc = json.loads(dump_state(state))
    assert doc["phases"] == {"2026-03-02": None, "2026-03-09": "Deload"}
    assert parse_state(doc).phases == {date(2026, 3, 2): None, date(2026, 3, 9): "Deload"}
    # A state written before phases existed still loads (with none).
    del doc["phases"]
    assert parse_state(doc).phases == {}


def _row(start: date, phase: str | None, tss: float) -> WeeklyRow:
    """A weekly row with only the fields dominant_phase reads."""
    fields: dict[str, object] = {"week_start": start, "phase_detected": phase, "total_tss": tss}
    return WeeklyRow.model_construct(**fields)  # type: ignore[arg-type]


def test_dominant_phase() -> None:
    march = (date(2026, 3, 1), date(2026, 3, 31))
    rows = [
        _row(date(2026, 2, 23), "Base", 300),  # 23 Feb - 1 Mar touches March
        _row(date(2026, 3, 2), "Build", 500),
        _row(date(2026, 3, 9), "Build", 520),
        _row(date(2026, 3, 16), "Deload", 250),
        _row(date(2026, 3, 23), "Base", 310),
        _row(date(2026, 3, 30), None, 0),  # no phase yet: not counted
        _row(date(2026, 4, 6), "Deload", 200),  # April only
    ]
    # Build 2, Base 2, Deload 1: a tie between Build (500 + 520 = 1020 TSS) and Base
    # (300 + 310 = 610 TSS) goes to the phase with more load.
    assert dominant_phase(*march, rows) == "Build"
    assert dominant_phase(date(2026, 5, 1), date(2026, 5, 31), rows) is None
