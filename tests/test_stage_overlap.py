"""The stages after the core fetch run at the same time, within the one rate limit.

Every sync here talks HTTP to the fake Intervals.icu on 127.0.0.1; the server's request log
(with the time each request was received and answered) shows what was in flight together.
The one-after-another order (``pipeline_stages.OVERLAP = False``) is the reference: the
overlapped run must make the same requests and write the same files and warnings.
"""

from __future__ import annotations

import inspect
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from section11 import pipeline_stages
from section11.config import Secret, Settings
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, DemoAthlete, FakeIntervalsServer
from section11.demo.request_stages import stage_of
from section11.demo.server import RequestRecord
from section11.errors import AuthenticationError
from section11.pipeline import SyncOutcome, sync
from section11.pipeline_stages import Stages
from section11.sources.intervals_icu import IntervalsClient, RetryPolicy
from section11.sources.intervals_icu.client import LANE_DETAIL, LANE_LAST

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # 10:00 in Oslo: the demo athlete's today
LATENCY = 0.05  # seconds added to every answer, so that a request is visibly in flight
# The client's defaults (IntervalsClient): 10 requests/second with a burst of 20, and at
# most 8 requests in flight (its keep-alive pool).
RATE, BURST, POOL = 10.0, 20, 8


def _request_set(records: Sequence[RequestRecord]) -> Counter[tuple[str, str, str]]:
    return Counter((r.method, r.path, repr(sorted(r.query.items()))) for r in records)


def _cross_stage_overlaps(records: Sequence[RequestRecord]) -> set[frozenset[str]]:
    """Pairs of stages with a request of each in flight on the server at the same time."""
    spans = [(r.started, r.started + r.duration, stage_of(r)) for r in records]
    pairs: set[frozenset[str]] = set()
    for i, (start_a, end_a, stage_a) in enumerate(spans):
        for start_b, end_b, stage_b in spans[i + 1 :]:
            if stage_a != stage_b and start_a < end_b and start_b < end_a:
                pairs.add(frozenset((stage_a, stage_b)))
    return pairs


def _max_in_flight(records: Sequence[RequestRecord]) -> int:
    events = sorted(
        [(r.started, 1) for r in records] + [(r.started + r.duration, -1) for r in records],
        key=lambda e: (e[0], e[1]),  # an answer at the same instant ends before a start
    )
    level = peak = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    return peak


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _client(server: FakeIntervalsServer, *, paced: bool) -> IntervalsClient:
    """The client a sync gets: the default pacing, or none (fast runs that compare files).
    One attempt per call: a fault is final within the run."""
    return IntervalsClient(
        server.base_url,
        DEMO_ATHLETE_ID,
        Secret(DEMO_API_KEY),
        retry=RetryPolicy(max_attempts=1),
        max_rate=RATE if paced else 0.0,  # 0: no pacing
        burst=BURST,
        pool_size=POOL,
    )


def test_the_limits_checked_here_are_the_client_defaults() -> None:
    defaults = inspect.signature(IntervalsClient).parameters
    assert (defaults["max_rate"].default, defaults["burst"].default) == (RATE, BURST)
    assert defaults["pool_size"].default == POOL


