"""JSON Schemas of the output files, generated from their pydantic models.

``section11 schemas --generate`` writes ``schemas/<file>.schema.json``; ``--check`` (and a
test) fails when a model changed and its schema was not regenerated.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from section11.store import generate_or_check, stale_files


def _models() -> dict[str, type[BaseModel]]:
    from section11.outputs.ftp_history import FtpHistory
    from section11.outputs.history_models import HistoryFile
    from section11.outputs.intervals_models import IntervalsFile
    from section11.outputs.latest_models import LatestFile
    from section11.outputs.routes import RoutesFile
    from section11.workouts.model import Plan

    return {
        "latest": LatestFile,
        "history": HistoryFile,
        "intervals": IntervalsFile,
        "routes": RoutesFile,
        "ftp_history": FtpHistory,
        "workout_plan": Plan,  # input, not output: the plan files `section11 push` reads
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
    return stale_files(folder, schema_documents())


def main_schemas(folder: Path, *, generate: bool, echo: Callable[[str], None] = print) -> int:
    return generate_or_check(
        folder,
        schema_documents,
        generate=generate,
        what="schemas",
        command="section11 schemas --generate",
        echo=echo,
    )
