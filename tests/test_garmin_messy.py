"""Real-world Garmin payloads are messy: sentinel values, wrong types, odd shapes. None of
it may crash a sync, and a sentinel is missing, never a number."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fake_garmin import ACCESS, CLIENT_ID, REFRESH, FakeGarmin, summary

from section11.sources.garmin.activities import fetch_window, merge_activities, parse_activities
from section11.sources.garmin.client import GarminClient, GarminLimits
from section11.sources.garmin.tokens import GarminTokens
from section11.sources.garmin.wellness import fetch_days

DAY = date(2026, 3, 10)


@pytest.fixture
def client() -> Iterator[tuple[FakeGarmin, GarminClient]]:
    with (
        FakeGarmin() as fake,
        GarminClient(
            GarminTokens(ACCESS, REFRESH, CLIENT_ID),
            api_base=fake.url,
            token_url=fake.token_url,
            limits=GarminLimits(max_per_second=1000.0),
            sleep=lambda _: None,
        ) as garmin,
    ):
        yield fake, garmin


def test_sentinels_and_wrong_types_read_as_missing(client: tuple[FakeGarmin, GarminClient]) -> None:
    fake, garmin = client
    day = summary(DAY.isoformat())
    day |= {
        "averageStressLevel": -1,  # Garmin: not enough data
        "maxStressLevel": -2,  # Garmin: activity in progress
        "bodyBatteryHighestValue": "n/a",
        "bodyBatteryChargedValue": 0,  # a genuine 0: nothing charged
        "restingHeartRate": None,
    }
    fake.summaries[DAY.isoformat()] = day
    fake.readiness[DAY.isoformat()] = [{"score": "high"}, 42, None]  # type: ignore[list-item]
    fake.status[DAY.isoformat()] = {"mostRecentTrainingStatus": {"latestTrainingStatusData": []}}
    [got] = fetch_days(garmin, "runner-abc", [DAY], with_sleep=False, warnings=[])
    assert got.stress_avg is None and got.missing["stress_avg"] == "not_recorded"
    assert got.stress_max is None
    assert got.body_battery_charged == 0 and "body_battery_charged" not in got.missing
    assert got.resting_hr is None and got.missing["resting_hr"] == "not_recorded"
    assert got.training_readiness is None and got.training_status is None
    # The unreadable Body Battery high is missing; the day's other summary values survive.
    assert got.body_battery_high is None and got.body_battery_low == 25


def test_odd_activity_payloads_are_skipped(client: tuple[FakeGarmin, GarminClient]) -> None:
    fake, garmin = client
    fake.activities = [
        {"activityId": 1, "startTimeLocal": "2026-03-09 07:00:00", "distance": "far"},
        {"activityId": 2, "startTimeLocal": "2026-03-09 08:00:00", "activityType": "running"},
        {"startTimeLocal": "2026-03-09 09:00:00"},  # no id: cannot be deduplicated, dropped
    ]
    raw = merge_activities({}, fetch_window(garmin, DAY, first_run=False), DAY)
    assert sorted(raw) == ["1", "2"]
    parsed = {a.activity_id: a for a in parse_activities(raw)}
    # An unreadable field reads as missing; the rest of the activity is kept.
    assert parsed["1"].distance is None and parsed["1"].start_time_local == "2026-03-09 07:00:00"
    assert parsed["2"].activity_type is None and parsed["2"].type_key is None
