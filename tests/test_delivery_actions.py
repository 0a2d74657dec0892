"""GitHub Actions, simulated step by step: every run starts from a fresh clone of the data
repository (a bare remote), with the environment a runner sets, against the fake
Intervals.icu and the fake GitHub."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fake_github import TOKEN, FakeGitHub

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer
from section11.publish.manifest import build_manifest, write_manifest

NOW = datetime(2026, 11, 21, 9, 7, tzinfo=UTC)
TEMPLATE = "coach/section11"
DATA_REPO = "athlete/training-data"

# A small template: what data repositories keep, and what only the template needs.
KEPT = {
    "sync.py": b"# entry point\n",
    "section11/__init__.py": b"",
    "requirements.txt": b"requests\n",
    ".github/workflows/sync.yml": b"name: sync\n",
    "docs/guide.md": b"# Guide\n",  # field and decision reference the athlete and AI read
}
TEMPLATE_ONLY = {
    "README.md": b"# section11 (the template's README)\n",
    "DATA_REPO_README.md": (
        b"# My training data\n\n"
        b"[badge](https://github.com/<owner>/<repo>/actions/workflows/sync.yml)\n\n"
        b"**Last successful sync:** never\n"
    ),
    "SETUP_ASSISTANT.md": b"You are an AI assistant helping to set up...\n",
    "CONTRIBUTING.md": b"# Contributing\n",
    "pyproject.toml": b"[project]\n",
    "tests/test_x.py": b"def test_x() -> None: ...\n",
    "benchmarks/bench.py": b"# bench\n",
}


def git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(cwd),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@dataclass
class Runner:
    """The data repository's remote and what a scheduled run sees."""

    remote: Path
    root: Path
    github: FakeGitHub
    api: FakeIntervalsServer
    runs: int = 0

    def run(
        self, now: datetime, monkeypatch: pytest.MonkeyPatch, *, key: str = DEMO_API_KEY
    ) -> tuple[int, str, Path]:
        """One scheduled workflow run: fresh checkout, `python sync.py --publish`."""
        self.runs += 1
        workspace = self.root / f"run-{self.runs}"
        git(self.root, "clone", "-q", str(self.remote), str(workspace))
        summary = self.root / f"summary-{self.runs}.md"
        summary.write_text("")
        config = self.root / "no-config.json"
        config.write_text("{}")
        # The runner writes the triggering event's payload (it names the repository).
        event = self.root / "event.json"
        event.write_text(json.dumps({"repository": {"full_name": DATA_REPO, "private": True}}))
        env = {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": "schedule",
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_REPOSITORY": DATA_REPO,
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_TOKEN": TOKEN,
            "GITHUB_API_URL": self.github.url,
            "RUNNER_TEMP": str(self.root),
            "SECTION11_CONFIG": str(config),
            "SECTION11_ARCHIVE_DAYS": "30",
            "ATHLETE_ID": DEMO_ATHLETE_ID,
            "INTERVALS_KEY": key,
            "INTERVALS_API_BASE": self.api.base_url,
        }
        monkeypatch.chdir(workspace)  # the workflow runs in the checkout
        code = main(["--publish"], env=env, clock=FixedClock(now))
        return code, summary.read_text(), workspace

    def commits(self) -> list[str]:
        return git(self.remote, "log", "--format=%s", "main").splitlines()

    def tracked(self) -> set[str]:
        return set(git(self.remote, "ls-tree", "-r", "--name-only", "main").splitlines())


def _new_data_repo(root: Path) -> Path:
    """A bare remote holding what "Use this template" creates: the whole template."""
    work = root / "template"
    for rel, data in {**KEPT, **TEMPLATE_ONLY}.items():
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_bytes(data)
    git(root, "init", "-q", "-b", "main", str(work))
    git(work, "add", "-A")
    write_manifest(work, build_manifest(work, TEMPLATE, "1.0.0"))
    git(work, "add", "-A")
    git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "Initial commit")
    remote = root / "origin.git"
    git(root, "clone", "-q", "--bare", str(work), str(remote))
    return remote


