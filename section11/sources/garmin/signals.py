"""What one run fetches from Garmin Connect when Intervals.icu is the primary source:
the athlete's display name (needed in some daily paths), then today and the last few
days of Garmin's own signals, merged with the days stored by earlier runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from section11.errors import ApiError
from section11.sources.garmin.client import GarminClient, GarminLimits, GarminRateLimitedError
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
from section11.store import read_json

SIGNALS_STATE_FILE = "garmin-wellness.json"


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
    with_sleep: bool = False,
    client_factory: ClientFactory = open_client,
) -> GarminSignals:
    """Garmin's daily signals up to ``today``. A lost session raises (the run stops with
    one line on how to log in again); any other Garmin failure is a warning and leaves the
    stored days as they were."""
    loaded = read_json(state_dir / SIGNALS_STATE_FILE)
    stored = days_from_state(loaded.data) if loaded.status == "ok" else {}
    warnings: list[str] = []
    with client_factory(settings) as client:

        def result(days: dict[date, GarminDay]) -> GarminSignals:
            states = {SIGNALS_STATE_FILE: days_to_state(days)}
            return GarminSignals(days, states, client.stats.requests, warnings)

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
        return result(merge_days(stored, fetched, today))
