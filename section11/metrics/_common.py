"""Small helpers shared by the metric modules."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class MetricModel(BaseModel):
    """Base of every metric result: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")
