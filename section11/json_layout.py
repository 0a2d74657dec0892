"""The line layout of the output files: compact JSON, one record per line.

The files are read by AI assistants (every byte is a token) and committed to the data
repository every few minutes (people read the diffs). Two-space indentation serves the
diffs and wastes a third of the bytes; a single compact line saves them and turns every
commit into a one-line diff. This layout keeps both:

- no indentation or spaces after ``:`` and ``,``;
- each top-level key on its own line;
- each element of an array of objects or arrays (an activity, a day, a week, a route
  event ...) on its own line, written compactly however long it is: a new activity adds a
  line, an edited one changes a line;
- any other object on one line when its compact text is at most ``width`` characters; a
  longer object gets one line per key (applying the same rules inside); arrays of plain
  values (numbers, strings) always stay on one line, like a long string;
- a float with no fractional part is written as an integer (``186`` for ``186.0``): JSON
  has one number type, and the ``.0`` is two bytes, thousands of times over.

The text is ordinary JSON: ``json.loads`` reads back the same data (equal numbers).
"""

from __future__ import annotations

import json
from typing import Any

# A value this long or shorter stays on one line (a record of an array always does).
DEFAULT_WIDTH = 120


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def plain_numbers(value: Any) -> Any:
    """``value`` with every integral float (``186.0``) turned into an int (``186``); past
    10^15 Python writes a float shorter (``1e+20``), so those stay floats."""
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if isinstance(value, dict):
        return {key: plain_numbers(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_numbers(item) for item in value]
    return value


def _is_container(value: Any) -> bool:
    return isinstance(value, dict | list | tuple)


def _layout(value: Any, width: int, top: bool) -> str:
    if not _is_container(value) or not value:
        return _compact(value)
    records = isinstance(value, list | tuple) and any(_is_container(item) for item in value)
    if not top and not records:
        flat = _compact(value)
        if len(flat) <= width:
            return flat
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            return _compact(value)  # json.dumps turns other keys into strings; let it
        members = [f"{_compact(key)}:{_layout(item, width, False)}" for key, item in value.items()]
        return "{\n" + ",\n".join(members) + "\n}"
    if not records:
        return _compact(value)  # a list of numbers or strings is one value, like a string
    return "[\n" + ",\n".join(_compact(item) for item in value) + "\n]"


def dumps_lines(data: Any, *, width: int = DEFAULT_WIDTH) -> str:
    """``data`` as JSON text in the line layout (no trailing newline)."""
    return _layout(plain_numbers(data), width, True)