def _sync(
    server: FakeIntervalsServer,
    out: Path,
    *,
    overlap: bool,
    paced: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> tuple[SyncOutcome, list[RequestRecord]]:
    settings = Settings(
        athlete_id=DEMO_ATHLETE_ID,
        intervals_key=Secret(DEMO_API_KEY),
        output_dir=out,
        api_base=server.base_url,
    )
    server.reset_log()
    switch = pipeline_stages.OVERLAP
    pipeline_stages.OVERLAP = overlap
    try:
        with _client(server, paced=paced) as client:
            outcome = sync(settings, client, NOW, progress=progress)
    finally:
        pipeline_stages.OVERLAP = switch
    return outcome, sorted(server.requests, key=lambda r: r.started)


@pytest.fixture
def slow_api(demo_athlete: DemoAthlete) -> Any:
    with FakeIntervalsServer(demo_athlete, latency=LATENCY) as server:
        yield server


def test_cold_run_overlaps_stages_with_the_same_requests_files_and_warnings(
    slow_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    one_by_one, before = _sync(slow_api, tmp_path / "sequential", overlap=False)
    together, after = _sync(slow_api, tmp_path / "overlapped", overlap=True)

    assert _request_set(after) == _request_set(before)
    assert together.requests == one_by_one.requests == len(before)
    assert together.warnings == one_by_one.warnings
    assert _files(tmp_path / "overlapped") == _files(tmp_path / "sequential")
    # Every stage of a cold run sends requests: history chunks, interval detail, terrain
    # and DFA streams, route downloads, curves and comments (7 stages besides the core).
    assert {stage_of(r) for r in before} - {"core"} == {
        "history",
        "intervals",
        "terrain",
        "routes",
        "curves",
        "dfa",
        "comments",
    }
    # One after another, no two stages ever have a request in flight together ...
    assert _cross_stage_overlaps(before) == set()
    # ... overlapped, the stages start together: requests of at least three of the seven
    # stages were in flight at the same time as a request of another stage.
    overlapping = {stage for pair in _cross_stage_overlaps(after) for stage in pair}
    assert len(overlapping) >= 3, overlapping


def test_overlapped_cold_run_stays_within_the_rate_limit_and_the_pool(
    slow_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    _, records = _sync(slow_api, tmp_path / "out", overlap=True, paced=True)
    assert len(records) > BURST  # more than one burst: the pacing is what is measured
    assert _cross_stage_overlaps(records)  # the stages did overlap under the real pacing

    # One token bucket for every stage: from the i-th to the j-th request received there
    # can be at most BURST + RATE * (t_j - t_i) requests. The server's clock sees each
    # request a little after the client's pacer let it go; allow 0.2 s of that delay on a
    # busy machine: 0.2 s * 10/s = 2 requests. (One bucket per stage would let 7 * 20 = 140
    # requests go at once: every one of the cold run's requests within its first instant.)
    slack = 2
    times = [r.started for r in records]
    worst = max(
        (j - i + 1) - RATE * (times[j] - times[i])
        for i in range(len(times))
        for j in range(i, len(times))
    )
    assert worst <= BURST + slack, worst
    # Never more requests in flight than connections in the keep-alive pool.
    assert _max_in_flight(records) <= POOL


def _one_new_activity(athlete: DemoAthlete) -> None:
    athlete.add_activity(
        {
            "id": "i99000001",
            "start_date_local": f"{athlete.today.isoformat()}T06:01:00",
            "type": "Run",
            "icu_training_load": 40,
            "moving_time": 2400,
            "distance": 7000.0,
        }
    )


def test_rerun_after_one_new_activity_sends_its_detail_requests_together(
    slow_api: FakeIntervalsServer, demo_athlete: DemoAthlete, tmp_path: Path
) -> None:
    cold = tmp_path / "cold"
    _sync(slow_api, cold, overlap=True)
    shutil.copytree(cold, tmp_path / "sequential")
    shutil.copytree(cold, tmp_path / "overlapped")
    _one_new_activity(demo_athlete)

    one_by_one, before = _sync(slow_api, tmp_path / "sequential", overlap=False)
    together, after = _sync(slow_api, tmp_path / "overlapped", overlap=True, paced=True)

    assert _request_set(after) == _request_set(before)
    assert together.warnings == one_by_one.warnings
    assert _files(tmp_path / "overlapped") == _files(tmp_path / "sequential")
    # The new run (no GPS intervals, no AlphaHRV): its terrain streams, its comments, and
    # the curves again (a new activity in the 42-day window): at least three stages.
    stages = Counter(stage_of(r) for r in after)
    assert {"terrain", "comments", "curves"} <= set(stages)
    assert _cross_stage_overlaps(before) == set()
    overlapping = {stage for pair in _cross_stage_overlaps(after) for stage in pair}
    # Each stage sends its requests once it has read its cache, so which ones meet in
    # flight depends on the machine's load; with 50 ms answers at least two of the three do
    # (one after another, none do: checked above).
    assert len(overlapping & {"terrain", "comments", "curves"}) >= 2, overlapping


def _fail_after_first_chunk(server: FakeIntervalsServer) -> Callable[[str], None]:
    """A progress callback: once history has fetched its first chunk, the next
    ``/activities`` request fails (only history asks for it after the core fetch)."""
    armed = threading.Event()

    def progress(message: str) -> None:
        if message.startswith("history: fetched") and not armed.is_set():
            armed.set()
            server.faults.add(r"/activities$", "503")

    return progress


def test_a_failing_history_fetch_is_the_same_warning_overlapped(
    demo_athlete: DemoAthlete, tmp_path: Path
) -> None:
    """The second 3-year chunk fails (503, one attempt): history keeps what it fetched and
    says so; the other stages go on; both orders write the same files and warnings."""
    results = {}
    for overlap in (False, True):
        with FakeIntervalsServer(demo_athlete) as server:
            out = tmp_path / str(overlap)
            outcome, _ = _sync(
                server, out, overlap=overlap, progress=_fail_after_first_chunk(server)
            )
            results[overlap] = outcome.warnings, _files(out)
    warnings, files = results[True]
    assert any(w.startswith("history: could not fetch") for w in warnings), warnings
    assert "latest.json" in files and "intervals.json" in files
    assert results[True] == results[False]


@pytest.mark.parametrize("overlap", [False, True])
def test_a_refused_key_in_one_stage_still_ends_the_run_with_nothing_written(
    fake_api: FakeIntervalsServer, tmp_path: Path, overlap: bool
) -> None:
    # Interval detail (/activity/{id}) refused: 9 activities with intervals on a cold run
    # of the demo athlete, up to 6 at a time; 20 faults cover them all.
    fake_api.faults.add(r"^/api/v1/activity/[^/]+$", "401", count=20)
    out = tmp_path / "out"
    with pytest.raises(AuthenticationError):
        _sync(fake_api, out, overlap=overlap)
    assert not (out / "latest.json").exists()
    assert not (out / "history.json").exists()
    # Every stage thread has ended: nothing goes on sending requests after the error.
    assert not [t for t in threading.enumerate() if t.name.startswith("stage")]


def test_warnings_keep_the_order_of_the_stages_whoever_finishes_first() -> None:
    second_done = threading.Event()

    def first(warnings: list[str]) -> str:
        assert second_done.wait(timeout=10)  # finishes after the second stage
        warnings.append("from the first stage")
        return "a"

    def second(warnings: list[str]) -> str:
        warnings.append("from the second stage")
        second_done.set()
        return "b"

    stages = Stages()
    a, b = stages.add("first", first), stages.add("second", second)
    assert stages.run() == ["from the first stage", "from the second stage"]
    assert (a.result(), b.result()) == ("a", "b")


def test_the_first_failing_stage_in_order_raises_after_all_have_ended() -> None:
    later_failed = threading.Event()
    finished: list[str] = []

    def first(warnings: list[str]) -> None:
        assert later_failed.wait(timeout=10)  # fails after the later stage has failed
        raise KeyError("first")

    def later(warnings: list[str]) -> None:
        later_failed.set()
        raise ValueError("later")

    def slow_ok(warnings: list[str]) -> None:
        assert later_failed.wait(timeout=10)
        finished.append("ok")

    stages = Stages()
    stages.add("first", first)
    stages.add("later", later)
    stages.add("ok", slow_ok)
    with pytest.raises(KeyError):
        stages.run()
    assert finished == ["ok"]


def test_waiting_requests_get_a_connection_in_lane_order(
    fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    """History's chunks (main client) are a chain: each waits for the one before. With the
    one connection busy, a waiting main-client request takes it next, then a per-activity
    request (LANE_DETAIL), then the requests whose answers need little work (LANE_LAST),
    whatever the order they started waiting in."""
    ids = [str(a["id"]) for a in demo_athlete.activities[:4]]
    fake_api.faults.add(r"/messages$", "slow", delay=1.5)  # holds the one connection 1.5 s
    with IntervalsClient(
        fake_api.base_url, DEMO_ATHLETE_ID, Secret(DEMO_API_KEY), pool_size=1, max_rate=0.0
    ) as client:
        light = client.with_retry(RetryPolicy(max_attempts=1), lane=LANE_LAST)
        detail = client.with_retry(RetryPolicy(max_attempts=1), lane=LANE_DETAIL)
        threads = [threading.Thread(target=light.activity_messages, args=(i,)) for i in ids]
        threads.append(threading.Thread(target=detail.activity_with_intervals, args=(ids[0],)))
        for thread in threads:
            thread.start()
            # Each has reached the connection gate long before the first request's 1.5 s.
            time.sleep(0.2)
        client.athlete()
        for thread in threads:
            thread.join()
    order = [stage_of(r) for r in sorted(fake_api.requests, key=lambda r: r.started)]
    # One comments request holds the connection; then the athlete (first lane), the
    # intervals (detail lane), and the other 3 comments (last lane).
    assert order == ["comments", "core", "intervals", "comments", "comments", "comments"]
