"""End to end: ``--publish`` against real git (a bare remote) and the fake GitHub API."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fake_github import TOKEN, FakeGitHub, Fault

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
TEMPLATE = "coach/section11-template"
DATA_REPO = "athlete/training-data"


def git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(cwd),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


@pytest.fixture
def data_repo(tmp_path: Path) -> Path:
    """A clone of a bare 'origin' with the data repo README, like a repo made from the template."""
    remote = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    clone = tmp_path / "data"
    git(tmp_path, "clone", "-q", str(remote), str(clone))
    (clone / "README.md").write_text("# Training data\n\n**Last successful sync:** never\n")
    git(clone, "add", "README.md")
    git(clone, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "init")
    git(clone, "push", "-q", "origin", "HEAD:main")
    return clone


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        manifest = {
            "schema_version": 1,
            "template_repository": TEMPLATE,
            "version": "9.9.9",
            "files": {"sync.py": {"sha256": "0" * 64, "size": 10}},
        }
        fake.put_file(TEMPLATE, "manifest.json", json.dumps(manifest).encode())
        yield fake


def publish(
    fake_api: FakeIntervalsServer,
    repo: Path,
    tmp_path: Path,
    now: datetime,
    extra_env: dict[str, str] | None = None,
    target: list[str] | None = None,
) -> int:
    """Sync and publish into ``repo`` (or the ``target`` output flags) from the fake API."""
    config = tmp_path / "config.json"
    config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
        "GIT_CONFIG_GLOBAL": "/dev/null",
        **(extra_env or {}),
    }
    args = [*(target or ["--output-dir", str(repo)]), "--publish", "--quiet"]
    return main(args, env=env, clock=FixedClock(now))


def commits(repo: Path) -> list[str]:
    return git(repo, "log", "--format=%s", "origin/main").splitlines()


def test_one_commit_per_change_none_when_nothing_changed(
    fake_api: FakeIntervalsServer, data_repo: Path, tmp_path: Path
) -> None:
    assert publish(fake_api, data_repo, tmp_path, NOW) == 0
    assert commits(data_repo) == ["Sync training data 2026-11-21T09:00:00Z", "init"]
    tracked = set(git(data_repo, "ls-files").splitlines())
    assert {
        "latest.json",
        "history.json",
        "intervals.json",
        "routes.json",
        "ftp_history.json",
        ".section11/history-state.json",
        ".section11/activity-terrain.json",
        "archive/2026-11/20261121T090000Z.json",
    } <= tracked
    readme = (data_repo / "README.md").read_text()
    assert "**Last successful sync:** 2026-11-21 09:00:00 UTC" in readme

    # 20 minutes later nothing new happened upstream: timestamps alone are no change.
    assert publish(fake_api, data_repo, tmp_path, NOW + timedelta(minutes=20)) == 0
    assert len(commits(data_repo)) == 2
    assert git(data_repo, "status", "--porcelain") == ""

    # A late upload appears: exactly one new commit with the data, snapshot and README line.
    late = dict(fake_api.athlete.activities[0])
    late |= {"id": "i99999999", "start_date_local": "2026-11-21T07:00:00", "name": "Late ride"}
    fake_api.athlete.add_activity(late)
    later = NOW + timedelta(minutes=40)
    assert publish(fake_api, data_repo, tmp_path, later) == 0
    assert commits(data_repo)[0] == "Sync training data 2026-11-21T09:40:00Z"
    changed = git(data_repo, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert {"latest.json", "README.md", "archive/2026-11/20261121T094000Z.json"} <= set(changed)


def test_update_issue_is_opened_and_github_failures_never_fail_the_sync(
    fake_api: FakeIntervalsServer,
    data_repo: Path,
    tmp_path: Path,
    github: FakeGitHub,
    capsys: pytest.CaptureFixture[str],
) -> None:
    summary = tmp_path / "summary.md"
    actions_env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": DATA_REPO,
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_API_URL": github.url,
        "GITHUB_STEP_SUMMARY": str(summary),
        "SECTION11_TEMPLATE_REPO": TEMPLATE,
    }
    assert publish(fake_api, data_repo, tmp_path, NOW, actions_env) == 0
    issues = github.open_issues(DATA_REPO)
    assert len(issues) == 1 and "sync.py" in issues[0].body
    assert "latest.json" in summary.read_text()
    out = capsys.readouterr().out
    assert "::warning::" in out and "Strava" in out  # the demo has Strava-only activities
    assert TOKEN not in out

    # The next day GitHub is down: the sync still succeeds, with a warning.
    github.fail("GET", ".*", Fault(status=500))
    next_day = NOW + timedelta(days=1, minutes=5)
    assert publish(fake_api, data_repo, tmp_path, next_day, actions_env) == 0
    assert "::warning::" in capsys.readouterr().out
    assert len(github.open_issues(DATA_REPO)) == 1


def test_publish_outside_a_git_checkout_is_a_clear_error(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    # A usage error, found before the lock and any request (not after a 3-year fetch).
    assert publish(fake_api, plain, tmp_path, NOW) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "needs the output folder" in err[0] and "git checkout" in err[0]
    assert fake_api.requests == []
    assert list(plain.iterdir()) == []


def test_publish_with_a_relative_output_dir_commits_the_files(
    fake_api: FakeIntervalsServer,
    data_repo: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `--output-dir data` from the folder above the clone: the paths handed to the
    # publisher were once resolved against the clone a second time (data/data/…), so
    # nothing was committed and the run still said "no data changes".
    monkeypatch.chdir(data_repo.parent)
    config = tmp_path / "config.json"
    config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
    }
    args = ["--output-dir", data_repo.name, "--publish", "--quiet"]
    assert main(args, env=env, clock=FixedClock(NOW)) == 0
    tracked = git(data_repo, "ls-tree", "-r", "--name-only", "origin/main").splitlines()
    assert {"latest.json", "history.json", ".section11/history-state.json"} <= set(tracked)


def test_a_push_the_remote_refuses_is_one_line_with_what_to_do(
    fake_api: FakeIntervalsServer,
    data_repo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hook = tmp_path / "origin.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'GH006: Protected branch update failed' >&2\nexit 1\n")
    hook.chmod(0o755)
    assert publish(fake_api, data_repo, tmp_path, NOW) == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("section11: error")]
    assert len(errors) == 1
    assert "pushing to origin/main failed" in errors[0]
    assert "allow this sync to push there" in errors[0] and "kept locally" in errors[0]
    assert "Traceback" not in err
    assert git(data_repo, "log", "-1", "--format=%s").startswith("Sync training data")


def test_renamed_latest_file_is_still_archived(
    fake_api: FakeIntervalsServer, data_repo: Path, tmp_path: Path
) -> None:
    target = ["--output", str(data_repo / "today.json")]
    assert publish(fake_api, data_repo, tmp_path, NOW, target=target) == 0
    snapshot = data_repo / "archive" / "2026-11" / "20261121T090000Z.json"
    assert snapshot.read_bytes() == (data_repo / "today.json").read_bytes()
