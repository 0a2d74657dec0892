"""The fetch bookkeeping of intervals.json, kept in the run state, not in the published file.

Per activity id: whether its interval detail was fetched (``status``), how often, and when
it is due again (rules in :mod:`section11.outputs.intervals`). It lives in
``<output_dir>/.section11/intervals-fetch-state.json`` next to the history state. With
``--publish`` it is committed whenever it changes (publish/flow.py), as it was inside
intervals.json, so a fresh checkout knows the retry times. Nothing here is training data,
so the AI never sees it.

Upgrade: versions before this file kept the same map as ``fetch_state`` inside
intervals.json. :func:`load_previous_intervals` reads it from there when it finds it (so
nothing is fetched again) and the run writes the new layout.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from section11.outputs.intervals_models import SCHEMA_VERSION, IntervalsFile
from section11.store import load_model

log = logging.getLogger(__name__)

FETCH_STATE_FILE = "intervals-fetch-state.json"
STATE_VERSION: Literal[1] = 1
LEGACY_KEY = "fetch_state"  # where versions before this file kept the map

FetchStatus = Literal["ok", "pending", "no_intervals", "failed"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FetchState(_Model):
    """When to fetch one activity's intervals again. Not training data."""

    status: FetchStatus
    attempts: int = Field(description="Fetches that found no intervals (the give-up counter)")
    transient_failures: int = Field(description="Consecutive failed downloads (5xx, timeouts)")
    first_seen: str
    last_attempt: str | None
    next_retry_at: str | None
    source_sync_date: str | None = Field(
        description="Latest of icu_sync_date/analyzed when last fetched"
    )
    reason: str | None


class FetchStateFile(_Model):
    """``.section11/intervals-fetch-state.json``: the fetch state of every candidate."""

    state_version: Literal[1] = STATE_VERSION
    fetch_state: dict[str, FetchState] = {}


_STATES = TypeAdapter(dict[str, FetchState])


@dataclass(frozen=True)
class IntervalsResult:
    """intervals.json and the fetch state that goes with it (written to two files)."""

    file: IntervalsFile
    fetch_state: dict[str, FetchState] = field(default_factory=dict)

    def state_file(self) -> FetchStateFile:
        return FetchStateFile(fetch_state=self.fetch_state)


def load_previous_intervals(
    intervals_path: Path, state_path: Path, now_utc: datetime
) -> tuple[IntervalsResult | None, list[str]]:
    """Last run's intervals.json and fetch state, or None to fetch everything again.

    Without a readable intervals.json the state file is not used: the segments it vouches
    for are gone, so every candidate is fetched again (as when the file is deleted). A
    ``fetch_state`` still inside intervals.json (written by an earlier version) wins over
    the state file: it was written together with that file's entries. A state file that
    cannot be read is moved aside with a warning; its activities are fetched again.
    """
    previous, notes, legacy = _load_with_legacy_states(intervals_path, now_utc)
    if previous is None:
        return None, notes
    if legacy is not None:
        return IntervalsResult(previous, legacy), notes
    stored, state_notes = load_model(
        state_path,
        FetchStateFile,
        now_utc,
        consequence="interval detail is fetched again",
        version_key="state_version",
        version=STATE_VERSION,
    )
    states = stored.fetch_state if stored is not None else {}
    return IntervalsResult(previous, dict(states)), notes + state_notes


def _load_with_legacy_states(
    path: Path, now_utc: datetime
) -> tuple[IntervalsFile | None, list[str], dict[str, FetchState] | None]:
    """intervals.json, its warnings, and the ``fetch_state`` an earlier version kept in it
    (None when there is none, or when it cannot be read: then it is fetched again)."""
    legacy: list[Any] = []

    def split_off(data: Any) -> Any:
        if isinstance(data, dict) and LEGACY_KEY in data:
            data = dict(data)
            legacy.append(data.pop(LEGACY_KEY))
        return data

    previous, notes = load_model(
        path,
        IntervalsFile,
        now_utc,
        consequence="interval detail is fetched again",
        version_key="schema_version",
        version=SCHEMA_VERSION,
        upgrade=split_off,
    )
    if previous is None or not legacy:
        return previous, notes, None
    try:
        states = _STATES.validate_python(legacy[0])
    except ValidationError as exc:
        notes.append(
            f"{path.name}: its old fetch_state block does not match its schema "
            f"({exc.error_count()} problem(s)); interval detail is fetched again"
        )
        return previous, notes, None
    log.info("%s: moving its fetch state to %s", path.name, FETCH_STATE_FILE)
    return previous, notes, states
