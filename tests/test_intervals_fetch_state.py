"""The fetch bookkeeping of intervals.json lives in .section11/, not in the published file.

Whole syncs against the fake Intervals.icu (127.0.0.1), plus the loader on hand-made files:
the new layout, the upgrade from a folder an earlier version wrote (``fetch_state`` inside
intervals.json), a corrupt state file and a deleted intervals.json.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from test_unchanged_rerun import NOW, TODAYS_RIDE, sync

from section11.build_record import RECORD_FILE
from section11.config import STATE_DIR
from section11.demo import FakeIntervalsServer
from section11.outputs.intervals_fetch_state import (
    FETCH_STATE_FILE,
    load_previous_intervals,
)

# GET /activity/{id}?intervals=true; streams and messages have a further path segment.
INTERVAL_REQUESTS = r"/activity/[^/]+$"
PUBLISHED_KEYS = {"schema_version", "generated_at", "window_days", "description", "activities"}


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _states(out: Path) -> dict[str, Any]:
    states: dict[str, Any] = _read(out / STATE_DIR / FETCH_STATE_FILE)["fetch_state"]
    return states


@pytest.fixture
def built(fake_api: FakeIntervalsServer, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    sync(fake_api, out)
    return out


def test_the_published_file_has_no_bookkeeping_the_state_file_has_it(built: Path) -> None:
    published = _read(built / "intervals.json")
    assert set(published) == PUBLISHED_KEYS  # no fetch_state
    assert published["schema_version"] == 1
    assert "fetch_state" not in (built / "intervals.json").read_text()
    assert "bookkeeping" not in published["description"]

    stored = _read(built / STATE_DIR / FETCH_STATE_FILE)
    assert stored["state_version"] == 1
    states = stored["fetch_state"]
    assert states[TODAYS_RIDE]["status"] == "ok"
    assert states[TODAYS_RIDE]["attempts"] == 1  # fetched once, intervals found
    # Every entry with segments was fetched, so it has a state.
    with_segments = {a["activity_id"] for a in published["activities"] if a["intervals"]}
    assert with_segments and with_segments <= set(states)
    # Run state: the owner's only, like the rest of .section11/.
    assert (built / STATE_DIR / FETCH_STATE_FILE).stat().st_mode & 0o077 == 0


def test_upgrade_from_fetch_state_inside_intervals_json_fetches_nothing(
    fake_api: FakeIntervalsServer, built: Path
) -> None:
    # The layout an earlier version wrote: the map inside intervals.json, no state file.
    states = _states(built)
    old = _read(built / "intervals.json")
    activities = old["activities"]
    old["fetch_state"] = states
    (built / "intervals.json").write_text(json.dumps(old, indent=2), encoding="utf-8")
    (built / STATE_DIR / FETCH_STATE_FILE).unlink()
    (built / STATE_DIR / RECORD_FILE).unlink()  # an earlier version's folder: no record

    requests = sync(fake_api, built, now=NOW + timedelta(minutes=15))
    # athlete + activities + wellness + calendar + illness/injury markers = 5, and no
    # interval detail fetched again
    assert fake_api.request_count(INTERVAL_REQUESTS) == 0
    assert requests == 5
    rewritten = _read(built / "intervals.json")
    assert set(rewritten) == PUBLISHED_KEYS
    assert rewritten["activities"] == activities
    assert _states(built) == states  # the same bookkeeping, now in its own file
    # And the next run with nothing new stops early, as usual.
    assert sync(fake_api, built, now=NOW + timedelta(minutes=30)) == 5


def test_a_corrupt_state_file_is_set_aside_and_the_intervals_fetched_again(
    fake_api: FakeIntervalsServer, built: Path, caplog: pytest.LogCaptureFixture
) -> None:
    states = _states(built)
    activities = _read(built / "intervals.json")["activities"]
    (built / STATE_DIR / FETCH_STATE_FILE).write_text("{not json", encoding="utf-8")

    with caplog.at_level(logging.WARNING, logger="section11"):
        sync(fake_api, built, now=NOW + timedelta(minutes=15))
    assert f"{FETCH_STATE_FILE} is not valid JSON" in caplog.text
    assert "interval detail is fetched again" in caplog.text
    assert list((built / STATE_DIR).glob(f"{FETCH_STATE_FILE}.corrupt-*"))
    # Each candidate is asked once more; nothing else changes.
    assert fake_api.request_count(INTERVAL_REQUESTS) == len(states)
    assert _read(built / "intervals.json")["activities"] == activities
    assert set(_states(built)) == set(states)


def test_without_intervals_json_the_state_file_is_not_trusted(
    fake_api: FakeIntervalsServer, built: Path
) -> None:
    # The segments are gone: every candidate is fetched again, as before the state file.
    states = _states(built)
    activities = _read(built / "intervals.json")["activities"]
    (built / "intervals.json").unlink()
    sync(fake_api, built, now=NOW + timedelta(minutes=15))
    assert fake_api.request_count(INTERVAL_REQUESTS) == len(states)
    assert _read(built / "intervals.json")["activities"] == activities
    assert set(_states(built)) == set(states)


# --- the loader on hand-made files ------------------------------------------------------

STATE: dict[str, Any] = {
    "status": "ok",
    "attempts": 1,
    "transient_failures": 0,
    "first_seen": "2026-11-21T09:00:00Z",
    "last_attempt": "2026-11-21T09:00:00Z",
    "next_retry_at": None,
    "source_sync_date": "2026-11-21T08:12:00Z",
    "reason": None,
}
FILE: dict[str, Any] = {
    "schema_version": 1,
    "generated_at": "2026-11-21T09:00:00Z",
    "window_days": 14,
    "description": "",
    "activities": [],
}


def _write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_block_inside_an_old_intervals_json_wins_over_a_state_file(tmp_path: Path) -> None:
    # An old file next to a state file: the block was written with the file's entries.
    intervals = _write(tmp_path / "intervals.json", {**FILE, "fetch_state": {"a": STATE}})
    state = _write(tmp_path / STATE_DIR / FETCH_STATE_FILE, {"fetch_state": {"b": STATE}})
    loaded, notes = load_previous_intervals(intervals, state, NOW)
    assert loaded is not None and notes == []
    assert list(loaded.fetch_state) == ["a"]
    assert loaded.file.activities == []
    assert intervals.exists()  # an old layout is read, not set aside as corrupt


def test_an_unreadable_old_block_is_a_warning_and_the_file_is_kept(tmp_path: Path) -> None:
    broken = {"a": {**STATE, "status": "maybe"}}
    intervals = _write(tmp_path / "intervals.json", {**FILE, "fetch_state": broken})
    loaded, notes = load_previous_intervals(intervals, tmp_path / FETCH_STATE_FILE, NOW)
    assert loaded is not None and loaded.fetch_state == {}
    assert len(notes) == 1 and "old fetch_state block" in notes[0]
    assert intervals.exists()


def test_state_file_of_another_version_is_rebuilt(tmp_path: Path) -> None:
    intervals = _write(tmp_path / "intervals.json", FILE)
    other = {"state_version": 2, "fetch_state": {"a": STATE}}
    state = _write(tmp_path / FETCH_STATE_FILE, other)
    loaded, notes = load_previous_intervals(intervals, state, NOW)
    assert loaded is not None and (loaded.fetch_state, notes) == ({}, [])
    assert state.exists()  # another version is replaced by this run's write, not set aside
