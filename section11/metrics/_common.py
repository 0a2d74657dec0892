"""Small helpers shared by the metric modules."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class MetricModel(BaseModel):
    """Base of every metric result: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def ratio(numerator: float | None, denominator: float | None, digits: int) -> float | None:
    """numerator / denominator rounded, or None when either is missing or the denominator 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return round(numerator / denominator, digits)
