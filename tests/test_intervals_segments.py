"""intervals.json building blocks: candidates, segments, phases, zone basis, file loading."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from section11.outputs.intervals import (
    activities_with_intervals,
    format_segments,
    group_phases,
    select_candidates,
    update_intervals,
)
from section11.outputs.intervals_fetch_state import IntervalsResult, load_previous_intervals
from section11.outputs.intervals_models import IntervalsFile
from section11.sources.intervals_icu.detail import FetchOutcome
from section11.sources.intervals_icu.models import Activity
from section11.units import DisplayUnits

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 18, 0, tzinfo=UTC)
METRIC = DisplayUnits()


def _interval(**fields: Any) -> dict[str, Any]:
    return {"id": 1, **fields}


# A hand-made session: warm-up, 2 efforts with one recovery between, 2 cool-down pieces.
# Listed out of time order on purpose: segments must come out sorted by start.
DTO: dict[str, Any] = {
    "icu_intervals": [
        _interval(type="WORK", label="Effort 2", start_time=1020, end_time=1320,
                  elapsed_time=300, moving_time=300, distance=3100.0, average_watts=310,
                  weighted_average_watts=312, max_watts=350, average_heartrate=170,
                  average_speed=10.333, zone=5, zone_min_watts=290, zone_max_watts=330),
        _interval(type="RECOVERY", group_id="wu", start_time=0, end_time=600,
                  elapsed_time=600, moving_time=590, distance=4800.0, average_watts=150,
                  average_heartrate=120, average_speed=8.0, zone=2, wbal_start=20000,
                  wbal_end=20000, training_load=8.04),
        _interval(type="WORK", label="Effort 1", start_time=600, end_time=900,
                  elapsed_time=300, moving_time=300, distance=3000.0, average_watts=300,
                  weighted_average_watts=305, max_watts=340, average_heartrate=160,
                  min_heartrate=140, max_heartrate=172, average_cadence=92.36,
                  average_speed=10.0, zone=5, wbal_start=20000, wbal_end=14500),
        _interval(type="RECOVERY", label="Easy", start_time=900, end_time=1020,
                  elapsed_time=120, moving_time=120, distance=600.0, average_watts=100,
                  average_heartrate=140, average_speed=5.0, zone=1),
        _interval(type="RECOVERY", label="Cool 1", start_time=1320, end_time=1620,
                  elapsed_time=300, moving_time=300, distance=2100.0, average_watts=160,
                  average_heartrate=130, average_speed=7.0, zone=2),
        _interval(type="RECOVERY", label="Cool 2", start_time=1620, end_time=2220,
                  elapsed_time=600, moving_time=600, average_watts=130,
                  average_heartrate=125, zone=1),
        "not an interval",
    ]
}  # fmt: skip


def _activity(**fields: Any) -> Activity:
    base: dict[str, Any] = {
        "id": "i1",
        "start_date_local": "2026-11-21T07:00:00",
        "start_date": "2026-11-21T06:00:00Z",
        "type": "Ride",
        "name": "Tryvann climbs",
        "interval_summary": ["2x 5m 305w"],
        "icu_sync_date": "2026-11-21T08:00:00Z",
        "analyzed": "2026-11-21T08:02:00Z",
    }
    base.update(fields)
    return Activity.model_validate(base)


# --- candidates -------------------------------------------------------------------------


def test_candidates_are_recent_structured_interval_sports() -> None:
    acts = [
        _activity(id="summary"),
        _activity(id="paired", interval_summary=None, paired_event_id=7),
        _activity(id="edited", interval_summary=None, icu_intervals_edited=True),
        _activity(id="steady", interval_summary=None, icu_intervals_edited=False),
        _activity(id="walk", type="Walk"),  # walk family is not an interval family
        _activity(id="yoga", type="Yoga"),
        # 14 days = today-13 ... today: 11-08 is the oldest day in, 11-07 is out.
        _activity(id="oldest-in", start_date_local="2026-11-08T07:00:00"),
        _activity(id="too-old", start_date_local="2026-11-07T23:59:00"),
        _activity(id="tomorrow", start_date_local="2026-11-22T07:00:00"),
        Activity.model_validate(
            {"id": "stub", "start_date_local": "2026-11-20T07:00:00", "source": "STRAVA",
             "_note": "not available via the API"}
        ),
        _activity(id=None),
        _activity(id="swim", type="Swim", interval_summary=["10x 100m"]),
    ]  # fmt: skip
    chosen = select_candidates(acts, TODAY)
    assert list(chosen) == ["summary", "paired", "edited", "oldest-in", "swim"]


# --- segments and phases ----------------------------------------------------------------


def test_segments_are_sorted_renamed_and_keep_nulls() -> None:
    segs = format_segments(DTO["icu_intervals"])
    # six dicts; the string entry is skipped
    assert [s.label for s in segs] == ["wu", "Effort 1", "Easy", "Effort 2", "Cool 1", "Cool 2"]
    effort = segs[1]
    assert effort.type == "WORK"
    assert (effort.start_secs, effort.end_secs, effort.duration_secs) == (600, 900, 300)
    assert effort.normalized_power == 305  # weighted_average_watts
    assert effort.avg_cadence == 92.4  # 92.36 to 1 dp
    assert effort.avg_speed_kmh == 36.0  # 10.0 m/s x 3.6
    assert (effort.w_bal_start, effort.w_bal_end) == (20000, 14500)
    assert segs[0].training_load == 8.0  # 8.04 to 1 dp
    # Missing values are present as None, never 0 and never dropped.
    dumped = segs[2].model_dump()
    assert dumped["normalized_power"] is None
    assert dumped["min_hr"] is None
    assert len(dumped) == 19


def test_phases_group_segments_like_a_coach() -> None:
    phases = group_phases(format_segments(DTO["icu_intervals"]), METRIC)
    assert phases is not None
    w, a, r, c = phases.warmup, phases.active, phases.recovery, phases.cooldown
    # warm-up: the single leading RECOVERY; 4800 m, 8 m/s = 28.8 km/h
    assert (w.count, w.duration_secs, w.distance_km, w.avg_speed_kmh) == (1, 600, 4.8, 28.8)
    assert (w.avg_power, w.avg_hr) == (150, 120)
    # active: 2 x 300 s; power (300*300 + 310*300)/600 = 305; HR (160+170)/2 = 165;
    # 3000 + 3100 m = 6.1 km; speed (36.0*300 + 37.2*300)/600 = 36.6 (10.333 m/s = 37.2 km/h)
    assert (a.count, a.duration_secs, a.distance_km) == (2, 600, 6.1)
    assert (a.avg_power, a.avg_hr, a.avg_speed_kmh) == (305, 165, 36.6)
    # recovery: only the segment between the two efforts
    assert (r.count, r.duration_secs, r.distance_km, r.avg_power) == (1, 120, 0.6, 100)
    # cool-down: 300 s + 600 s; power (160*300 + 130*600)/900 = 140;
    # HR (130*300 + 125*600)/900 = 126.7 -> 127; "Cool 2" has no distance, so the phase
    # distance is unknown (None) rather than understated; speed only from "Cool 1": 25.2
    assert (c.count, c.duration_secs, c.avg_power, c.avg_hr) == (2, 900, 140, 127)
    assert c.distance_km is None
    assert c.avg_speed_kmh == 25.2
    assert c.distance is None  # no distance, no display value


def test_phase_display_follows_units() -> None:
    imperial = DisplayUnits(distance="imperial")
    phases = group_phases(format_segments(DTO["icu_intervals"]), imperial)
    assert phases is not None
    assert phases.active.distance is not None and phases.active.avg_speed is not None
    # 6.1 km x 0.621371 = 3.79 mi; 36.6 km/h x 0.621371 = 22.7 mph
    assert phases.active.distance.model_dump() == {"value": 3.79, "unit": "mi"}
    assert phases.active.avg_speed.model_dump() == {"value": 22.7, "unit": "mph"}


def test_no_work_segment_means_no_phases_and_no_intervals_flag() -> None:
    only_recovery = [_interval(type="RECOVERY", start_time=0, end_time=3600, elapsed_time=3600)]
    assert group_phases(format_segments(only_recovery), METRIC) is None
    built = update_intervals(
        None,
        [_activity()],
        lambda ids: {aid: FetchOutcome.ok({"icu_intervals": only_recovery}) for aid in ids},
        TODAY,
        NOW,
        anonymize=False,
        units=METRIC,
    )
    assert built.file.activities[0].phases is None
    assert activities_with_intervals(built) == {"i1": False}


# --- zone basis, names, session context -------------------------------------------------


def _build(act: Activity, dto: dict[str, Any], *, anonymize: bool = False) -> IntervalsResult:
    return update_intervals(
        None,
        [act],
        lambda ids: {aid: FetchOutcome.ok(dto) for aid in ids},
        TODAY,
        NOW,
        anonymize=anonymize,
        units=METRIC,
    )


def test_zone_basis() -> None:
    no_watts = {"icu_intervals": [{k: v for k, v in i.items() if "zone_m" not in k}
                                  for i in DTO["icu_intervals"][:6]]}  # fmt: skip
    no_zone = {"icu_intervals": [{k: v for k, v in i.items() if k != "zone"}
                                 for i in no_watts["icu_intervals"]]}  # fmt: skip
    hr = _activity(icu_hr_zone_times=[60, 120, None])
    pace = _activity(pace_zone_times=[300.0, 200.0])
    both = _activity(icu_hr_zone_times=[60], gap_zone_times=[30.0])
    assert _build(_activity(), DTO).file.activities[0].zone_basis == "power"
    assert _build(hr, no_watts).file.activities[0].zone_basis == "hr"
    assert _build(pace, no_watts).file.activities[0].zone_basis == "pace"
    assert _build(both, no_watts).file.activities[0].zone_basis is None  # ambiguous
    assert _build(_activity(), no_watts).file.activities[0].zone_basis is None  # unknown
    assert _build(hr, no_zone).file.activities[0].zone_basis is None  # no zones at all


def test_entry_context_and_anonymized_outdoor_name() -> None:
    act = _activity(moving_time=2200, elapsed_time=2300, distance=20123.0, icu_training_load=61.26,
                    icu_average_watts=201.4, icu_weighted_avg_watts=236.6, average_heartrate=148.5,
                    icu_ftp=265)  # fmt: skip
    entry = _build(act, DTO, anonymize=True).file.activities[0]
    assert entry.name == "Training Session"  # an outdoor Ride, anonymized
    assert entry.date == "2026-11-21"
    assert entry.start_datetime == "2026-11-21T07:00:00"
    s = entry.session
    # 20123 m = 20.12 km; 61.26 -> 61.3; 201.4 -> 201; 236.6 -> 237; 148.5 -> 148 (half-even)
    assert (s.duration_secs, s.elapsed_secs, s.distance_km, s.tss) == (2200, 2300, 20.12, 61.3)
    assert (s.avg_power, s.normalized_power, s.avg_hr, s.ftp) == (201, 237, 148, 265)
    indoor = _activity(type="VirtualRide", name="Zwift - Sweet spot")
    assert _build(indoor, DTO, anonymize=True).file.activities[0].name == "Zwift - Sweet spot"
    assert _build(act, DTO, anonymize=False).file.activities[0].name == "Tryvann climbs"


def test_has_intervals_map() -> None:
    # "none" has no analysis time, so a 200 without intervals means "not computed yet".
    acts = [_activity(id="work"), _activity(id="none", analyzed=None), _activity(id="later")]
    outcomes = {
        "work": FetchOutcome.ok(DTO),
        "none": FetchOutcome.no_data(),  # the activity is from today: retried, not final
        "later": FetchOutcome.transient("HTTP 503"),
    }
    built = update_intervals(
        None, acts, lambda ids: {i: outcomes[i] for i in ids}, TODAY, NOW,
        anonymize=False, units=METRIC,
    )  # fmt: skip
    # pending (no data yet) and failed downloads are unknown: no key at all
    assert activities_with_intervals(built) == {"work": True}
    old = _activity(id="old", start_date="2026-11-15T06:00:00Z",
                    icu_sync_date="2026-11-15T08:00:00Z", analyzed=None)  # fmt: skip
    settled = update_intervals(
        None, [old], lambda ids: {i: FetchOutcome.no_data() for i in ids}, TODAY, NOW,
        anonymize=False, units=METRIC,
    )  # fmt: skip
    # 6 days after upload nothing will be computed any more: settled as no_intervals
    assert settled.fetch_state["old"].status == "no_intervals"
    assert activities_with_intervals(settled) == {"old": False}


# --- reading the previous file ----------------------------------------------------------


def load_intervals_file(path: Path, now: datetime) -> tuple[IntervalsFile | None, list[str]]:
    """The previous intervals.json as the pipeline reads it (no fetch-state file beside it)."""
    previous, notes = load_previous_intervals(path, path.parent / "no-fetch-state.json", now)
    return (None if previous is None else previous.file), notes


def test_read_missing_corrupt_and_other_schema(tmp_path: Path) -> None:
    path = tmp_path / "intervals.json"
    assert load_intervals_file(path, NOW) == (None, [])

    path.write_text('{"schema_version": 1, "activities": [', encoding="utf-8")
    loaded, notes = load_intervals_file(path, NOW)
    assert loaded is None
    assert len(notes) == 1 and "intervals.json.corrupt-20261121T180000Z" in notes[0]
    assert not path.exists()
    assert (tmp_path / "intervals.json.corrupt-20261121T180000Z").exists()

    path.write_text(json.dumps({"schema_version": 0, "activities": []}), encoding="utf-8")
    assert load_intervals_file(path, NOW) == (None, [])
    assert path.exists()  # an older schema is simply rebuilt, not kept aside

    good = _build(_activity(), DTO).file
    path.write_text(good.model_dump_json(), encoding="utf-8")
    assert load_intervals_file(path, NOW) == (good, [])

    path.write_text(json.dumps({"schema_version": 1, "activities": "x"}), encoding="utf-8")
    assert load_intervals_file(path, NOW)[0] is None
    assert (tmp_path / "intervals.json.corrupt-20261121T180000Z-1").exists()
