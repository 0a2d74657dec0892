"""The whole sync with messy, hostile and unreachable route attachments served by the fake
Intervals.icu: each gives its own entry in routes.json and the sync goes on; failures for good
are not fetched again, transient ones only after their retry time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, DemoAthlete, FakeIntervalsServer
from section11.demo import messy_routes as m
from section11.demo._calendar import ATTACHMENT_HOST_PLACEHOLDER

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
EVENT_ID = 990_001

# attachment id -> (file name, bytes served)
FILES: dict[str, tuple[str, bytes]] = {
    "null-island": ("null-island.gpx", m.null_island_ride()),
    "strava": ("strava.gpx", m.strava_export()),
    "zeros": ("zeros.gpx", m.zero_placeholder_run()),
    "pieces": ("pieces.gpx", m.three_pieces_days_apart()),
    "corrupted": ("corrupted.tcx", m.corrupted_course()),
    "fit": ("ride.fit", m.fit_file(m.line(101, ele=lambda i: 200.0 + 0.5 * i))),
    "bad-fit": ("bad.fit", m.fit_file(m.line(20))[:-30]),
    "nested": ("nested.gpx", m.deeply_nested()),
    "laughs": ("laughs.gpx", m.billion_laughs()),
    "gzip": ("gzip.gpx", m.strava_export()),
    "bomb": ("bomb.gpx", b""),
    "bad-gzip": ("bad-gzip.gpx", m.strava_export()),
    "truncated": ("truncated.gpx", m.strava_export()),
    "loop": ("loop.gpx", m.strava_export()),
    "oversized": ("oversized.gpx", b""),
}
FAULTS = {
    "gzip": "gzip",
    "bomb": "gzip_bomb",
    "bad-gzip": "bad_gzip",
    "truncated": "truncated",
    "loop": "redirect_loop",
    "oversized": "oversized",
}
# attachment id -> URL used verbatim (never served)
ODD_URLS = {
    "file-url": "file:///etc/passwd",
    "ftp-url": "ftp://files.example/route.gpx",
    "data-url": "data:application/gpx+xml;base64,PGdweC8+",
    "empty-url": "",
    "relative-url": "attachments/1/route.gpx",
    "malformed-url": "http://[::1/route.gpx",
}


def _attachments() -> list[dict[str, Any]]:
    out = [
        {
            "id": att_id,
            "filename": name,
            "mimetype": "application/octet-stream",
            "url": f"{ATTACHMENT_HOST_PLACEHOLDER}/attachments/{att_id}/{name}",
        }
        for att_id, (name, _) in FILES.items()
    ]
    out += [
        {"id": att_id, "filename": f"{att_id}.gpx", "mimetype": "application/gpx+xml", "url": url}
        for att_id, url in ODD_URLS.items()
    ]
    return out


@pytest.fixture
def messy_api(demo_athlete: DemoAthlete) -> Any:
    demo_athlete.events.append(
        {
            "id": EVENT_ID,
            "category": "RACE_B",
            "start_date_local": "2026-11-28T00:00:00",
            "name": "Route collection",
            "type": "Ride",
            "attachments": _attachments(),
        }
    )
    for att_id, (_, data) in FILES.items():
        demo_athlete.attachments[att_id] = data
    server = FakeIntervalsServer(demo_athlete)
    server.attachment_faults.update(FAULTS)  # type: ignore[arg-type]
    server.start()
    try:
        yield server
    finally:
        server.stop()


def sync(server: FakeIntervalsServer, out: Path, now: datetime) -> dict[str, dict[str, Any]]:
    config = out.parent / "empty-config.json"
    config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": server.base_url,
    }
    assert main(["--output-dir", str(out)], env=env, clock=FixedClock(now)) == 0
    routes = json.loads((out / "routes.json").read_text("utf-8"))
    return {e["attachment_id"]: e for e in routes["events"] if e["event_id"] == EVENT_ID}


def attachment_requests(server: FakeIntervalsServer) -> set[str]:
    return {r.path.split("/")[2] for r in server.requests if r.path.startswith("/attachments/")}


def test_every_attachment_gets_its_own_entry_and_the_sync_goes_on(
    messy_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    entries = sync(messy_api, out, NOW)
    assert set(entries) == set(FILES) | set(ODD_URLS)

    def km(att: str) -> float:
        assert entries[att]["status"] == "ok", entries[att]
        return float(entries[att]["terrain_summary"]["total_distance_km"])

    assert km("null-island") == 5.7  # 566 x 10 m
    assert km("strava") == 2.0 and km("gzip") == 2.0  # 199 x 10 m
    assert km("pieces") == 4.5  # 3 x 150 x 10 m
    assert km("corrupted") == 2.9  # 293 x 10 m
    assert km("fit") == 1.0  # 100 x 10 m
    zeros = entries["zeros"]["terrain_summary"]
    assert (zeros["total_elevation_m"], zeros["climbs"]) == (29, [])  # 500 -> 529 m
    assert entries["fit"]["terrain_summary"]["source"] == "fit_attachment"

    errors = {
        "bad-fit": "FIT file",
        "nested": "nested more than 64 elements deep",
        "laughs": "DOCTYPE or ENTITY",
        "bomb": "larger than 20 MB",
        "oversized": "larger than 20 MB",
        "bad-gzip": "damaged compressed body",
        "loop": "too many redirects",
        "truncated": "cut short",
        "file-url": "unsupported scheme 'file'",
        "ftp-url": "unsupported scheme 'ftp'",
        "data-url": "unsupported scheme 'data'",
        "empty-url": "empty URL",
        "relative-url": "relative",
        "malformed-url": "malformed",
    }
    for att, fragment in errors.items():
        entry = entries[att]
        assert entry["status"] == "error", att
        assert fragment in entry["error"], (att, entry["error"])
        assert "terrain_summary" not in entry
    # Only the cut-short body may go away: it is retried after 1 h (09:00 -> 10:00 UTC).
    assert entries["truncated"]["failures"] == 1
    assert entries["truncated"]["retry_after"].startswith("2026-11-21T10:00:00")
    assert all("retry_after" not in entries[a] for a in errors if a != "truncated")
    # Odd URLs never reach a server.
    assert not attachment_requests(messy_api) & set(ODD_URLS)


def test_failures_are_not_refetched_until_their_retry_time(
    messy_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = sync(messy_api, out, NOW)
    messy_api.reset_log()
    second = sync(messy_api, out, NOW + timedelta(minutes=30))
    assert attachment_requests(messy_api) == set()  # nothing new: nothing downloaded
    assert second == first

    messy_api.reset_log()
    messy_api.attachment_faults.pop("truncated")  # the host recovered
    third = sync(messy_api, out, NOW + timedelta(hours=2))
    assert attachment_requests(messy_api) == {"truncated"}
    assert third["truncated"]["status"] == "ok"
    assert third["truncated"]["terrain_summary"]["total_distance_km"] == 2.0
