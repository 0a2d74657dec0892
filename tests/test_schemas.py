"""The committed JSON Schemas match the output models."""

from __future__ import annotations

from pathlib import Path

from section11.schemas import main_schemas, schema_documents, stale_schemas

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def test_committed_schemas_are_current() -> None:
    stale = stale_schemas(SCHEMAS)
    assert not stale, f"stale: {stale}; run: section11 schemas --generate"


def test_every_output_file_has_a_schema() -> None:
    assert sorted(schema_documents()) == [
        "ftp_history.schema.json",
        "history.schema.json",
        "intervals.schema.json",
        "latest.schema.json",
        "routes.schema.json",
        "workout_plan.schema.json",
    ]


def test_check_detects_a_changed_schema(tmp_path: Path) -> None:
    assert main_schemas(tmp_path, generate=True, echo=lambda _: None) == 0
    assert main_schemas(tmp_path, generate=False, echo=lambda _: None) == 0
    (tmp_path / "latest.schema.json").write_text("{}\n")
    assert stale_schemas(tmp_path) == ["latest.schema.json"]
    assert main_schemas(tmp_path, generate=False, echo=lambda _: None) == 1
