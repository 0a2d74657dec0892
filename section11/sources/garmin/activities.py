"""Garmin activities over a fixed rolling window, deduplicated by Garmin's activity id.

Polling a rolling window (not a cursor) is what makes a late upload land: an activity that
reaches Garmin hours after a run is inside the next run's window. The first run reaches
back ``FIRST_RUN_DAYS``; later runs ``WINDOW_DAYS``. What earlier runs fetched is kept in
the state file, so the files keep older activities without asking Garmin again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from section11.sources.garmin.client import GarminClient
from section11.sources.garmin.models import GarminActivity
from section11.sources.intervals_icu.models import parse_record

WINDOW_DAYS = 7
FIRST_RUN_DAYS = 90
KEEP_DAYS = 120
PAGE_SIZE = 100
MAX_PAGES = 10
ACTIVITIES_STATE_FILE = "garmin-activities.json"


def fetch_window(client: GarminClient, today: date, first_run: bool) -> list[dict[str, Any]]:
    """Raw activity payloads started in the window ending today, newest first."""
    start = today - timedelta(days=(FIRST_RUN_DAYS if first_run else WINDOW_DAYS) - 1)
    found: list[dict[str, Any]] = []
    for page in range(MAX_PAGES):
        batch = client.get_json(
            "/activitylist-service/activities/search/activities",
            {
                "startDate": start.isoformat(),
                "endDate": today.isoformat(),
                "start": page * PAGE_SIZE,
                "limit": PAGE_SIZE,
            },
        )
        items = (
            [item for item in batch if isinstance(item, dict)] if isinstance(batch, list) else []
        )
        found.extend(items)
        if not isinstance(batch, list) or len(batch) < PAGE_SIZE:
            break
    return found


def merge_activities(
    stored: Mapping[str, dict[str, Any]], fetched: list[dict[str, Any]], today: date
) -> dict[str, dict[str, Any]]:
    """Stored and fetched payloads by activity id (a refetched activity replaces its stored
    copy: Garmin edits names and recomputes values). Older than ``KEEP_DAYS`` is dropped."""
    merged = dict(stored)
    for raw in fetched:
        activity_id = raw.get("activityId")
        if activity_id is not None:
            merged[str(activity_id)] = raw
    oldest = (today - timedelta(days=KEEP_DAYS - 1)).isoformat()
    return {
        key: raw
        for key, raw in merged.items()
        if str(raw.get("startTimeLocal") or "")[:10] >= oldest
    }


def parse_activities(raw: Mapping[str, dict[str, Any]]) -> list[GarminActivity]:
    parsed: list[GarminActivity] = []
    for payload in raw.values():
        activity, _ = parse_record(GarminActivity, payload)  # unreadable fields read as missing
        if activity is not None:
            parsed.append(activity)
    return sorted(parsed, key=lambda a: a.start_time_local or "")


def activities_from_state(raw: object) -> dict[str, dict[str, Any]]:
    items = raw.get("activities") if isinstance(raw, dict) else None
    if not isinstance(items, dict):
        return {}
    return {str(k): v for k, v in items.items() if isinstance(v, dict)}


def activities_to_state(activities: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    return {"schema": 1, "activities": dict(sorted(activities.items()))}


def utc_offset_zone(activities: list[GarminActivity]) -> str | None:
    """An IANA ``Etc/GMT±N`` zone from the newest activity's local and GMT start times
    (Garmin's activity list carries both); None when it is not a whole-hour offset."""
    for activity in reversed(activities):
        try:
            local = datetime.fromisoformat(str(activity.start_time_local))
            gmt = datetime.fromisoformat(str(activity.start_time_gmt))
        except ValueError:
            continue
        hours = (local - gmt).total_seconds() / 3600
        if hours != int(hours) or abs(hours) > 14:
            return None
        # The Etc zones have the sign inverted: UTC+2 is Etc/GMT-2.
        return "UTC" if hours == 0 else f"Etc/GMT{-int(hours):+d}"
    return None
