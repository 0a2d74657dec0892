"""Write the dashboard files beside the JSON files, each atomically."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from section11.store import write_bytes_atomic


def write_dashboard(folder: Path, files: Mapping[str, bytes]) -> dict[str, int]:
    """Write every file (temp file + rename); returns file name -> bytes written."""
    written: dict[str, int] = {}
    for name, payload in files.items():
        write_bytes_atomic(folder / name, payload)
        written[name] = len(payload)
    return written
