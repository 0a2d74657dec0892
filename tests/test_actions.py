"""GitHub Actions helpers: workflow commands, escaping and the job summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from section11.publish.actions import (
    FileEntry,
    SummaryData,
    annotate,
    in_actions,
    mask_secret,
    render_summary,
    write_job_summary,
)


def test_in_actions() -> None:
    assert in_actions({"GITHUB_ACTIONS": "true"}) is True
    assert in_actions({"GITHUB_ACTIONS": "false"}) is False
    assert in_actions({}) is False


def test_annotation_escaping() -> None:
    assert annotate("warning", "50% done\r\nnext") == "::warning::50%25 done%0D%0Anext"
    assert annotate("error", "a:b,c") == "::error::a:b,c"  # data keeps : and ,
    assert annotate("notice", "m", title="t: 1, 2") == "::notice title=t%3A 1%2C 2::m"
    with pytest.raises(ValueError):
        annotate("debug", "x")  # type: ignore[arg-type]


def test_mask_secret() -> None:
    assert mask_secret("abc%def") == "::add-mask::abc%25def"
    assert mask_secret("line1\nline2") == "::add-mask::line1\n::add-mask::line2"
    assert mask_secret("") == ""


def test_write_job_summary_appends_to_the_step_summary_file(tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n")
    env = {"GITHUB_STEP_SUMMARY": str(target)}
    assert write_job_summary("## one", env) is True
    assert write_job_summary("two\n", env) is True
    assert target.read_text() == "earlier step\n## one\ntwo\n"


def test_write_job_summary_without_variable_writes_nothing() -> None:
    assert write_job_summary("## x", {}) is False


def test_render_summary_table() -> None:
    data = SummaryData(
        files=[FileEntry("latest.json", 48_230), FileEntry("routes.json", None)],
        activities=12,
        strava_only=2,
        warnings=["wellness | partial", "HRV\nmissing"],
        changed=True,
        commit="0123456789abcdef0123",
        pushed=True,
    )
    text = render_summary(data)
    assert "| Result | committed `0123456789ab` and pushed |" in text
    assert "| Activities | 12 |" in text
    assert "| Strava-only (no data via the API) | 2 |" in text
    # 48,230 B / 1024 = 47.1 KB
    assert "| `latest.json` | 47.1 KB |" in text
    assert "| `routes.json` | — |" in text
    assert "### Warnings (2)" in text
    assert "- wellness \\| partial" in text
    assert "- HRV missing" in text


def test_render_summary_unchanged_and_unknown_counts() -> None:
    text = render_summary(SummaryData(changed=False))
    assert "nothing new — no commit" in text
    assert "| Activities | unknown |" in text
    assert "Warnings" not in text
