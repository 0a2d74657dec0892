"""The common setup mistakes get specific answers: athlete-id mistakes before any request,
an optional ATHLETE_ID through /athlete/0, ``section11 check``, ``section11 setup`` and the
reference script's flags."""

from __future__ import annotations

import io
import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
DATA_REPO = "athlete/training-data"


def _env(tmp_path: Path, api: FakeIntervalsServer, **values: str) -> dict[str, str]:
    config = tmp_path / "config.json"
    if not config.exists():
        config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": api.base_url,
    }
    env.update(values)
    return {k: v for k, v in env.items() if v}


def _sync(tmp_path: Path, env: dict[str, str], *extra: str) -> int:
    args = ["--output-dir", str(tmp_path / "out"), "--quiet", *extra]
    return main(args, env=env, clock=FixedClock(NOW))


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


# -- athlete id ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("424242", "ATHLETE_ID '424242' lacks the leading 'i': use i424242"),
        ("I424242", "must start with a lower-case 'i': use i424242"),
        ("https://intervals.icu/athlete/i424242/fitness", "use only the id in it: i424242"),
        ("john@example.com", "does not look like an Intervals.icu athlete id"),
    ],
)
def test_athlete_id_mistakes_are_caught_before_any_request(
    fake_api: FakeIntervalsServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    value: str,
    expected: str,
) -> None:
    assert _sync(tmp_path, _env(tmp_path, fake_api, ATHLETE_ID=value)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0]
    assert fake_api.requests == []
    assert not (tmp_path / "out").exists()


