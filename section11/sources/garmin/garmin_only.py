"""Garmin Connect alone: Garmin data served through the interface the sync pipeline reads
from Intervals.icu, as the same typed records (converted in ``convert``), so the pipeline,
the metrics and the outputs run unchanged and write all five files.

Everything is fetched once, on the first call (``athlete()``): the user settings (LTHR,
weight), the activities of the rolling window, and the daily signals (with sleep and
HRV). Load is hrTSS and CTL/ATL come from it (``metrics.hr_load``); Garmin has no calendar
and no interval analysis here, so events are empty, and routes and terrain have nothing
to work on.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from section11.clock import local_today
from section11.errors import NotFoundError
from section11.metrics.hr_load import fitness_by_day
from section11.sources.garmin.activities import (
    ACTIVITIES_STATE_FILE,
    KEEP_DAYS,
    activities_from_state,
    activities_to_state,
    fetch_window,
    merge_activities,
    parse_activities,
    utc_offset_zone,
)
from section11.sources.garmin.client import GarminClient
from section11.sources.garmin.convert import (
    athlete_lthr,
    laps_as_intervals,
    to_activity,
    to_athlete,
    to_wellness,
)
from section11.sources.garmin.detail import DETAIL_STATE_FILE, DetailCache, fetch_details
from section11.sources.garmin.models import UserSettings
from section11.sources.garmin.settings import GarminSettings
from section11.sources.garmin.signals import (
    SIGNALS_STATE_FILE,
    ClientFactory,
    GarminSignals,
    display_name,
    open_client,
    read_state,
)
from section11.sources.garmin.wellness import (
    GarminDay,
    days_from_state,
    days_to_fetch,
    days_to_state,
    fetch_days,
    merge_days,
)
from section11.sources.intervals_icu.client import ClientStats, IntervalsClient, RetryPolicy
from section11.sources.intervals_icu.models import Activity, Athlete, Wellness

log = logging.getLogger(__name__)


class GarminOnlyClient(IntervalsClient):
    """The pipeline's client, backed by Garmin Connect. No Intervals.icu session exists."""

    def __init__(
        self,
        settings: GarminSettings,
        state_dir: Path,
        now_utc: datetime,
        *,
        client_factory: ClientFactory = open_client,
    ) -> None:
        # Deliberately no super().__init__(): there is no Intervals.icu account to talk to.
        self.base_url = settings.api_base
        self.athlete_id = "garmin"
        self.stats = ClientStats()
        self._garmin: GarminClient = client_factory(settings)
        self._settings = settings
        self._state_dir = state_dir
        self._now_utc = now_utc
        self._athlete: Athlete | None = None
        self._activities: list[Activity] = []
        self._wellness: list[Wellness] = []
        self.signals: GarminSignals | None = None
        self._details: dict[str, dict[str, Any]] = {}

    def __repr__(self) -> str:
        return "GarminOnlyClient()"

    def with_retry(self, retry: RetryPolicy, *, lane: int = 0) -> IntervalsClient:
        return self

    def close(self) -> None:
        self._garmin.__exit__()

    # ------------------------------------------------------------------ the pipeline's reads

    def athlete(self) -> dict[str, Any]:
        self._load()
        assert self._athlete is not None
        return self._athlete.model_dump(by_alias=True, exclude_none=True)

    def activities(self, oldest: str, newest: str, *, fields: tuple[str, ...] = ()) -> list[Any]:
        self._load()
        first, last = oldest[:10], newest[:10]
        return [
            a.model_dump(by_alias=True, exclude_none=True)
            for a in self._activities
            if first <= (a.start_date_local or "")[:10] <= last
        ]

    def wellness(self, oldest: str, newest: str, *, fields: tuple[str, ...] = ()) -> list[Any]:
        self._load()
        return [
            w.model_dump(by_alias=True, exclude_none=True)
            for w in self._wellness
            if oldest[:10] <= (w.id or "") <= newest[:10]
        ]

    def events(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []

    def activity_with_intervals(self, activity_id: str) -> dict[str, Any]:
        """The laps fetched (and cached) with the activity detail; no request here."""
        self._load()
        cached = self._details.get(activity_id)
        laps = cached.get("laps") if cached else None
        if not isinstance(laps, list) or not laps:
            raise NotFoundError(f"Garmin has no laps for activity {activity_id} (yet)")
        return {"id": activity_id, "icu_intervals": laps_as_intervals(laps)}

    def activity_streams(self, activity_id: str, types: tuple[str, ...]) -> list[Any]:
        return []

    def get_json(self, path: str, params: Any = None) -> Any:
        raise NotFoundError("Garmin-only mode does not call Intervals.icu")

    def download(self, url: str) -> bytes:
        raise NotFoundError("Garmin-only mode does not download attachments")

    # ------------------------------------------------------------------ fetching

    def _load(self) -> None:
        if self._athlete is not None:
            return
        client = self._garmin
        stored_activities = read_state(
            self._state_dir / ACTIVITIES_STATE_FILE, activities_from_state
        )
        stored_days = read_state(self._state_dir / SIGNALS_STATE_FILE, days_from_state)
        raw_settings = client.get_json("/userprofile-service/userprofile/user-settings")
        settings = _user_settings(raw_settings)
        name = display_name(client)
        # The window ends tomorrow in UTC: athletes east of UTC are already a day ahead.
        utc_end = self._now_utc.date() + timedelta(days=1)
        fetched = fetch_window(client, utc_end, first_run=not stored_activities)
        raw = merge_activities(stored_activities, fetched, utc_end)
        garmin_activities = parse_activities(raw)
        timezone = utc_offset_zone(garmin_activities)
        today = local_today(self._now_utc, timezone)

        warnings: list[str] = []
        days = fetch_days(
            client, name, days_to_fetch(stored_days, today), with_sleep=True, warnings=warnings
        )
        merged_days = merge_days(stored_days, days, today)

        lthr = athlete_lthr(settings)
        if lthr is None:
            warnings.append(
                "Garmin has no lactate-threshold heart rate for you, so activity load (hrTSS) "
                "and CTL/ATL are unavailable; a run with a chest strap and Garmin's LT test "
                "sets one"
            )
        cache = fetch_details(
            client,
            garmin_activities,
            read_state(self._state_dir / DETAIL_STATE_FILE, DetailCache.from_state),
            today,
            self._settings.detail_cap,
            warnings,
        )
        self._details = cache.activities
        self._athlete = to_athlete(settings, timezone)
        self._activities = [
            to_activity(a, lthr, self._details.get(str(a.activity_id))) for a in garmin_activities
        ]
        self._wellness = _wellness(self._activities, merged_days, today, settings, lthr)
        self.signals = GarminSignals(
            merged_days,
            {
                SIGNALS_STATE_FILE: days_to_state(merged_days),
                ACTIVITIES_STATE_FILE: activities_to_state(raw),
                DETAIL_STATE_FILE: cache.to_state(),
            },
            client.stats.requests,
            warnings,
            {
                str(a.activity_id): (a, self._details.get(str(a.activity_id)))
                for a in garmin_activities
                if a.activity_id is not None
            },
        )
        self.stats.requests = client.stats.requests
        self.stats.bytes_received = client.stats.bytes_received


def _user_settings(payload: Any) -> UserSettings | None:
    try:
        return UserSettings.model_validate(payload) if payload else None
    except ValidationError:
        return None  # no LTHR and weight: a warning says what that costs


def _wellness(
    activities: list[Activity],
    days: dict[date, GarminDay],
    today: date,
    settings: UserSettings | None,
    lthr: float | None,
) -> list[Wellness]:
    first = today - timedelta(days=KEEP_DAYS - 1)
    loads: dict[date, float] = defaultdict(float)
    for activity in activities:
        day = activity.local_date
        if day is not None and activity.icu_training_load is not None:
            loads[day] += activity.icu_training_load
    fitness = fitness_by_day(loads, first, today) if lthr is not None else {}
    weight_g = settings.user_data.weight if settings and settings.user_data else None
    weight = round(weight_g / 1000, 1) if weight_g else None
    wellness: list[Wellness] = []
    day = first
    while day <= today:
        signals = days.get(day)
        if signals is not None or day in fitness:
            wellness.append(
                to_wellness(
                    signals or GarminDay(date=day),
                    fitness.get(day),
                    weight if day == today else None,
                )
            )
        day += timedelta(days=1)
    return wellness
