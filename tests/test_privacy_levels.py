"""Each privacy level, end to end: sync the demo athlete, then scan every written file
(the run state under .section11/ included) for places, names, dates of birth and free text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from tests_support_privacy import NOW

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, DemoAthlete, FakeIntervalsServer
from section11.demo.routes import OSLO_LAT, OSLO_LON
from section11.outputs.activity_extras import TerrainCache
from section11.outputs.ftp_history import FtpHistory
from section11.outputs.history_models import HistoryFile
from section11.outputs.intervals_models import IntervalsFile
from section11.outputs.latest_models import LatestFile
from section11.outputs.routes import RoutesFile
from section11.privacy.geo import as_latlon, decode_polyline, distance_m

HOME = (OSLO_LAT, OSLO_LON)  # the demo athlete's tracks and routes start here
MODELS: dict[str, type[BaseModel]] = {
    "latest.json": LatestFile,
    "history.json": HistoryFile,
    "intervals.json": IntervalsFile,
    "routes.json": RoutesFile,
    "ftp_history.json": FtpHistory,
    "activity-terrain.json": TerrainCache,
}


def sync_at(level: str, fake_api: FakeIntervalsServer, out: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
    }
    args = ["--output-dir", str(out), "--privacy", level, "--quiet"]
    assert main(args, env=env, clock=FixedClock(NOW)) == 0


def written(out: Path) -> dict[str, Any]:
    """Every file the sync wrote, by name: JSON parsed, the dashboard's HTML/SVG as text."""
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert {p.name for p in files} >= set(MODELS) | {"history-state.json", "dashboard.html"}
    return {
        p.name: json.loads(text) if p.suffix == ".json" else text
        for p in files
        if (text := p.read_text(encoding="utf-8"))
    }


