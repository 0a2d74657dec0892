"""Stress tolerance and load-recovery ratio: the protocol's secondary load metrics.

- Stress tolerance is defined by the coaching protocol as (strain / monotony) / 100. As
  strain = 7-day load x monotony, that is the 7-day load / 100, computed directly here so it
  exists even when monotony is undefined (a week of identical days). Bands: < 3 low
  buffer, 3-6 sustainable, > 6 high capacity.
- Load-recovery ratio = 7-day load / (Recovery Index x 100); >= 2.5 means load is
  outpacing recovery. A secondary overreach detector: RI stays the primary signal.
"""

from __future__ import annotations

STRESS_TOLERANCE_SCALE = 100.0


def stress_tolerance(tss_7d: float | None) -> float | None:
    """7-day load / 100 (1 dp)."""
    if tss_7d is None:
        return None
    return round(tss_7d / STRESS_TOLERANCE_SCALE, 1)


def load_recovery_ratio(tss_7d: float | None, recovery_index: float | None) -> float | None:
    """7-day load / (RI x 100) (1 dp); None without a positive Recovery Index."""
    if tss_7d is None or recovery_index is None or recovery_index <= 0:
        return None
    return round(tss_7d / (recovery_index * 100), 1)
