"""The Garmin source over HTTP against the fake Garmin Connect on loopback: session
resume and refresh, lost sessions, 429 cooldowns, per-metric failures, and merging."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fake_garmin import (
    ACCESS,
    CLIENT_ID,
    REFRESH,
    FakeGarmin,
    Fault,
    readiness,
    summary,
    training_status,
)

from section11.errors import ConfigError
from section11.sources.garmin.client import (
    GarminClient,
    GarminLimits,
    GarminRateLimitedError,
    GarminSessionExpiredError,
)
from section11.sources.garmin.settings import GarminSettings, resolve_garmin_settings
from section11.sources.garmin.signals import SIGNALS_STATE_FILE, fetch_signals
from section11.sources.garmin.tokens import GarminTokens, parse_token_blob
from section11.sources.garmin.wellness import days_to_fetch, fetch_days
from section11.store import write_json_atomic

TODAY = date(2026, 3, 10)
FAST = GarminLimits(max_per_second=1000.0)


def jwt(exp: int) -> str:
    """A token whose payload carries ``exp`` (the signature is not checked by anyone)."""
    payload = base64.urlsafe_b64encode(json.dumps({"exp": exp}).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJub25lIn0.{payload}.sig"


@pytest.fixture
def garmin() -> Iterator[FakeGarmin]:
    with FakeGarmin() as fake:
        yield fake


def client_for(fake: FakeGarmin, tokens: GarminTokens, sleeps: list[float]) -> GarminClient:
    return GarminClient(
        tokens, api_base=fake.url, token_url=fake.token_url, limits=FAST, sleep=sleeps.append
    )


def tokens(access: str = ACCESS) -> GarminTokens:
    return GarminTokens(access, REFRESH, CLIENT_ID)


def fill_days(fake: FakeGarmin, days: list[date]) -> None:
    for n, day in enumerate(days):
        iso = day.isoformat()
        fake.summaries[iso] = summary(iso, bb_high=70 + n, stress=20 + n)
        fake.readiness[iso] = readiness(iso, 60 + n)
        fake.status[iso] = training_status(iso)


# ------------------------------------------------------------------------------ session


def test_blob_round_trip_and_bad_blob_never_echoed() -> None:
    blob = tokens().to_blob()
    assert parse_token_blob(blob) == tokens()
    assert ACCESS not in repr(parse_token_blob(blob))
    with pytest.raises(ConfigError) as caught:
        parse_token_blob("not-a-session-!!")
    assert "garmin-login" in str(caught.value)
    assert "not-a-session" not in str(caught.value)


def test_resumed_session_uses_the_stored_token_without_refreshing(garmin: FakeGarmin) -> None:
    sleeps: list[float] = []
    with client_for(garmin, parse_token_blob(tokens().to_blob()), sleeps) as client:
        profile = client.get_json("/userprofile-service/socialProfile")
    assert profile["displayName"] == "runner-abc"
    assert [r.authorization for r in garmin.requests] == [f"Bearer {ACCESS}"]
    assert client.stats.refreshes == 0


def test_token_about_to_expire_is_refreshed_first(garmin: FakeGarmin) -> None:
    old = jwt(exp=1_000)  # expired in 1970
    garmin.valid_access.add(old)
    with client_for(garmin, tokens(old), []) as client:
        client.get_json("/userprofile-service/socialProfile")
    assert garmin.paths() == [
        "/di-oauth2-service/oauth/token",
        "/userprofile-service/socialProfile",
    ]
    assert garmin.requests[1].authorization == "Bearer fake-access-refreshed-1-abcdef"
    assert client.stats.refreshes == 1


def test_401_refreshes_once_and_retries(garmin: FakeGarmin) -> None:
    # An opaque token Garmin no longer accepts: the 401 triggers one refresh.
    with client_for(garmin, tokens("stale-opaque-token-123456"), []) as client:
        client.get_json("/userprofile-service/socialProfile")
    assert garmin.paths() == [
        "/userprofile-service/socialProfile",
        "/di-oauth2-service/oauth/token",
        "/userprofile-service/socialProfile",
    ]


def test_revoked_session_is_one_line_on_how_to_log_in_again(garmin: FakeGarmin) -> None:
    garmin.valid_access.clear()
    garmin.valid_refresh.clear()
    with client_for(garmin, tokens(), []) as client, pytest.raises(GarminSessionExpiredError) as e:
        client.get_json("/userprofile-service/socialProfile")
    message = str(e.value)
    assert "section11 garmin-login" in message and "GARMIN_TOKENS" in message
    assert "\n" not in message and REFRESH not in message and ACCESS not in message
    assert e.value.exit_code == 3


# ------------------------------------------------------------------------------ politeness


def test_429_waits_the_cooldown_garmin_asks_for(garmin: FakeGarmin) -> None:
    garmin.fail("socialProfile", Fault(429, {"Retry-After": "7"}, times=1))
    sleeps: list[float] = []
    with client_for(garmin, tokens(), sleeps) as client:
        assert client.get_json("/userprofile-service/socialProfile")["displayName"]
    assert 7.0 in sleeps
    assert len(garmin.paths("/userprofile")) == 2
    assert client.stats.cooldown_seconds == 7.0


def test_429_with_a_long_cooldown_gives_up_without_waiting(garmin: FakeGarmin) -> None:
    garmin.fail("socialProfile", Fault(429, {"Retry-After": "3600"}))
    sleeps: list[float] = []
    with client_for(garmin, tokens(), sleeps) as client, pytest.raises(GarminRateLimitedError):
        client.get_json("/userprofile-service/socialProfile")
    assert all(s < 3600 for s in sleeps)
    assert len(garmin.requests) == 1


def test_pacing_spaces_requests(garmin: FakeGarmin) -> None:
    sleeps: list[float] = []
    ticks = iter([0.0, 0.0, 0.1, 0.5, 0.6, 1.0])  # monotonic readings: before/after each send
    with GarminClient(
        tokens(),
        api_base=garmin.url,
        token_url=garmin.token_url,
        limits=GarminLimits(max_per_second=2.0),
        sleep=sleeps.append,
        clock=lambda: next(ticks),
    ) as client:
        client.get_json("/userprofile-service/socialProfile")
        client.get_json("/userprofile-service/socialProfile")
    # 2 requests/s -> 0.5 s apart; the second came 0.1 s after the first: wait 0.5 - 0.1 = 0.4
    assert sleeps == [pytest.approx(0.4)]


# ------------------------------------------------------------------------------ daily signals


def test_days_to_fetch_refetches_recent_days_and_backfills_missing_ones() -> None:
    first = days_to_fetch({}, TODAY)
    assert first == [TODAY - timedelta(days=n) for n in range(6, -1, -1)]  # 7-day backfill
    assert len(first) == 7


def test_a_metric_that_fails_for_one_day_is_null_with_its_reason(garmin: FakeGarmin) -> None:
    days = [TODAY - timedelta(days=n) for n in (2, 1, 0)]
    fill_days(garmin, days)
    # The first summary request (the oldest day) and both its retries fail.
    garmin.fail("usersummary-service", Fault(500, times=3))
    garmin.summaries.pop(TODAY.isoformat())  # today's summary is not recorded yet
    warnings: list[str] = []
    with client_for(garmin, tokens(), []) as client:
        fetched = fetch_days(client, "runner-abc", days, with_sleep=False, warnings=warnings)
    failed, ok, today = (next(d for d in fetched if d.date == day) for day in days)
    assert failed.body_battery_high is None
    assert failed.missing["body_battery_high"] == "fetch_failed"
    assert failed.training_readiness == 60  # the day's other endpoints still arrived (60 + 0)
    assert ok.body_battery_high == 71 and "body_battery_high" not in ok.missing  # 70 + 1
    # Today: Garmin has no summary yet -> null, reason not_recorded, never 0
    assert today.stress_avg is None and today.missing["stress_avg"] == "not_recorded"
    # Readiness: the reading on waking (06:30, score 60 + 2), not the later one (62 - 20)
    assert today.training_readiness == 62 and today.training_readiness_level == "MODERATE"
    assert today.training_status == "productive"  # primary device; "_2" variant dropped


def test_failed_fetch_keeps_the_value_stored_by_an_earlier_run(
    garmin: FakeGarmin, tmp_path: Path
) -> None:
    days = [TODAY - timedelta(days=n) for n in range(6, -1, -1)]
    fill_days(garmin, days)
    settings = GarminSettings(
        source="both", tokens=tokens(), api_base=garmin.url, token_url=garmin.token_url
    )

    def factory(s: GarminSettings) -> GarminClient:
        return client_for(garmin, s.require_tokens(), [])

    first = fetch_signals(settings, tmp_path, TODAY, client_factory=factory)
    write_json_atomic(tmp_path / SIGNALS_STATE_FILE, first.states[SIGNALS_STATE_FILE])
    assert first.days[TODAY].body_battery_high == 76  # 70 + index 6
    # First run: profile + 7 days x 3 endpoints = 22 requests
    assert first.requests == 22

    garmin.requests.clear()
    garmin.fail("usersummary-service", Fault(503))
    second = fetch_signals(settings, tmp_path, TODAY, client_factory=factory)
    # Rerun: profile + today and 3 finalized days x 3 endpoints = 13 (summary retried 2x each
    # of 4 days: 13 + 8 = 21 HTTP requests)
    assert second.requests == 21
    assert second.days[TODAY].body_battery_high == 76
    assert "body_battery_high" not in second.days[TODAY].missing
    assert TODAY.isoformat() in json.dumps(second.states)
    assert ACCESS not in json.dumps(second.states)


def test_rate_limit_mid_run_keeps_stored_days_and_warns(garmin: FakeGarmin, tmp_path: Path) -> None:
    fill_days(garmin, [TODAY])
    garmin.fail("trainingreadiness", Fault(429, {"Retry-After": "900"}))
    settings = GarminSettings(source="both", tokens=tokens())
    result = fetch_signals(
        settings, tmp_path, TODAY, client_factory=lambda s: client_for(garmin, tokens(), [])
    )
    assert any("rate limiting" in w for w in result.warnings)
    # After the 429 no further Garmin request is made: profile, summary, readiness only.
    assert garmin.paths()[:3][0] == "/userprofile-service/socialProfile"
    assert len(garmin.requests) == 3
    oldest = min(result.days)
    assert result.days[oldest].missing["training_status"] == "fetch_failed"


# ------------------------------------------------------------------------------ settings


def test_source_defaults_and_validation() -> None:
    blob = tokens().to_blob()
    assert resolve_garmin_settings(None, {}).source == "intervals"
    assert resolve_garmin_settings(None, {"GARMIN_TOKENS": blob}).source == "both"
    assert resolve_garmin_settings("garmin", {"GARMIN_TOKENS": blob}).source == "garmin"
    with pytest.raises(ConfigError, match="GARMIN_TOKENS"):
        resolve_garmin_settings(None, {"SECTION11_SOURCE": "garmin"})
    with pytest.raises(ConfigError, match="one of intervals, garmin, both"):
        resolve_garmin_settings(None, {"SECTION11_SOURCE": "strava"})
