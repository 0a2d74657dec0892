"""Typed view of one curve of the athlete curve endpoints (power / HR ``DataCurve``)."""

from __future__ import annotations

from section11.sources.intervals_icu.models import ApiModel


class DataCurve(ApiModel):
    id: str | None = None
    secs: list[int | None] | None = None
    values: list[float | None] | None = None
    activity_id: list[str | None] | None = None
