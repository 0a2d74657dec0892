"""Comments on recent activities (``chat_notes`` of latest.json's recent_activities).

Athletes and coaches comment on a session in Intervals.icu ("legs felt heavy"); that is
context a coach wants. The comments of an activity are fetched once, while the activity is
at most ``FETCH_DAYS`` (7) days old, and kept in ``<output_dir>/.section11/
activity-messages.json`` for the 28 days recent_activities covers. They are fetched again
only when Intervals.icu reports a newer version of the activity (re-upload, re-analysis,
edit) within those 7 days, or on the next run after a download failure. A comment added
later to an unchanged activity is therefore not picked up; that is the price of not asking
for every activity's comments on every run.

Whitespace-only and deleted comments are skipped; a comment's text is trimmed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from section11.outputs.dfa_sessions import activity_version
from section11.sources.intervals_icu.detail import FetchOutcome
from section11.sources.intervals_icu.models import Activity
from section11.store import load_model

FETCH_DAYS = 7
KEEP_DAYS = 28
CACHE_VERSION: Literal[1] = 1
CACHE_FILE = "activity-messages.json"


class ChatCacheEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: str
    version: str | None
    notes: list[str]
    error: str | None = None


class ChatCache(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cache_version: Literal[1] = CACHE_VERSION
    activities: dict[str, ChatCacheEntry] = {}


def update_chat_notes(
    cache: ChatCache | None,
    activities: Sequence[Activity],
    fetcher: Callable[[Sequence[str]], Mapping[str, FetchOutcome]],
    today: date,
) -> tuple[ChatCache, dict[str, list[str]]]:
    """This run's cache and the comments per activity id (only activities that have some).

    ``fetcher`` is called once, with the ids that are due (possibly none)."""
    keep_from = today - timedelta(days=KEEP_DAYS - 1)
    fetch_from = today - timedelta(days=FETCH_DAYS - 1)
    old = cache.activities if cache else {}
    recent: dict[str, Activity] = {}
    for act in activities:
        day = act.local_date
        if act.id is None or day is None or act.is_strava_stub:
            continue
        if keep_from <= day <= today:
            recent[act.id] = act
    due = [
        aid
        for aid, act in recent.items()
        if act.local_date is not None
        and act.local_date >= fetch_from
        and _is_due(old.get(aid), act)
    ]
    outcomes = fetcher(due)
    kept: dict[str, ChatCacheEntry] = {}
    for aid, act in recent.items():
        entry = old.get(aid)
        if aid in due:
            outcome = outcomes.get(aid) or FetchOutcome.transient("not fetched")
            if outcome.kind != "transient":  # a failed download is retried next run
                entry = ChatCacheEntry(
                    date=act.local_date.isoformat() if act.local_date else "",
                    version=activity_version(act),
                    notes=message_texts(outcome.data) if outcome.kind == "ok" else [],
                    error=None if outcome.kind == "ok" else outcome.reason,
                )
        if entry is not None:
            kept[aid] = entry
    notes = {aid: e.notes for aid, e in kept.items() if e.notes}
    return ChatCache(activities=dict(sorted(kept.items()))), notes


def message_texts(data: Any) -> list[str]:
    """The trimmed text of each comment, oldest first; empty and deleted ones skipped."""
    texts: list[str] = []
    for message in data if isinstance(data, list) else ():
        if not isinstance(message, dict) or message.get("deleted"):
            continue
        content = message.get("content")
        if not isinstance(content, str):
            content = message.get("text")
        if isinstance(content, str) and content.strip():
            texts.append(content.strip())
    return texts


def load_chat_cache(path: Path, now_utc: datetime) -> tuple[ChatCache | None, list[str]]:
    return load_model(
        path,
        ChatCache,
        now_utc,
        consequence="activity comments are fetched again",
        version_key="cache_version",
        version=CACHE_VERSION,
    )


def _is_due(entry: ChatCacheEntry | None, act: Activity) -> bool:
    if entry is None:
        return True
    current, stored = activity_version(act), entry.version
    if current is None:
        return False
    return stored is None or _newer(current, stored)


def _newer(current: str, stored: str) -> bool:
    try:
        a = datetime.fromisoformat(current.replace("Z", "+00:00"))
        b = datetime.fromisoformat(stored.replace("Z", "+00:00"))
        return a > b
    except (ValueError, TypeError):
        return current != stored
