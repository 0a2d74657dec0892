"""The Intervals.icu client over real HTTP against the fake server."""

from __future__ import annotations

import http.server
import random
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from section11.config import Secret
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer
from section11.errors import (
    ApiError,
    ApiUnavailableError,
    AuthenticationError,
    NotFoundError,
)
from section11.sources.intervals_icu.client import (
    IntervalsClient,
    RetryPolicy,
    _Pacer,
    _retry_after_seconds,
)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(fake_api: FakeIntervalsServer, sleeps: list[float]) -> Iterator[IntervalsClient]:
    # Recorded sleeps instead of real ones keep retry tests instant and let us check delays.
    with IntervalsClient(
        fake_api.base_url,
        DEMO_ATHLETE_ID,
        Secret(DEMO_API_KEY),
        sleep=sleeps.append,
        rng=random.Random(1),
        retry=RetryPolicy(max_attempts=4, backoff_base=0.5, backoff_cap=30.0),
    ) as c:
        yield c


def test_fetches_with_basic_auth(client: IntervalsClient, fake_api: FakeIntervalsServer) -> None:
    athlete = client.athlete()
    assert athlete["id"] == DEMO_ATHLETE_ID
    activities = client.activities("2026-11-14", "2026-11-21T23:59:59")
    assert activities, "the demo athlete trains every week"
    assert client.stats.requests == 2
    assert client.stats.retries == 0
    assert client.stats.bytes_received == sum(r.bytes_sent for r in fake_api.requests)


def test_wrong_key_is_an_authentication_error_without_the_key(
    fake_api: FakeIntervalsServer,
) -> None:
    bad = IntervalsClient(fake_api.base_url, DEMO_ATHLETE_ID, Secret("wrong-key-123"))
    with bad, pytest.raises(AuthenticationError) as info:
        bad.athlete()
    message = str(info.value)
    assert info.value.exit_code == 3
    assert "starts with 'i'" in message
    assert "wrong-key-123" not in message
    assert "wrong-key-123" not in repr(bad)
    assert len(fake_api.requests) == 1  # never retried


def test_429_with_retry_after_is_honoured(
    client: IntervalsClient, fake_api: FakeIntervalsServer, sleeps: list[float]
) -> None:
    fake_api.faults.add(r"/athlete/[^/]+$", "429", count=2, retry_after="3")
    assert client.athlete()["id"] == DEMO_ATHLETE_ID
    assert client.stats.requests == 3
    assert client.stats.retries == 2
    assert sleeps.count(3.0) == 2  # waited exactly what the server asked, twice


def test_429_without_retry_after_backs_off_exponentially(
    client: IntervalsClient, fake_api: FakeIntervalsServer, sleeps: list[float]
) -> None:
    fake_api.faults.add(r"/athlete/[^/]+$", "429", count=3)
    client.athlete()
    backoffs = [s for s in sleeps if s >= 0.2]  # pacing sleeps are tiny or absent
    assert len(backoffs) == 3
    # Attempt n waits between half and all of min(30, 0.5 * 2^(n-1)): 0.25-0.5, 0.5-1, 1-2.
    for attempt, delay in enumerate(backoffs, start=1):
        ceiling = 0.5 * 2 ** (attempt - 1)
        assert ceiling / 2 <= delay <= ceiling


@pytest.mark.parametrize("kind", ["500", "503", "malformed", "drop"])
def test_transient_failures_are_retried(
    client: IntervalsClient, fake_api: FakeIntervalsServer, kind: Any
) -> None:
    fake_api.faults.add(r"/wellness", kind, count=2)
    assert isinstance(client.wellness("2026-11-01", "2026-11-21"), list)
    assert client.stats.requests == 3


def test_persistent_failure_becomes_api_unavailable(
    client: IntervalsClient, fake_api: FakeIntervalsServer
) -> None:
    fake_api.faults.add(r"/activities", "500", count=10)
    with pytest.raises(ApiUnavailableError) as info:
        client.activities("2026-11-01", "2026-11-21")
    assert info.value.exit_code == 4
    assert "HTTP 500" in str(info.value)
    assert "after 4 attempts" in str(info.value)
    assert client.stats.requests == 4


def test_wrong_shape_is_reported_not_retried(
    client: IntervalsClient, fake_api: FakeIntervalsServer
) -> None:
    fake_api.faults.add(r"/activities", "wrong_shape", count=1)
    with pytest.raises(ApiUnavailableError, match="unexpected data for activities"):
        client.activities("2026-11-01", "2026-11-21")
    assert client.stats.requests == 1


def test_unknown_activity_is_not_found(client: IntervalsClient) -> None:
    with pytest.raises(NotFoundError) as info:
        client.activity_with_intervals("i0")
    assert "HTTP 404" in str(info.value)


def test_retry_after_parsing() -> None:
    assert _retry_after_seconds("7") == 7.0
    assert _retry_after_seconds(None) is None
    assert _retry_after_seconds("soon") is None
    # An HTTP date in the past means "now".
    assert _retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_pacer_allows_a_burst_then_paces() -> None:
    waits: list[float] = []
    pacer = _Pacer(rate=10.0, burst=3, sleep=waits.append)
    for _ in range(5):
        pacer.wait()
    # Three requests fit the burst; the 4th and 5th wait ~0.1 s and ~0.2 s at 10/s
    # (minus the few microseconds the loop itself took).
    assert len(waits) == 2
    assert 0.09 <= waits[0] <= 0.1
    assert 0.19 <= waits[1] <= 0.2


def test_nan_and_infinity_from_the_api_become_none(
    client: IntervalsClient, fake_api: FakeIntervalsServer
) -> None:
    # NaN/Infinity are not JSON, but Python's parser accepts them; left as floats they
    # crashed the run later (our files are written with allow_nan=False).
    day = fake_api.athlete.wellness[-1]
    day["ctl"], day["atl"], day["hrv"] = float("nan"), float("inf"), float("-inf")
    served = client.wellness(day["id"], day["id"])
    assert len(served) == 1
    assert (served[0]["ctl"], served[0]["atl"], served[0]["hrv"]) == (None, None, None)


def test_a_request_the_api_rejects_says_what_to_check(client: IntervalsClient) -> None:
    # No 'oldest' parameter: the fake server answers 422 as Intervals.icu does.
    with pytest.raises(ApiError) as info:
        client.get_json(f"/athlete/{DEMO_ATHLETE_ID}/activities")
    assert "HTTP 422" in str(info.value)
    assert "INTERVALS_API_BASE" in str(info.value) and "left unchanged" in str(info.value)


def test_a_web_page_instead_of_json_points_at_the_api_base(sleeps: list[float]) -> None:
    # An API base without /api/v1 gets the website's HTML with status 200.
    class _Html(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<!DOCTYPE html><html>Intervals.icu</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html;charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Html)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with (
            IntervalsClient(
                base,
                DEMO_ATHLETE_ID,
                Secret(DEMO_API_KEY),
                sleep=sleeps.append,
                retry=RetryPolicy(max_attempts=2),
            ) as html_client,
            pytest.raises(ApiUnavailableError) as info,
        ):
            html_client.athlete()
    finally:
        server.shutdown()
        server.server_close()
    assert "a web page instead of JSON" in str(info.value) and base in str(info.value)
