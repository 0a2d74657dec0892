"""The core lists ask only for the fields the models read: the same files, fewer bytes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from section11.config import Secret, resolve_settings
from section11.demo import FakeIntervalsServer
from section11.pipeline import sync
from section11.sources.intervals_icu.client import IntervalsClient
from section11.sources.intervals_icu.fetch import CORE_ACTIVITY_FIELDS, CORE_WELLNESS_FIELDS

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
OUTPUT_FILES = ("latest.json", "history.json", "intervals.json", "routes.json", "ftp_history.json")


class _EveryField(IntervalsClient):
    """Asks the core lists for every field, as before ``fields=`` was used there."""

    def activities(self, oldest: str, newest: str, *, fields: tuple[str, ...] = ()) -> list[Any]:
        return super().activities(oldest, newest, fields=_unless_core(fields))

    def wellness(self, oldest: str, newest: str, *, fields: tuple[str, ...] = ()) -> list[Any]:
        return super().wellness(oldest, newest, fields=_unless_core(fields))


def _unless_core(fields: tuple[str, ...]) -> tuple[str, ...]:
    # History ranges keep their own (already tested) trimmed fields.
    return () if fields in (CORE_ACTIVITY_FIELDS, CORE_WELLNESS_FIELDS) else fields


def _sync(
    server: FakeIntervalsServer, folder: Path, cls: type[IntervalsClient]
) -> tuple[dict[str, bytes], int]:
    (folder / "no-config.json").parent.mkdir(parents=True, exist_ok=True)
    (folder / "no-config.json").write_text("{}")
    settings = resolve_settings(
        {"output_dir": str(folder / "out")}, {"SECTION11_CONFIG": str(folder / "no-config.json")}
    )
    athlete = server.athlete
    server.reset_log()
    with cls(server.base_url, athlete.athlete_id, Secret(athlete.api_key)) as client:
        sync(settings, client, NOW)
    core_bytes = sum(
        r.bytes_sent
        for r in server.requests
        if r.path.endswith(("/activities", "/wellness", "/wellness.json"))
        and r.query.get("fields")
        in (None, ",".join(CORE_ACTIVITY_FIELDS), ",".join(CORE_WELLNESS_FIELDS))
    )
    files = {name: (folder / "out" / name).read_bytes() for name in OUTPUT_FILES}
    return files, core_bytes


def test_core_fields_give_the_same_files_for_fewer_bytes(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    full, full_bytes = _sync(fake_api, tmp_path / "every-field", _EveryField)
    trimmed, trimmed_bytes = _sync(fake_api, tmp_path / "trimmed", IntervalsClient)
    for name in OUTPUT_FILES:
        assert trimmed[name] == full[name], name
    assert trimmed_bytes < full_bytes


def test_core_fields_name_what_the_code_reads() -> None:
    # Spot checks of keys read by the metrics (load, HR zones, Strava stubs, wellness).
    for key in ("icu_training_load", "icu_hr_zone_times", "source", "_note", "start_date_local"):
        assert key in CORE_ACTIVITY_FIELDS
    for key in ("ctl", "atl", "hrv", "restingHR", "sleepSecs", "weight"):
        assert key in CORE_WELLNESS_FIELDS
