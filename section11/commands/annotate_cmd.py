"""``section11 annotate``: leave a note on an activity or a planned event."""

from __future__ import annotations

from section11.commands._common import JSON, Context, Parser, emit, new_parser, positive_int
from section11.errors import ConfigError

MAX_MESSAGE = 2000


def build_parser() -> Parser:
    parser = new_parser(
        "annotate",
        "Add a note to an activity (its description, or its comments with --chat) or to a "
        "planned event's description. Previews unless --confirm.",
        confirm=True,
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--activity", metavar="ID", help="activity id, e.g. i12345")
    where.add_argument("--event", metavar="ID", help="planned event id")
    parser.add_argument("--message", required=True, help="the note")
    parser.add_argument(
        "--chat", action="store_true", help="post to the activity's comments instead"
    )
    return parser


def run(ctx: Context) -> int:
    args = ctx.args
    message = " ".join(str(args.message).split())
    if not message:
        raise ConfigError("--message is empty; write the note")
    if len(message) > MAX_MESSAGE:
        raise ConfigError(f"--message has {len(message)} characters; keep it under {MAX_MESSAGE}")
    if args.chat and args.event:
        raise ConfigError("--chat works with --activity only")
    api = ctx.api()
    result: JSON = {"success": True, "command": "annotate", "preview": not args.confirm}
    note = f"NOTE: {message}"
    if args.activity and args.chat:
        api.activity(args.activity)  # a clear "not found" before anything is posted
        result.update(target={"activity": args.activity}, comment=message)
        if args.confirm:
            api.add_activity_message(args.activity, message)
    elif args.activity:
        current = api.activity(args.activity).get("description")
        description = _prepend(note, current)
        result.update(target={"activity": args.activity}, description=description)
        if args.confirm:
            api.update_activity(args.activity, {"description": description})
    else:
        event_id = positive_int(args.event, "--event")
        current = api.event(event_id).get("description")
        description = _prepend(note, current)
        result.update(target={"event": event_id}, description=description)
        if args.confirm:
            api.update_event(event_id, {"description": description})
    if not args.confirm:
        result["message"] = "preview only: nothing was written; add --confirm to save the note"
    emit(result)
    return 0


def _prepend(note: str, current: object) -> str:
    text = current.strip() if isinstance(current, str) else ""
    # A blank line keeps the note out of the workout text's first step block.
    return f"{note}\n\n{text}" if text else note
