"""Payload models: tolerant at the edge, allow-listed, honest about what they dropped."""

from __future__ import annotations

from datetime import date

from section11.sources.intervals_icu.models import (
    Activity,
    Athlete,
    Wellness,
    parse_record,
    parse_records,
)


def test_athlete_keeps_only_allow_listed_fields() -> None:
    athlete = Athlete.model_validate(
        {
            "id": "i1",
            "timezone": "Europe/Oslo",
            "icu_api_key": "secret-key",
            "email": "a@b.c",
            "icu_friend_invite_token": "tok",
            "sportSettings": [{"types": ["Ride"], "ftp": 250}],
        }
    )
    dumped = str(athlete.model_dump())
    assert "secret-key" not in dumped and "a@b.c" not in dumped and "tok" not in dumped
    assert athlete.settings_for("Ride") is not None
    assert athlete.settings_for("Ride").ftp == 250  # type: ignore[union-attr]


def test_numeric_ids_of_older_accounts_are_read_as_text() -> None:
    assert Athlete.model_validate({"id": 2049151}).id == "2049151"
    assert Activity.model_validate({"id": 123}).id == "123"


def test_present_but_null_fields_are_missing_not_zero() -> None:
    activity = Activity.model_validate(
        {"id": "i1", "moving_time": None, "icu_training_load": None, "icu_zone_times": None}
    )
    assert activity.moving_time is None and activity.icu_training_load is None
    assert activity.local_date is None  # no start date at all


def test_a_bad_field_is_dropped_not_the_record() -> None:
    record = {"id": "i1", "start_date_local": "2026-11-20T07:00:00", "icu_rpe": "hard"}
    activity, dropped = parse_record(Activity, record)
    assert activity is not None and activity.icu_rpe is None
    assert activity.local_date == date(2026, 11, 20)
    assert dropped == ["icu_rpe"]


def test_parse_records_reports_what_it_could_not_read() -> None:
    problems: list[str] = []
    records = [{"id": "2026-11-20", "hrv": 55}, "garbage", {"id": "2026-11-21", "hrv": "n/a"}]
    parsed = parse_records(Wellness, records, "wellness", problems)
    assert [w.id for w in parsed] == ["2026-11-20", "2026-11-21"]
    assert parsed[1].hrv is None
    assert problems == [
        "skipped 1 wellness record(s) from the API that could not be read",
        "ignored unreadable wellness field(s) from the API: hrv",
    ]


def test_strava_stubs_are_recognised() -> None:
    stub = Activity.model_validate(
        {
            "id": "i9",
            "start_date_local": "2026-11-18T12:10:00",
            "source": "STRAVA",
            "_note": "STRAVA activities are not available via the API",
        }
    )
    assert stub.is_strava_stub
    assert not Activity.model_validate(
        {"id": "i8", "type": "Ride", "source": "GARMIN_CONNECT"}
    ).is_strava_stub
