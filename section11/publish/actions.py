"""GitHub Actions integration: workflow commands and the job summary.

Workflow commands are lines on stdout such as ``::warning::message`` (shown as
annotations on the run page) and ``::add-mask::value`` (the runner replaces ``value``
with ``***`` in all later log output). Their data is escaped as GitHub's runner expects:
``%`` → ``%25``, carriage return → ``%0D``, newline → ``%0A``; property values (such as
``title=``) additionally escape ``:`` → ``%3A`` and ``,`` → ``%2C``.

The job summary is Markdown appended to the file named by ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from section11.safetext import neutralize, without_controls

__all__ = [
    "FileEntry",
    "SummaryData",
    "annotate",
    "escape_data",
    "escape_property",
    "in_actions",
    "mask_secret",
    "render_failure_summary",
    "render_summary",
    "write_job_summary",
]

Level = Literal["notice", "warning", "error"]


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def in_actions(env: Mapping[str, str] | None = None) -> bool:
    """True when running inside a GitHub Actions job."""
    return _env(env).get("GITHUB_ACTIONS") == "true"


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotate(level: Level, message: str, *, title: str | None = None) -> str:
    """The workflow-command line for an annotation, e.g. ``::warning::Disk almost full``."""
    if level not in ("notice", "warning", "error"):
        raise ValueError(f"unknown annotation level {level!r}")
    props = f" title={escape_property(title)}" if title else ""
    return f"::{level}{props}::{escape_data(without_controls(message))}"


def mask_secret(value: str) -> str:
    """The ``::add-mask::`` command(s) hiding ``value`` in later log output.

    A multi-line value gets one command per line (the runner masks line by line).
    Returns an empty string for an empty value.
    """
    lines = [line for line in value.splitlines() if line.strip()]
    return "\n".join(f"::add-mask::{escape_data(line)}" for line in lines)


def write_job_summary(markdown: str, env: Mapping[str, str] | None = None) -> bool:
    """Append ``markdown`` to ``$GITHUB_STEP_SUMMARY``; False (nothing written) when unset."""
    target = _env(env).get("GITHUB_STEP_SUMMARY", "").strip()
    if not target:
        return False
    text = neutralize(markdown, multiline=True)  # the summary page is read as the log is
    text = text if text.endswith("\n") else text + "\n"
    with Path(target).open("a", encoding="utf-8") as handle:
        handle.write(text)
    return True


@dataclass(frozen=True)
class FileEntry:
    name: str
    size_bytes: int | None  # None: the file was not written this run


@dataclass(frozen=True)
class SummaryData:
    files: Sequence[FileEntry] = ()
    activities: int | None = None
    strava_only: int | None = None
    warnings: Sequence[str] = field(default_factory=tuple)
    changed: bool = False
    commit: str | None = None
    pushed: bool = False
    update_check: str | None = None  # one line: what the template update check did
    removed_template_files: int = 0  # the first publish of a new data repository


def _cell(text: str) -> str:
    """Make ``text`` safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _size(size: int | None) -> str:
    if size is None:
        return "—"
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _count(value: int | None) -> str:
    return "unknown" if value is None else str(value)


def render_summary(data: SummaryData) -> str:
    """A compact Markdown summary of one sync run for the Actions job page."""
    if not data.changed:
        outcome = "nothing new — no commit"
    elif data.commit is None:
        outcome = "data changed, not committed"
    elif data.pushed:
        outcome = f"committed `{data.commit[:12]}` and pushed"
    else:
        outcome = f"committed `{data.commit[:12]}` locally (not pushed)"

    lines = [
        "## section11 sync",
        "",
        "| | |",
        "|---|---|",
        f"| Result | {_cell(outcome)} |",
        f"| Activities | {_count(data.activities)} |",
        f"| Strava-only (no data via the API) | {_count(data.strava_only)} |",
    ]
    if data.update_check is not None:
        lines.append(f"| Template update check | {_cell(data.update_check)} |")
    lines.append("")
    if data.removed_template_files:
        lines += [
            f"This first publish removed {data.removed_template_files} template file(s) a "
            "data repository does not need (code tests, benchmarks, CI, developer docs, "
            "SETUP_ASSISTANT.md) and made DATA_REPO_README.md the README, in this run's "
            "one commit. Only your data, the sync code and the workflows stay.",
            "",
        ]
    if data.files:
        lines += ["| File | Size |", "|---|---:|"]
        lines += [f"| `{_cell(f.name)}` | {_size(f.size_bytes)} |" for f in data.files]
        lines.append("")
    if data.warnings:
        lines.append(f"### Warnings ({len(data.warnings)})")
        lines.append("")
        lines += [f"- {_cell(w)}" for w in data.warnings]
        lines.append("")
    return "\n".join(lines)


def render_failure_summary(message: str) -> str:
    """The job summary of a run that failed: the one-line reason, plainly."""
    return "\n".join(
        [
            "## section11 sync",
            "",
            "| | |",
            "|---|---|",
            "| Result | **failed** — nothing was committed; the files from the last "
            "successful sync are unchanged |",
            f"| Reason | {_cell(message)} |",
            "",
        ]
    )
