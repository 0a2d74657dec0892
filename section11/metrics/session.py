"""Per-session values read from one activity (recent_activities)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def hrr_bpm(raw: Any) -> float | None:
    """Heart-rate recovery (bpm dropped in the minute after the hardest effort), from
    Intervals.icu's ``icu_hrr``: a number, or an object (parsed or raw) with ``hrr`` (or
    ``value``). Only a positive finite number is a recovery; anything else is unknown."""
    value = raw
    if isinstance(raw, Mapping):
        value = raw.get("hrr", raw.get("value"))
    elif hasattr(raw, "hrr"):
        value = raw.hrr if raw.hrr is not None else getattr(raw, "value", None)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value) if value > 0 else None


def hrr_value(raw: Any) -> int | None:
    """``hrr_bpm`` in whole bpm, as recent_activities and history rows show it."""
    value = hrr_bpm(raw)
    return None if value is None else round(value)


def intensity_pct(icu_intensity: float | None) -> float | None:
    """Intensity factor as a percentage of FTP (IF 0.842 -> 84.2), as Intervals.icu and the
    coaching protocol write it."""
    if icu_intensity is None or not math.isfinite(icu_intensity):
        return None
    return round(icu_intensity, 2)
