"""The first publish in a new data repository: keep only what a data repository needs.

A repository created from the template starts as a full copy of it (code tests,
benchmarks, CI, developer docs, ``SETUP_ASSISTANT.md`` …). The template's manifest.json
lists those files under ``template_only``; the first publish in GitHub Actions deletes
the ones still tracked, makes ``DATA_REPO_README.md`` the repository's ``README.md`` (with
``<owner>/<repo>`` filled in), and the run's single commit carries the removal. Files the
athlete added are never touched: only paths named in the manifest are removed. Later runs
find nothing left to remove and do nothing here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from section11.publish.git import GitRepo
from section11.publish.manifest import DATA_REPO_README, Manifest
from section11.store import write_bytes_atomic

__all__ = ["SlimResult", "slim_data_repository"]

log = logging.getLogger(__name__)

README = "README.md"
_PLACEHOLDER = "<owner>/<repo>"


@dataclass(frozen=True)
class SlimResult:
    removed: list[str]  # repository paths deleted from the work tree (to commit)
    readme_replaced: bool


def slim_data_repository(repo_dir: Path, manifest: Manifest, data_repo: str) -> SlimResult:
    """Delete the tracked ``template_only`` files of ``manifest`` from ``repo_dir``.

    ``data_repo`` (``owner/name``) replaces the ``<owner>/<repo>`` placeholders of the
    data repository README.
    """
    repo = GitRepo(repo_dir)
    wanted = set(manifest.template_only)
    # README.md is never removed: it is rewritten from DATA_REPO_README.md (when that is
    # still here) and is the athlete's document from then on.
    tracked = [rel for rel in repo.tracked_files() if rel in wanted and rel != README]
    if not tracked:
        return SlimResult([], False)
    replaced = False
    readme_source = repo_dir / DATA_REPO_README
    if DATA_REPO_README in tracked and readme_source.is_file():
        text = readme_source.read_text(encoding="utf-8").replace(_PLACEHOLDER, data_repo)
        write_bytes_atomic(repo_dir / README, text.encode("utf-8"))
        replaced = True
    removed: list[str] = []
    for rel in tracked:
        (repo_dir / rel).unlink(missing_ok=True)
        removed.append(rel)
    _prune_empty_dirs(repo_dir, removed)
    log.info("new data repository: removing %d template file(s) it does not need", len(removed))
    return SlimResult(sorted(removed), replaced)


def _prune_empty_dirs(root: Path, removed: list[str]) -> None:
    folders = {Path(rel).parent for rel in removed}
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        current = root / folder
        while current != root and current.is_dir() and not any(current.iterdir()):
            current.rmdir()
            current = current.parent
