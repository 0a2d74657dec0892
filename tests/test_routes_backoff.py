"""routes.json: a transiently failing download is retried on later runs with a growing wait,
and given up on after MAX_TRANSIENT_FAILURES."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from section11.outputs.routes import (
    MAX_TRANSIENT_FAILURES,
    FetchResult,
    RouteAttachment,
    RouteEvent,
    RoutesFile,
    build_routes,
)
from section11.units import DisplayUnits

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
ATT = RouteAttachment("att1", "course.gpx", "https://files.example/att1")
EVENT = RouteEvent(7, "Race", "2026-12-01", "RACE_A", None, (ATT,))


class CountingFetch:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, url: str) -> FetchResult:
        self.calls += 1
        return FetchResult.transient("HTTP 503")


def run(previous: RoutesFile | None, now: datetime, fetch: CountingFetch) -> RoutesFile:
    return build_routes([EVENT], previous, fetch, now, DisplayUnits())


def test_waits_double_from_one_hour_up_to_seven_days_then_give_up() -> None:
    fetch = CountingFetch()
    routes = run(None, T0, fetch)
    now = T0
    waits = []
    for _ in range(MAX_TRANSIENT_FAILURES - 1):
        entry = routes.events[0]
        assert entry.retry_after is not None and entry.failures is not None
        wait = entry.retry_after - now
        waits.append(wait)
        # A run just before the retry time fetches nothing and keeps the entry as it is.
        calls = fetch.calls
        same = run(routes, entry.retry_after - timedelta(seconds=1), fetch)
        assert fetch.calls == calls and same.events == routes.events
        now = entry.retry_after
        routes = run(routes, now, fetch)
    # 1 h, 2 h, 4 h, ... 64 h: 2^(k-1) hours for failure k = 1..7, all under the 7-day cap.
    assert waits == [timedelta(hours=2**k) for k in range(MAX_TRANSIENT_FAILURES - 1)]
    final = routes.events[0]
    assert final.retry_after is None and final.failures is None  # final after 8 failures
    assert final.error == "HTTP 503 (gave up after 8 failed attempts on separate runs)"
    assert fetch.calls == MAX_TRANSIENT_FAILURES
    run(routes, now + timedelta(days=30), fetch)
    assert fetch.calls == MAX_TRANSIENT_FAILURES  # never fetched again
