"""examples/output: the demo athlete's files match the current code and schemas."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from section11.demo import SECRET_CANARIES
from section11.demo.examples import EXAMPLE_FILES, stale_examples

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "output"


def test_examples_validate_against_the_committed_schemas() -> None:
    for name in EXAMPLE_FILES:
        data = json.loads((EXAMPLES / name).read_text("utf-8"))
        schema = json.loads((REPO / "schemas" / name.replace(".json", ".schema.json")).read_text())
        jsonschema.validate(data, schema)


def test_examples_are_current() -> None:
    assert stale_examples(EXAMPLES) == [], "run: section11 examples --generate"


def test_examples_hold_no_secrets() -> None:
    for name in EXAMPLE_FILES:
        text = (EXAMPLES / name).read_text("utf-8")
        assert not [canary for canary in SECRET_CANARIES if canary in text]
