"""Per-activity detail from Garmin Connect: the split summaries (Garmin's grouping of a
structured workout into warm-up / active / recovery / cool-down) and the laps.

Two requests per activity, made once per version of the activity (a fingerprint of the
list entry: a re-upload or an edit changes it) and cached in the state file. Polite on top
of the client's pacing (at most 2 requests/s): at most ``detail_cap`` detail requests per
athlete-local day, counted across runs; a 429 ends the detail fetching for this run. An
activity whose detail failed is simply tried again on a later run.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from section11.errors import ApiError, NotFoundError
from section11.sources.garmin.client import GarminClient, GarminRateLimitedError
from section11.sources.garmin.models import GarminActivity

log = logging.getLogger(__name__)

DETAIL_DAYS = 14  # activities of the last two weeks get detail (intervals.json's window)
DETAIL_STATE_FILE = "garmin-detail.json"


@dataclass
class DetailCache:
    day: str | None = None  # athlete-local day the request count belongs to
    requests_today: int = 0
    activities: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_state(self) -> dict[str, Any]:
        return {
            "schema": 1,
            "day": self.day,
            "requests_today": self.requests_today,
            "activities": dict(sorted(self.activities.items())),
        }

    @classmethod
    def from_state(cls, raw: object) -> DetailCache:
        if not isinstance(raw, dict):
            return cls()
        items = raw.get("activities")
        count = raw.get("requests_today")
        day = raw.get("day")
        return cls(
            day=day if isinstance(day, str) else None,
            requests_today=count if isinstance(count, int) and count >= 0 else 0,
            activities={str(k): v for k, v in (items or {}).items() if isinstance(v, dict)}
            if isinstance(items, dict)
            else {},
        )


def fingerprint(activity: GarminActivity) -> str:
    """Changes when Garmin changes what the detail depends on (re-upload, edit, trim)."""
    key = [activity.start_time_gmt, activity.duration, activity.distance, activity.lap_count]
    return hashlib.sha256(json.dumps(key, default=str).encode()).hexdigest()[:16]


def fetch_details(
    client: GarminClient,
    activities: Sequence[GarminActivity],
    cache: DetailCache,
    today: date,
    cap: int,
    warnings: list[str],
) -> DetailCache:
    """Detail for the activities of the last ``DETAIL_DAYS`` that have none for their
    current version; returns the updated cache (entries of older activities dropped)."""
    if cache.day != today.isoformat():
        cache = DetailCache(today.isoformat(), 0, dict(cache.activities))
    oldest = (today - timedelta(days=DETAIL_DAYS - 1)).isoformat()
    recent = [a for a in activities if a.activity_id and (a.start_time_local or "")[:10] >= oldest]
    kept = {
        a.activity_id: cache.activities[a.activity_id]
        for a in recent
        if a.activity_id in cache.activities
    }
    cache.activities = {k: v for k, v in kept.items() if k is not None}
    due = [a for a in recent if _stale(cache.activities.get(str(a.activity_id)), a)]
    for activity in sorted(due, key=lambda a: a.start_time_local or "", reverse=True):
        if cache.requests_today + 2 > cap:
            warnings.append(
                f"Garmin activity detail paused: the daily cap of {cap} requests is reached; "
                "the rest follows tomorrow"
            )
            break
        activity_id = str(activity.activity_id)
        try:
            cache.requests_today += 1
            summaries = _get(client, f"/activity-service/activity/{activity_id}/split_summaries")
            cache.requests_today += 1
            laps = _get(client, f"/activity-service/activity/{activity_id}/splits")
        except GarminRateLimitedError as exc:
            warnings.append(f"Garmin activity detail paused for this run: {exc}")
            break
        except ApiError as exc:
            if exc.exit_code == 3:
                raise
            log.warning("Garmin detail for activity %s failed: %s", activity_id, exc)
            continue
        cache.activities[activity_id] = {
            "fingerprint": fingerprint(activity),
            "split_summaries": _list(summaries, "splitSummaries"),
            "laps": _list(laps, "lapDTOs"),
        }
    return cache


def _stale(entry: Mapping[str, Any] | None, activity: GarminActivity) -> bool:
    return entry is None or entry.get("fingerprint") != fingerprint(activity)


def _get(client: GarminClient, path: str) -> Any:
    try:
        return client.get_json(path)
    except NotFoundError:
        return None  # Garmin has none for this activity (manual entries): cached as empty


def _list(payload: Any, key: str) -> list[dict[str, Any]]:
    items = payload.get(key) if isinstance(payload, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
