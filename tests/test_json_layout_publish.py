"""A data repository whose files were committed with two-space indentation switches to the
line layout with its first real data change, never with a timestamp-only run."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from section11.publish.runner import publish
from section11.store import dumps

NOW = datetime(2026, 11, 21, 10, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Sync Bot")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "bot@example.org")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def latest(ctl: float, stamp: str) -> dict[str, Any]:
    return {
        "metadata": {"last_updated": stamp},
        "current_status": {"fitness": {"ctl": ctl, "atl": None}},
        "recent_activities": [{"id": "i2", "tss": 50.0}, {"id": "i1", "tss": None}],
    }


def test_old_layout_stays_until_the_data_changes(tmp_path: Path) -> None:
    repo = tmp_path / "data"
    repo.mkdir()
    git(repo, "init", "--quiet", "-b", "main")
    old_text = json.dumps(latest(40.0, "2026-11-21T09:00:00Z"), indent=2) + "\n"
    (repo / "latest.json").write_text(old_text)
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "seed")
    path = repo / "latest.json"

    # Same data, new time stamp, new layout (and 40.0 now written as 40): nothing to commit,
    # the committed file stays.
    path.write_bytes(dumps(latest(40.0, "2026-11-21T10:15:00Z")))
    assert publish(repo, [path], NOW, retention_days=0).changed is False
    assert path.read_text() == old_text
    assert git(repo, "status", "--porcelain") == ""

    # Changed data: one commit, in the new layout.
    new_bytes = dumps(latest(41.0, "2026-11-21T10:15:00Z"))
    path.write_bytes(new_bytes)
    result = publish(repo, [path], NOW, retention_days=0)
    assert result.changed is True
    assert git(repo, "show", "HEAD:latest.json") + "\n" == new_bytes.decode()
    # The record lines: each activity on its own line, as written.
    assert '{"id":"i2","tss":50},' in new_bytes.decode().splitlines()  # 50.0 written as 50
