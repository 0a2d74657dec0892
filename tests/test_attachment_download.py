"""Attachment downloads against the fake server: byte caps, deadlines, odd URLs, bad bodies.

Every case ends in a classified result for that one attachment (``permanent`` or
``transient``); none raises. Core API endpoints retry the same faults and then raise one
clear ``ApiUnavailableError``.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator

import pytest

from section11.config import Secret
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, DemoAthlete, FakeIntervalsServer
from section11.demo.attachment_faults import AttachmentFault
from section11.demo.routes import gpx_track
from section11.errors import ApiUnavailableError
from section11.sources.intervals_icu import IntervalsClient, RetryPolicy
from section11.sources.intervals_icu.detail import attachment_fetcher
from section11.sources.intervals_icu.download import DownloadLimits

GPX = gpx_track([(59.9, 10.7, 100.0), (59.91, 10.7, 110.0), (59.92, 10.7, 120.0)])


@pytest.fixture
def server(demo_athlete: DemoAthlete) -> Iterator[FakeIntervalsServer]:
    demo_athlete.attachments["plain"] = GPX
    for fault in ("gzip", "gzip_bomb", "bad_gzip", "truncated", "trickle", "redirect_loop"):
        demo_athlete.attachments[fault] = GPX
    demo_athlete.attachments["oversized"] = b""
    fake = FakeIntervalsServer(demo_athlete)
    for fault in (
        "gzip",
        "gzip_bomb",
        "bad_gzip",
        "truncated",
        "trickle",
        "redirect_loop",
        "oversized",
    ):
        fake.attachment_faults[fault] = fault  # type: ignore[assignment]
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def make_client(
    fake: FakeIntervalsServer, *, deadline: float = 10.0, attempts: int = 1
) -> IntervalsClient:
    return IntervalsClient(
        fake.base_url,
        DEMO_ATHLETE_ID,
        Secret(DEMO_API_KEY),
        retry=RetryPolicy(max_attempts=attempts),
        sleep=lambda _: None,
        download_limits=DownloadLimits(max_bytes=20 * 1024 * 1024, deadline=deadline),
    )


def test_plain_and_gzip_encoded_files_arrive_whole(server: FakeIntervalsServer) -> None:
    with make_client(server) as client:
        fetch = attachment_fetcher(client)
        for att in ("plain", "gzip"):
            result = fetch(server.attachment_url(att, "a.gpx"))
            assert (result.kind, result.data) == ("ok", GPX)


@pytest.mark.parametrize(
    ("fault", "kind", "fragment"),
    [
        # 64 MB of zeros compressed to ~64 KB: refused once the decoded size passes 20 MB.
        ("gzip_bomb", "permanent", "larger than 20 MB"),
        # 25 MB on the wire without a Content-Length: stopped at the 20 MB cap.
        ("oversized", "permanent", "larger than 20 MB"),
        ("bad_gzip", "permanent", "damaged compressed body"),
        ("redirect_loop", "permanent", "too many redirects"),
        ("truncated", "transient", "cut short"),
    ],
)
def test_hostile_downloads_become_one_classified_result(
    server: FakeIntervalsServer, fault: AttachmentFault, kind: str, fragment: str
) -> None:
    with make_client(server) as client:
        result = attachment_fetcher(client)(server.attachment_url(fault, "a.gpx"))
    assert result.kind == kind
    assert result.error is not None and fragment in result.error
    assert result.data is None


def test_a_trickle_ends_at_the_deadline(server: FakeIntervalsServer) -> None:
    # One byte every 0.5 s of a declared 1 MB would take ~6 days; the 1.5 s deadline ends it,
    # and it is not retried within the run although the policy allows 3 attempts.
    with make_client(server, deadline=1.5, attempts=3) as client:
        started = time.monotonic()
        result = attachment_fetcher(client)(server.attachment_url("trickle", "a.gpx"))
        elapsed = time.monotonic() - started
        assert client.stats.requests == 1
    assert result.kind == "transient"
    assert result.error is not None and "longer than 2 s" in result.error  # 1.5 -> "2"
    # Deadline 1.5 s plus at most one 0.5 s gap between bytes, with slack for a busy box.
    assert elapsed < 5.0


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("file:///etc/passwd", "unsupported scheme 'file'"),
        ("ftp://files.example/route.gpx", "unsupported scheme 'ftp'"),
        ("data:application/gpx+xml;base64,PGdweC8+", "unsupported scheme 'data'"),
        ("", "empty URL"),
        ("   ", "empty URL"),
        ("/attachments/1/route.gpx", "relative"),
        ("http://[::1/route.gpx", "malformed"),
        ("http://host:99999/route.gpx", "malformed"),
        ("https:///route.gpx", "no host"),
    ],
)
def test_odd_urls_are_refused_without_a_request(
    server: FakeIntervalsServer, url: str, fragment: str
) -> None:
    with make_client(server) as client:
        server.reset_log()
        result = attachment_fetcher(client)(url)
        assert client.stats.requests == 0  # refused before any request
    assert result.kind == "permanent"
    assert result.error is not None and fragment in result.error
    assert server.request_count() == 0


@pytest.mark.parametrize(
    ("fault", "fragment"),
    [("truncated", "cut short"), ("bad_gzip", "damaged compressed body")],
)
def test_core_endpoint_faults_are_retried_then_one_clear_error(
    fake_api: FakeIntervalsServer, fault: str, fragment: str
) -> None:
    fake_api.faults.add(r"/athlete/[^/]+$", fault, count=3)  # type: ignore[arg-type]
    with IntervalsClient(
        fake_api.base_url,
        DEMO_ATHLETE_ID,
        Secret(DEMO_API_KEY),
        retry=RetryPolicy(max_attempts=3),
        sleep=lambda _: None,
    ) as client:
        with pytest.raises(ApiUnavailableError) as caught:
            client.athlete()
        assert client.stats.requests == 3  # three attempts, each failing the same way
    message = str(caught.value)
    assert fragment in message and "after 3 attempts" in message
    assert "Error" not in message.split(":")[0]  # no exception class name leads the line


def test_core_endpoint_recovers_when_the_fault_passes(fake_api: FakeIntervalsServer) -> None:
    fake_api.faults.add(r"/athlete/[^/]+$", "truncated", count=1)
    with IntervalsClient(
        fake_api.base_url,
        DEMO_ATHLETE_ID,
        Secret(DEMO_API_KEY),
        retry=RetryPolicy(max_attempts=2),
        sleep=lambda _: None,
    ) as client:
        assert client.athlete()["id"] == DEMO_ATHLETE_ID


class _Trickle(http.server.BaseHTTPRequestHandler):
    """Answers every request with a 1 MB declared body sent one byte every 0.2 s."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        try:
            for _ in range(100):  # 20 s at most, so a broken client cannot hang the suite
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: object) -> None:
        return


def test_a_trickling_core_endpoint_ends_at_the_deadline_then_one_clear_error() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/api/v1"
        with IntervalsClient(
            base,
            DEMO_ATHLETE_ID,
            Secret(DEMO_API_KEY),
            retry=RetryPolicy(max_attempts=2),
            sleep=lambda _: None,
            response_limits=DownloadLimits(deadline=1.0),
        ) as client:
            started = time.monotonic()
            with pytest.raises(ApiUnavailableError) as caught:
                client.athlete()
            elapsed = time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()
    assert "the response took longer than 1 s" in str(caught.value)
    assert "after 2 attempts" in str(caught.value)
    # Two attempts of 1 s each plus at most one 0.2 s gap each, with slack for a busy box.
    assert elapsed < 6.0
