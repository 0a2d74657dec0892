"""The Intervals.icu API: HTTP client, payload models, and what one run fetches."""

from section11.sources.intervals_icu.client import ClientStats, IntervalsClient, RetryPolicy
from section11.sources.intervals_icu.models import (
    Activity,
    Athlete,
    Attachment,
    Event,
    SportInfo,
    SportSettings,
    Wellness,
    ZoneTime,
    parse_records,
)

__all__ = [
    "Activity",
    "Athlete",
    "Attachment",
    "ClientStats",
    "Event",
    "IntervalsClient",
    "RetryPolicy",
    "SportInfo",
    "SportSettings",
    "Wellness",
    "ZoneTime",
    "parse_records",
]
