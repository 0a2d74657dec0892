"""Daily wellness records of the demo athlete (``GET /athlete/{id}/wellness``)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Container
from datetime import date, timedelta
from typing import Any

JSON = dict[str, Any]

#: Decay factors of the fitness (42 d) and fatigue (7 d) exponentially weighted averages.
CTL_K = 1 - math.exp(-1 / 42)
ATL_K = 1 - math.exp(-1 / 7)
INITIAL_CTL = 45.0
INITIAL_ATL = 45.0


def build_wellness(
    rng: random.Random,
    *,
    start: date,
    today: date,
    daily_load: dict[date, float],
    missing: Container[date],
    sdnn_only: Container[date],
    sick: Container[date],
    ftp_on: Callable[[date], int],
) -> list[JSON]:
    """One record per day from ``start`` to ``today`` except the ``missing`` days.

    ctl/atl are computed for every day (also missing ones) with
    ``x_d = x_{d-1} + (load_d - x_{d-1}) * k``, starting from ``INITIAL_CTL/ATL`` the day
    before ``start``; rampRate is ``ctl_d - ctl_{d-7}``.
    """
    ctl, atl = INITIAL_CTL, INITIAL_ATL
    history: list[float] = []
    out: list[JSON] = []
    weight = 64.5
    day = start
    while day <= today:
        load = daily_load.get(day, 0.0)
        prev_form = ctl - atl
        ctl = ctl + (load - ctl) * CTL_K
        atl = atl + (load - atl) * ATL_K
        history.append(ctl)
        ctl_week_ago = history[-8] if len(history) >= 8 else INITIAL_CTL
        weight += rng.uniform(-0.15, 0.15) + (64.5 - weight) * 0.05
        is_sick = day in sick
        if day in missing:
            day += timedelta(days=1)
            continue
        hrv = 58 + 0.3 * prev_form + rng.gauss(0, 4) - (14 if is_sick else 0)
        rhr = 47 - 0.08 * prev_form + rng.gauss(0, 1.5) + (6 if is_sick else 0)
        sleep_h = rng.uniform(6.0, 8.6)
        subjective = rng.random() < 0.3
        rec: JSON = {
            "id": day.isoformat(),
            "ctl": ctl,
            "atl": atl,
            "rampRate": ctl - ctl_week_ago,
            "ctlLoad": load,
            "atlLoad": load,
            "sportInfo": [
                {
                    "type": "Ride",
                    "eftp": round(ftp_on(day) * rng.uniform(0.97, 1.02), 1),
                    "wPrime": 20500.0,
                    "pMax": 980.0,
                }
            ],
            "updated": f"{day.isoformat()}T05:{rng.randint(10, 59)}:00.000+00:00",
            "weight": round(weight, 1) if rng.random() < 0.6 else None,
            "restingHR": round(rhr),
            "hrv": None if day in sdnn_only else round(hrv, 1),
            "hrvSDNN": round(hrv * 1.25, 1) if day in sdnn_only else None,
            "sleepSecs": round(sleep_h * 3600),
            "sleepScore": float(min(100, round(55 + sleep_h * 4 + rng.uniform(-5, 5)))),
            "sleepQuality": min(4, max(1, round(5 - sleep_h / 2.4 + rng.uniform(-0.5, 0.5)))),
            "avgSleepingHR": float(round(rhr + rng.uniform(1, 5))),
            "soreness": rng.randint(1, 3) if subjective else None,
            "fatigue": rng.randint(1, 4) if subjective else None,
            "stress": rng.randint(1, 3) if subjective else None,
            "mood": rng.randint(1, 3) if subjective else None,
            "motivation": rng.randint(1, 3) if subjective else None,
            "injury": (1 if rng.random() < 0.9 else 2) if subjective else None,
            "readiness": float(round(rng.uniform(40, 95))) if rng.random() < 0.7 else None,
            "spO2": round(rng.uniform(95, 99), 1) if rng.random() < 0.5 else None,
            "steps": rng.randint(5000, 16000),
            "vo2max": round(53 + ctl / 40 + rng.uniform(-0.3, 0.3), 1)
            if day.toordinal() % 3 == 0
            else None,
            "comments": "Feeling run down" if is_sick else None,
            # Present-but-null keys, as the API sends them for unused fields.
            "systolic": None,
            "diastolic": None,
            "bodyFat": None,
            "kcalConsumed": None,
            "menstrualPhase": None,
            "respiration": None,
            "locked": None,
        }
        out.append(rec)
        day += timedelta(days=1)
    return out
