"""The data repository's workflows, checked as text (no YAML parser is a dependency).

actionlint (run by .ci/run) checks the syntax; these tests check our own rules.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest

WORKFLOWS = Path(__file__).resolve().parent.parent / ".github" / "workflows"
SYNC = WORKFLOWS / "sync.yml"
ON_DEMAND = WORKFLOWS / "sync-on-demand.yml"
BOTH = [SYNC, ON_DEMAND]

FREE_MINUTES = 2000  # GitHub Free, private repositories, per month
DAYS_PER_MONTH = 30.4
BILLED_MINUTES_PER_RUN = 1  # a ~1-minute job is billed 1 minute (rounded up per job)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _code_lines(path: Path) -> list[str]:
    """Lines without comments (a '#' after whitespace starts a YAML comment)."""
    return [re.sub(r"(^|\s)#.*$", "", line).rstrip() for line in _text(path).splitlines()]


def _block(path: Path, key: str) -> list[str]:
    """The indented lines under the top-level ``key:``."""
    lines = _code_lines(path)
    start = lines.index(f"{key}:")
    block: list[str] = []
    for line in lines[start + 1 :]:
        if line and not line.startswith(" "):
            break
        if line.strip():
            block.append(line.strip())
    return block


# -- cron arithmetic ---------------------------------------------------------------------


def _expand(field: str, low: int, high: int) -> set[int]:
    values: set[int] = set()
    for part in field.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if body == "*":
            start, end = low, high
        elif "-" in body:
            start, end = (int(x) for x in body.split("-"))
        else:
            start = int(body)
            end = high if step_text else start
        values.update(range(start, end + 1, step))
    assert values and min(values) >= low and max(values) <= high, field
    return values


def _cron_times(path: Path) -> list[int]:
    """Minutes after midnight (UTC) of every run in one day, from all cron lines."""
    times: set[int] = set()
    for expr in re.findall(r"-\s*cron:\s*'([^']+)'", _text(path)):
        minute, hour, dom, month, dow = expr.split()
        # Day fields must be '*' so that every day has the same runs (and this count holds).
        assert (dom, month, dow) == ("*", "*", "*"), expr
        times |= {h * 60 + m for h in _expand(hour, 0, 23) for m in _expand(minute, 0, 59)}
    return sorted(times)


def test_cron_expander() -> None:
    assert _expand("7,27,47", 0, 59) == {7, 27, 47}
    assert _expand("*/20", 0, 59) == {0, 20, 40}
    assert _expand("5-22", 0, 23) == set(range(5, 23))  # 18 hours
    assert _expand("7/20", 0, 59) == {7, 27, 47}
    assert _expand("23,1,3", 0, 23) == {1, 3, 23}


def test_schedule_fits_the_free_minutes_of_a_private_repository() -> None:
    times = _cron_times(SYNC)
    # 3 runs/hour x 18 hours (05-22) + 3 night runs = 57 runs a day.
    assert len(times) == 57
    monthly = len(times) * DAYS_PER_MONTH * BILLED_MINUTES_PER_RUN
    # 57 x 30.4 x 1 = 1,732.8 minutes; keep >= 10 % of the 2,000 for manual runs and the
    # occasional run that takes longer than a minute.
    assert monthly == pytest.approx(1732.8)
    assert monthly <= 0.9 * FREE_MINUTES


def test_daytime_freshness_is_twenty_minutes_or_better() -> None:
    times = _cron_times(SYNC)
    day = [t for t in times if 5 * 60 <= t < 23 * 60]
    gaps = [b - a for a, b in pairwise(day)]
    assert max(gaps) <= 20
    # From the first daytime run to 05:00 the next day nobody waits more than 2 hours.
    wrapped = [*times, times[0] + 24 * 60]
    assert max(b - a for a, b in pairwise(wrapped)) <= 120


# -- structure ---------------------------------------------------------------------------


def test_triggers() -> None:
    assert _block(SYNC, "on")[0] == "schedule:"
    assert "workflow_dispatch:" in _block(SYNC, "on")
    assert _block(ON_DEMAND, "on") == ["workflow_dispatch:"]


@pytest.mark.parametrize("path", BOTH, ids=lambda p: p.name)
def test_single_queued_concurrency_group(path: Path) -> None:
    assert _block(path, "concurrency") == ["group: section11-sync", "cancel-in-progress: false"]


@pytest.mark.parametrize("path", BOTH, ids=lambda p: p.name)
def test_minimal_permissions(path: Path) -> None:
    assert sorted(_block(path, "permissions")) == ["contents: write", "issues: write"]
    assert sum(1 for line in _code_lines(path) if line.strip() == "permissions:") == 1


@pytest.mark.parametrize("path", BOTH, ids=lambda p: p.name)
def test_every_job_has_a_timeout(path: Path) -> None:
    lines = _code_lines(path)
    in_jobs = lines[lines.index("jobs:") + 1 :]
    jobs = [line for line in in_jobs if re.fullmatch(r"  [A-Za-z0-9_-]+:", line)]
    timeouts = [line for line in lines if re.fullmatch(r"    timeout-minutes: \d+", line)]
    assert len(jobs) == len(timeouts) >= 1


@pytest.mark.parametrize("path", BOTH, ids=lambda p: p.name)
def test_actions_pinned_to_commit_with_version_comment(path: Path) -> None:
    uses = [line for line in _text(path).splitlines() if "uses:" in line]
    assert uses
    for line in uses:
        assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


@pytest.mark.parametrize("path", BOTH, ids=lambda p: p.name)
def test_secrets_only_reach_steps_through_env(path: Path) -> None:
    text = _text(path)
    assert not re.search(r"echo[^\n]*\$\{\{\s*secrets\.", text)
    for line in text.splitlines():
        if "secrets." in line:
            # Only `NAME: ${{ secrets.NAME }}` env entries; never inside a run: script.
            assert re.fullmatch(r"\s+([A-Z_]+): \$\{\{ secrets\.\1 \}\}", line), line
    required = {"ATHLETE_ID", "INTERVALS_KEY", "WEEK_START", "ZONE_PREFERENCE"}
    assert required <= set(re.findall(r"secrets\.([A-Z_]+)", text))
    assert "GITHUB_TOKEN: ${{ github.token }}" in text
    assert "set -x" not in text


@pytest.mark.parametrize("path", BOTH, ids=lambda p: p.name)
def test_thin_python_steps(path: Path) -> None:
    text = _text(path)
    assert "cache: pip" in text
    assert "cache-dependency-path: requirements.txt" in text
    assert "-r requirements.txt" in text
    assert "run: python sync.py --publish" in text


@pytest.mark.parametrize("path", BOTH, ids=lambda p: p.name)
def test_every_step_after_the_guard_is_conditional(path: Path) -> None:
    steps = re.split(r"\n      - ", _text(path).split("    steps:\n", 1)[1])
    names = [s.splitlines()[0] for s in steps]
    guard = next(i for i, s in enumerate(steps) if "id: guard" in s)
    assert names[guard] == "name: Check configuration"
    for step in steps[guard + 1 :]:
        assert "if: steps.guard.outputs.run == 'true'" in step, step.splitlines()[0]
    assert 'echo "run=true" >> "$GITHUB_OUTPUT"' in steps[guard]
    assert '"template_repository"' in steps[guard]


def test_on_demand_uploads_the_five_files() -> None:
    text = _text(ON_DEMAND)
    assert "actions/upload-artifact@" in text
    assert "name: training-data" in text and "retention-days: 7" in text
    for name in ("latest", "history", "intervals", "routes", "ftp_history"):
        assert f"            {name}.json\n" in text


def test_workflows_share_everything_but_triggers_and_artifact() -> None:
    """The on-demand file is the scheduled one minus the schedule plus the upload step."""

    def core(path: Path) -> list[str]:
        lines = _code_lines(path)
        start = lines.index("concurrency:")
        end = next((i for i, line in enumerate(lines) if "Upload the files" in line), len(lines))
        return [line for line in lines[start:end] if line.strip()]

    assert core(SYNC) == core(ON_DEMAND)


def _guard_script(path: Path) -> str:
    """The shell script of the 'Check configuration' step, as the runner would execute it."""
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "id: guard")
    run = next(i for i in range(start, len(lines)) if lines[i].strip() == "run: |")
    indent = len(lines[run + 1]) - len(lines[run + 1].lstrip())
    body = []
    for line in lines[run + 1 :]:
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            break
        body.append(line[indent:])
    return "\n".join(body) + "\n"


def _run_guard(tmp_path: Path, **env: str) -> tuple[int, str, str]:
    import subprocess

    output = tmp_path / "github_output"
    output.write_text("")
    (tmp_path / "manifest.json").write_text('{"template_repository": "owner/template"}')
    import os
    import sys

    path = os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"])
    base = {"PATH": path, "GITHUB_OUTPUT": str(output), "IS_TEMPLATE": ""}
    done = subprocess.run(
        ["bash", "-e", "-c", _guard_script(SYNC)],
        cwd=tmp_path,
        env={**base, **env},
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stdout, output.read_text()


def test_guard_skips_unconfigured_scheduled_runs_and_fails_manual_ones(tmp_path: Path) -> None:
    data = {"GITHUB_REPOSITORY": "athlete/training-data", "ATHLETE_ID": "", "INTERVALS_KEY": ""}
    code, out, outputs = _run_guard(tmp_path, GITHUB_EVENT_NAME="schedule", **data)
    assert (code, outputs.strip()) == (0, "run=false")
    assert out.startswith("::notice::")
    code, out, _ = _run_guard(tmp_path, GITHUB_EVENT_NAME="workflow_dispatch", **data)
    assert code == 2 and "::error::" in out and "secret INTERVALS_KEY is not set" in out
    half = {**data, "ATHLETE_ID": "i1"}
    code, out, _ = _run_guard(tmp_path, GITHUB_EVENT_NAME="schedule", **half)
    assert code == 2 and "INTERVALS_KEY" in out and "i1" not in out
    ready = {**data, "ATHLETE_ID": "i1", "INTERVALS_KEY": "k"}
    code, _, outputs = _run_guard(tmp_path, GITHUB_EVENT_NAME="schedule", **ready)
    assert (code, outputs.strip()) == (0, "run=true")
    # ATHLETE_ID is optional: the key alone is a complete setup.
    key_only = {**data, "INTERVALS_KEY": "k"}
    code, _, outputs = _run_guard(tmp_path, GITHUB_EVENT_NAME="schedule", **key_only)
    assert (code, outputs.strip()) == (0, "run=true")


def test_guard_skips_the_template_repository(tmp_path: Path) -> None:
    env = {"GITHUB_REPOSITORY": "Owner/Template", "ATHLETE_ID": "", "INTERVALS_KEY": ""}
    # Recognised by manifest.json's template_repository (case-insensitive), even when run
    # by hand, where unset secrets would otherwise fail the run.
    code, out, outputs = _run_guard(tmp_path, GITHUB_EVENT_NAME="workflow_dispatch", **env)
    assert (code, outputs.strip()) == (0, "run=false")
    assert "template repository" in out
