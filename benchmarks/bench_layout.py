#!/usr/bin/env python3
"""Bytes, tokens and diff size of the five files under each candidate JSON layout.

Syncs the demo athlete (child process ``python -m section11``, fake Intervals.icu on
127.0.0.1), adds one activity of today and syncs again; then writes the data of both
runs in each layout and prints, per layout: bytes and tokens of the five files (second
run), their line count, and the lines a commit of the second run would change (lines
removed + lines added, ``difflib``), for latest.json and for all five files.
Tokens: ``bpe-openai`` (o200k_base, offline), when installed.

Usage: python benchmarks/bench_layout.py
"""

from __future__ import annotations

import difflib
import json
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_perf import OUTPUT_FILES, new_activity, run_sync, tokenizer

from section11.clock import local_today
from section11.demo import DEMO_TIMEZONE, FakeIntervalsServer, generate_demo_athlete
from section11.json_layout import dumps_lines

Layout = Callable[[Any], str]


def _indent(spaces: int) -> Layout:
    return lambda data: json.dumps(data, indent=spaces, ensure_ascii=False)


def _lines(width: int) -> Layout:
    return lambda data: dumps_lines(data, width=width)


LAYOUTS: dict[str, Layout] = {
    "indent=2 (before)": _indent(2),
    "indent=1": _indent(1),
    "indent=0 (a line per value)": _indent(0),
    "one compact line": lambda data: json.dumps(data, separators=(",", ":"), ensure_ascii=False),
    "lines, width 0": _lines(0),
    "lines, width 80": _lines(80),
    "lines, width 120 (chosen)": _lines(120),
    "lines, width 200": _lines(200),
    "lines, records only": _lines(10**9),
}


def changed(before: str, after: str) -> tuple[int, int]:
    """Lines removed + added, and their bytes: what a reader of the diff goes through."""
    old, new = before.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    lines = size = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            shown = old[i1:i2] + new[j1:j2]
            lines += len(shown)
            size += sum(len(text.encode("utf-8")) + 1 for text in shown)
    return lines, size


def sync_twice(tmp: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    today = local_today(datetime.now(UTC), DEMO_TIMEZONE)
    athlete = generate_demo_athlete(today)
    out, home = tmp / "out", tmp / "home"
    out.mkdir()
    home.mkdir()
    (home / "no-config.json").write_text("{}")

    def read() -> dict[str, Any]:
        return {name: json.loads((out / name).read_text("utf-8")) for name in OUTPUT_FILES}

    with FakeIntervalsServer(athlete) as server:
        run_sync(server, out, home, None)
        first = read()
        athlete.add_activity(new_activity(today.isoformat(), 1))
        run_sync(server, out, home, None)
    return first, read()


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


# Content changes, not applied: what each would save on top of the chosen layout.
CONTENT_OPTIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "every key (as written)": lambda files: files,
    "without null members": lambda files: {n: _without_nulls(d) for n, d in files.items()},
}


def print_content_options(files: dict[str, Any], encoding: Any | None) -> None:
    print("\ncontent changes (not applied), in the chosen layout: five files")
    for label, change in CONTENT_OPTIONS.items():
        texts = [dumps_lines(data) + "\n" for data in change(files).values()]
        size = sum(len(text.encode("utf-8")) for text in texts)
        tokens = sum(len(encoding.encode(t)) for t in texts) if encoding is not None else None
        shown = f"{tokens:,}" if tokens is not None else "n/a"
        print(f"  {label:<28} {size:>9,} {shown:>8}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="section11-layout-") as tmp:
        first, second = sync_twice(Path(tmp))
    encoding = tokenizer()
    print("five files of a demo sync after one new activity")
    print("diff: lines removed + added by that commit, and their bytes")
    print(
        f"  {'':<28} {'':>9} {'':>8} {'':>7} {'diff, latest.json':>18} {'diff, five files':>18}\n"
        f"  {'layout':<28} {'bytes':>9} {'tokens':>8} {'lines':>7}"
        f" {'lines':>7} {'bytes':>10} {'lines':>7} {'bytes':>10}"
    )
    for label, layout in LAYOUTS.items():
        size = tokens = lines = 0
        diff_latest = diff_all = (0, 0)
        for name in OUTPUT_FILES:
            text = layout(second[name]) + "\n"
            if json.loads(text) != second[name]:
                raise SystemExit(f"{label}: {name} does not read back as written")
            size += len(text.encode("utf-8"))
            tokens += len(encoding.encode(text)) if encoding is not None else 0
            lines += text.count("\n")
            diff = changed(layout(first[name]) + "\n", text)
            diff_all = (diff_all[0] + diff[0], diff_all[1] + diff[1])
            if name == "latest.json":
                diff_latest = diff
        shown = f"{tokens:,}" if encoding is not None else "n/a"
        print(
            f"  {label:<28} {size:>9,} {shown:>8} {lines:>7,} {diff_latest[0]:>7,}"
            f" {diff_latest[1]:>10,} {diff_all[0]:>7,} {diff_all[1]:>10,}"
        )
    print_content_options(second, encoding)
    if encoding is None:
        print("  (tokens: pip install bpe-openai, an offline o200k_base tokenizer)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
