"""A rerun sends the athlete request together with the four core ranges (one round trip)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from section11.config import Secret, resolve_settings
from section11.demo import DEMO_TIMEZONE, FakeIntervalsServer
from section11.pipeline import sync
from section11.previous_zone import timezone_of
from section11.sources.intervals_icu.client import IntervalsClient
from section11.sources.intervals_icu.fetch import fetch_core
from section11.store import read_json

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # 10:00 in Oslo: the same date in UTC
# 23:30 UTC is 00:30 on the 22nd in Oslo (UTC+1 in November): the dates differ.
LATE = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)


class _AthleteWaitsForActivities(IntervalsClient):
    """Answers the athlete only once the activities request has been sent: a fetch that
    asks for the athlete before the other ranges would wait here and fail."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activities_sent = threading.Event()

    def activities(self, oldest: str, newest: str, *, fields: tuple[str, ...] = ()) -> list[Any]:
        self.activities_sent.set()
        return super().activities(oldest, newest, fields=fields)

    def athlete(self) -> dict[str, Any]:
        if not self.activities_sent.wait(timeout=10):
            raise AssertionError("the athlete request went out before the activities")
        return super().athlete()


def _client(server: FakeIntervalsServer, cls: type[IntervalsClient] = IntervalsClient) -> Any:
    athlete = server.athlete
    return cls(server.base_url, athlete.athlete_id, Secret(athlete.api_key))


def _paths(server: FakeIntervalsServer) -> list[str]:
    return sorted(record.path.rsplit("/", 1)[-1] for record in server.requests)


def test_with_a_hint_the_athlete_goes_out_with_the_other_ranges(
    fake_api: FakeIntervalsServer,
) -> None:
    fake_api.reset_log()
    with _client(fake_api, _AthleteWaitsForActivities) as client:
        core = fetch_core(client, NOW, DEMO_TIMEZONE)
    # athlete + activities + wellness + calendar + illness/injury markers = 5
    assert len(fake_api.requests) == 5
    assert core.today.isoformat() == "2026-11-21"


def test_a_hint_gives_the_same_data_as_the_athlete_first(
    fake_api: FakeIntervalsServer,
) -> None:
    with _client(fake_api) as client:
        first = fetch_core(client, NOW)
        overlapped = fetch_core(client, NOW, DEMO_TIMEZONE)
    assert overlapped == first


def test_a_hint_with_another_date_fetches_the_windows_again(
    fake_api: FakeIntervalsServer,
) -> None:
    with _client(fake_api) as client:
        fake_api.reset_log()
        expected = fetch_core(client, LATE)
        fake_api.reset_log()
        core = fetch_core(client, LATE, "UTC")
    # "UTC" says the 21st, Oslo says the 22nd: 5 requests, then the 4 ranges again = 9
    assert len(fake_api.requests) == 9
    assert core.today.isoformat() == "2026-11-22"
    assert core == expected


def test_athlete_id_zero_waits_for_the_real_id(fake_api: FakeIntervalsServer) -> None:
    athlete = fake_api.athlete
    fake_api.reset_log()
    with IntervalsClient(fake_api.base_url, "0", Secret(athlete.api_key)) as client:
        fetch_core(client, NOW, DEMO_TIMEZONE)
    # The ranges go out only after the athlete answered with its real id.
    ranges = [r.path for r in fake_api.requests if not r.path.endswith("/athlete/0")]
    assert len(ranges) == 4
    assert all(f"/athlete/{athlete.athlete_id}/" in path for path in ranges)


def previous_timezone(latest: Path) -> str | None:
    # As the pipeline reads it: the decoded previous latest.json (None when unreadable).
    return timezone_of(read_json(latest).data)


def test_previous_timezone_reads_latest_metadata(tmp_path: Path) -> None:
    latest = tmp_path / "latest.json"
    assert previous_timezone(latest) is None  # no previous run
    latest.write_text("{not json")
    assert previous_timezone(latest) is None
    latest.write_text(json.dumps({"metadata": {"timezone": ""}}))
    assert previous_timezone(latest) is None
    latest.write_text(json.dumps({"metadata": {"timezone": "Europe/Oslo"}}))
    assert previous_timezone(latest) == "Europe/Oslo"


def test_a_rerun_uses_the_timezone_of_the_previous_run(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    (tmp_path / "no-config.json").write_text("{}")
    settings = resolve_settings(
        {"output_dir": str(tmp_path / "out")},
        {"SECTION11_CONFIG": str(tmp_path / "no-config.json")},
    )
    with _client(fake_api) as client:
        sync(settings, client, NOW)
    fake_api.reset_log()
    with _client(fake_api, _AthleteWaitsForActivities) as client:
        outcome = sync(settings, client, NOW)
    assert outcome.today.isoformat() == "2026-11-21"
    assert len(fake_api.requests) <= 5
