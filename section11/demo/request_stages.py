"""Which stage of a sync sent a request the fake server logged (benchmarks and tests of
the overlapped stages read the server's log with it)."""

from __future__ import annotations

import re

from section11.demo.server import RequestRecord
from section11.sources.intervals_icu.fetch import HISTORY_ACTIVITY_FIELDS, HISTORY_WELLNESS_FIELDS

# History asks for its own short field lists; the core lists ask for theirs.
_HISTORY_FIELDS = {",".join(HISTORY_ACTIVITY_FIELDS), ",".join(HISTORY_WELLNESS_FIELDS)}


def stage_of(record: RequestRecord) -> str:
    """core, history, intervals, terrain, dfa, curves, comments or routes."""
    path, query = record.path, record.query
    if path.startswith("/attachments/"):
        return "routes"
    if path.endswith("/messages"):
        return "comments"
    if path.endswith("-curves.json"):
        return "curves"
    if path.endswith("/streams.json"):
        return "dfa" if "dfa_a1" in query.get("types", "") else "terrain"
    if re.fullmatch(r"/api/v1/activity/[^/]+", path):
        return "intervals"
    return "history" if query.get("fields") in _HISTORY_FIELDS else "core"
