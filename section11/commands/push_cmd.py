"""``section11 push FILE [--confirm]``: put a plan's workouts on the calendar.

Without ``--confirm`` it prints the events it would send and makes no request at all.
With it: one read of the calendar over the plan's dates, then one bulk upsert of only the
new and changed events (keyed by ``external_id``), so pushing the same plan twice sends
nothing the second time and an edited plan updates its events in place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from section11.commands._common import JSON, Context, Parser, emit, new_parser
from section11.workouts import build_events, check_workouts, load_plan
from section11.workouts.events import COMPARED_FIELDS

NAME = "push"


def build_parser() -> Parser:
    parser = new_parser(
        NAME,
        "Put the workouts of a plan file on the Intervals.icu calendar. Previews (prints the "
        "events, sends nothing) unless --confirm.",
        confirm=True,
    )
    parser.add_argument("file", metavar="FILE", help="plan file (JSON), see examples/workouts/")
    return parser


def run(ctx: Context) -> int:
    path = Path(ctx.args.file)
    workouts = load_plan(path)
    today = ctx.today
    check_workouts(workouts, today, source=str(path))
    events: list[JSON] = []
    notes: list[str] = []
    for workout in workouts:
        built, workout_notes = build_events(workout, today)
        events.extend(built)
        notes.extend(workout_notes)
    _check_unique_ids(events)
    if not ctx.args.confirm:
        emit(
            {
                "success": True,
                "command": NAME,
                "preview": True,
                "message": "preview only: nothing was sent; run again with --confirm to write",
                "events": events,
                "notes": notes,
            }
        )
        return 0
    api = ctx.api()
    days = sorted(e["start_date_local"][:10] for e in events)
    existing = {
        e.get("external_id"): e
        for e in api.list_events(days[0], days[-1])
        if isinstance(e, dict) and e.get("external_id")
    }
    actions: list[JSON] = []
    to_send: list[JSON] = []
    for event in events:
        current = existing.get(event["external_id"])
        if current is None:
            action = "create"
        elif all(_same(current.get(k), event.get(k)) for k in COMPARED_FIELDS):
            action = "unchanged"
        else:
            action = "update"
        if action != "unchanged":
            to_send.append(event)
        actions.append(
            {
                "action": action,
                "external_id": event["external_id"],
                "name": event["name"],
                "date": event["start_date_local"][:10],
                "id": None if current is None else current.get("id"),
            }
        )
    if to_send:
        saved = {e.get("external_id"): e for e in api.upsert_events(to_send) if isinstance(e, dict)}
        for entry in actions:
            if entry["external_id"] in saved:
                entry["id"] = saved[entry["external_id"]].get("id")
    emit({"success": True, "command": NAME, "preview": False, "events": actions, "notes": notes})
    return 0


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(current, str) and isinstance(wanted, str):
        return current.strip() == wanted.strip()
    return bool(current == wanted) or (current is None and wanted is False)


def _check_unique_ids(events: list[JSON]) -> None:
    from section11.workouts.validate import PlanError

    seen: set[str] = set()
    for event in events:
        key = event["external_id"]
        if key in seen:
            raise PlanError(
                [
                    f"two workouts share the external id {key!r} (same date, sport and name); "
                    "rename one or give each its own external_id"
                ]
            )
        seen.add(key)
