from __future__ import annotations

from typing import Any

import pytest

from section11.metrics.workout import format_duration, summarize_workout, workout_total_seconds


def p(duration: int, watts: int, pct: int | None = None, **extra: Any) -> dict[str, Any]:
    step: dict[str, Any] = {"duration": duration, "_power": {"value": watts, "units": "W"}}
    if pct is not None:
        step["power"] = {"value": pct, "units": "%ftp"}
    return {**step, **extra}


NESTED: dict[str, Any] = {
    "steps": [
        {
            "reps": 3,
            "steps": [
                {"reps": 4, "steps": [p(180, 290, 110), p(120, 150, 57)]},
                p(300, 150),
            ],
        }
    ]
}


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(3900, "1h5m"), (210, "3m30s"), (45, "45s"), (3600, "1h"), (3661, "1h1m1s"), (0, "0s")],
)
def test_format_duration(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


def test_nested_repeats() -> None:
    assert summarize_workout(NESTED) == "3 × (4 × 3m @ 290W / 2m @ 150W, 5m @ 150W)"
    # 3 × (4 × (180 + 120) + 300) = 3 × 1500 = 4500
    assert workout_total_seconds(NESTED) == 4500


def test_full_workout_with_labels_ranges_and_text() -> None:
    doc = {
        "steps": [
            {
                "duration": 900,
                "warmup": True,
                "text": "Easy spin",
                "power": {"start": 50, "end": 75, "units": "%ftp"},
            },
            {"reps": 5, "text": "Hard but even", "steps": [p(240, 307), p(240, 143)]},
            {"duration": 600, "cooldown": True, "power": {"value": 55, "units": "%ftp"}},
        ]
    }
    assert summarize_workout(doc) == (
        'Warmup 15m @ 50–75% FTP "Easy spin" | 5 × 4m @ 307W / 4m @ 143W "Hard but even"'
        " | Cooldown 10m @ 55% FTP"
    )
    # 900 + 5 × (240 + 240) + 600 = 900 + 2400 + 600 = 3900
    assert workout_total_seconds(doc) == 3900


def test_hr_pace_zone_targets_and_merging() -> None:
    doc = {
        "steps": [
            {"duration": 600, "_hr": {"value": 150}, "hr": {"value": 90, "units": "%lthr"}},
            {"duration": 300, "hr": {"value": 95, "units": "%lthr"}},
            {"duration": 300, "hr": {"value": 95, "units": "%lthr"}},
            {"duration": 120, "power": {"value": 2, "units": "power_zone"}},
            {"distance": 400, "pace": {"start": 95, "end": 100, "units": "%pace"}},
            {"duration": 45, "text": "Free"},
        ]
    }
    assert summarize_workout(doc) == (
        '10m @ 150 bpm | 2 × 5m @ 95% LTHR | 2m @ Z2 | 400 m @ 95–100% pace | 45s "Free"'
    )
    # a distance step has no known time and the doc carries no estimate
    assert workout_total_seconds(doc) is None
    assert workout_total_seconds({**doc, "duration": 2000}) == 2000


def test_identical_repeat_blocks_merge() -> None:
    block = {"reps": 2, "steps": [p(60, 300), p(60, 100)]}
    assert summarize_workout({"steps": [block, block]}) == "2 × (2 × 1m @ 300W / 1m @ 100W)"


@pytest.mark.parametrize("doc", [None, {}, {"steps": []}, {"steps": "x"}])
def test_missing_doc(doc: dict[str, Any] | None) -> None:
    assert summarize_workout(doc) is None
    assert workout_total_seconds(doc) is None


def test_resolved_pace_targets_carry_their_unit() -> None:
    from section11.metrics.workout import summarize_workout

    doc = {
        "steps": [
            {"reps": 4, "steps": [
                {"duration": 300, "_pace": {"value": 3.6}, "pace": {"value": 95, "units": "%pace"}},
                {"duration": 120, "pace": {"value": 70, "units": "%pace"}},
            ]}
        ]
    }  # fmt: skip
    summary = summarize_workout(doc)
    assert summary is not None
    # The resolved speed wins and says what it is; the relative rest keeps "% pace".
    assert "5m @ 3.6 m/s" in summary
    assert "2m @ 70% pace" in summary
