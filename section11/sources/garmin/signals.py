"""What one run fetches from Garmin Connect when Intervals.icu is the primary source:
the athlete's display name (needed in some daily paths), then today and the last few
days of Garmin's own signals, merged with the days stored by earlier runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from section11.errors import ApiError
from section11.sources.garmin.activities import fetch_window, parse_activities
from section11.sources.garmin.client import GarminClient, GarminLimits, GarminRateLimitedError
from section11.sources.garmin.detail import DETAIL_STATE_FILE, DetailCache, fetch_details
from section11.sources.garmin.models import GarminActivity, SocialProfile
from section11.sources.garmin.settings import GarminSettings
from section11.sources.garmin.wellness import (
    GarminDay,
    days_from_state,
    days_to_fetch,
    days_to_state,
    fetch_days,
    merge_days,
)
from section11.sources.intervals_icu.models import Activity
from section11.store import read_json

SIGNALS_STATE_FILE = "garmin-wellness.json"
MATCH_SECONDS = 120  # the same recording seen by both services starts within this


@dataclass
class GarminSignals:
    days: dict[date, GarminDay]
    states: dict[str, Any]  # state file name -> what to store for the next run (no tokens)
    requests: int = 0
    warnings: list[str] = field(default_factory=list)
    # Garmin-only mode: activity id -> (list entry, cached detail or None)
    activity_detail: dict[str, tuple[GarminActivity, dict[str, Any] | None]] = field(
        default_factory=dict
    )


ClientFactory = Callable[[GarminSettings], GarminClient]


def open_client(settings: GarminSettings) -> GarminClient:
    return GarminClient(
        settings.require_tokens(),
        api_base=settings.api_base,
        token_url=settings.token_url,
        limits=GarminLimits(max_per_second=settings.max_per_second),
    )


def display_name(client: GarminClient) -> str | None:
    payload = client.get_json("/userprofile-service/socialProfile")
    try:
        return SocialProfile.model_validate(payload).display_name
    except ValidationError:
        return None  # the per-user daily paths then count as not recorded


def fetch_signals(
    settings: GarminSettings,
    state_dir: Path,
    today: date,
    *,
    activities: Sequence[Activity] = (),
    now_utc: datetime | None = None,
    with_sleep: bool = False,
    client_factory: ClientFactory = open_client,
) -> GarminSignals:
    """Garmin's daily signals up to ``today``, and Garmin's detail for the primary
    source's ``activities`` that Garmin also has. A lost session raises (the run stops with
    one line on how to log in again); any other Garmin failure is a warning and leaves the
    stored days as they were."""
    loaded = read_json(state_dir / SIGNALS_STATE_FILE)
    stored = days_from_state(loaded.data) if loaded.status == "ok" else {}
    warnings: list[str] = []
    with client_factory(settings) as client:

        def result(days: dict[date, GarminDay]) -> GarminSignals:
            states = {SIGNALS_STATE_FILE: days_to_state(days)}
            return GarminSignals(days, states, client.stats.requests, warnings)

        detail_cache = read_state(state_dir / DETAIL_STATE_FILE, DetailCache.from_state)

        try:
            name = display_name(client)
        except ApiError as exc:
            if exc.exit_code == 3 and not isinstance(exc, GarminRateLimitedError):
                raise
            warnings.append(f"Garmin signals were not updated: {exc}")
            return result(stored)
        fetched = fetch_days(
            client, name, days_to_fetch(stored, today), with_sleep=with_sleep, warnings=warnings
        )
        signals = result(merge_days(stored, fetched, today))
        if activities and now_utc is not None:
            signals.activity_detail = _matched_detail(
                client, activities, detail_cache, now_utc, today, settings.detail_cap, warnings
            )
            signals.states[DETAIL_STATE_FILE] = detail_cache.to_state()
            signals.requests = client.stats.requests
        return signals


def _matched_detail(
    client: GarminClient,
    activities: Sequence[Activity],
    cache: DetailCache,
    now_utc: datetime,
    today: date,
    cap: int,
    warnings: list[str],
) -> dict[str, tuple[GarminActivity, dict[str, Any] | None]]:
    """Garmin's detail keyed by the primary source's activity id, for the activities of the
    last week that Garmin also recorded (same start within ``MATCH_SECONDS``)."""
    try:
        raw = fetch_window(client, now_utc.date() + timedelta(days=1), first_run=False)
    except ApiError as exc:
        if exc.exit_code == 3 and not isinstance(exc, GarminRateLimitedError):
            raise
        warnings.append(f"Garmin activity detail was not updated: {exc}")
        return {}
    garmin = parse_activities({str(i): item for i, item in enumerate(raw)})
    matches = match_activities(activities, garmin)
    updated = fetch_details(client, list(matches.values()), cache, today, cap, warnings)
    cache.day, cache.requests_today, cache.activities = (
        updated.day,
        updated.requests_today,
        updated.activities,
    )
    return {own_id: (g, cache.activities.get(str(g.activity_id))) for own_id, g in matches.items()}


def match_activities(
    activities: Sequence[Activity], garmin: Sequence[GarminActivity]
) -> dict[str, GarminActivity]:
    """Pair each activity with the Garmin activity that started at the same moment."""
    starts: list[tuple[datetime, GarminActivity]] = []
    for g in garmin:
        moment = _utc(g.start_time_gmt)
        if moment is not None:
            starts.append((moment, g))
    pairs: dict[str, GarminActivity] = {}
    for activity in activities:
        moment = _utc(activity.start_date)
        if activity.id is None or moment is None:
            continue
        near = [(abs((m - moment).total_seconds()), g) for m, g in starts]
        best = min(near, key=lambda pair: pair[0], default=None)
        if best is not None and best[0] <= MATCH_SECONDS:
            pairs[activity.id] = best[1]
    return pairs


def _utc(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T").replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def read_state(path: Path, reader: Any) -> Any:
    """A state file through ``reader``; a missing or unreadable file reads as None."""
    loaded = read_json(path)
    return reader(loaded.data if loaded.status == "ok" else None)