def test_an_api_key_pasted_as_the_athlete_id_is_not_echoed(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = _env(tmp_path, fake_api, ATHLETE_ID=DEMO_API_KEY.replace("-", ""))
    assert _sync(tmp_path, env) == 2
    err = capsys.readouterr().err
    assert "looks like an API key" in err and DEMO_API_KEY.replace("-", "") not in err
    assert fake_api.requests == []


def test_without_athlete_id_the_keys_own_athlete_is_synced(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    assert _sync(tmp_path, _env(tmp_path, fake_api, ATHLETE_ID="")) == 0
    paths = [r.path for r in fake_api.requests]
    assert paths[0] == "/api/v1/athlete/0"
    # Every later athlete path uses the id /athlete/0 answered with.
    later = [p for p in paths[1:] if p.startswith("/api/v1/athlete/")]
    assert later and all(p.startswith(f"/api/v1/athlete/{DEMO_ATHLETE_ID}") for p in later)
    assert json.loads((tmp_path / "out" / "latest.json").read_text())


def test_another_athletes_id_is_answered_with_the_right_one(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _sync(tmp_path, _env(tmp_path, fake_api, ATHLETE_ID="i999999")) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "ATHLETE_ID i999999 does not match the API key" in err[0]
    assert f"set ATHLETE_ID to {DEMO_ATHLETE_ID}" in err[0]
    assert fake_api.requests[-1].path == "/api/v1/athlete/0"


def test_a_missing_key_is_the_only_required_setting(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _sync(tmp_path, _env(tmp_path, fake_api, ATHLETE_ID="", INTERVALS_KEY="")) == 2
    err = capsys.readouterr().err
    assert "missing INTERVALS_KEY" in err and "ATHLETE_ID is optional" in err


# -- section11 check -------------------------------------------------------------------


@pytest.fixture
def data_clone(tmp_path: Path) -> Path:
    remote = tmp_path / "origin.git"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    clone = tmp_path / "data"
    _git(tmp_path, "clone", "-q", str(remote), str(clone))
    (clone / "README.md").write_text("# data\n")
    _git(clone, "add", "README.md")
    _git(clone, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "init")
    _git(clone, "push", "-q", "origin", "HEAD:main")
    _git(clone, "branch", "-u", "origin/main")
    return clone


def _check(tmp_path: Path, env: dict[str, str], clone: Path) -> int:
    return main(["check", "--output-dir", str(clone)], env=env)


def test_check_passes_and_prints_the_raw_addresses(
    fake_api: FakeIntervalsServer,
    tmp_path: Path,
    data_clone: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = _env(tmp_path, fake_api, GITHUB_REPOSITORY=DATA_REPO)
    assert _check(tmp_path, env, data_clone) == 0
    out = capsys.readouterr().out
    assert f"ok: the API key works and belongs to athlete {DEMO_ATHLETE_ID}" in out
    assert f"ok: ATHLETE_ID {DEMO_ATHLETE_ID} matches the key" in out
    assert "ok: write access to origin/main" in out
    raw = "https://raw.githubusercontent.com/athlete/training-data/main/"
    for name in ("latest.json", "history.json", "intervals.json", "routes.json"):
        assert raw + name in out
    assert out.strip().endswith("all checks passed")
    assert [r.path for r in fake_api.requests] == ["/api/v1/athlete/0"]  # one request
    assert _git(data_clone, "ls-remote", "origin", "main").startswith(
        _git(data_clone, "rev-parse", "HEAD")
    )  # the trial push changed nothing


def test_check_names_the_right_athlete_and_a_missing_write_access(
    fake_api: FakeIntervalsServer,
    tmp_path: Path,
    data_clone: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _git(data_clone, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    env = _env(tmp_path, fake_api, ATHLETE_ID="i999999")
    assert _check(tmp_path, env, data_clone) == 1
    out = capsys.readouterr().out
    assert f"problem: ATHLETE_ID is i999999 but the key belongs to {DEMO_ATHLETE_ID}" in out
    assert "problem: a trial push to origin/main failed" in out
    assert out.strip().endswith("2 check(s) failed")


def test_check_reports_a_refused_key(
    fake_api: FakeIntervalsServer,
    tmp_path: Path,
    data_clone: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = _env(tmp_path, fake_api, INTERVALS_KEY="wrong-key-0123456789")
    assert _check(tmp_path, env, data_clone) == 1
    out = capsys.readouterr().out
    assert "problem: Intervals.icu refused the API key (HTTP 401)" in out
    assert "wrong-key-0123456789" not in out


def test_check_catches_a_malformed_id_before_any_request(
    fake_api: FakeIntervalsServer, tmp_path: Path, data_clone: Path
) -> None:
    assert _check(tmp_path, _env(tmp_path, fake_api, ATHLETE_ID="424242"), data_clone) == 2
    assert fake_api.requests == []


# -- the reference script's flags --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["--init"], "git clone"),
        (["--update"], "git pull"),
        (["--github-token", "ghp_x"], "workflow's own token"),
        (["--github-repo=me/data"], "--publish pushes to the clone's own remote"),
    ],
)
def test_reference_flags_without_a_counterpart_get_a_one_line_hint(
    args: list[str], hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args, env={}) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and hint in err[0] and "docs/" in err[0]


def test_generate_history_rebuilds_history(fake_api: FakeIntervalsServer, tmp_path: Path) -> None:
    env = _env(tmp_path, fake_api)
    assert _sync(tmp_path, env) == 0
    fake_api.reset_log()
    assert _sync(tmp_path, env) == 0
    rerun = fake_api.request_count(r"/activities$")
    fake_api.reset_log()
    assert _sync(tmp_path, env, "--generate-history") == 0
    # The same meaning as --rebuild-history: the three years older than the recent window
    # are fetched again, in chunks of at most 365 days, so at least 3 more list calls.
    assert fake_api.request_count(r"/activities$") >= rerun + 3


def test_generate_manifest_writes_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sync.py").write_text("print('x')\n")
    monkeypatch.chdir(tmp_path)
    assert main(["--generate-manifest"], env={}) == 0
    assert "sync.py" in json.loads((tmp_path / "manifest.json").read_text())["files"]


def test_setup_writes_a_private_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "conf" / "config.json"
    # Key; a wrong id first (numeric), then a right one; week start; no zone preference.
    answers = f"{DEMO_API_KEY}\n424242\n{DEMO_ATHLETE_ID}\nsun\n\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    assert main(["--setup", "--config", str(config)], env={}) == 0
    out = capsys.readouterr().out
    assert "lacks the leading 'i'" in out and DEMO_API_KEY not in out
    assert json.loads(config.read_text()) == {
        "athlete_id": DEMO_ATHLETE_ID,
        "intervals_key": DEMO_API_KEY,
        "week_start": "sun",
    }
    assert config.stat().st_mode & 0o777 == 0o600


def test_check_from_a_manual_workflow_run_writes_the_job_summary(
    fake_api: FakeIntervalsServer,
    tmp_path: Path,
    data_clone: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("")
    env = _env(
        tmp_path,
        fake_api,
        GITHUB_ACTIONS="true",
        GITHUB_EVENT_NAME="workflow_dispatch",
        GITHUB_REPOSITORY=DATA_REPO,
        GITHUB_STEP_SUMMARY=str(summary),
    )
    assert _check(tmp_path, env, data_clone) == 0
    text = summary.read_text()
    assert text.startswith("## section11 setup check")
    assert "ok: write access to origin/main" in text
    assert "https://raw.githubusercontent.com/athlete/training-data/main/latest.json" in text
    assert capsys.readouterr().out.strip().endswith("all checks passed")


@pytest.mark.parametrize("name", ["sync.yml", "sync-on-demand.yml"])
def test_the_workflows_run_the_check_on_manual_runs_only(name: str) -> None:
    text = (Path(__file__).resolve().parents[1] / ".github" / "workflows" / name).read_text()
    step = text.split("- name: Check the setup", 1)[1].split("\n      - ", 1)[0]
    assert "github.event_name == 'workflow_dispatch'" in step
    assert "run: python sync.py check" in step
    assert text.index("Check the setup") < text.index("run: python sync.py --publish")


def test_athlete_id_zero_means_the_keys_own_athlete(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    assert _sync(tmp_path, _env(tmp_path, fake_api, ATHLETE_ID="0")) == 0
    assert fake_api.requests[0].path == "/api/v1/athlete/0"
