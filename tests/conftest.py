"""Shared fixtures: the demo athlete and a fake Intervals.icu server on 127.0.0.1."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from functools import cache

import pytest

from section11.demo import DemoAthlete, FakeIntervalsServer, generate_demo_athlete

#: The fixed "today" of the demo athlete in tests (a Saturday).
DEMO_TODAY = date(2026, 11, 21)


@cache
def _pristine_athlete() -> DemoAthlete:
    return generate_demo_athlete(DEMO_TODAY)


@pytest.fixture
def demo_athlete() -> DemoAthlete:
    """A fresh copy per test, so tests may edit it freely."""
    return copy.deepcopy(_pristine_athlete())


@pytest.fixture
def fake_api(demo_athlete: DemoAthlete) -> Iterator[FakeIntervalsServer]:
    """A started fake server serving ``demo_athlete``; stopped after the test."""
    server = FakeIntervalsServer(demo_athlete)
    server.start()
    try:
        yield server
    finally:
        server.stop()
