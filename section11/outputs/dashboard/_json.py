"""Tolerant readers over the JSON content of latest.json / history.json.

The dashboard reads blocks that may be absent (older or newer files, the reference's
shape), so every accessor returns None instead of raising on a missing key or wrong type.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

JSON = dict[str, Any]


def get(data: Any, *path: str) -> Any:
    """``data[path[0]][path[1]]…``, or None when any step is missing or not an object."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def obj(data: Any, *path: str) -> JSON | None:
    value = get(data, *path)
    return value if isinstance(value, dict) else None


def items(data: Any, *path: str) -> list[JSON]:
    """The objects of a list (non-objects in it are skipped)."""
    value = get(data, *path)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def num(data: Any, *path: str) -> float | None:
    value = get(data, *path) if path else data
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def text(data: Any, *path: str) -> str | None:
    value = get(data, *path) if path else data
    if isinstance(value, str) and value.strip():
        return value
    return None


def day(data: Any, *path: str) -> date | None:
    """A date from an ISO date or date-time string (the first ten characters)."""
    value = text(data, *path) if path else text(data)
    if value is None or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def strings(data: Any, *path: str) -> list[str]:
    """A list of strings; a single string (the reference's ``activity_types``) is split."""
    value = get(data, *path) if path else data
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str) and item]
    return []
