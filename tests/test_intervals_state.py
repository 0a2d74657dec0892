"""intervals.json fetch state: when an activity is fetched again, and when never.

These drive ``update_intervals`` with a recording fetcher so the clock can jump hours
between runs; the HTTP side is covered in test_intervals_api.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from section11.outputs.intervals import update_intervals
from section11.outputs.intervals_fetch_state import IntervalsResult
from section11.sources.intervals_icu.detail import FetchOutcome
from section11.sources.intervals_icu.models import Activity
from section11.units import DisplayUnits

TODAY = date(2026, 11, 21)
T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
DTO: dict[str, Any] = {
    "icu_intervals": [
        {"type": "WORK", "start_time": 0, "end_time": 300, "elapsed_time": 300,
         "average_watts": 300},
    ]
}  # fmt: skip


class Recorder:
    """A fetcher that answers from a script and remembers every call."""

    def __init__(self, answer: FetchOutcome) -> None:
        self.answer = answer
        self.calls: list[list[str]] = []

    def __call__(self, ids: Sequence[str]) -> Mapping[str, FetchOutcome]:
        self.calls.append(list(ids))
        return {aid: self.answer for aid in ids}


def _activity(**fields: Any) -> Activity:
    base: dict[str, Any] = {
        "id": "i1",
        "start_date_local": "2026-11-21T08:00:00",
        "start_date": "2026-11-21T07:00:00Z",
        "type": "VirtualRide",
        "name": "Zwift - VO2max 5x4",
        "paired_event_id": 5,
        "icu_sync_date": "2026-11-21T08:10:00.000Z",
        "analyzed": "2026-11-21T08:12:00.000Z",
    }
    base.update(fields)
    return Activity.model_validate(base)


def _run(
    previous: IntervalsResult | None, acts: Sequence[Activity], fetcher: Recorder, now: datetime
) -> IntervalsResult:
    return update_intervals(
        previous, acts, fetcher, TODAY, now, anonymize=False, units=DisplayUnits()
    )


def test_no_data_follows_the_ladder_then_gives_up() -> None:
    # Without an analysis time we cannot know the intervals are final: climb the ladder.
    act = [_activity(analyzed=None)]
    fetcher = Recorder(FetchOutcome.no_data())
    f = _run(None, act, fetcher, T0)
    state = f.fetch_state["i1"]
    assert (state.status, state.attempts, state.next_retry_at) == (
        "pending",
        1,
        "2026-11-21T09:10:00Z",  # T0 + 10 min
    )
    assert f.file.activities == []

    f = _run(f, act, fetcher, T0 + timedelta(minutes=5))  # not due yet
    assert fetcher.calls[-1] == []
    # Retries at +10 min, then +30 min, +2 h, +6 h after each attempt.
    moments = [
        T0 + timedelta(minutes=10),
        T0 + timedelta(minutes=40),
        T0 + timedelta(hours=2, minutes=40),
        T0 + timedelta(hours=8, minutes=40),
    ]
    for moment in moments:
        f = _run(f, act, fetcher, moment)
        assert fetcher.calls[-1] == ["i1"], moment
    state = f.fetch_state["i1"]
    # first look + 4 retries = 5 requests in total, then final
    assert (state.status, state.attempts, state.next_retry_at) == ("no_intervals", 5, None)
    assert sum(len(c) for c in fetcher.calls) == 5

    f = _run(f, act, fetcher, T0 + timedelta(days=3))
    assert fetcher.calls[-1] == []  # never again for this version


def test_no_data_stops_at_48_hours_after_upload() -> None:
    # Uploaded 47 h 55 min before the first look: the 10-min retry is capped at the
    # deadline (upload + 48 h), and the attempt at the deadline settles it.
    act = [_activity(icu_sync_date="2026-11-19T09:05:00Z", analyzed=None,
                     start_date="2026-11-19T07:00:00Z")]  # fmt: skip
    fetcher = Recorder(FetchOutcome.no_data())
    f = _run(None, act, fetcher, T0)
    assert f.fetch_state["i1"].next_retry_at == "2026-11-21T09:05:00Z"
    f = _run(f, act, fetcher, T0 + timedelta(minutes=5))
    assert f.fetch_state["i1"].status == "no_intervals"
    assert sum(len(c) for c in fetcher.calls) == 2


def test_finished_activities_are_not_refetched_until_reanalysed() -> None:
    fetcher = Recorder(FetchOutcome.ok(DTO))
    f = _run(None, [_activity()], fetcher, T0)
    assert f.fetch_state["i1"].status == "ok"
    # Same fractional-second timestamp as stored: no refetch (compared as instants).
    f = _run(f, [_activity()], fetcher, T0 + timedelta(hours=1))
    assert fetcher.calls[-1] == []
    # An older analysis time is not "newer"; a missing one is no reason either.
    f = _run(f, [_activity(analyzed="2026-11-21T08:11:00Z")], fetcher, T0 + timedelta(hours=2))
    f = _run(f, [_activity(analyzed=None, icu_sync_date=None)], fetcher, T0 + timedelta(hours=3))
    assert fetcher.calls[-2:] == [[], []]

    reanalysed = _activity(analyzed="2026-11-21T12:00:00Z")
    fetcher.answer = FetchOutcome.ok(
        {"icu_intervals": [*DTO["icu_intervals"], {"type": "WORK", "start_time": 400}]}
    )
    f = _run(f, [reanalysed], fetcher, T0 + timedelta(hours=4))
    assert fetcher.calls[-1] == ["i1"]
    assert len(f.file.activities[0].intervals) == 2
    assert f.fetch_state["i1"].source_sync_date == "2026-11-21T12:00:00Z"
    f = _run(f, [reanalysed], fetcher, T0 + timedelta(hours=5))
    assert fetcher.calls[-1] == []


def test_reanalysis_without_intervals_keeps_the_old_segments_while_pending() -> None:
    fetcher = Recorder(FetchOutcome.ok(DTO))
    f = _run(None, [_activity()], fetcher, T0)
    fetcher.answer = FetchOutcome.no_data()
    f = _run(f, [_activity(analyzed="2026-11-21T09:30:00Z")], fetcher, T0 + timedelta(hours=1))
    assert f.fetch_state["i1"].status == "pending"
    assert len(f.file.activities) == 1  # nothing lost while Intervals.icu recomputes


def test_permanent_failure_is_not_retried_unless_the_activity_changes() -> None:
    fetcher = Recorder(FetchOutcome.permanent("HTTP 404"))
    f = _run(None, [_activity()], fetcher, T0)
    assert (f.fetch_state["i1"].status, f.fetch_state["i1"].reason) == ("failed", "HTTP 404")
    f = _run(f, [_activity()], fetcher, T0 + timedelta(days=1))
    assert fetcher.calls[-1] == []
    f = _run(f, [_activity(icu_sync_date="2026-11-22T10:00:00Z")], fetcher, T0 + timedelta(days=1))
    assert fetcher.calls[-1] == ["i1"]


def test_download_failures_retry_next_run_then_back_off_without_giving_up() -> None:
    fetcher = Recorder(FetchOutcome.transient("HTTP 503"))
    f = _run(None, [_activity()], fetcher, T0)
    state = f.fetch_state["i1"]
    assert (state.status, state.attempts, state.transient_failures) == ("pending", 0, 1)
    assert state.next_retry_at is None  # the next run tries again
    f = _run(f, [_activity()], fetcher, T0 + timedelta(minutes=1))
    assert f.fetch_state["i1"].next_retry_at == "2026-11-21T09:11:00Z"  # 2nd failure: +10 min
    f = _run(f, [_activity()], fetcher, T0 + timedelta(minutes=2))
    assert fetcher.calls[-1] == []
    moment = T0 + timedelta(days=1)
    for _ in range(6):
        f = _run(f, [_activity()], fetcher, moment)
        assert fetcher.calls[-1] == ["i1"]
        moment = datetime.fromisoformat(f.fetch_state["i1"].next_retry_at or "")
    state = f.fetch_state["i1"]
    # failures 3..8 from 11-22 09:00: +30 min (09:30), +2 h (11:30), then +6 h each:
    # 17:30, 23:30, 11-23 05:30, 11:30. Still pending; the give-up counter is untouched.
    assert (state.status, state.attempts, state.transient_failures) == ("pending", 0, 8)
    assert state.next_retry_at == "2026-11-23T11:30:00Z"

    fetcher.answer = FetchOutcome.ok(DTO)
    f = _run(f, [_activity()], fetcher, moment)
    state = f.fetch_state["i1"]
    assert (state.status, state.transient_failures, state.attempts) == ("ok", 0, 1)


def test_retry_after_is_honoured() -> None:
    fetcher = Recorder(FetchOutcome.transient("HTTP 429", retry_after=900))
    f = _run(None, [_activity()], fetcher, T0)
    assert f.fetch_state["i1"].next_retry_at == "2026-11-21T09:15:00Z"  # T0 + 900 s


def test_fetcher_is_called_once_per_run_and_window_is_pruned() -> None:
    fetcher = Recorder(FetchOutcome.ok(DTO))
    acts = [
        _activity(id="a"),
        _activity(id="b", start_date_local="2026-11-08T08:00:00"),
    ]
    f = _run(None, acts, fetcher, T0)
    assert fetcher.calls == [["a", "b"]]
    assert [e.activity_id for e in f.file.activities] == ["a", "b"]  # newest first
    # Two days later 11-08 has left the 14-day window: entry and state are gone.
    later = update_intervals(
        f, acts, fetcher, TODAY + timedelta(days=2), T0 + timedelta(days=2),
        anonymize=False, units=DisplayUnits(),
    )  # fmt: skip
    assert fetcher.calls[-1] == []
    assert [e.activity_id for e in later.file.activities] == ["a"]
    assert list(later.fetch_state) == ["a"]


def test_metadata_is_refreshed_without_fetching() -> None:
    fetcher = Recorder(FetchOutcome.ok(DTO))
    f = _run(None, [_activity()], fetcher, T0)
    renamed = _activity(name="VO2 5x4 (legs empty)", icu_training_load=88.0)
    f = _run(f, [renamed], fetcher, T0 + timedelta(hours=1))
    assert fetcher.calls[-1] == []
    assert f.file.activities[0].name == "VO2 5x4 (legs empty)"
    assert f.file.activities[0].session.tss == 88.0


def test_no_data_after_finished_analysis_is_final_at_once() -> None:
    # Analysed at 08:12Z, looked at 09:00Z: 48 min later the analysis may still be settling.
    act = [_activity()]
    fetcher = Recorder(FetchOutcome.no_data())
    f = _run(None, act, fetcher, T0)
    assert f.fetch_state["i1"].status == "pending"
    # At 09:20Z (1 h 8 min after analysis) the retry finds none again: that is final.
    f = _run(f, act, fetcher, T0 + timedelta(minutes=20))
    state = f.fetch_state["i1"]
    assert (state.status, state.attempts, state.next_retry_at) == ("no_intervals", 2, None)
    f = _run(f, act, fetcher, T0 + timedelta(days=1))
    assert fetcher.calls[-1] == []  # never again unless re-analysed
    assert sum(len(c) for c in fetcher.calls) == 2
