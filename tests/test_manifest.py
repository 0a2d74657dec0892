"""manifest.json: inclusion rules, hashing, atomic writing, staleness."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from section11 import __version__
from section11.publish.manifest import (
    DEFAULT_TEMPLATE_REPOSITORY,
    ManifestError,
    build_manifest,
    is_distributed,
    is_template_only,
    main_check,
    main_manifest,
    manifest_is_stale,
    parse_manifest,
    read_manifest,
    resolve_template_repository,
    write_manifest,
)

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "path",
    [
        "section11/publish/github.py",
        "sync.py",
        "requirements.txt",
        ".github/workflows/sync.yml",
        "schemas/latest.schema.json",
        ".gitignore",
        # The field and decision reference: the athlete and the AI read it there.
        "docs/coaching.md",
        "docs/local-sync.md",
    ],
)
def test_distributed(path: str) -> None:
    assert is_distributed(path)
    assert not is_template_only(path)


@pytest.mark.parametrize(
    "path",
    [
        # What a data repository does not need: the template's own README (its README
        # is DATA_REPO_README.md's text), developer material, and a prompt for an AI.
        "README.md",
        "DATA_REPO_README.md",
        "SETUP_ASSISTANT.md",
        "pyproject.toml",
        "CONTRIBUTING.md",
        "examples/schedulers/crontab.txt",
        "tests/test_manifest.py",
        "benchmarks/run.py",
        ".ci/run",
        ".github/dependabot.yml",
    ],
)
def test_template_only(path: str) -> None:
    assert is_template_only(path)
    assert not is_distributed(path)


@pytest.mark.parametrize(
    "path",
    [
        "latest.json",
        "archive/2026-03/20260301T060000Z.json",
        ".section11/update-check.json",
        "manifest.json",
        "section11/__pycache__/x.cpython-311.pyc",
    ],
)
def test_athlete_data_and_clutter_are_never_template_only(path: str) -> None:
    assert not is_template_only(path)


@pytest.mark.parametrize(
    "path",
    [
        "manifest.json",
        "tests/test_manifest.py",
        "benchmarks/run.py",
        ".ci/run",
        "CONTRIBUTING.md",
        "latest.json",
        "history.json",
        "intervals.json",
        "routes.json",
        "ftp_history.json",
        "archive/2026-03/20260301T060000Z.json",
        ".section11/update-check.json",
        ".github/dependabot.yml",
        ".github/workflows/sub/x.yml",
        "section11/__pycache__/x.cpython-311.pyc",
        "latest.json.corrupt-20260301T060000Z",
        ".sync.lock",
    ],
)
def test_not_distributed(path: str) -> None:
    assert not is_distributed(path)


def _tree(root: Path) -> None:
    files = {
        "sync.py": b"print('hi')\r\n",  # CRLF kept: hashes are over exact bytes
        "section11/__init__.py": b"",
        "tests/test_x.py": b"x",
        "latest.json": b"{}",
        "archive/2026-01/a.json": b"{}",
        ".github/workflows/sync.yml": b"name: sync\n",
        "section11/__pycache__/m.pyc": b"\0",
        "venv/lib/site.py": b"x",
    }
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


def test_walk_builds_entries_with_exact_hashes(tmp_path: Path) -> None:
    _tree(tmp_path)
    manifest = build_manifest(tmp_path, "o/r", "9.9")
    assert sorted(manifest.files) == [
        ".github/workflows/sync.yml",
        "section11/__init__.py",
        "sync.py",
    ]
    entry = manifest.files["sync.py"]
    assert entry.sha256 == hashlib.sha256(b"print('hi')\r\n").hexdigest()
    assert entry.size == 13  # 11 characters + CR + LF
    assert manifest.files["section11/__init__.py"].size == 0


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_git_checkout_uses_tracked_files_only(tmp_path: Path) -> None:
    _tree(tmp_path)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "sync.py", "tests/test_x.py", "latest.json")
    (tmp_path / "untracked.py").write_text("x")
    manifest = build_manifest(tmp_path, "o/r", "1")
    assert sorted(manifest.files) == ["sync.py"]  # tests/ and latest.json excluded by rule


def test_write_is_sorted_canonical_and_round_trips(tmp_path: Path) -> None:
    _tree(tmp_path)
    manifest = build_manifest(tmp_path, "o/r", "1.2.3")
    path = write_manifest(tmp_path, manifest)
    text = path.read_text()
    assert text.endswith("}\n")
    data = json.loads(text)
    assert list(data) == [
        "files",
        "schema_version",
        "template_only",
        "template_repository",
        "version",
    ]
    assert data["template_only"] == ["tests/test_x.py"]  # latest.json, archive/: athlete data
    assert list(data["files"]) == sorted(data["files"])
    assert data["schema_version"] == 1
    assert read_manifest(tmp_path) == manifest
    assert list(tmp_path.glob(".manifest.json.*")) == []  # no temp file left behind


def test_staleness_lists_changed_added_and_removed(tmp_path: Path) -> None:
    _tree(tmp_path)
    write_manifest(tmp_path, build_manifest(tmp_path, "o/r", __version__))
    assert manifest_is_stale(tmp_path) == []
    assert main_check(tmp_path) == 0
    (tmp_path / "sync.py").write_bytes(b"print('changed')\n")
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas/new.json").write_text("{}")
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks/new.py").write_text("new")  # a new template-only file
    (tmp_path / ".github/workflows/sync.yml").unlink()
    assert manifest_is_stale(tmp_path) == [
        ".github/workflows/sync.yml",
        "schemas/new.json",
        "sync.py",
        "benchmarks/new.py",
    ]
    assert main_check(tmp_path) == 1
    assert main_manifest(tmp_path, generate=False) == 1
    assert main_manifest(tmp_path, generate=True) == 0
    assert manifest_is_stale(tmp_path) == []
    assert read_manifest(tmp_path).template_repository == "o/r"  # type: ignore[union-attr]


def test_missing_or_broken_manifest_is_stale(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert manifest_is_stale(tmp_path) == ["manifest.json"]
    (tmp_path / "manifest.json").write_text("{not json")
    assert manifest_is_stale(tmp_path) == ["manifest.json"]
    with pytest.raises(ManifestError):
        read_manifest(tmp_path)


@pytest.mark.parametrize(
    "files",
    [
        {"../etc/passwd": {"sha256": "0" * 64, "size": 1}},
        {"/abs": {"sha256": "0" * 64, "size": 1}},
        {"a b.txt": {"sha256": "0" * 64, "size": 1}},
        {"ok.txt": {"sha256": "XYZ", "size": 1}},
        {"ok.txt": {"sha256": "0" * 64, "size": -1}},
    ],
)
def test_parse_rejects_unsafe_entries(files: dict[str, object]) -> None:
    doc = {"schema_version": 1, "template_repository": "o/r", "version": "1", "files": files}
    with pytest.raises(ManifestError):
        parse_manifest(json.dumps(doc))


def test_template_repository_resolution(tmp_path: Path) -> None:
    assert resolve_template_repository(tmp_path, env={}) == DEFAULT_TEMPLATE_REPOSITORY
    write_manifest(tmp_path, build_manifest(tmp_path, "from/manifest", "1"))
    assert resolve_template_repository(tmp_path, env={}) == "from/manifest"
    assert resolve_template_repository(tmp_path, configured="from/settings", env={}) == (
        "from/settings"
    )
    env = {"SECTION11_TEMPLATE_REPO": "from/env"}
    assert resolve_template_repository(tmp_path, configured="from/settings", env=env) == "from/env"


def test_committed_manifest_is_current() -> None:
    stale = manifest_is_stale(REPO_ROOT)
    assert not stale, (
        "manifest.json does not match the distributed files "
        f"({', '.join(stale[:10])}{' …' if len(stale) > 10 else ''}). "
        "Run `section11 manifest --generate` and commit manifest.json."
    )
