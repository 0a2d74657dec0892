"""Reading and writing the output files safely.

Writes are atomic (temp file in the same folder, fsync, ``os.replace``) so a crash or a
full disk never leaves a half-written file where a good one was; :func:`write_files_atomic`
extends that to a set of files (all are replaced, or none). New files honour the umask
(run state can ask for owner-only). Reads tell apart a
missing file from one we could not parse, so callers can decide to rebuild, move the bad
file aside, or stop.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from section11.json_layout import dumps_lines

log = logging.getLogger(__name__)
ModelT = TypeVar("ModelT", bound=BaseModel)
_NEW_FILE_MODE = 0o666  # less the umask, like any file a program creates
_OWNER_ONLY = 0o700
_umask_lock = threading.Lock()


def dumps(data: BaseModel | Any, *, compact: bool = False) -> bytes:
    """Serialise a model or plain JSON data the same way everywhere (stable, small).

    By default in the line layout of :mod:`section11.json_layout` (compact, one record per
    line: small files, readable diffs); ``compact`` writes a single line.
    """
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json", by_alias=True)
    if compact:
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    else:
        text = dumps_lines(data)
    return (text + "\n").encode("utf-8")


def _umask() -> int:
    # Reading the umask means setting it; 077 meanwhile only makes a racing file stricter.
    with _umask_lock:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def _file_mode(path: Path, *, owner_only: bool) -> int:
    """The mode of the file we replace (or a new file's), less the umask."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = _NEW_FILE_MODE
    if owner_only:
        mode &= _OWNER_ONLY
    return mode & ~_umask()


def _write_temp(path: Path, payload: bytes, *, owner_only: bool) -> str:
    """A fsynced temp file next to ``path`` holding ``payload``, with its final mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600. By name: os.fchmod does not exist on Windows.
        os.chmod(tmp_name, _file_mode(path, owner_only=owner_only))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return tmp_name


def write_bytes_atomic(path: Path, payload: bytes, *, owner_only: bool = False) -> None:
    tmp_name = _write_temp(path, payload, owner_only=owner_only)
    try:
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


@dataclass(frozen=True)
class FileWrite:
    """One file of a set written by :func:`write_files_atomic`."""

    path: Path
    payload: bytes
    owner_only: bool = False


def write_files_atomic(files: Sequence[FileWrite]) -> None:
    """Replace every file in ``files``, or none of them.

    Every temp file is written and fsynced first (a full disk stops here, nothing
    replaced); then they are renamed in order. Should a rename fail, the files already
    replaced get their previous version back (kept as hard links meanwhile) and files
    that did not exist before are removed. Raises the ``OSError``.
    """
    temps: list[str] = []
    backups: dict[Path, str | None] = {}
    replaced: list[Path] = []
    try:
        for item in files:
            temps.append(_write_temp(item.path, item.payload, owner_only=item.owner_only))
        for item in files:
            backups[item.path] = _hard_link_backup(item.path)
        for item, tmp_name in zip(files, temps, strict=True):
            os.replace(tmp_name, item.path)
            replaced.append(item.path)
    except BaseException:
        for path in reversed(replaced):
            _restore(path, backups.get(path))
        for tmp_name in temps:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
        raise
    finally:
        for backup in backups.values():
            if backup is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(backup)


def _hard_link_backup(path: Path) -> str | None:
    """A second name for the current file (no copy), or None when there is no file."""
    if not path.is_file():
        return None
    name = f"{path.parent / ('.' + path.name)}.{os.getpid()}.{threading.get_ident()}.bak"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name)
    try:
        os.link(path, name)
    except OSError:  # a file system without hard links: copy instead
        shutil.copy2(path, name)
    return name


def _restore(path: Path, backup: str | None) -> None:
    with contextlib.suppress(OSError):
        if backup is None:
            os.unlink(path)
        else:
            os.replace(backup, path)


def write_json_atomic(path: Path, data: BaseModel | Any) -> int:
    """Write JSON atomically; returns the number of bytes written."""
    payload = dumps(data)
    write_bytes_atomic(path, payload)
    return len(payload)


@dataclass(frozen=True)
class Loaded:
    """The outcome of reading a JSON file: ``ok`` with data, ``missing``, or ``corrupt``."""

    status: Literal["ok", "missing", "corrupt"]
    data: Any = None
    error: str | None = None


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex), read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def read_json(path: Path) -> Loaded:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Loaded("missing")
    except OSError as exc:
        return Loaded("corrupt", error=f"cannot read {path}: {exc.strerror or exc}")
    try:
        return Loaded("ok", json.loads(raw.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Loaded("corrupt", error=f"{path.name} is not valid JSON ({exc})")


def move_aside(path: Path, now_utc: datetime) -> Path:
    """Rename an unreadable file so it is kept for inspection and never overwritten."""
    stamp = now_utc.strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    os.replace(path, target)
    return target


def set_aside(path: Path, now_utc: datetime, message: str) -> str:
    """Move an unreadable file aside and return the warning that says so.

    Not logged here: the caller reports the run's warnings once (a second copy of the
    same line only confuses the reader).
    """
    try:
        target = move_aside(path, now_utc)
        text = f"{message} (kept as {target.name})"
    except OSError as exc:
        text = f"{message} (could not move it aside: {exc.strerror or exc})"
    log.debug("%s", text)
    return text


def load_model(
    path: Path,
    model: type[ModelT],
    now_utc: datetime,
    *,
    consequence: str,
    version_key: str | None = None,
    version: object = None,
    upgrade: Callable[[Any], Any] | None = None,
) -> tuple[ModelT | None, list[str]]:
    """A file we wrote on an earlier run, as ``model``, plus warnings for the run.

    Missing: (None, []). Written by another version (``version_key`` differs): (None, []),
    the caller rebuilds it. Unreadable or not matching the model: moved aside as
    ``<name>.corrupt-<UTC stamp>`` and (None, [warning ending in ``consequence``]).
    ``upgrade`` turns the decoded JSON of a layout an earlier version wrote into the
    current one before it is checked.
    """
    loaded = read_json(path)
    if loaded.status == "missing":
        return None, []
    if loaded.status == "ok":
        data = upgrade(loaded.data) if upgrade is not None else loaded.data
        if version_key is not None and isinstance(data, dict) and data.get(version_key) != version:
            log.info(
                "%s has %s %r (expected %r); rebuilding it",
                path.name,
                version_key,
                data.get(version_key),
                version,
            )
            return None, []
        try:
            return model.model_validate(data), []
        except ValidationError as exc:
            problem = f"{path.name} does not match its schema ({exc.error_count()} problem(s))"
    else:
        problem = loaded.error or f"{path.name} could not be read"
    return None, [set_aside(path, now_utc, f"{problem}; {consequence}")]


def stale_files(folder: Path, documents: Mapping[str, bytes]) -> list[str]:
    """Names of ``documents`` whose file in ``folder`` is missing or has other bytes."""
    return [
        name
        for name, payload in documents.items()
        if not (folder / name).exists() or (folder / name).read_bytes() != payload
    ]


def generate_or_check(
    folder: Path,
    render: Callable[[], Mapping[str, bytes]],
    *,
    generate: bool,
    what: str,
    command: str,
    echo: Callable[[str], None] = print,
) -> int:
    """Write generated files (``generate``) or exit 1 when the committed ones are stale."""
    documents = render()
    if generate:
        for name, payload in documents.items():
            write_bytes_atomic(folder / name, payload)
        echo(f"wrote {len(documents)} {what} to {folder}")
        return 0
    stale = stale_files(folder, documents)
    if stale:
        print(f"stale {what}: {', '.join(stale)}; run: {command}", file=sys.stderr)
        return 1
    echo(f"{what} are current")
    return 0
