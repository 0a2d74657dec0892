"""The dispatch-only calendar workflow: inputs travel as environment variables (never
pasted into a shell script) and it previews unless the confirm input is true."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from section11.commands.dispatch import argv_from_env
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer
from section11.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "calendar.yml"


def _text() -> str:
    return WORKFLOW.read_text(encoding="utf-8")


def test_dispatch_only_with_read_permissions() -> None:
    text = _text()
    on_section = text.split("\non:\n", 1)[1].split("\nconcurrency:", 1)[0]
    assert re.findall(r"^  ([a-z_]+):", on_section, re.M) == ["workflow_dispatch"]
    assert "permissions:\n  contents: read" in text
    assert "timeout-minutes: 10" in text


def test_confirm_is_an_explicit_boolean_defaulting_to_false() -> None:
    block = _text().split("      confirm:\n", 1)[1].split("      workouts:", 1)[0]
    assert "type: boolean" in block and "default: false" in block


def test_inputs_only_reach_the_step_as_environment_variables() -> None:
    lines = _text().splitlines()
    uses = [line for line in lines if "${{" in line]
    for line in uses:
        # Only `NAME: ${{ inputs.x }}` / `NAME: ${{ secrets.NAME }}` env entries.
        assert re.fullmatch(
            r"\s+[A-Z_]+: \$\{\{ (inputs\.[a-z_]+|secrets\.(ATHLETE_ID|INTERVALS_KEY)) \}\}",
            line,
        ), line
    runs = [line for line in lines if line.strip().startswith("run:")]
    assert runs[-1].strip() == "run: python -m section11.commands.dispatch"
    inputs = set(re.findall(r"^      ([a-z_]+):$", _text().split("jobs:")[0], re.M))
    passed = set(re.findall(r"\$\{\{ inputs\.([a-z_]+) \}\}", _text()))
    assert inputs == passed  # every input is handed over, none forgotten


def test_actions_pinned_to_a_commit() -> None:
    uses = [line for line in _text().splitlines() if "uses:" in line]
    assert len(uses) == 2
    for line in uses:
        assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


def test_an_input_stays_one_argument(tmp_path: Path) -> None:
    hostile = 'x"; rm -rf / #$(whoami) `id`'
    argv = argv_from_env(
        {"CAL_COMMAND": "annotate", "CAL_ACTIVITY_ID": "i1", "CAL_MESSAGE": hostile},
        tmp_path,
    )
    assert argv == ["annotate", "--activity", "i1", "--message", hostile]


def test_confirm_only_when_exactly_true(tmp_path: Path) -> None:
    base = {"CAL_COMMAND": "delete", "CAL_EVENT_ID": "5"}
    assert argv_from_env(base, tmp_path) == ["delete", "5"]
    assert argv_from_env({**base, "CAL_CONFIRM": "True "}, tmp_path) == ["delete", "5"]
    assert argv_from_env({**base, "CAL_CONFIRM": "yes"}, tmp_path) == ["delete", "5"]
    assert argv_from_env({**base, "CAL_CONFIRM": "true"}, tmp_path) == ["delete", "5", "--confirm"]
    listing = {"CAL_COMMAND": "list", "CAL_CONFIRM": "true", "CAL_OLDEST": "+1"}
    assert argv_from_env(listing, tmp_path) == ["list", "--oldest", "+1"]


def test_push_writes_the_plan_to_a_file(tmp_path: Path) -> None:
    plan = '{"name": "x", "sport": "run", "date": "+1", "steps": [{"duration": 60}]}'
    argv = argv_from_env({"CAL_COMMAND": "push", "CAL_WORKOUTS": plan}, tmp_path)
    assert argv == ["push", str(tmp_path / "plan.json")]
    assert (tmp_path / "plan.json").read_text() == plan


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CAL_COMMAND": "rm"}, "command 'rm' is not one of"),
        ({"CAL_COMMAND": "push"}, "push needs the workouts input"),
        ({"CAL_COMMAND": "move", "CAL_EVENT_ID": "1"}, "move needs the date input"),
        ({"CAL_COMMAND": "delete"}, "delete needs the event_id input"),
    ],
)
def test_missing_inputs_are_one_line(tmp_path: Path, env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        argv_from_env(env, tmp_path)


def test_dispatch_previews_over_http_and_writes_the_summary(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    config = tmp_path / "config.json"
    config.write_text("{}")
    summary = tmp_path / "summary.md"
    plan = (REPO / "examples" / "workouts" / "edge_cases.json").read_text()
    env = {
        "PATH": "/usr/bin:/bin",
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
        "GITHUB_STEP_SUMMARY": str(summary),
        "CAL_COMMAND": "push",
        "CAL_WORKOUTS": plan,
        "CAL_CONFIRM": "false",
        "CAL_TIMEZONE": "UTC",
    }
    done = subprocess.run(
        [sys.executable, "-m", "section11.commands.dispatch"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["preview"] is True
    assert fake_api.request_count() == 0
    assert summary.read_text().startswith("### section11 push\n\n```json\n{")
    assert DEMO_API_KEY not in done.stdout + done.stderr + summary.read_text()
