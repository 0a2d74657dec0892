"""The trimmed history download (``fields=``) builds exactly the history of a full one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from section11.config import Settings
from section11.demo import FakeIntervalsServer
from section11.outputs.history import update_history
from section11.sources.intervals_icu import Activity, IntervalsClient, Wellness, parse_records
from section11.sources.intervals_icu.fetch import fetch_history_range, recent_start_for

FetchRange = Callable[[date, date], tuple[list[Activity], list[Wellness]]]
TODAY = date(2026, 11, 21)  # the conftest demo athlete's today
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def test_trimmed_fields_give_the_same_history_for_a_fraction_of_the_bytes(
    client: IntervalsClient, fake_api: FakeIntervalsServer
) -> None:
    recent_start = recent_start_for(TODAY)
    recent_acts = parse_records(
        Activity, client.activities(recent_start.isoformat(), f"{TODAY}T23:59:59"), "activity"
    )
    recent_well = parse_records(
        Wellness, client.wellness(recent_start.isoformat(), TODAY.isoformat()), "wellness"
    )
    settings = Settings(athlete_id="i424242", intervals_key=None, output_dir=Path("."))

    def full(oldest: date, newest: date) -> tuple[list[Activity], list[Wellness]]:
        acts = client.activities(oldest.isoformat(), f"{newest.isoformat()}T23:59:59")
        well = client.wellness(oldest.isoformat(), newest.isoformat())
        return parse_records(Activity, acts, "activity"), parse_records(Wellness, well, "wellness")

    def build(fetch: FetchRange) -> tuple[dict[str, Any], int]:
        fake_api.reset_log()
        result = update_history(
            None, recent_acts, recent_well, recent_start, fetch, {}, settings, TODAY, NOW
        )
        return result.file.model_dump(mode="json"), fake_api.bytes_sent()

    full_file, full_bytes = build(full)
    trimmed_file, trimmed_bytes = build(lambda a, b: fetch_history_range(client, a, b))
    assert trimmed_file == full_file
    assert trimmed_bytes < full_bytes / 2
