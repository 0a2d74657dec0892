"""The "Last successful sync" line of the data repository's README.md.

The line looks like ``**Last successful sync:** 2026-11-21 10:15:00 UTC``. It is rewritten
in place; when the README has none, it is inserted under the first Markdown heading (or
at the top when there is no heading). The same input and time always give the same text.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["LAST_SYNC_PREFIX", "format_last_sync", "update_last_sync_line"]

LAST_SYNC_PREFIX = "**Last successful sync:**"


def format_last_sync(now_utc: datetime) -> str:
    if now_utc.tzinfo is None:
        raise ValueError("now_utc must be timezone-aware")
    return f"{LAST_SYNC_PREFIX} {now_utc.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def update_last_sync_line(readme_text: str, now_utc: datetime) -> str:
    """Return ``readme_text`` with its last-sync line set to ``now_utc``."""
    line = format_last_sync(now_utc)
    newline = "\r\n" if "\r\n" in readme_text else "\n"
    lines = readme_text.splitlines(keepends=True)

    for index, existing in enumerate(lines):
        if existing.startswith(LAST_SYNC_PREFIX):
            ending = existing[len(existing.rstrip("\r\n")) :]
            lines[index] = line + ending
            return "".join(lines)

    heading = next((i for i, text in enumerate(lines) if text.startswith("#")), None)
    if heading is None:
        rest = "".join(lines)
        return line + newline + (newline + rest if rest else "")
    if not lines[heading].endswith(("\n", "\r")):
        lines[heading] += newline
    insert = [newline, line + newline]
    after = heading + 1
    # Keep a blank line between our line and whatever follows the heading.
    if after < len(lines) and lines[after].strip():
        insert.append(newline)
    lines[after:after] = insert
    return "".join(lines)
