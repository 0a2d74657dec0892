"""Files written before a missing display value became ``null`` are read back, not set aside.

Earlier versions wrote a missing display value as ``{"value": null, "unit": …}``. The
previous run's routes.json and intervals.json and the activity terrain cache are read back
on every run; a file of that layout must still be read (a file set aside as corrupt would
cost a warning and every attachment, interval and stream downloaded again).
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from section11.outputs.activity_extras import load_terrain_cache
from section11.outputs.intervals_fetch_state import load_previous_intervals
from section11.outputs.routes import load_routes_file
from section11.store import write_json_atomic

NOW = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "output"
MISSING_KM = {"value": None, "unit": "km"}


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text("utf-8"))
    return data


def test_routes_json_with_an_old_missing_display_value(tmp_path: Path) -> None:
    routes = _example("routes.json")
    event = next(e for e in routes["events"] if e["status"] == "ok")
    event["terrain_summary"]["display"]["total_elevation"] = {"value": None, "unit": "m"}
    event["terrain_summary"]["climbs"][0]["display"]["distance"] = MISSING_KM
    path = tmp_path / "routes.json"
    write_json_atomic(path, routes)
    loaded, warnings = load_routes_file(path, NOW)
    assert warnings == [] and loaded is not None
    summary = next(e for e in loaded.events if e.event_id == event["event_id"]).terrain_summary
    assert summary is not None
    assert summary.display.total_elevation is None
    assert summary.climbs[0].display.distance is None
    assert summary.display.total_distance is not None  # the others are untouched
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_intervals_json_with_an_old_missing_display_value(tmp_path: Path) -> None:
    intervals = _example("intervals.json")
    entry = next(a for a in intervals["activities"] if a.get("phases"))
    entry["phases"]["warmup"]["distance"] = MISSING_KM
    entry["session"]["distance"] = MISSING_KM
    path = tmp_path / "intervals.json"
    write_json_atomic(path, intervals)
    loaded, warnings = load_previous_intervals(path, tmp_path / "no-state.json", NOW)
    assert warnings == [] and loaded is not None
    kept = next(a for a in loaded.file.activities if a.activity_id == entry["activity_id"])
    assert kept.phases is not None and kept.phases.warmup is not None
    assert kept.phases.warmup.distance is None
    assert kept.session is not None and kept.session.distance is None


def test_terrain_cache_with_an_old_missing_display_value(tmp_path: Path) -> None:
    routes = _example("routes.json")
    summary = copy.deepcopy(next(e for e in routes["events"] if e["status"] == "ok"))
    terrain = summary["terrain_summary"]
    terrain["source"] = "activity_streams"
    terrain["display"]["elevation_per_distance"] = {"value": None, "unit": "m/km"}
    cache = {
        "cache_version": 2,
        "activities": {"i1": {"date": "2026-12-01", "status": "ok", "terrain_summary": terrain}},
    }
    path = tmp_path / "activity-terrain.json"
    write_json_atomic(path, cache)
    loaded, warnings = load_terrain_cache(path, NOW)
    assert warnings == [] and loaded is not None
    cached = loaded.activities["i1"].terrain_summary
    assert cached is not None and cached.display.elevation_per_distance is None
