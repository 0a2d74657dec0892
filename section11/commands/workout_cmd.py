"""``section11 workout FILE --to garmin|intervals``: convert a plan (no network)."""

from __future__ import annotations

from pathlib import Path

from section11.commands._common import JSON, Context, Parser, emit, new_parser, positive_int
from section11.errors import ConfigError
from section11.workouts import (
    Thresholds,
    Workout,
    check_workouts,
    from_doc,
    load_plan,
    to_garmin,
    to_text,
)
from section11.workouts.model import parse_pace

NAME = "workout"


def build_parser() -> Parser:
    parser = new_parser(
        NAME,
        "Check a workout plan and print it as Garmin Connect workout JSON or as "
        "Intervals.icu workout text (JSON on stdout). Sends nothing.",
        api=False,
    )
    parser.add_argument(
        "file", metavar="FILE", nargs="?", help="plan file (JSON), see examples/workouts/"
    )
    parser.add_argument(
        "--event",
        metavar="ID",
        help="instead of FILE: a planned event on the calendar, read from its workout_doc "
        "(thresholds default to the sport settings)",
    )
    parser.add_argument("--to", required=True, choices=("garmin", "intervals"))
    creds = parser.add_argument_group("with --event: credentials (else env)")
    creds.add_argument("--athlete-id")
    creds.add_argument("--intervals-key")
    creds.add_argument("--api-base", metavar="URL")
    creds.add_argument("--config", metavar="FILE")
    group = parser.add_argument_group("thresholds (Garmin wants absolute targets)")
    group.add_argument("--ftp", type=float, help="FTP in watts, for %%FTP targets")
    group.add_argument("--lthr", type=float, help="threshold heart rate, for %%LTHR targets")
    group.add_argument("--max-hr", type=float, help="maximum heart rate, for %%max HR targets")
    group.add_argument("--threshold-pace", metavar="M:SS", help="run threshold pace per km")
    group.add_argument("--threshold-swim-pace", metavar="M:SS", help="swim threshold per 100 m")
    return parser


def run(ctx: Context) -> int:
    args = ctx.args
    if (args.file is None) == (args.event is None):
        raise ConfigError("give either a plan FILE or --event ID")
    thresholds = Thresholds(
        ftp=args.ftp,
        lthr=args.lthr,
        max_hr=args.max_hr,
        threshold_pace=_pace(args.threshold_pace, "--threshold-pace"),
        threshold_swim_pace=_pace(args.threshold_swim_pace, "--threshold-swim-pace"),
    )
    read_notes: list[str] = []
    if args.event is not None:
        workout, read_notes, thresholds = _from_event(ctx, args.event, thresholds)
        workouts = [workout]
    else:
        path = Path(args.file)
        workouts = load_plan(path)
        check_workouts(workouts, ctx.today, source=str(path))
    results: list[JSON] = []
    if args.to == "garmin":
        results = [to_garmin(w, thresholds) for w in workouts]
    else:
        for workout in workouts:
            parts: list[JSON] = []
            notes: list[str] = []
            for part in workout.parts():
                text = to_text(part.steps, part.sport, description=workout.description)
                parts.append({"sport": part.sport, "text": text.text})
                notes.extend(text.notes)
            results.append({"name": workout.name, "parts": parts, "notes": notes})
    payload: JSON = {"success": True, "command": NAME, "format": args.to, "workouts": results}
    if read_notes:
        payload["read_notes"] = read_notes
    emit(payload)
    return 0


#: Intervals.icu activity types a planned workout may have, by our sport.
_SPORT_OF_TYPE = {
    "Run": "run",
    "TrailRun": "run",
    "VirtualRun": "run",
    "Ride": "ride",
    "VirtualRide": "ride",
    "GravelRide": "ride",
    "MountainBikeRide": "ride",
    "Swim": "swim",
    "OpenWaterSwim": "swim",
    "WeightTraining": "strength",
}


def _from_event(
    ctx: Context, raw_id: str, given: Thresholds
) -> tuple[Workout, list[str], Thresholds]:
    """The workout of a calendar event (from its workout_doc), and thresholds for it:
    the flags given, else the sport settings of the event's type (one more request)."""
    event_id = positive_int(raw_id, "--event")
    api = ctx.api()
    event = api.event(event_id)
    activity_type = str(event.get("type") or "")
    sport = _SPORT_OF_TYPE.get(activity_type)
    if sport is None:
        raise ConfigError(
            f"event {event_id} is a {activity_type or 'untyped'} event; only runs, rides, "
            "swims and strength workouts convert"
        )
    steps, notes = from_doc(event.get("workout_doc"))
    if not steps:
        raise ConfigError(f"event {event_id} has no structured steps to convert")
    name = str(event.get("name") or f"Event {event_id}")[:255]
    workout = Workout.model_validate(
        {
            "name": name,
            "sport": sport,
            "date": str(event.get("start_date_local") or "")[:10] or "today",
            "steps": [s.model_dump() for s in steps],
        }
    )
    settings = api.sport_settings(activity_type)
    indoor = bool(event.get("indoor")) or activity_type.startswith("Virtual")
    ftp = settings.get("indoor_ftp") if indoor else None
    speed = settings.get("threshold_pace")
    per = 100.0 if sport == "swim" else 1000.0
    pace = per / speed if isinstance(speed, int | float) and speed > 0 else None
    thresholds = Thresholds(
        ftp=given.ftp or _number(ftp) or _number(settings.get("ftp")),
        lthr=given.lthr or _number(settings.get("lthr")),
        max_hr=given.max_hr or _number(settings.get("max_hr")),
        threshold_pace=given.threshold_pace or (pace if sport != "swim" else None),
        threshold_swim_pace=given.threshold_swim_pace or (pace if sport == "swim" else None),
    )
    return workout, notes, thresholds


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return float(value)


def _pace(text: str | None, flag: str) -> float | None:
    if text is None:
        return None
    try:
        return parse_pace(text)
    except ValueError:
        raise ConfigError(f"{flag} must be M:SS, e.g. 4:30 (got {text!r})") from None
