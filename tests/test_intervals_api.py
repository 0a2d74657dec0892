"""intervals.json over real HTTP against the fake Intervals.icu server."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from section11.demo import DemoAthlete, FakeIntervalsServer
from section11.outputs.intervals import select_candidates, update_intervals
from section11.outputs.intervals_fetch_state import IntervalsResult
from section11.sources.intervals_icu import Activity, IntervalsClient, parse_records
from section11.sources.intervals_icu.detail import interval_fetcher
from section11.units import DisplayUnits

DEMO_TODAY = date(2026, 11, 21)  # the date the conftest fixture generates the athlete for
NOW = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)


def _activities(client: IntervalsClient, fake_api: FakeIntervalsServer) -> list[Activity]:
    """The activity list as the pipeline has it; the request log is cleared afterwards."""
    raw = client.activities("2026-10-10", "2026-11-21T23:59:59")
    fake_api.reset_log()
    return parse_records(Activity, raw, "activity")


def _run(
    previous: IntervalsResult | None,
    acts: list[Activity],
    client: IntervalsClient,
    now: datetime,
) -> IntervalsResult:
    return update_intervals(
        previous,
        acts,
        interval_fetcher(client, max_workers=4),
        DEMO_TODAY,
        now,
        anonymize=True,
        units=DisplayUnits(),
    )


def _detail_paths(fake_api: FakeIntervalsServer) -> list[str]:
    return sorted(r.path.rsplit("/", 1)[-1] for r in fake_api.requests)


def _todays_workout(acts: list[Activity], athlete: DemoAthlete) -> Activity:
    """The demo's structured session of today (a Zwift sweet-spot workout)."""
    found = [
        a
        for a in acts
        if a.local_date == DEMO_TODAY and a.id in athlete.intervals and a.interval_summary
    ]
    assert len(found) == 1
    return found[0]


def test_cold_run_then_rerun_with_nothing_new_makes_zero_requests(
    client: IntervalsClient, fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    acts = _activities(client, fake_api)
    candidates = select_candidates(acts, DEMO_TODAY)
    assert len(candidates) >= 5, "the demo has a structured session most days"

    first = _run(None, acts, client, NOW)
    # One request per candidate, each for the activity with its intervals.
    assert _detail_paths(fake_api) == sorted(candidates)
    assert all(r.query == {"intervals": "true"} for r in fake_api.requests)
    with_dto = {aid for aid in candidates if aid in demo_athlete.intervals}
    assert {e.activity_id for e in first.file.activities} == with_dto
    # Candidates without intervals were analysed more than an hour before NOW, so the one
    # request settles them: nothing stays pending, nothing will be asked again.
    assert {s.status for s in first.fetch_state.values()} == {"ok", "no_intervals"}
    for aid, state in first.fetch_state.items():
        if aid not in with_dto:
            assert (state.status, state.attempts) == ("no_intervals", 1)

    fake_api.reset_log()
    second = _run(first, acts, client, NOW + timedelta(minutes=5))
    assert fake_api.requests == []
    assert second.file.activities == first.file.activities


def test_intervals_that_appear_on_a_later_run(
    client: IntervalsClient, fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    acts = _activities(client, fake_api)
    act = _todays_workout(acts, demo_athlete)
    assert act.id is not None and act.icu_sync_date is not None
    dto = demo_athlete.intervals[act.id]
    demo_athlete.set_intervals(act.id, None)  # uploaded, not analysed yet

    uploaded = datetime.fromisoformat(act.icu_sync_date.replace("Z", "+00:00"))
    now = uploaded + timedelta(minutes=20)
    first = _run(None, [act], client, now)
    state = first.fetch_state[act.id]
    assert (state.status, state.attempts) == ("pending", 1)
    assert first.file.activities == []

    demo_athlete.set_intervals(act.id, dto)
    fake_api.reset_log()
    early = _run(first, [act], client, now + timedelta(minutes=5))
    assert fake_api.requests == []  # the first retry is due 10 minutes after the look

    second = _run(early, [act], client, now + timedelta(minutes=10))
    assert _detail_paths(fake_api) == [act.id]
    assert second.fetch_state[act.id].status == "ok"
    [entry] = second.file.activities
    assert len(entry.intervals) == len(dto["icu_intervals"])
    assert entry.phases is not None and entry.phases.active.count >= 1


def test_activity_reanalysed_upstream_is_fetched_again(
    client: IntervalsClient, fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    acts = _activities(client, fake_api)
    act = _todays_workout(acts, demo_athlete)
    assert act.id is not None
    first = _run(None, acts, client, NOW)

    edited = dict(demo_athlete.intervals[act.id])
    edited["icu_intervals"] = [
        {**edited["icu_intervals"][0], "label": "Warm-up (edited)"},
        *edited["icu_intervals"][1:],
    ]
    demo_athlete.set_intervals(act.id, edited)
    demo_athlete.update_activity(
        act.id, analyzed="2026-11-21T19:30:00Z", icu_sync_date="2026-11-21T19:29:00Z"
    )
    acts = _activities(client, fake_api)

    # 5 minutes later: no ladder retry is due, only the re-analysed activity is fetched.
    second = _run(first, acts, client, NOW + timedelta(minutes=5))
    assert _detail_paths(fake_api) == [act.id]
    entry = next(e for e in second.file.activities if e.activity_id == act.id)
    assert entry.intervals[0].label == "Warm-up (edited)"
    assert second.fetch_state[act.id].source_sync_date == "2026-11-21T19:30:00Z"

    fake_api.reset_log()
    _run(second, acts, client, NOW + timedelta(minutes=6))
    assert fake_api.requests == []


def test_download_that_fails_once_then_succeeds(
    client: IntervalsClient, fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    acts = _activities(client, fake_api)
    act = _todays_workout(acts, demo_athlete)
    assert act.id is not None
    fake_api.faults.add(rf"/activity/{act.id}$", "500", count=1)

    first = _run(None, [act], client, NOW)
    state = first.fetch_state[act.id]
    assert (state.status, state.transient_failures, state.attempts) == ("pending", 1, 0)
    assert state.next_retry_at is None and "HTTP 500" in (state.reason or "")
    assert first.file.activities == []
    assert [r.status for r in fake_api.requests] == [500]  # one attempt, no in-run retry

    fake_api.reset_log()
    second = _run(first, [act], client, NOW + timedelta(minutes=15))
    assert [r.status for r in fake_api.requests] == [200]
    assert second.fetch_state[act.id].status == "ok"
    assert [e.activity_id for e in second.file.activities] == [act.id]


def test_not_found_is_failed_and_not_retried(
    client: IntervalsClient, fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    acts = _activities(client, fake_api)
    act = _todays_workout(acts, demo_athlete)
    assert act.id is not None
    demo_athlete.remove_activity(act.id)  # deleted between the list and the detail call

    first = _run(None, [act], client, NOW)
    assert [r.status for r in fake_api.requests] == [404]
    assert first.fetch_state[act.id].status == "failed"

    fake_api.reset_log()
    _run(first, [act], client, NOW + timedelta(days=1))
    assert fake_api.requests == []