def points(node: Any, path: str = "") -> Iterator[tuple[str, tuple[float, float]]]:
    """Every [lat, lon] pair and every point of an encoded polyline, with its path."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "elevation_profile":  # [km, metres], not places
                continue
            if "polyline" in k and isinstance(v, str):
                for p in decode_polyline(v) or []:
                    yield f"{path}.{k}", p
            else:
                yield from points(v, f"{path}.{k}")
    elif isinstance(node, list):
        pair = as_latlon(node)
        if pair is not None and isinstance(node[0], float):
            yield path, pair
        else:
            for item in node:
                yield from points(item, f"{path}[]")


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)
    elif isinstance(node, str):
        yield node


def free_text(athlete: DemoAthlete) -> set[str]:
    """Text the athlete or a coach wrote: notes, names, descriptions, file names."""
    texts = {athlete.athlete["icu_notes"]}
    for record in [*athlete.events, *athlete.activities]:
        for field in ("name", "description"):
            if isinstance(record.get(field), str):
                texts.add(record[field])
        for att in record.get("attachments") or []:
            texts.add(att["filename"])
    texts.add("Steady, seated")  # a cue quoted from a planned workout's steps
    # Shorter ones ("Yoga") are ordinary words, found in type names too.
    return {t.strip() for t in texts if len(t.strip()) >= 8}


@pytest.fixture
def synced(
    request: pytest.FixtureRequest,
    fake_api: FakeIntervalsServer,
    tmp_path: Path,
) -> dict[str, Any]:
    out = tmp_path / "out"
    sync_at(request.param, fake_api, out, tmp_path)
    return written(out)


def found_text(files: dict[str, Any], texts: set[str]) -> set[str]:
    everything = "\n".join(s for doc in files.values() for s in strings(doc))
    return {t for t in texts if t in everything}


@pytest.mark.parametrize("synced", ["full", "standard", "strict", "metrics"], indirect=True)
def test_every_file_still_matches_its_model(synced: dict[str, Any]) -> None:
    for name, model in MODELS.items():
        model.model_validate(synced[name])


@pytest.mark.parametrize("synced", ["full"], indirect=True)
def test_full_keeps_everything(synced: dict[str, Any], demo_athlete: DemoAthlete) -> None:
    # The scan does find the athlete's home when it is there.
    near = [k for doc in synced.values() for k, p in points(doc) if distance_m(p, HOME) < 50]
    assert [k for k in near if k.endswith(".terrain_summary.start_coords")]
    assert synced["latest.json"]["athlete_profile"]["date_of_birth"] == "1988-04-17"
    assert synced["latest.json"]["metadata"]["athlete_id"] == DEMO_ATHLETE_ID
    assert "tryvann-loop.gpx" in found_text(synced, free_text(demo_athlete))


@pytest.mark.parametrize("synced", ["standard"], indirect=True)
def test_standard_keeps_nothing_near_home(
    synced: dict[str, Any], demo_athlete: DemoAthlete
) -> None:
    found = [(name, k, p) for name, doc in synced.items() for k, p in points(doc)]
    assert found, "the routes keep their lines away from home"
    for name, key, point in found:
        assert distance_m(point, HOME) > 1000, (name, key, point)
        # Rounded to 3 decimals (~100 m): nothing finer than 0.001 degree is left.
        assert all(abs(v * 1000 - round(v * 1000)) < 1e-6 for v in point), (name, key, point)
    # No course keeps its start; climbs and descents away from home keep theirs.
    assert not [k for _, k, _ in found if k.endswith("terrain_summary.start_coords")]
    assert [k for _, k, _ in found if k.endswith("climbs[].start_coords")]
    latest = synced["latest.json"]
    assert latest["athlete_profile"]["date_of_birth"] == "1988"
    assert latest["athlete_profile"]["age"] == 38  # born 1988-04-17, today 2026-11-21
    assert latest["metadata"] == latest["metadata"] | {
        "athlete_id": "REDACTED",
        "privacy": "standard",
    }
    leaked = found_text(synced, free_text(demo_athlete))
    # File names are neutral; notes and descriptions stay at this level.
    assert not {t for t in leaked if t.endswith((".gpx", ".tcx", ".fit"))}
    assert demo_athlete.athlete["icu_notes"] in leaked
    everything = "\n".join(s for doc in synced.values() for s in strings(doc))
    assert "1988-04-17" not in everything and DEMO_ATHLETE_ID not in everything
    assert "Ingrid" not in everything and "Haugen" not in everything


@pytest.mark.parametrize("synced", ["strict", "metrics"], indirect=True)
def test_strict_has_no_places_and_no_free_text(
    synced: dict[str, Any], demo_athlete: DemoAthlete
) -> None:
    assert [(name, k) for name, doc in synced.items() for k, _ in points(doc)] == []
    assert found_text(synced, free_text(demo_athlete)) == set()
    everything = "\n".join(s for doc in synced.values() for s in strings(doc))
    for private in ("1988-04-17", DEMO_ATHLETE_ID, "Ingrid", "Haugen", "Oslo, "):
        assert private not in everything
    latest = synced["latest.json"]
    assert latest["athlete_profile"]["date_of_birth"] is None
    assert latest["athlete_profile"]["age"] == 38
    # Terrain numbers stay: distances, gains and positions along the course.
    race = next(e for e in synced["routes.json"]["events"] if e["attachment_id"] == "att-9003")
    assert race["terrain_summary"]["total_distance_km"] > 0
    assert race["terrain_summary"]["polyline"] is None
    assert race["terrain_summary"]["climbs"][0]["position_km"] is not None


@pytest.mark.parametrize("synced", ["strict"], indirect=True)
def test_strict_reduces_names_to_category_and_distance(synced: dict[str, Any]) -> None:
    latest = synced["latest.json"]
    assert latest["athlete_profile"]["location"] == "Norway"
    race = latest["race_calendar"]["next_race"]
    # The demo's RACE_B is a 21 km TrailRun (distance_meters 21000 -> "21 km").
    assert race["name"] == "RACE_B TrailRun 21 km"
    assert {h["name"] for h in latest["health_context"]["recent"]} <= {"SICK", "INJURED"}
    assert latest["metadata"]["privacy"] == "strict"


@pytest.mark.parametrize("synced", ["metrics"], indirect=True)
def test_metrics_removes_names_and_places(synced: dict[str, Any]) -> None:
    latest = synced["latest.json"]
    assert latest["athlete_profile"]["location"] is None
    assert {a["name"] for a in latest["recent_activities"]} == {None}
    assert {w["workout_summary"] for w in latest["planned_workouts"]} == {None}


def test_relaxing_the_level_rebuilds_what_the_stricter_run_left_out(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    sync_at("strict", fake_api, out, tmp_path)
    routes = json.loads((out / "routes.json").read_text())
    assert {e["terrain_summary"]["polyline"] for e in routes["events"] if e["status"] == "ok"} == {
        None
    }
    fake_api.requests.clear()
    sync_at("standard", fake_api, out, tmp_path)
    routes = json.loads((out / "routes.json").read_text())
    ok = [e for e in routes["events"] if e["status"] == "ok"]
    assert ok and all(e["terrain_summary"]["polyline"] for e in ok)
    # The route files were downloaded again (a cache would have been reused as it was).
    assert any(r.path.startswith("/attachments/") for r in fake_api.requests)
    labels = [
        seg["label"]
        for act in json.loads((out / "intervals.json").read_text())["activities"]
        for seg in act["intervals"]
    ]
    assert any(label is not None for label in labels)
