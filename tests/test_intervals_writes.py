"""Write requests of the Intervals.icu client: idempotent writes retry, others never
repeat a request that may have arrived."""

from __future__ import annotations

import pytest

from section11.config import Secret
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer
from section11.errors import ApiUnavailableError
from section11.sources.intervals_icu import IntervalsClient, RetryPolicy
from section11.sources.intervals_icu.writes import CalendarApi


def _api(server: FakeIntervalsServer) -> CalendarApi:
    client = IntervalsClient(
        server.base_url,
        DEMO_ATHLETE_ID,
        Secret(DEMO_API_KEY),
        retry=RetryPolicy(max_attempts=3),
        sleep=lambda _: None,
    )
    return CalendarApi(client)


EVENT = {
    "category": "WORKOUT",
    "start_date_local": "2026-11-25T00:00:00",
    "name": "Tempo",
    "type": "Run",
    "description": "- 20m Z3 HR",
    "external_id": "section11-test",
}


def test_bulk_upsert_is_retried_and_stays_single(fake_api: FakeIntervalsServer) -> None:
    fake_api.faults.add(r"/events/bulk$", "503")
    api = _api(fake_api)
    before = len(fake_api.athlete.events)
    (saved,) = api.upsert_events([EVENT])
    (again,) = api.upsert_events([{**EVENT, "name": "Tempo run"}])
    assert again["id"] == saved["id"]
    assert len(fake_api.athlete.events) == before + 1
    # 503 then 200 for the first call, 200 for the second: 3 requests
    assert fake_api.request_count(r"/events/bulk$") == 3


def test_a_failed_create_is_not_repeated(fake_api: FakeIntervalsServer) -> None:
    fake_api.faults.add(r"/events$", "500")
    api = _api(fake_api)
    with pytest.raises(ApiUnavailableError, match="may or may not have been applied"):
        api.create_event(EVENT)
    assert fake_api.request_count(r"/events$") == 1


def test_a_rate_limited_create_is_retried(fake_api: FakeIntervalsServer) -> None:
    fake_api.faults.add(r"/events$", "429", retry_after="0")
    created = _api(fake_api).create_event(EVENT)
    assert created["name"] == "Tempo"
    assert fake_api.request_count(r"/events$") == 2  # 429, then the create
