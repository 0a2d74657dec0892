"""Typed views of the athlete curve endpoints (``DataCurveSet`` of power / HR curves)."""

from __future__ import annotations

from pydantic import Field

from section11.sources.intervals_icu.models import ApiModel


class DataCurve(ApiModel):
    id: str | None = None
    secs: list[int | None] | None = None
    values: list[float | None] | None = None
    activity_id: list[str | None] | None = None


class DataCurveSet(ApiModel):
    curves: list[DataCurve | None] | None = Field(default=None, alias="list")