@pytest.fixture
def runner(fake_api: FakeIntervalsServer, tmp_path: Path) -> Iterator[Runner]:
    remote = _new_data_repo(tmp_path)
    with FakeGitHub() as github:
        # The template is unchanged since the data repository was made from it.
        manifest = git(tmp_path / "template", "show", "HEAD:manifest.json") + "\n"
        github.put_file(TEMPLATE, "manifest.json", manifest.encode())
        yield Runner(remote, tmp_path, github, fake_api)


def _late_activity(api: FakeIntervalsServer, activity_id: str, when: str) -> None:
    late = dict(api.athlete.activities[0])
    late |= {"id": activity_id, "start_date_local": when, "name": "Late ride"}
    api.athlete.add_activity(late)


def test_three_scheduled_runs_with_nothing_new_make_one_commit(
    runner: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    summaries = []
    for minutes in (0, 20, 40):
        code, summary, _ = runner.run(NOW + timedelta(minutes=minutes), monkeypatch)
        assert code == 0
        summaries.append(summary)
    # "Initial commit" from the template plus the first run's one commit: 1 + 1 = 2.
    assert runner.commits() == ["Sync training data 2026-11-21T09:07:00Z", "Initial commit"]
    # The update check ran once (manifest + open Issues: 2 calls), in the committing run.
    assert len(runner.github.requests) == 2
    assert "Template update check | up to date" in summaries[0]
    for later in summaries[1:]:
        assert "nothing new — no commit" in later
        assert "Template update check | waits for a run with new data" in later
    state = json.loads(git(runner.remote, "show", "main:.section11/update-check.json"))
    assert state["last_checked_utc"] == "2026-11-21T09:07:00Z"


def test_the_update_check_runs_at_most_once_a_day(
    runner: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.run(NOW, monkeypatch)[0] == 0
    assert len(runner.github.requests) == 2  # manifest + open Issues
    _late_activity(runner.api, "i99999901", "2026-11-21T08:00:00")
    code, summary, _ = runner.run(NOW + timedelta(hours=2), monkeypatch)
    assert code == 0 and len(runner.commits()) == 3  # new data: committed
    assert len(runner.github.requests) == 2  # but no second check the same day
    assert "already done in the last 24 hours" in summary
    _late_activity(runner.api, "i99999902", "2026-11-22T08:00:00")
    assert runner.run(NOW + timedelta(days=1, hours=1), monkeypatch)[0] == 0
    assert len(runner.github.requests) == 4  # the next day: 2 + 2


def test_the_first_publish_slims_a_new_data_repository_in_one_commit(
    runner: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, summary, _ = runner.run(NOW, monkeypatch)
    assert code == 0
    assert len(runner.commits()) == 2  # Initial commit + one
    tracked = runner.tracked()
    assert set(KEPT) | {"manifest.json", "README.md", "latest.json"} <= tracked
    assert not (set(TEMPLATE_ONLY) - {"README.md"}) & tracked
    readme = git(runner.remote, "show", "main:README.md")
    assert readme.startswith("# My training data")  # DATA_REPO_README.md's text
    assert f"https://github.com/{DATA_REPO}/actions/workflows/sync.yml" in readme
    assert "**Last successful sync:** 2026-11-21 09:07:00 UTC" in readme
    # 7 template-only files; README.md is rewritten rather than removed: 7 - 1 = 6.
    assert "removed 6 template file(s)" in summary
    removed = git(runner.remote, "show", "--name-status", "--format=", "main").splitlines()
    assert sum(1 for line in removed if line.startswith("D")) == 6

    # The next run has nothing to remove and nothing new.
    code, summary, _ = runner.run(NOW + timedelta(minutes=20), monkeypatch)
    assert code == 0 and len(runner.commits()) == 2
    assert "template file(s)" not in summary


def test_files_the_athlete_added_are_never_removed(
    runner: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    own = tmp_path / "own"
    git(tmp_path, "clone", "-q", str(runner.remote), str(own))
    (own / "benchmarks" / "my-notes.md").write_text("race plan\n")  # beside template files
    git(own, "add", "benchmarks/my-notes.md")
    git(own, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "notes")
    git(own, "push", "-q", "origin", "main")
    assert runner.run(NOW, monkeypatch)[0] == 0
    tracked = runner.tracked()
    assert "benchmarks/my-notes.md" in tracked and "benchmarks/bench.py" not in tracked


def test_publishing_from_a_local_clone_never_slims(
    runner: Runner, fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    clone = tmp_path / "local"
    git(tmp_path, "clone", "-q", str(runner.remote), str(clone))
    config = tmp_path / "config.json"
    config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
    }
    args = ["--output-dir", str(clone), "--publish", "--quiet"]
    assert main(args, env=env, clock=FixedClock(NOW)) == 0
    assert set(TEMPLATE_ONLY) <= runner.tracked()  # e.g. a clone of the template itself


def test_a_failed_run_writes_the_job_summary_too(
    runner: Runner, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, summary, workspace = runner.run(NOW, monkeypatch, key="wrong-key-0123456789")
    assert code == 3
    assert "| Result | **failed**" in summary
    assert "refused the credentials" in summary
    out = capsys.readouterr().out
    assert "::error::" in out and "wrong-key-0123456789" not in out + summary
    assert runner.commits() == ["Initial commit"]
    assert not (workspace / "latest.json").exists()


def _publish_template_v2(root: Path, github: FakeGitHub) -> Path:
    """A newer template (sync.py changed) as a bare repository, its manifest served."""
    work = root / "template"
    (work / "sync.py").write_bytes(b"# entry point, version 2\n")
    write_manifest(work, build_manifest(work, TEMPLATE, "1.1.0"))
    git(work, "add", "-A")
    git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v2")
    bare = root / "github" / TEMPLATE
    bare.parent.mkdir(parents=True, exist_ok=True)
    git(root, "clone", "-q", "--bare", str(work), f"{bare}.git")
    github.put_file(TEMPLATE, "manifest.json", (work / "manifest.json").read_bytes())
    return bare


def test_the_update_issue_commands_work_while_the_bot_keeps_pushing(
    runner: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert runner.run(NOW, monkeypatch)[0] == 0  # slimmed, up to date
    template = _publish_template_v2(tmp_path, runner.github)
    _late_activity(runner.api, "i99999911", "2026-11-22T08:00:00")
    assert runner.run(NOW + timedelta(days=1), monkeypatch)[0] == 0
    [issue] = runner.github.open_issues(DATA_REPO)
    commands = issue.body.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()

    # The athlete's computer: github.com addresses point at the local bare repositories.
    data_remote = tmp_path / "github" / f"{DATA_REPO}.git"
    data_remote.parent.mkdir(parents=True, exist_ok=True)
    data_remote.symlink_to(runner.remote)
    laptop = tmp_path / "laptop"
    laptop.mkdir()
    cwd = laptop
    env = {
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(laptop),
        "PATH": "/usr/bin:/bin",
        "GIT_AUTHOR_NAME": "Athlete",
        "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "Athlete",
        "GIT_COMMITTER_EMAIL": "a@example.com",
    }
    committed = False
    for line in commands:
        command = line.replace(f"https://github.com/{DATA_REPO}.git", str(data_remote))
        command = command.replace(f"https://github.com/{TEMPLATE}.git", f"{template}.git")
        if command.startswith("cd "):
            cwd = cwd / command.split()[1]
            continue
        if committed and command.startswith("git pull --rebase"):
            # Between the athlete's commit and push, the scheduled sync pushed new data.
            _late_activity(runner.api, "i99999912", "2026-11-22T09:00:00")
            assert runner.run(NOW + timedelta(days=1, minutes=20), monkeypatch)[0] == 0
        done = subprocess.run(
            ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, (command, done.stderr)
        committed = committed or command.startswith("git commit")

    assert git(runner.remote, "show", "main:sync.py") == "# entry point, version 2"
    subjects = runner.commits()
    assert subjects[0] == "Update section11 files to 1.1.0"  # on top of the bot's commit
    assert subjects[1].startswith("Sync training data 2026-11-22T09:27")

    # The next sync with new data sees the updated files and closes the Issue.
    _late_activity(runner.api, "i99999913", "2026-11-22T10:00:00")
    code, summary, _ = runner.run(NOW + timedelta(days=1, minutes=40), monkeypatch)
    assert code == 0
    assert runner.github.open_issues(DATA_REPO) == []
    assert "update Issue closed" in summary
