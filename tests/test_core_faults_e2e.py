"""A core endpoint whose body is cut short on every attempt: exit 4 with one clear line,
never a traceback, and the files on disk stay as they were."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def run(server: FakeIntervalsServer, out: Path) -> int:
    config = out.parent / "empty-config.json"
    config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": server.base_url,
    }
    return main(["--output-dir", str(out)], env=env, clock=FixedClock(NOW))


def test_cut_short_core_responses_end_in_exit_4_with_one_line(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(fake_api, out) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    fake_api.faults.add(r"/wellness", "truncated", count=50)
    capsys.readouterr()
    assert run(fake_api, out) == 4
    err = capsys.readouterr().err
    assert "the response was cut short" in err
    assert "Traceback" not in err and "ChunkedEncodingError" not in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
