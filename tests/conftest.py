"""Shared fixtures: the demo athlete and a fake Intervals.icu server on 127.0.0.1."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from functools import cache

import pytest

from section11.config import Secret
from section11.demo import (
    DEMO_API_KEY,
    DEMO_ATHLETE_ID,
    DemoAthlete,
    FakeIntervalsServer,
    generate_demo_athlete,
)
from section11.sources.intervals_icu import IntervalsClient, RetryPolicy

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


@pytest.fixture
def client(fake_api: FakeIntervalsServer) -> Iterator[IntervalsClient]:
    """A client of ``fake_api`` with one attempt per call and no sleeping: a failure is left
    to the next run, as the pipeline's detail policy does, with no in-run backoff."""
    with IntervalsClient(
        fake_api.base_url,
        DEMO_ATHLETE_ID,
        Secret(DEMO_API_KEY),
        retry=RetryPolicy(max_attempts=1),
        sleep=lambda _: None,
    ) as c:
        yield c
