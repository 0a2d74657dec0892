"""Build ``tests/data/intervals_api_contract.json`` from the Intervals.icu OpenAPI spec.

The tests check the fake Intervals.icu server against the real API's contract: which GET
paths exist and which fields each payload may carry. Those facts are kept here, in the
repository, so that the test suite runs in a fresh clone. Regenerate when the spec
changes (the file records the spec's version and SHA-256):

    python tests/data/build_api_contract.py path/to/intervals-icu-openapi.json
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("intervals_api_contract.json")

# The payload schemas the fake server serves (their property names are the contract).
SCHEMAS = (
    "Activity",
    "ActivityStream",
    "Attachment",
    "Event",
    "Hidden",
    "Interval",
    "IntervalGroup",
    "IntervalsDTO",
    "SportSettings",
    "Wellness",
    "WithSportSettings",
)


def build(spec_bytes: bytes) -> dict[str, Any]:
    spec = json.loads(spec_bytes)
    schemas = spec["components"]["schemas"]
    return {
        "source": "Intervals.icu OpenAPI specification",
        "spec_title": spec["info"]["title"],
        "spec_version": spec["info"]["version"],
        "spec_sha256": hashlib.sha256(spec_bytes).hexdigest(),
        "get_paths": sorted(path for path, ops in spec["paths"].items() if "get" in ops),
        "schemas": {name: sorted(schemas[name]["properties"]) for name in SCHEMAS},
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    contract = build(Path(argv[1]).read_bytes())
    OUT.write_text(json.dumps(contract, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT} (spec {contract['spec_version']}, {len(contract['get_paths'])} GET paths)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
