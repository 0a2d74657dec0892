"""Every field path the reference output offers AI prompts exists in ours.

The paths are data (``tests/data/contract_paths/*.txt``, format in the README there); one
sync of the demo athlete over the fake server is checked against every file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, DemoAthlete, FakeIntervalsServer

PATHS_DIR = Path(__file__).parent / "data" / "contract_paths"
PATH_FILES = sorted(PATHS_DIR.glob("*.txt"))
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # 10:00 in Oslo, the demo athlete's timezone
TODAY = date(2026, 11, 21)


def read_path_file(path: Path) -> tuple[str, list[str]]:
    """The output file a path list is about, and its paths."""
    lines = path.read_text("utf-8").splitlines()
    header = lines[0] if lines else ""
    if not header.startswith("# file:"):
        raise ValueError(f"{path.name}: the first line must be '# file: <output file>'")
    target = header.removeprefix("# file:").strip()
    paths = [line.strip() for line in lines[1:] if line.strip() and not line.startswith("#")]
    return target, paths


def resolve(document: Any, path: str) -> list[Any]:
    """Every value the path reaches (``a.b[].c``); empty when it reaches nothing."""
    nodes = [document]
    for part in path.split("."):
        is_list = part.endswith("[]")
        key = part.removesuffix("[]")
        found = [node[key] for node in nodes if isinstance(node, dict) and key in node]
        if is_list:
            found = [item for value in found if isinstance(value, list) for item in value]
        nodes = found
    return nodes


def test_resolve_semantics() -> None:
    doc = {"a": {"b": [{"c": 1}, {"d": None}], "e": None}}
    assert resolve(doc, "a.b[].c") == [1]
    assert resolve(doc, "a.b[].d") == [None]  # a null value still exists
    assert resolve(doc, "a.e") == [None]
    assert resolve(doc, "a.e.f") == []  # nothing below a null
    assert resolve(doc, "a.b[].x") == []
    assert resolve(doc, "a.b") == [[{"c": 1}, {"d": None}]]


def test_every_path_file_is_well_formed() -> None:
    assert PATH_FILES, "tests/data/contract_paths holds the path lists"
    for path_file in PATH_FILES:
        target, paths = read_path_file(path_file)
        assert target.endswith(".json"), path_file.name
        assert paths, path_file.name
        assert len(paths) == len(set(paths)), f"{path_file.name} repeats a path"


def _enrich(athlete: DemoAthlete) -> None:
    """Situations the plain demo athlete does not show today, so every path has a value:
    an injury marker spanning today, today's wellness injury score, and a rowing session
    in the last 28 days (the rowing sustainability profile)."""
    today = TODAY.isoformat()
    athlete.events.append(
        {
            "id": 71_999_001,
            "category": "INJURED",
            "start_date_local": f"{(TODAY - timedelta(days=2)).isoformat()}T00:00:00",
            "end_date_local": f"{(TODAY + timedelta(days=3)).isoformat()}T00:00:00",
            "name": "Sore knee",
            "description": "Easy gears only",
            "type": None,
        }
    )
    for record in athlete.wellness:
        if record.get("id") == today:
            record["injury"] = 2
    rowing = next(a for a in reversed(athlete.activities) if a.get("type") == "Rowing")
    day = (TODAY - timedelta(days=9)).isoformat()
    athlete.add_activity(
        {
            **rowing,
            "id": "i99990001",
            "start_date_local": f"{day}T07:30:00",
            "start_date": f"{day}T06:30:00Z",
        }
    )


@pytest.fixture
def outputs(
    demo_athlete: DemoAthlete, fake_api: FakeIntervalsServer, tmp_path: Path
) -> Iterator[Path]:
    _enrich(demo_athlete)
    out = tmp_path / "out"
    config = tmp_path / "empty-config.json"
    config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
    }
    assert main(["--output-dir", str(out), "--quiet"], env=env, clock=FixedClock(NOW)) == 0
    yield out


def test_every_contract_path_exists_in_our_output(outputs: Path) -> None:
    missing: list[str] = []
    for path_file in PATH_FILES:
        target, paths = read_path_file(path_file)
        document = json.loads((outputs / target).read_text("utf-8"))
        missing += [f"{path_file.name}: {target}: {p}" for p in paths if not resolve(document, p)]
    assert not missing, "\n".join(missing)
