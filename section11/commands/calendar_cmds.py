"""``section11 list``, ``move`` and ``delete``: read and change planned events."""

from __future__ import annotations

from datetime import date

from section11.commands._common import JSON, Context, Parser, emit, new_parser, positive_int
from section11.errors import ConfigError

_LIST_FIELDS = ("id", "category", "type", "name", "external_id", "description")


def list_parser() -> Parser:
    parser = new_parser("list", "List calendar events (JSON on stdout).")
    parser.add_argument("--oldest", default="today", help="first day: YYYY-MM-DD or +N")
    parser.add_argument("--newest", default="+6", help="last day: YYYY-MM-DD or +N (default +6)")
    parser.add_argument("--category", help="comma list, e.g. WORKOUT,RACE_A")
    return parser


def run_list(ctx: Context) -> int:
    oldest = ctx.day(ctx.args.oldest, "--oldest")
    newest = ctx.day(ctx.args.newest, "--newest")
    if newest < oldest:
        raise ConfigError(f"--newest {newest} is before --oldest {oldest}")
    categories = tuple(c.strip().upper() for c in (ctx.args.category or "").split(",") if c.strip())
    events = ctx.api().list_events(oldest.isoformat(), newest.isoformat(), categories)
    rows: list[JSON] = []
    for event in events:
        if not isinstance(event, dict):
            continue
        row: JSON = {"date": str(event.get("start_date_local") or "")[:10] or None}
        row.update({k: event.get(k) for k in _LIST_FIELDS})
        rows.append(row)
    emit(
        {
            "success": True,
            "command": "list",
            "oldest": str(oldest),
            "newest": str(newest),
            "events": rows,
        }
    )
    return 0


def move_parser() -> Parser:
    parser = new_parser("move", "Move a planned event to another day.", confirm=True)
    parser.add_argument("event_id", metavar="EVENT_ID")
    parser.add_argument("date", metavar="DATE", help="new day: YYYY-MM-DD or +N")
    return parser


def run_move(ctx: Context) -> int:
    event_id = positive_int(ctx.args.event_id, "EVENT_ID")
    to_day = ctx.day(ctx.args.date, "DATE")
    if to_day < ctx.today:
        raise ConfigError(f"DATE {to_day} is in the past (today is {ctx.today}); pick a later day")
    api = ctx.api()
    event = api.event(event_id)
    start = str(event.get("start_date_local") or "")
    _require_planned(event, start, ctx.today, "move")
    time_part = start[10:] if len(start) > 10 else "T00:00:00"
    new_start = f"{to_day.isoformat()}{time_part}"
    result: JSON = {
        "success": True,
        "command": "move",
        "preview": not ctx.args.confirm,
        "event": {"id": event_id, "name": event.get("name")},
        "from": start[:10],
        "to": to_day.isoformat(),
    }
    if ctx.args.confirm:
        api.update_event(event_id, {"start_date_local": new_start})
    else:
        result["message"] = "preview only: nothing was changed; add --confirm to move it"
    emit(result)
    return 0


def delete_parser() -> Parser:
    parser = new_parser("delete", "Delete a planned (today or later) event.", confirm=True)
    parser.add_argument("event_id", metavar="EVENT_ID")
    return parser


def run_delete(ctx: Context) -> int:
    event_id = positive_int(ctx.args.event_id, "EVENT_ID")
    api = ctx.api()
    event = api.event(event_id)
    start = str(event.get("start_date_local") or "")
    _require_planned(event, start, ctx.today, "delete")
    result: JSON = {
        "success": True,
        "command": "delete",
        "preview": not ctx.args.confirm,
        "event": {k: event.get(k) for k in ("id", "name", "category", "type")}
        | {"date": start[:10]},
    }
    if ctx.args.confirm:
        api.delete_event(event_id)
    else:
        result["message"] = "preview only: nothing was deleted; add --confirm to delete it"
    emit(result)
    return 0


def _require_planned(event: JSON, start: str, today: date, verb: str) -> None:
    try:
        day = date.fromisoformat(start[:10])
    except ValueError:
        raise ConfigError(
            f"event {event.get('id')} has no readable date; not touching it"
        ) from None
    if day < today:
        raise ConfigError(
            f"event {event.get('id')} was on {day} (past); only planned events can be {verb}d"
        )
