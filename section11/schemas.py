"""JSON Schemas of the output files, generated from their pydantic models.

``section11 schemas --generate`` writes ``schemas/<file>.schema.json``; ``--check`` (and a
test) fails when a model changed and its schema was not regenerated.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from section11.store import write_bytes_atomic


def _models() -> dict[str, type[BaseModel]]:
    from section11.outputs.ftp_history import FtpHistory
    from section11.outputs.history_models import HistoryFile
    from section11.outputs.intervals_models import IntervalsFile
    from section11.outputs.latest_models import LatestFile
    from section11.outputs.routes import RoutesFile

    return {
        "latest": LatestFile,
        "history": HistoryFile,
        "intervals": IntervalsFile,
        "routes": RoutesFile,
        "ftp_history": FtpHistory,
    }


def schema_documents() -> dict[str, bytes]:
    """File name -> schema bytes, exactly as committed."""
    documents: dict[str, bytes] = {}
    for name, model in _models().items():
        schema: dict[str, Any] = model.model_json_schema(mode="serialization")
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{name}.schema.json",
            **schema,
        }
        text = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False)
        documents[f"{name}.schema.json"] = (text + "\n").encode("utf-8")
    return documents


def stale_schemas(folder: Path) -> list[str]:
    stale = []
    for filename, payload in schema_documents().items():
        path = folder / filename
        if not path.exists() or path.read_bytes() != payload:
            stale.append(filename)
    return stale


def main_schemas(folder: Path, *, generate: bool, echo: Callable[[str], None] = print) -> int:
    if generate:
        for filename, payload in schema_documents().items():
            write_bytes_atomic(folder / filename, payload)
        echo(f"wrote {len(schema_documents())} schemas to {folder}")
        return 0
    stale = stale_schemas(folder)
    if stale:
        print(
            f"stale schemas: {', '.join(stale)}; run: section11 schemas --generate",
            file=sys.stderr,
        )
        return 1
    echo("schemas are current")
    return 0
