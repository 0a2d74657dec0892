"""The API facts the tests need live in the repository (tests/data/), with the version of
the OpenAPI spec they were built from, so the suite runs in a fresh clone."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

TESTS = Path(__file__).resolve().parent
CONTRACT = TESTS / "data" / "intervals_api_contract.json"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_api_contract", TESTS / "data" / "build_api_contract.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_contract_names_its_source_spec() -> None:
    contract = json.loads(CONTRACT.read_text(encoding="utf-8"))
    assert contract["spec_title"] == "Intervals.icu API"
    assert contract["spec_version"] == "v1.0.0"
    assert re.fullmatch(r"[0-9a-f]{64}", contract["spec_sha256"])
    assert "/api/v1/athlete/{id}" in contract["get_paths"]
    assert set(contract["schemas"]) == set(_builder().SCHEMAS)


def test_the_builder_keeps_get_paths_and_property_names() -> None:
    spec = {
        "info": {"title": "T", "version": "v9"},
        "paths": {"/a": {"get": {}}, "/b": {"post": {}}},
        "components": {
            "schemas": {name: {"properties": {"z": {}, "a": {}}} for name in _builder().SCHEMAS}
        },
    }
    raw = json.dumps(spec).encode()
    built = _builder().build(raw)
    assert built["spec_version"] == "v9"
    assert built["spec_sha256"] == hashlib.sha256(raw).hexdigest()
    assert built["get_paths"] == ["/a"]  # /b has no GET
    assert built["schemas"]["Activity"] == ["a", "z"]


def test_no_test_reads_files_outside_the_repository() -> None:
    outside = re.compile(r"parents\[\d\]\.parent|\.\./shared|/work/shared")
    offenders = [
        path.name
        for path in TESTS.glob("*.py")
        if path.name != Path(__file__).name and outside.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
