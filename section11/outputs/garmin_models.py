"""The Garmin blocks of latest.json: Garmin's own signals per day (``wellness_data[].garmin``)
and the newest of each (``current_status.garmin``). Written only when Garmin is a source."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from section11.outputs.common import OutputModel

MissingReason = str  # "fetch_failed" | "not_recorded"


class GarminDaySignals(OutputModel):
    """One day of Garmin signals. Null means we have no value; ``missing`` says why."""

    body_battery_high: int | None
    body_battery_low: int | None
    body_battery_charged: int | None
    body_battery_drained: int | None
    stress_avg: int | None = Field(description="Garmin all-day stress, 0-100")
    stress_max: int | None
    training_readiness: int | None = Field(description="Garmin training readiness, 0-100")
    training_readiness_level: str | None
    training_status: str | None = Field(
        description="Garmin training status, e.g. productive, maintaining, recovery, strained"
    )
    missing: dict[str, MissingReason] = Field(
        description="Metrics without a value that day and why: fetch_failed or not_recorded"
    )


class GarminStatus(OutputModel):
    """The newest Garmin value of each signal within the last 7 days."""

    source: str
    as_of: date | None
    body_battery_high: int | None
    body_battery_low: int | None
    stress_avg: int | None
    training_readiness: int | None
    training_readiness_level: str | None
    training_status: str | None
    value_dates: dict[str, date] = Field(
        description="Signals whose newest value is from a day before as_of, with that day"
    )
    missing_counts: dict[str, int] = Field(
        description="Metric-days without a value in the last 7 days, counted by reason"
    )
