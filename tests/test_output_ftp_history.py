"""ftp_history.json: append-only on change, legacy formats, unreadable files kept aside."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from section11.errors import DataFileError
from section11.outputs.ftp_history import FtpHistory, load_ftp_history, update_ftp_history
from section11.sources.intervals_icu.models import Athlete
from section11.store import write_json_atomic

NOW = datetime(2026, 3, 18, 12, 30, 5, tzinfo=UTC)
TODAY = date(2026, 3, 18)


def _athlete(ftp: int | None, indoor: int | None, types: list[str] | None = None) -> Athlete:
    settings: list[dict[str, Any]] = [
        {"types": ["Run"], "ftp": 999},  # not cycling: ignored
        {"types": types or ["Ride", "VirtualRide"], "ftp": ftp, "indoor_ftp": indoor},
    ]
    return Athlete.model_validate({"id": "i1", "sportSettings": settings})


# ------------------------------------------------------------------------------ update


def test_first_values_are_recorded_under_today() -> None:
    history, changed = update_ftp_history(FtpHistory(), _athlete(250, 240), TODAY)
    assert changed is True
    assert history.outdoor == {"2026-03-18": 250}
    assert history.indoor == {"2026-03-18": 240}


def test_unchanged_value_adds_nothing() -> None:
    start = FtpHistory(outdoor={"2026-01-01": 250}, indoor={"2026-01-01": 240})
    history, changed = update_ftp_history(start, _athlete(250, 240), TODAY)
    assert changed is False
    assert history == start


def test_change_appends_and_never_touches_older_entries() -> None:
    start = FtpHistory(outdoor={"2025-11-01": 240, "2026-01-01": 250})
    history, changed = update_ftp_history(start, _athlete(260, None), TODAY)
    assert changed is True
    assert history.outdoor == {"2025-11-01": 240, "2026-01-01": 250, "2026-03-18": 260}
    assert history.indoor == {}  # None never creates an entry


def test_same_day_change_overwrites_todays_entry() -> None:
    start = FtpHistory(outdoor={"2026-01-01": 250})
    first, _ = update_ftp_history(start, _athlete(255, None), TODAY)
    second, changed = update_ftp_history(first, _athlete(258, None), TODAY)
    assert changed is True
    assert second.outdoor == {"2026-01-01": 250, "2026-03-18": 258}
    # Changing back to the previous value the same day leaves no entry for today.
    third, changed = update_ftp_history(second, _athlete(250, None), TODAY)
    assert changed is True
    assert third.outdoor == {"2026-01-01": 250}


def test_athlete_without_cycling_settings_changes_nothing() -> None:
    history, changed = update_ftp_history(FtpHistory(), _athlete(250, 240, ["Swim"]), TODAY)
    assert changed is False
    assert history == FtpHistory()


def test_virtual_ride_only_settings_count_as_cycling() -> None:
    history, changed = update_ftp_history(FtpHistory(), _athlete(None, 230, ["VirtualRide"]), TODAY)
    assert changed is True
    assert history.indoor == {"2026-03-18": 230}


def test_records_the_cycling_entry_latest_json_reports_not_the_first_listed() -> None:
    # Two cycling entries. The VirtualRide-only one is listed first but holds 2 values
    # (ftp, indoor_ftp); the Ride entry holds 3 (ftp, indoor_ftp, lthr), so it is the one
    # current_status.thresholds.sports.cycling shows and the Benchmark Index compares with
    # this history. Recording the first entry would store 240 while the current FTP is 260:
    # a fabricated +8.3 % (260 / 240 − 1) eight weeks later.
    athlete = Athlete.model_validate(
        {
            "id": "i1",
            "sportSettings": [
                {"types": ["VirtualRide"], "ftp": 240, "indoor_ftp": 235},
                {"types": ["Ride", "GravelRide"], "ftp": 260, "indoor_ftp": 250, "lthr": 165},
            ],
        }
    )
    history, changed = update_ftp_history(FtpHistory(), athlete, TODAY)
    assert changed is True
    assert history.outdoor == {"2026-03-18": 260}
    assert history.indoor == {"2026-03-18": 250}


# ------------------------------------------------------------------------------ load


def test_missing_file_is_an_empty_history(tmp_path: Path) -> None:
    assert load_ftp_history(tmp_path / "ftp_history.json", NOW) == FtpHistory()


def test_round_trip_keeps_sorted_series(tmp_path: Path) -> None:
    path = tmp_path / "ftp_history.json"
    history = FtpHistory(outdoor={"2026-02-01": 255, "2025-12-01": 250})
    assert list(history.outdoor) == ["2025-12-01", "2026-02-01"]
    write_json_atomic(path, history)
    on_disk = json.loads(path.read_text())
    assert on_disk == {
        "schema_version": 1,
        "indoor": {},
        "outdoor": {"2025-12-01": 250, "2026-02-01": 255},
    }
    assert load_ftp_history(path, NOW) == history


def test_reference_format_without_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "ftp_history.json"
    path.write_text(json.dumps({"indoor": {"2026-03-01": 248}, "outdoor": {"2026-03-01": 260}}))
    history = load_ftp_history(path, NOW)
    assert history.indoor == {"2026-03-01": 248}
    assert history.outdoor == {"2026-03-01": 260}


def test_legacy_flat_format_is_read_as_outdoor(tmp_path: Path) -> None:
    path = tmp_path / "ftp_history.json"
    path.write_text(json.dumps({"2025-10-01": 240, "2026-01-15": 250}))
    history = load_ftp_history(path, NOW)
    assert history.outdoor == {"2025-10-01": 240, "2026-01-15": 250}
    assert history.indoor == {}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not valid JSON"),
        ('["a", "list"]', "expected a JSON object"),
        ('{"outdoor": {"yesterday": 250}}', "outdoor: Value error, 'yesterday' is not a YYYY"),
        ('{"indoor": {"2026-01-01": -5}}', "must be positive"),
        ('{"2026-01-01": "fast"}', "outdoor.2026-01-01"),
        ('{"schema_version": 2, "outdoor": {}}', "schema_version"),
    ],
)
def test_unreadable_file_is_moved_aside_and_never_overwritten(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "ftp_history.json"
    path.write_text(content)
    with pytest.raises(DataFileError) as caught:
        load_ftp_history(path, NOW)
    moved = tmp_path / "ftp_history.json.corrupt-20260318T123005Z"
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("ftp_history.json could not be read (")
    assert reason in message
    assert str(moved) in message
    assert message.endswith("restore or fix it, then run again")
    # The bad bytes are kept, untouched, and nothing new sits at the original path.
    assert moved.read_text() == content
    assert not path.exists()
    assert DataFileError.exit_code == 1
