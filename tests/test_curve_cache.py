"""Curves are fetched from the fake Intervals.icu only when something changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from section11.demo import DemoAthlete, FakeIntervalsServer
from section11.outputs.curve_cache import (
    CurveCache,
    CurveResult,
    curves_fingerprints,
    load_curve_cache,
    update_curves,
)
from section11.outputs.latest_capability_builder import active_curve_families
from section11.sources.intervals_icu import IntervalsClient
from section11.sources.intervals_icu.curves import (
    CurveRequest,
    CurveWindows,
    curve_fetcher,
    curve_requests,
    find_curve,
    parse_curve_set,
)
from section11.sources.intervals_icu.models import Activity
from section11.store import write_json_atomic

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def _activities(athlete: DemoAthlete) -> list[Activity]:
    oldest = (TODAY - timedelta(days=41)).isoformat()
    return [
        Activity.model_validate(a)
        for a in athlete.activities
        if oldest <= str(a.get("start_date_local"))[:10] <= TODAY.isoformat()
    ]


def _run(
    client: IntervalsClient, athlete: DemoAthlete, cache: CurveCache | None, today: date = TODAY
) -> CurveResult:
    acts = _activities(athlete)
    window_28 = [
        a for a in acts if a.local_date is not None and a.local_date > today - timedelta(days=28)
    ]
    requests = curve_requests(today, active_curve_families(window_28))
    return update_curves(
        cache, requests, curves_fingerprints(today, requests, acts), curve_fetcher(client)
    )


def test_requests_per_family() -> None:
    w = CurveWindows(TODAY)
    # current 28 days 2026-10-25 … 11-21, previous 09-27 … 10-24, sustainability from 10-11
    assert (w.current_id, w.previous_id, w.sustainability_id) == (
        "r.2026-10-25.2026-11-21",
        "r.2026-09-27.2026-10-24",
        "r.2026-10-11.2026-11-21",
    )
    keys = [r.key for r in curve_requests(TODAY, ["cycling"])]
    assert keys == ["power:Ride", "hr:all", "hr:Ride"]
    keys = [r.key for r in curve_requests(TODAY, ["run", "rowing"])]
    # delta curves always; rowing adds its own power and HR; running has no profile
    assert keys == ["power:Ride", "hr:all", "power:Rowing", "hr:Rowing"]


def test_cold_fetch_then_nothing_until_something_changes(
    client: IntervalsClient, fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    first = _run(client, demo_athlete, None)
    # The demo athlete rode (but did not row or ski) in the last 28 days: 3 requests.
    assert fake_api.request_count(r"-curves") == 3 and first.requests_made == 3
    assert set(first.cache.fingerprints) == {"power:Ride", "hr:all", "hr:Ride"}
    assert not first.warnings
    power = find_curve(first.get("power", "Ride"), CurveWindows(TODAY).current_id)
    assert power is not None and power.secs and power.values

    fake_api.reset_log()
    again = _run(client, demo_athlete, first.cache)
    assert fake_api.request_count() == 0 and again.requests_made == 0
    assert again.curves == first.curves

    # An edited activity (re-analysed) changes the fingerprint: the curves are fetched again.
    newest = max(demo_athlete.activities, key=lambda a: str(a.get("start_date_local")))
    newest["analyzed"] = "2026-11-21T12:00:00Z"
    edited = _run(client, demo_athlete, again.cache)
    assert fake_api.request_count(r"-curves") == 3 and edited.requests_made == 3

    # A run only changes the curves of all sports: 1 request (hr:all), not power:Ride/hr:Ride.
    fake_api.reset_log()
    run = max(
        (a for a in demo_athlete.activities if a.get("type") == "Run"),
        key=lambda a: str(a.get("start_date_local")),
    )
    run["icu_training_load"] = 77
    only_hr = _run(client, demo_athlete, edited.cache)
    assert [r.query.get("type") for r in fake_api.requests] == [None]
    assert fake_api.request_count(r"/hr-curves") == 1 and only_hr.requests_made == 1
    assert only_hr.curves["power:Ride"] == edited.curves["power:Ride"]

    # A new day moves every window: fetched again, even with the same activities.
    fake_api.reset_log()
    _run(client, demo_athlete, only_hr.cache, today=TODAY + timedelta(days=1))
    assert fake_api.request_count(r"-curves") == 3


def test_transient_failure_keeps_the_old_answer_and_retries_next_run(
    client: IntervalsClient, fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    first = _run(client, demo_athlete, None)
    stale = first.cache.model_copy(
        update={"fingerprints": dict.fromkeys(first.cache.fingerprints, "from an earlier day")}
    )
    fake_api.faults.add(r"/hr-curves", "503", count=5)
    failed = _run(client, demo_athlete, stale)
    # The failed ones keep no fingerprint: the next run asks for them (only) again.
    assert set(failed.cache.fingerprints) == {"power:Ride"}
    assert len(failed.warnings) == 2  # hr:all and hr:Ride
    assert failed.curves["hr:all"] == first.curves["hr:all"]  # the kept answer
    assert failed.curves["power:Ride"] == first.curves["power:Ride"]  # fetched afresh
    fake_api.faults.clear()
    fake_api.reset_log()
    healed = _run(client, demo_athlete, failed.cache)
    assert fake_api.request_count(r"-curves") == 2  # hr:all and hr:Ride
    assert set(healed.cache.fingerprints) == {"power:Ride", "hr:all", "hr:Ride"}


def test_refused_request_is_not_repeated(client: IntervalsClient) -> None:
    # The server answers 400 to a curve id it does not know: refused for good.
    bogus = CurveRequest("power", "Ride", ("not-a-curve",))
    result = update_curves(None, [bogus], {"power:Ride": "print"}, curve_fetcher(client))
    assert result.curves["power:Ride"] == []  # nothing to show
    assert result.cache.fingerprints == {"power:Ride": "print"} and not result.warnings


def test_cache_round_trip(
    tmp_path: Path, client: IntervalsClient, demo_athlete: DemoAthlete
) -> None:
    result = _run(client, demo_athlete, None)
    path = tmp_path / ".section11" / "curves.json"
    write_json_atomic(path, result.cache)
    loaded, notes = load_curve_cache(path, NOW)
    assert loaded == result.cache and notes == []
    path.write_text("{not json")
    broken, notes = load_curve_cache(path, NOW)
    assert broken is None and notes  # moved aside, fetched again


# Properties of the API's DataCurve schema (intervals.icu OpenAPI), kept here so the suite
# runs without the spec file.
DATA_CURVE_PROPERTIES = {
    "activity_id", "after_kj", "days", "distance", "end_date_local", "end_index",
    "filter_label", "filters", "id", "label", "moving_time", "percentile", "secs",
    "start_date_local", "start_index", "submax_activity_id", "submax_values",
    "training_load", "values", "weight",
}  # fmt: skip


def test_fake_server_curves_follow_the_api(
    client: IntervalsClient, fake_api: FakeIntervalsServer
) -> None:
    answer = client.athlete_curves("hr", ("r.2026-10-25.2026-11-21", "28d"))
    assert set(answer) == {"list", "activities"}
    assert all(set(curve) <= DATA_CURVE_PROPERTIES for curve in answer["list"])
    first, second = answer["list"]
    assert first["id"] == "r.2026-10-25.2026-11-21" and first["days"] == 28
    assert second["secs"] == first["secs"]  # "28d" is the same 28 days ending today
    # Best efforts never rise with duration.
    assert all(a >= b for a, b in zip(first["values"], first["values"][1:], strict=False))
    # Power curves need a sport, as on the real API.
    fake_api.reset_log()
    refused = update_curves(
        None, [CurveRequest("power", None, ("28d",))], {"power:all": "f"}, curve_fetcher(client)
    )
    assert refused.curves["power:all"] == [] and fake_api.requests[0].status == 422


def test_unreadable_answers_never_fail_the_run(
    client: IntervalsClient, fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    assert parse_curve_set({"list": "nonsense"}) == []
    kept = parse_curve_set({"list": [{"id": "r.a.b", "secs": "oops", "values": [1]}, 7]})
    assert len(kept) == 1 and kept[0].secs is None and kept[0].values == [1.0]
    fake_api.faults.add(r"/power-curves", "wrong_shape", count=1)
    result = _run(client, demo_athlete, None)
    assert "power:Ride" not in result.cache.fingerprints and result.warnings  # asked again
