"""manifest.json: exactly the files a data repository carries, with SHA-256, and the
template's files it does not carry.

A data repository holds only what it needs to run and what the athlete and the AI read:
its output files (not listed here: they are the athlete's data) and, from the template,

* ``sync.py``, ``requirements.txt``, ``.gitignore`` and the ``section11/`` package (what the
  workflow runs),
* ``.github/workflows/*.yml|yaml`` (the schedule),
* ``schemas/`` (the formal description of the output files, for the AI and the athlete),
* ``README.md``, which starts as the template's ``DATA_REPO_README.md`` and is then the
  athlete's own document (never compared).

Everything else the template tracks (code tests, benchmarks, CI, developer docs, examples,
``SETUP_ASSISTANT.md`` — a prompt addressed to an AI that the athlete's AI connector
would otherwise read) is listed under ``template_only``: the first publish in a new data
repository removes those files in one commit (see ``publish.slim``). Which files are
distributed is decided here, in one place (:func:`is_distributed`); ``files`` is what the
update check compares and what the update Issue lists.

Hashes are SHA-256 of the exact bytes (no newline normalisation): a data repository on
a checkout with ``core.autocrlf`` would otherwise disagree with the template forever, so
the docs tell Windows users to keep the repository's line endings.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from section11 import __version__
from section11.store import sha256_file, write_bytes_atomic

MANIFEST_FILENAME = "manifest.json"
SCHEMA_VERSION = 1
DEFAULT_TEMPLATE_REPOSITORY = "section11/section11"
TEMPLATE_REPO_ENV = "SECTION11_TEMPLATE_REPO"

OUTPUT_FILES = frozenset(
    {"latest.json", "history.json", "intervals.json", "routes.json", "ftp_history.json"}
)
# What a data repository carries from the template (an allow-list: a new file in the
# template stays out of data repositories until it is named here).
_DATA_REPO_ROOT_FILES = frozenset({"sync.py", "requirements.txt", ".gitignore"})
# docs/ explains every field and decision to the athlete and the AI that reads the files.
_DATA_REPO_DIRS = frozenset({"section11", "schemas", "docs"})
# The template's README for data repositories; it becomes their README.md when slimmed.
DATA_REPO_README = "DATA_REPO_README.md"
# Athlete data and run state: never template files, never removed.
_DATA_DIRS = frozenset({"archive", ".section11", ".git"})
# Single files at any depth that are never distributed.
_EXCLUDED_NAMES = frozenset({".sync.lock", ".DS_Store", "Thumbs.db"})
# Folder names that are local clutter wherever they appear (only seen when walking).
_CLUTTER_DIRS = frozenset(
    {
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "node_modules",
        "venv",
        ".venv",
        "build",
        "dist",
        "demo-output",
    }
)
_CLUTTER_SUFFIXES = (".pyc", ".pyo", ".tmp", ".egg-info")

_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
# Paths end up in shell commands shown to the athlete: allow only plain characters.
_SAFE_PATH_RE = re.compile(r"^[A-Za-z0-9_.@+-]+(/[A-Za-z0-9_.@+-]+)*$")


class ManifestEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    sha256: str
    size: int = Field(ge=0)

    @field_validator("sha256")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _SHA256_RE.match(value):
            raise ValueError("sha256 must be 64 lower-case hex characters")
        return value


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    schema_version: int = SCHEMA_VERSION
    template_repository: str
    version: str
    files: dict[str, ManifestEntry]
    # Template files a data repository does not carry (removed when it is slimmed).
    template_only: list[str] = Field(default_factory=list)

    @field_validator("files")
    @classmethod
    def _safe_paths(cls, value: dict[str, ManifestEntry]) -> dict[str, ManifestEntry]:
        _check_paths(value)
        return value

    @field_validator("template_only")
    @classmethod
    def _safe_removals(cls, value: list[str]) -> list[str]:
        _check_paths(value)
        return value

    def to_json(self) -> str:
        """Canonical text: sorted keys, 2-space indent, trailing newline."""
        return json.dumps(self.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"


def _check_paths(paths: Iterable[str]) -> None:
    for path in paths:
        if not is_safe_path(path):
            raise ValueError(f"unsafe path in manifest: {path!r}")


class ManifestError(ValueError):
    """manifest.json could not be read or parsed."""


def is_safe_path(path: str) -> bool:
    """A relative POSIX path without ``..``, empty or hidden-trick segments."""
    if not _SAFE_PATH_RE.match(path):
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def is_distributed(path: str) -> bool:
    """True when the repository-relative POSIX ``path`` is a template file that data
    repositories carry (and so belongs in the manifest's ``files``)."""
    parts = PurePosixPath(path).parts
    if not parts or _is_clutter(parts):
        return False
    if len(parts) == 1:
        return parts[0] in _DATA_REPO_ROOT_FILES
    if parts[0] == ".github":
        return len(parts) == 3 and parts[1] == "workflows" and parts[2].endswith((".yml", ".yaml"))
    return parts[0] in _DATA_REPO_DIRS


def is_template_only(path: str) -> bool:
    """True for a template file a data repository does not carry (tests, docs, CI …).

    Never true for athlete data (the output files, ``archive/``, ``.section11/``).
    """
    parts = PurePosixPath(path).parts
    if not parts or _is_clutter(parts) or is_distributed(path):
        return False
    if parts[0] in _DATA_DIRS:
        return False
    return not (len(parts) == 1 and parts[0] in (*OUTPUT_FILES, MANIFEST_FILENAME))


def _is_clutter(parts: tuple[str, ...]) -> bool:
    name = parts[-1]
    if name in _EXCLUDED_NAMES or ".corrupt-" in name or name.endswith(_CLUTTER_SUFFIXES):
        return True
    return any(part in _CLUTTER_DIRS or part.endswith(".egg-info") for part in parts[:-1])


def build_manifest(root: Path, template_repository: str, version: str) -> Manifest:
    """Hash every distributed file under ``root`` (git-tracked files in a git checkout)."""
    files: dict[str, ManifestEntry] = {}
    template_only: list[str] = []
    for rel in sorted(_candidate_paths(root)):
        full = root / rel
        if not full.is_file():  # tracked but deleted in the working tree
            continue
        if is_distributed(rel):
            files[rel] = ManifestEntry(sha256=sha256_file(full), size=full.stat().st_size)
        elif is_template_only(rel) and is_safe_path(rel):
            template_only.append(rel)
    return Manifest(
        schema_version=SCHEMA_VERSION,
        template_repository=template_repository,
        version=version,
        files=files,
        template_only=template_only,
    )


def parse_manifest(data: bytes | str) -> Manifest:
    """Parse manifest text; ManifestError on bad JSON or a shape we do not understand."""
    try:
        manifest = Manifest.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ManifestError(f"invalid manifest ({where}: {first.get('msg')})") from None
    if manifest.schema_version != SCHEMA_VERSION:
        raise ManifestError(f"unsupported manifest schema_version {manifest.schema_version}")
    return manifest


def read_manifest(root: Path) -> Manifest | None:
    """The manifest.json in ``root``, or None when the file does not exist."""
    path = root / MANIFEST_FILENAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ManifestError(f"cannot read {path}: {exc.strerror}") from None
    return parse_manifest(data)


def write_manifest(root: Path, manifest: Manifest) -> Path:
    """Write ``root/manifest.json`` atomically; return its path."""
    path = root / MANIFEST_FILENAME
    write_bytes_atomic(path, manifest.to_json().encode("utf-8"))
    return path


def manifest_is_stale(root: Path) -> list[str]:
    """Paths whose entry in the committed manifest.json does not match the tree.

    Includes added, removed and changed files; ``manifest.json`` itself is listed when
    the file is missing, unreadable or records another package version.
    """
    try:
        committed = read_manifest(root)
    except ManifestError:
        committed = None
    if committed is None:
        return [MANIFEST_FILENAME]
    fresh = build_manifest(root, committed.template_repository, __version__)
    stale = diff_files(committed.files, fresh.files)
    stale += sorted(set(committed.template_only) ^ set(fresh.template_only))
    if committed.version != fresh.version:
        stale.insert(0, MANIFEST_FILENAME)
    return stale


def diff_files(old: Mapping[str, ManifestEntry], new: Mapping[str, ManifestEntry]) -> list[str]:
    """Sorted paths present in only one mapping or with different hashes."""
    return sorted(
        path
        for path in set(old) | set(new)
        if path not in old or path not in new or old[path].sha256 != new[path].sha256
    )


def resolve_template_repository(
    root: Path,
    *,
    configured: str | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """Which template to follow: $SECTION11_TEMPLATE_REPO > ``configured`` (settings) >
    ``template_repository`` in the local manifest.json > the built-in default."""
    source = os.environ if env is None else env
    for candidate in (source.get(TEMPLATE_REPO_ENV, ""), configured or ""):
        if candidate.strip():
            return candidate.strip()
    try:
        local = read_manifest(root)
    except ManifestError:
        local = None
    if local is not None and local.template_repository.strip():
        return local.template_repository.strip()
    return DEFAULT_TEMPLATE_REPOSITORY


def main_generate(root: Path) -> int:
    """``section11 manifest --generate``: rewrite manifest.json; exit code 0."""
    template = resolve_template_repository(root)
    manifest = build_manifest(root, template, __version__)
    path = write_manifest(root, manifest)
    print(f"wrote {path} ({len(manifest.files)} files, template {template}, version {__version__})")
    return 0


def main_check(root: Path) -> int:
    """``section11 manifest --check``: 0 when manifest.json is current, 1 when stale."""
    stale = manifest_is_stale(root)
    if not stale:
        print("manifest.json is current")
        return 0
    print("manifest.json is out of date for:", file=sys.stderr)
    for path in stale:
        print(f"  {path}", file=sys.stderr)
    print("run: section11 manifest --generate", file=sys.stderr)
    return 1


def main_manifest(root: Path, *, generate: bool) -> int:
    """``section11 manifest --generate`` (``generate=True``) or ``--check``."""
    return main_generate(root) if generate else main_check(root)


def _candidate_paths(root: Path) -> Iterable[str]:
    tracked = _git_tracked(root)
    return tracked if tracked is not None else _walk(root)


def _git_tracked(root: Path) -> list[str] | None:
    """``git ls-files`` when ``root`` is the top of a git work tree, else None."""
    try:
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:  # git not installed
        return None
    if top.returncode != 0 or Path(top.stdout.strip()).resolve() != root.resolve():
        return None
    listed = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z", "--cached"],
        capture_output=True,
        check=True,
    )
    return [p for p in listed.stdout.decode("utf-8").split("\0") if p]


def _walk(root: Path) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root)
        # Prune clutter and hidden folders early (``.github`` is the one hidden folder we ship).
        dirnames[:] = [
            d
            for d in dirnames
            if d not in _CLUTTER_DIRS
            and not d.endswith(".egg-info")
            and (not d.startswith(".") or (d == ".github" and rel_dir == Path(".")))
        ]
        for name in filenames:
            yield (rel_dir / name).as_posix()
