"""Example output files in ``examples/output/``, synced from the demo athlete.

They show AI-prompt authors and athletes exactly what the files look like. The clock is
pinned, so regenerating gives identical bytes and ``--check`` (and a test) can tell when
the examples no longer match the code.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from section11.clock import local_today
from section11.config import Secret, Settings
from section11.demo.athlete import DEMO_TIMEZONE, generate_demo_athlete
from section11.demo.server import FakeIntervalsServer
from section11.sources.intervals_icu.client import IntervalsClient
from section11.store import generate_or_check, stale_files

EXAMPLE_NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
EXAMPLE_FILES = ("latest.json", "history.json", "intervals.json", "routes.json", "ftp_history.json")


def render_examples(now_utc: datetime = EXAMPLE_NOW) -> dict[str, bytes]:
    """Sync the demo athlete into a temporary folder and return the output files."""
    from section11.pipeline import sync

    athlete = generate_demo_athlete(local_today(now_utc, DEMO_TIMEZONE))
    with tempfile.TemporaryDirectory() as tmp, FakeIntervalsServer(athlete) as server:
        out = Path(tmp)
        settings = Settings(athlete_id=athlete.athlete_id, intervals_key=None, output_dir=out)
        client = IntervalsClient(server.base_url, athlete.athlete_id, Secret(athlete.api_key))
        with client:
            sync(settings, client, now_utc)
        return {name: (out / name).read_bytes() for name in EXAMPLE_FILES}


def stale_examples(folder: Path) -> list[str]:
    return stale_files(folder, render_examples())


def main_examples(folder: Path, *, generate: bool, echo: Callable[[str], None] = print) -> int:
    return generate_or_check(
        folder,
        render_examples,
        generate=generate,
        what="example files",
        command="section11 examples --generate",
        echo=echo,
    )
