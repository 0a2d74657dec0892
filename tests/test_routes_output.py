"""routes.json builder: what is fetched, what is reused, what counts as terrain."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from section11.outputs.routes import (
    TERRAIN_VERSION,
    FetchResult,
    RouteAttachment,
    RouteEvent,
    RoutesFile,
    build_routes,
    load_routes_file,
    route_events,
    terrain_event_ids,
)
from section11.sources.intervals_icu.models import Attachment, Event
from section11.units import DisplayUnits, DisplayValue

NOW = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
METRIC = DisplayUnits()
IMPERIAL = DisplayUnits(distance="imperial")
R = 6_371_000.0


def climb_gpx() -> bytes:
    """A straight 5 km course due north rising 300 m (500 steps of 10 m, +0.6 m each)."""
    dlat = 10.0 / (R * math.pi / 180.0)
    pts = "".join(
        f'<trkpt lat="{45.0 + i * dlat:.7f}" lon="7.0"><ele>{0.6 * i:.1f}</ele></trkpt>'
        for i in range(501)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="t" '
        f'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>{pts}</trkseg></trk></gpx>'
    ).encode()


GPX = climb_gpx()
FIT = bytes([14, 0x20, 0x08, 0x08, 0, 0, 0, 0]) + b".FIT" + b"\x00" * 20

ROUTE = RouteAttachment("att1", "gran_fondo.gpx", "https://files.example/att1")
PDF = RouteAttachment("att2", "race_guide.pdf", "https://files.example/att2")
FONDO = RouteEvent(
    event_id=101,
    event_name="Mountain Gran Fondo",
    event_date="2026-12-03",
    category="RACE_A",
    start_time="08:00",
    attachments=(ROUTE, PDF),
)


class Fetcher:
    """Serves canned results per URL and records every URL asked for."""

    def __init__(self, results: dict[str, FetchResult]) -> None:
        self.results = results
        self.calls: list[str] = []

    def __call__(self, url: str) -> FetchResult:
        self.calls.append(url)
        return self.results[url]


def no_fetch(url: str) -> FetchResult:
    raise AssertionError(f"unexpected fetch of {url}")


def test_ok_route_is_analysed_and_other_attachments_ignored() -> None:
    fetch = Fetcher({ROUTE.url: FetchResult.ok(GPX)})
    routes = build_routes([FONDO], None, fetch, NOW, METRIC)
    assert fetch.calls == [ROUTE.url]  # the pdf is never downloaded
    assert len(routes.events) == 1
    e = routes.events[0]
    assert (e.event_id, e.attachment_id, e.filename, e.status) == (
        101,
        "att1",
        "gran_fondo.gpx",
        "ok",
    )
    assert (e.event_name, e.event_date, e.category, e.start_time) == (
        "Mountain Gran Fondo",
        "2026-12-03",
        "RACE_A",
        "08:00",
    )
    assert e.error is None
    ts = e.terrain_summary
    assert ts is not None
    assert ts.source == "gpx_attachment"
    # 5 km, smoothed gain 298.8 -> 299 m (see test_terrain_analyze.test_uniform_climb).
    assert (ts.total_distance_km, ts.total_elevation_m) == (5.0, 299)
    assert ts.polyline is not None
    assert routes.schema_version == 1
    assert routes.generated_at == NOW
    assert terrain_event_ids(routes) == {101}


def test_ok_entry_is_reused_without_fetching_with_fresh_metadata_and_units() -> None:
    first = build_routes([FONDO], None, Fetcher({ROUTE.url: FetchResult.ok(GPX)}), NOW, METRIC)
    moved = replace(FONDO, event_name="Gran Fondo (moved)", event_date="2026-12-10")
    second = build_routes([moved], first, no_fetch, LATER, IMPERIAL)
    e = second.events[0]
    assert (e.event_name, e.event_date, e.status) == ("Gran Fondo (moved)", "2026-12-10", "ok")
    assert e.terrain_summary is not None
    # Display recomputed for imperial: 5.0 km × 0.621371 = 3.11 mi; canonical km unchanged.
    assert e.terrain_summary.display.total_distance == DisplayValue(value=3.11, unit="mi")
    assert e.terrain_summary.total_distance_km == 5.0
    assert second.generated_at == LATER


def test_survives_a_json_round_trip_as_previous() -> None:
    first = build_routes([FONDO], None, Fetcher({ROUTE.url: FetchResult.ok(GPX)}), NOW, METRIC)
    reloaded = RoutesFile.model_validate_json(first.model_dump_json())
    assert reloaded == first
    again = build_routes([FONDO], reloaded, no_fetch, NOW, METRIC)
    assert again == first


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (FetchResult.permanent("download failed (HTTP 404)"), "download failed (HTTP 404)"),
        (FetchResult.ok(FIT), "is a damaged FIT file"),
        (
            FetchResult.ok(b"<html>oops</html>"),
            "not a GPX or TCX file (its root element is <html>)",
        ),
    ],
)
def test_permanent_failure_is_recorded_and_not_refetched(result: FetchResult, message: str) -> None:
    fetch = Fetcher({ROUTE.url: result})
    first = build_routes([FONDO], None, fetch, NOW, METRIC)
    assert fetch.calls == [ROUTE.url]
    e = first.events[0]
    assert e.status == "error"
    assert e.terrain_summary is None
    assert e.error is not None and message in e.error
    assert terrain_event_ids(first) == set()  # an error is not terrain

    second = build_routes([FONDO], first, no_fetch, LATER, METRIC)
    assert second.events[0].status == "error"
    assert second.events[0].error == e.error


def test_transient_failure_is_recorded_with_a_retry_time_and_retried_after_it() -> None:
    fetch = Fetcher({ROUTE.url: FetchResult.transient("HTTP 503")})
    first = build_routes([FONDO], None, fetch, NOW, METRIC)
    e = first.events[0]
    # First failure: retried 1 h later (20:00 + 1 h = 21:00); never terrain.
    assert (e.status, e.failures, e.retry_after) == (
        "error",
        1,
        datetime(2026, 11, 21, 21, 0, tzinfo=UTC),
    )
    assert e.error == "HTTP 503 (will retry)"
    assert terrain_event_ids(first) == set()

    fetch_again = Fetcher({ROUTE.url: FetchResult.ok(GPX)})
    second = build_routes([FONDO], first, fetch_again, LATER, METRIC)
    assert fetch_again.calls == [ROUTE.url]
    assert second.events[0].status == "ok"
    assert terrain_event_ids(second) == {101}


def test_previous_ok_entry_is_kept_on_transient_failure() -> None:
    first = build_routes([FONDO], None, Fetcher({ROUTE.url: FetchResult.ok(GPX)}), NOW, METRIC)
    # A cache written by another analysis version must be re-read ...
    stale = first.model_copy(update={"terrain_version": TERRAIN_VERSION - 1})
    fetch = Fetcher({ROUTE.url: FetchResult.transient("timed out")})
    second = build_routes([FONDO], stale, fetch, LATER, METRIC)
    # ... and when that download fails for now, the older summary is kept.
    assert fetch.calls == [ROUTE.url]
    assert second.events[0].status == "ok"
    assert second.events[0].terrain_summary == first.events[0].terrain_summary
    assert terrain_event_ids(second) == {101}


def test_shared_attachment_is_fetched_once_and_events_without_routes_skipped() -> None:
    other = RouteEvent(202, "Recon", "2026-11-28", "WORKOUT", None, (ROUTE,))
    bare = RouteEvent(303, "Rest", "2026-11-29", "NOTE", None, ())
    fetch = Fetcher({ROUTE.url: FetchResult.ok(GPX)})
    routes = build_routes([FONDO, other, bare], None, fetch, NOW, METRIC)
    assert fetch.calls == [ROUTE.url]
    assert [(e.event_id, e.start_time) for e in routes.events] == [(101, "08:00"), (202, None)]
    assert terrain_event_ids(routes) == {101, 202}


def test_route_file_extensions_are_case_insensitive() -> None:
    upper = RouteAttachment("att9", "COURSE.GPX", "https://files.example/att9")
    event = RouteEvent(404, "Race", "2026-12-01", "RACE_B", None, (upper,))
    routes = build_routes([event], None, Fetcher({upper.url: FetchResult.ok(GPX)}), NOW, METRIC)
    assert [e.status for e in routes.events] == ["ok"]


def test_schema_is_generated_from_the_models() -> None:
    schema = RoutesFile.model_json_schema()
    assert set(schema["required"]) == {"generated_at", "events"}
    assert "TerrainSummary" in schema["$defs"]
    assert "RouteEntry" in schema["$defs"]


def test_json_omits_absent_keys() -> None:
    ok = build_routes([FONDO], None, Fetcher({ROUTE.url: FetchResult.ok(GPX)}), NOW, METRIC)
    entry = json.loads(ok.model_dump_json())["events"][0]
    assert "error" not in entry and entry["start_time"] == "08:00"
    bad_event = replace(FONDO, start_time=None)
    bad = build_routes([bad_event], None, Fetcher({ROUTE.url: FetchResult.ok(FIT)}), NOW, METRIC)
    entry = json.loads(bad.model_dump_json())["events"][0]
    assert "terrain_summary" not in entry and "start_time" not in entry
    assert entry["status"] == "error"


def test_route_events_maps_api_events_within_the_window() -> None:
    gpx = Attachment(id="a1", filename="course.gpx", url="https://files.example/a1")
    pdf = Attachment(id="a2", filename="notes.pdf", url="https://files.example/a2")
    no_url = Attachment(id="a3", filename="x.tcx", url=None)
    events = [
        Event(
            id=1,
            name="Fondo",
            category="RACE_A",
            start_date_local="2026-12-03T08:00:00",
            attachments=[gpx, pdf, None, no_url],
        ),
        # All-day event (midnight): no start time.
        Event(
            id=2,
            name="Recon",
            category="WORKOUT",
            start_date_local="2026-11-07T00:00:00",
            attachments=[gpx],
        ),
        # today - 15 days: outside the 14-day look-back.
        Event(id=3, start_date_local="2026-11-06T09:00:00", attachments=[gpx]),
        # today + 91 days (Nov 21 + 91 = Feb 20): outside the 90-day look-ahead.
        Event(id=4, start_date_local="2027-02-20T09:00:00", attachments=[gpx]),
        Event(id=5, start_date_local="2026-12-01T09:00:00", attachments=[pdf]),
        Event(id=None, start_date_local="2026-12-01T09:00:00", attachments=[gpx]),
    ]
    mapped = route_events(events, date(2026, 11, 21))
    route = RouteAttachment("a1", "course.gpx", "https://files.example/a1")
    assert mapped == [
        RouteEvent(1, "Fondo", "2026-12-03", "RACE_A", "08:00", (route,)),
        RouteEvent(2, "Recon", "2026-11-07", "WORKOUT", None, (route,)),
    ]


def test_load_routes_file(tmp_path: Path) -> None:
    path = tmp_path / "routes.json"
    assert load_routes_file(path, NOW) == (None, [])

    routes = build_routes([FONDO], None, Fetcher({ROUTE.url: FetchResult.ok(GPX)}), NOW, METRIC)
    path.write_text(routes.model_dump_json())
    assert load_routes_file(path, NOW) == (routes, [])

    path.write_text("{not json")
    previous, notes = load_routes_file(path, NOW)
    assert previous is None and len(notes) == 1 and "rebuilt" in notes[0]
    assert not path.exists() and len(list(tmp_path.glob("routes.json.corrupt-*"))) == 1

    # The reference's own format (no status, error inside terrain_summary) is not reused.
    path.write_text(
        json.dumps(
            {
                "generated_at": "2026-11-21T20:00:00",
                "events": [
                    {
                        "event_id": 1,
                        "event_name": "x",
                        "event_date": "2026-11-28",
                        "category": "WORKOUT",
                        "attachment_id": "a",
                        "filename": "r.tcx",
                        "terrain_summary": {"error": "insufficient trackpoints"},
                    }
                ],
            }
        )
    )
    previous, notes = load_routes_file(path, NOW)
    assert previous is None and len(notes) == 1 and "does not match its schema" in notes[0]
