"""Per-activity detail fetching: outcome classification over HTTP and the worker pool."""

from __future__ import annotations

import threading
import time

import pytest

from section11.config import Secret
from section11.demo import DEMO_ATHLETE_ID, DemoAthlete, FakeIntervalsServer
from section11.errors import AuthenticationError
from section11.sources.intervals_icu import IntervalsClient
from section11.sources.intervals_icu.detail import (
    TERRAIN_STREAM_TYPES,
    FetchOutcome,
    attachment_fetcher,
    fetch_activity_intervals,
    fetch_activity_streams,
    fetch_many,
)


def _ids(athlete: DemoAthlete, *, with_intervals: bool, outdoor: bool | None = None) -> list[str]:
    out = []
    for act in athlete.activities:
        if act.get("type") is None or act["start_date_local"][:10] < "2026-11-08":
            continue
        if (act["id"] in athlete.intervals) != with_intervals:
            continue
        if outdoor is not None and ("latlng" in (act.get("stream_types") or [])) != outdoor:
            continue
        out.append(act["id"])
    return out


def test_intervals_outcomes(
    client: IntervalsClient, fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    with_dto = _ids(demo_athlete, with_intervals=True)[0]
    without = _ids(demo_athlete, with_intervals=False)[0]

    ok = fetch_activity_intervals(client, with_dto)
    assert ok.kind == "ok"
    assert ok.data["icu_intervals"] == demo_athlete.intervals[with_dto]["icu_intervals"]
    assert fetch_activity_intervals(client, without) == FetchOutcome.no_data()

    missing = fetch_activity_intervals(client, "i999")
    assert missing.kind == "permanent" and "404" in (missing.reason or "")

    fake_api.faults.add(rf"/activity/{with_dto}$", "503", count=1)
    assert fetch_activity_intervals(client, with_dto).kind == "transient"
    fake_api.faults.add(rf"/activity/{with_dto}$", "malformed", count=1)
    assert fetch_activity_intervals(client, with_dto).kind == "transient"
    fake_api.faults.add(rf"/activity/{with_dto}$", "drop", count=1)
    assert fetch_activity_intervals(client, with_dto).kind == "transient"


def test_streams_are_requested_with_a_types_filter(
    client: IntervalsClient, fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    outdoor = _ids(demo_athlete, with_intervals=False, outdoor=True)[0]
    indoor = _ids(demo_athlete, with_intervals=True, outdoor=False)[0]

    ok = fetch_activity_streams(client, outdoor, TERRAIN_STREAM_TYPES)
    assert ok.kind == "ok"
    assert {s["type"] for s in ok.data} == {"latlng", "altitude"}
    # An indoor ride has neither stream: a 200 with nothing usable.
    assert fetch_activity_streams(client, indoor, TERRAIN_STREAM_TYPES).kind == "no_data"
    assert [r.query for r in fake_api.requests] == [{"types": "latlng,altitude"}] * 2


def test_fetch_many_bounds_concurrency_and_keys_results() -> None:
    lock = threading.Lock()
    running = peak = 0

    def work(key: int) -> FetchOutcome:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)  # long enough for the pool to overlap calls
        with lock:
            running -= 1
        return FetchOutcome.ok(key * 10)

    results = fetch_many([3, 1, 2, 3, 4, 5, 6, 7, 8], work, max_workers=3)
    assert list(results) == [3, 1, 2, 4, 5, 6, 7, 8]  # duplicates fetched once, order kept
    assert results[4] == FetchOutcome.ok(40)
    assert 1 < peak <= 3


def test_fetch_many_with_nothing_to_do_starts_nothing() -> None:
    def boom(key: str) -> FetchOutcome:
        raise AssertionError("must not be called")

    assert fetch_many([], boom) == {}


def test_authentication_error_ends_the_batch(
    fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    ids = _ids(demo_athlete, with_intervals=True)
    with (
        IntervalsClient(fake_api.base_url, DEMO_ATHLETE_ID, Secret("wrong")) as bad,
        pytest.raises(AuthenticationError),
    ):
        fetch_many(ids, lambda aid: fetch_activity_intervals(bad, aid), max_workers=2)


def test_attachment_fetcher_classifies_downloads(
    client: IntervalsClient, fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    attachment_id, payload = next(iter(demo_athlete.attachments.items()))
    fetch = attachment_fetcher(client)
    ok = fetch(fake_api.attachment_url(attachment_id, "course.gpx"))
    assert (ok.kind, ok.data) == ("ok", payload)
    assert fetch(fake_api.attachment_url("no-such-file", "x.gpx")).kind == "permanent"
    fake_api.faults.add(r"/attachments/", "503", count=1)
    assert fetch(fake_api.attachment_url(attachment_id, "course.gpx")).kind == "transient"
