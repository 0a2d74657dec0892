"""The athlete's timezone as the previous run wrote it in latest.json.

It lets the next run ask for its date windows before the athlete profile arrives (one
round trip instead of two); the fetch checks it against the profile and asks again when
the date differs, so a stale or missing value only costs time, never correctness.
"""

from __future__ import annotations

from typing import Any


def timezone_of(latest: Any) -> str | None:
    """``metadata.timezone`` of a decoded latest.json (None: not a latest.json, or none)."""
    metadata = latest.get("metadata") if isinstance(latest, dict) else None
    zone = metadata.get("timezone") if isinstance(metadata, dict) else None
    return zone if isinstance(zone, str) and zone else None
