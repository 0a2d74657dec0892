"""``section11 workout FILE --to garmin|intervals``: convert a plan (no network)."""

from __future__ import annotations

from pathlib import Path

from section11.commands._common import JSON, Context, Parser, emit, new_parser
from section11.workouts import (
    Thresholds,
    check_workouts,
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
    parser.add_argument("file", metavar="FILE", help="plan file (JSON), see examples/workouts/")
    parser.add_argument("--to", required=True, choices=("garmin", "intervals"))
    group = parser.add_argument_group("thresholds (Garmin wants absolute targets)")
    group.add_argument("--ftp", type=float, help="FTP in watts, for %%FTP targets")
    group.add_argument("--lthr", type=float, help="threshold heart rate, for %%LTHR targets")
    group.add_argument("--max-hr", type=float, help="maximum heart rate, for %%max HR targets")
    group.add_argument("--threshold-pace", metavar="M:SS", help="run threshold pace per km")
    group.add_argument("--threshold-swim-pace", metavar="M:SS", help="swim threshold per 100 m")
    return parser


def run(ctx: Context) -> int:
    args = ctx.args
    path = Path(args.file)
    workouts = load_plan(path)
    check_workouts(workouts, ctx.today, source=str(path))
    results: list[JSON] = []
    if args.to == "garmin":
        thresholds = Thresholds(
            ftp=args.ftp,
            lthr=args.lthr,
            max_hr=args.max_hr,
            threshold_pace=_pace(args.threshold_pace, "--threshold-pace"),
            threshold_swim_pace=_pace(args.threshold_swim_pace, "--threshold-swim-pace"),
        )
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
    emit({"success": True, "command": NAME, "format": args.to, "workouts": results})
    return 0


def _pace(text: str | None, flag: str) -> float | None:
    from section11.errors import ConfigError

    if text is None:
        return None
    try:
        return parse_pace(text)
    except ValueError:
        raise ConfigError(f"{flag} must be M:SS, e.g. 4:30 (got {text!r})") from None
