"""Packaging: the workflow's pinned requirements cover the package's dependencies."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_requirements_pin_every_runtime_dependency_exactly() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pinned = {
        _name(line): line.split("==", 1)[1]
        for line in (REPO / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert all(
        "==" in line
        for line in (REPO / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    for dependency in project["dependencies"]:
        assert _name(dependency) in pinned, f"{dependency} is not pinned in requirements.txt"


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    assert 'pip install -e ".[test]" && pytest -n auto' in readme
    assert "pytest -n auto" in ci
