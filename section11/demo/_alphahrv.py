"""AlphaHRV (DFA a1) recordings, HR recovery, activity comments and a walk without weather
of the demo athlete.

Some recent sessions were recorded with the AlphaHRV data field: their activities list
``dfa_a1`` and ``artifacts`` among their streams, and the streams endpoint serves them,
derived from the session's heart rate (DFA a1 falls from about 1.0 at 74 % of LTHR to 0.5
at LTHR). A few activities carry comments, one of them whitespace only.

Everything uses its own random generator, so adding these leaves the rest of the demo
athlete unchanged.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

JSON = dict[str, Any]

DFA_TYPES = frozenset({"Ride", "VirtualRide", "Run", "Rowing"})
DFA_WINDOW_DAYS = 28
_LTHR_BY_TYPE = {"Run": 172, "TrailRun": 172}
_DEFAULT_LTHR = 168

_COMMENTS = (
    "Legs felt heavy for the first 20 minutes, then fine",
    "Windy on the way back; HR drifted on the last climb",
    "Felt great today",
    "Slept badly, kept it easy",
)


def add_alphahrv(activities: list[JSON], today: date, seed: int) -> None:
    """Mark about half of the recent bike/run/row sessions with HR as AlphaHRV recordings
    (always the rides six and five days ago, which the tests rely on, and the newest rowing
    session: the athlete wears the strap on the erg)."""
    rng = random.Random(f"alphahrv:{seed}")
    rowing = [a for a in activities if a.get("type") == "Rowing"]
    newest_row = max(rowing, key=lambda a: str(a.get("start_date_local")), default=None)
    if newest_row is not None and "heartrate" in (newest_row.get("stream_types") or []):
        newest_row["stream_types"] = [*newest_row["stream_types"], "dfa_a1", "artifacts"]
    oldest = (today - timedelta(days=DFA_WINDOW_DAYS - 1)).isoformat()
    forced = {(today - timedelta(days=n)).isoformat() for n in (5, 6)}
    for act in activities:
        day = str(act.get("start_date_local", ""))[:10]
        types = act.get("stream_types") or []
        if not oldest <= day <= today.isoformat() or act.get("type") not in DFA_TYPES:
            continue
        if "heartrate" not in types or "dfa_a1" in types:
            continue
        chosen = day in forced and act.get("type") in ("Ride", "VirtualRide")
        if chosen or rng.random() < 0.45:
            act["stream_types"] = [*types, "dfa_a1", "artifacts"]


def add_heart_rate_recovery(activities: list[JSON], today: date, seed: int) -> None:
    """Intervals.icu's HR recovery (``icu_hrr``) on the harder recent sessions with HR."""
    rng = random.Random(f"hrr:{seed}")
    oldest = (today - timedelta(days=41)).isoformat()
    for act in activities:
        day = str(act.get("start_date_local", ""))[:10]
        hard = (act.get("icu_intensity") or 0) >= 80
        if oldest <= day <= today.isoformat() and hard and act.get("average_heartrate"):
            start = int(act.get("moving_time") or 600) // 2
            drop = rng.randint(18, 40)
            peak = int(act.get("max_heartrate") or 170)
            act["icu_hrr"] = {
                "start_index": start,
                "end_index": start + 60,
                "start_time": start,
                "end_time": start + 60,
                "start_bpm": peak,
                "end_bpm": peak - drop,
                "average_watts": None,
                "hrr": drop,
            }


def dfa_streams(activity: JSON, heartrate: list[int]) -> tuple[list[float | None], list[float]]:
    """DFA a1 and artefact rate (%) per sample, from the session's heart rate."""
    rng = random.Random(f"dfa:{activity.get('id')}")
    lthr = _LTHR_BY_TYPE.get(str(activity.get("type")), _DEFAULT_LTHR)
    a1: list[float | None] = []
    artifacts: list[float] = []
    # Some sessions have one burst of a loose strap (artefacts above 5 %).
    burst_at = rng.randrange(len(heartrate)) if heartrate and rng.random() < 0.5 else -1
    for i, hr in enumerate(heartrate):
        value = 1.0 - 2.5 * (hr / lthr - 0.74) + rng.uniform(-0.02, 0.02)
        a1.append(round(min(1.6, max(0.15, value)), 3))
        loose = 0 <= i - burst_at < 20
        artifacts.append(round(rng.uniform(6.0, 15.0) if loose else rng.uniform(0.0, 2.0), 2))
    # Cool-down: the last five minutes are easy spinning, a1 climbs back above 1.0.
    tail = min(300, len(a1))
    for k in range(tail):
        i = len(a1) - tail + k
        current = a1[i]
        if current is not None:
            a1[i] = round(min(1.6, current + 0.5 * (k + 1) / tail), 3)
    # Warm-up: AlphaHRV needs a few minutes of beats before it reports a value.
    for i in range(min(240, len(a1))):
        a1[i] = None
    return a1, artifacts


def remove_weather_of_one_walk(activities: list[JSON], today: date) -> None:
    """The oldest walk of the last 28 days has no weather (Open-Meteo had none for it)."""
    oldest = (today - timedelta(days=DFA_WINDOW_DAYS - 1)).isoformat()
    walks = [
        a
        for a in activities
        if a.get("type") == "Walk" and oldest <= str(a.get("start_date_local", ""))[:10]
    ]
    if not walks:
        return
    walk = min(walks, key=lambda a: str(a.get("start_date_local")))
    for key in list(walk):
        if "weather" in key or key in _WEATHER_KEYS:
            walk[key] = None
    walk["has_weather"] = False


_WEATHER_KEYS = frozenset(
    {
        "average_feels_like",
        "min_feels_like",
        "max_feels_like",
        "average_wind_speed",
        "average_wind_gust",
        "prevailing_wind_deg",
        "headwind_percent",
        "tailwind_percent",
        "average_clouds",
        "max_rain",
        "max_snow",
    }
)


def demo_messages(activities: list[JSON], today: date, seed: int) -> dict[str, list[JSON]]:
    """Comments on a few activities of the last two weeks (``GET /activity/{id}/messages``)."""
    rng = random.Random(f"messages:{seed}")
    oldest = (today - timedelta(days=13)).isoformat()
    out: dict[str, list[JSON]] = {}
    message_id = 880_001
    recent = [
        a
        for a in activities
        if oldest <= str(a.get("start_date_local", ""))[:10] <= today.isoformat()
        and a.get("type") is not None
    ]
    for n, act in enumerate(recent):
        if n % 3 != 1:
            continue
        texts = [rng.choice(_COMMENTS)]
        if n % 2 == 1:
            texts.append("   \n ")  # a whitespace-only comment: skipped by the mirror
        out[str(act["id"])] = [
            {
                "id": message_id + i,
                "athlete_id": act.get("icu_athlete_id"),
                "name": "Demo Athlete",
                "created": f"{str(act['start_date_local'])[:10]}T20:0{i}:00Z",
                "type": "TEXT",
                "content": text,
                "activity_id": act["id"],
                "seen": True,
            }
            for i, text in enumerate(texts)
        ]
        message_id += 10
    return out
