"""Every field path the reference output has in these blocks exists in ours.

The paths live in ``tests/data/contract_paths/`` (first line ``# file: <output file>``, then
one dotted path per line, ``[]`` for list items). A demo sync over the fake Intervals.icu
writes the files; a path passes when the written JSON has it, or, for keys that depend on
the data (a sport family, an optional key the demo athlete never needs), when the file's
JSON Schema declares it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer, generate_demo_athlete

DEMO_TODAY = date(2026, 11, 21)
DEMO_NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # 10:00 in Oslo, the demo athlete's zone

PATHS_DIR = Path(__file__).parent / "data" / "contract_paths"
SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
FILES = ("sessions_recent.txt", "sessions_dfa_profile.txt", "sessions_dfa.txt", "history.txt")


def read_paths(name: str) -> tuple[str, list[str]]:
    lines = (PATHS_DIR / name).read_text("utf-8").splitlines()
    header = lines[0]
    assert header.startswith("# file: "), f"{name}: first line must be '# file: <name>'"
    paths = [line.strip() for line in lines[1:] if line.strip() and not line.startswith("#")]
    return header.removeprefix("# file: ").strip(), paths


def in_json(data: Any, path: str) -> bool:
    """True when some value of ``data`` lies at ``path`` (``[]``: any list item)."""
    nodes = [data]
    for part in path.split("."):
        key, lists = part.removesuffix("[]" * part.count("[]")), part.count("[]")
        nodes = [n[key] for n in nodes if isinstance(n, dict) and key in n]
        for _ in range(lists):
            nodes = [item for n in nodes if isinstance(n, list) for item in n]
        if not nodes:
            return False
    return True


def in_schema(schema: dict[str, Any], path: str) -> bool:
    """True when the JSON Schema declares ``path`` (a dict's free keys count as declared)."""
    defs = schema.get("$defs", {})

    def expand(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
        if "$ref" in node:
            yield from expand(defs[node["$ref"].rsplit("/", 1)[-1]])
            return
        branches = node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", [])
        if branches:
            for branch in branches:
                yield from expand(branch)
            return
        yield node

    nodes = list(expand(schema))
    for part in path.split("."):
        key, lists = part.removesuffix("[]" * part.count("[]")), part.count("[]")
        found: list[dict[str, Any]] = []
        for node in nodes:
            if key in node.get("properties", {}):
                found.extend(expand(node["properties"][key]))
            elif isinstance(node.get("additionalProperties"), dict):
                found.extend(expand(node["additionalProperties"]))
        for _ in range(lists):
            found = [i for n in found if "items" in n for i in expand(n["items"])]
        if not found:
            return False
        nodes = found
    return True


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("contract")
    out = tmp / "out"
    config = tmp / "empty-config.json"
    config.write_text("{}")
    with FakeIntervalsServer(generate_demo_athlete(DEMO_TODAY)) as server:
        env = {
            "SECTION11_CONFIG": str(config),
            "ATHLETE_ID": DEMO_ATHLETE_ID,
            "INTERVALS_KEY": DEMO_API_KEY,
            "INTERVALS_API_BASE": server.base_url,
        }
        assert main(["--output-dir", str(out), "--quiet"], env=env, clock=FixedClock(DEMO_NOW)) == 0
    return out


@pytest.mark.parametrize("name", FILES)
def test_reference_paths_exist_in_our_output(name: str, synced: Path) -> None:
    target, paths = read_paths(name)
    assert paths, f"{name} lists no paths"
    data = json.loads((synced / target).read_text("utf-8"))
    schema = json.loads((SCHEMAS / target.replace(".json", ".schema.json")).read_text("utf-8"))
    missing = [p for p in paths if not in_json(data, p) and not in_schema(schema, p)]
    assert missing == [], f"{target} lacks {len(missing)} reference path(s): {missing}"


def test_the_checks_can_fail() -> None:
    data = {"a": [{"b": {"c": 1}}, {"d": None}]}
    assert in_json(data, "a[].b.c") and in_json(data, "a[].d")
    assert not in_json(data, "a[].b.x") and not in_json(data, "a.b")
    schema = {
        "$defs": {"Row": {"properties": {"x": {"type": "integer"}}}},
        "properties": {
            "rows": {"anyOf": [{"items": {"$ref": "#/$defs/Row"}}, {"type": "null"}]},
            "by_sport": {"additionalProperties": {"$ref": "#/$defs/Row"}},
        },
    }
    assert in_schema(schema, "rows[].x") and in_schema(schema, "by_sport.rowing.x")
    assert not in_schema(schema, "rows[].y") and not in_schema(schema, "rows.x")
