"""Synthetic demo athlete and a fake Intervals.icu HTTP server on the loopback interface.

``section11 --demo`` and the end-to-end tests run the real client against
``FakeIntervalsServer(generate_demo_athlete(today))`` over real HTTP.
``generate_season_athlete(race_day)`` is a second athlete with a designed season (base,
build, deload, build, taper, A race) for the phase-detection scenario.
"""

from section11.demo.athlete import (
    DEMO_API_KEY,
    DEMO_ATHLETE_ID,
    DEMO_TIMEZONE,
    SECRET_CANARIES,
    DemoAthlete,
    generate_demo_athlete,
)
from section11.demo.season import generate_season_athlete
from section11.demo.server import FakeIntervalsServer, FaultInjector, RequestRecord

__all__ = [
    "DEMO_API_KEY",
    "DEMO_ATHLETE_ID",
    "DEMO_TIMEZONE",
    "SECRET_CANARIES",
    "DemoAthlete",
    "FakeIntervalsServer",
    "FaultInjector",
    "RequestRecord",
    "generate_demo_athlete",
    "generate_season_athlete",
]
